import { dspWindow, dspWindowRms, type DspLayout } from '../../native/addon.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { describe } from '../../common/bytes.js';
import { checkInteger, checkString } from '../../common/validate.js';

/** A scipy window name, as pya's `window` takes them. */
export type WindowName = 'triang' | 'hann' | 'hamming' | 'blackman' | 'bartlett' | 'boxcar';

/** What pya's `window_op` computes per segment: `'rms'`, or a function of the segment (one value per channel). */
export type WindowFn<S> = 'rms' | ((segment: S) => number | readonly number[]);

/** @internal The samples times scipy's `get_window(win, frames)`, per channel. */
export function windowed(data: Float32Array, layout: DspLayout, win: unknown): Float32Array {
  return dspWindow(data, layout, checkString(win, 'win'));
}

/** @internal pya's `window_op` segments: `[i0, i1)` around every `stride`-th frame, cut at the ends as pya cuts them. */
export function segmentBounds(frames: number, nperseg: number, stride: number): [number, number][] {
  const out: [number, number][] = [];
  for (let c = 0; c < frames; c += stride) {
    out.push([Math.max(c - Math.floor(nperseg / 2), 0), Math.min(c + Math.floor(nperseg / 2), frames - 1)]);
  }
  return out;
}

/** @internal The checked arguments of `windowOp`. */
export function windowOpArgs(nperseg: unknown, stride: unknown, pad: unknown): { nperseg: number; stride: number } {
  if (checkString(pad, 'pad') !== 'mirror') {
    throw invalidArg(`pad must be 'mirror' (pya's only value; segments are cut at the ends as pya cuts them), got '${String(pad)}'`);
  }
  return { nperseg: checkInteger(nperseg, 'nperseg', 1, 1 << 24), stride: checkInteger(stride, 'stride', 1, 1 << 24) };
}

/** @internal The RMS of each channel of every (windowed) segment, interleaved. */
export function windowRms(data: Float32Array, layout: DspLayout, op: { nperseg: number; stride: number; win?: string }): Float32Array {
  return dspWindowRms(data, layout, op);
}

/** @internal One segment's values from a user's `fn`, one per channel. */
export function segmentValues(v: unknown, channels: number): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>) : undefined;
  if (list === undefined || list.length !== channels || list.some((x) => typeof x !== 'number')) {
    throw invalidType(`windowOp's fn must return a number or one number per channel (${channels}), got ${describe(v)}`);
  }
  return list;
}

/** @internal What `windowOp` needs of a signal to hand segments to a user's `fn`. */
interface Segmentable<S> {
  samples: number;
  channels: number;
  sliceSamples(start?: number, end?: number): S;
}

/** @internal pya's `window_op` with `fn` a function: its values for every (windowed) segment, interleaved. */
export function windowOpBy<S extends Segmentable<S>>(
  s: S,
  op: { nperseg: number; stride: number; win?: (seg: S) => S },
  fn: unknown,
): Float32Array {
  if (typeof fn !== 'function') throw invalidType(`fn must be 'rms' or a function of a segment, got ${describe(fn)}`);
  const values = segmentBounds(s.samples, op.nperseg, op.stride).flatMap(([i0, i1]) => {
    const seg = s.sliceSamples(i0, i1);
    return segmentValues((fn as (x: S) => unknown)(op.win ? op.win(seg) : seg), s.channels);
  });
  return Float32Array.from(values);
}
