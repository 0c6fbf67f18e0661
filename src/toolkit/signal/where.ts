import type { DspWhere } from '../../native/addon.js';
import { describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { checkInteger, checkOptions } from '../../common/validate.js';
import { finite } from './args.js';
import type { ChannelRef } from './base.js';
import { sliceArgs } from './edit.js';

/** Frames as Python's `[start:end:step]` (negative indices count from the end). */
export interface FrameRange {
  /** First frame; default the open end the step runs from. */
  start?: number;
  /** Frame after the last; default the open end the step runs to. */
  end?: number;
  /** Frames between picks (negative walks backwards); default 1. */
  step?: number;
}

/** Seconds, as {@link Signal.slice} takes them (negative counts from the end). */
export interface TimeRange {
  /** Start in seconds; default 0. */
  start?: number;
  /** End in seconds; default the end. */
  end?: number;
}

/**
 * Frames (pya's row index): one frame index, a list of indices (an array
 * or an integer typed array, negative ones counting from the end), a mask
 * of one boolean per frame, or a {@link FrameRange}.
 */
export type FrameSelection =
  | number
  | readonly number[]
  | readonly boolean[]
  | Int32Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | FrameRange;

/**
 * Channels (pya's column index): one index or name, a list of them (in
 * the order wanted), a mask of one boolean per channel, or an integer
 * typed array of indices (pya's `bytes([0, 1])`).
 */
export type ChannelSelection =
  | ChannelRef
  | readonly ChannelRef[]
  | readonly boolean[]
  | Int32Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/**
 * Where {@link Signal.get} reads and {@link Signal.set} writes: frames
 * (`frames`, or `time` in seconds, not both; default all) and channels
 * (default all).
 */
export interface Where {
  /** The frames. */
  frames?: FrameSelection;
  /** The frames as seconds (pya's `{start: end}` dict). */
  time?: TimeRange;
  /** The channels. */
  channels?: ChannelSelection;
}

/** @internal What a selection needs to know of its signal. */
export interface Selectable {
  readonly samples: number;
  readonly channels: number;
  readonly samplerate: number;
  readonly channelNames: readonly string[] | undefined;
  index(ref: ChannelRef): number;
}

const INDEX_ARRAYS = [Int32Array, Uint32Array, Uint16Array, Uint8Array];
const isIndexArray = (v: unknown): v is ArrayLike<number> => INDEX_ARRAYS.some((T) => v instanceof T);

/** @internal `where` checked and resolved for the kernels, with the selected channels' names. */
export function resolveWhere(s: Selectable, where: Where | undefined): { at: DspWhere; names: readonly string[] | undefined } {
  const w = checkOptions(where, ['frames', 'time', 'channels'], 'where');
  if (w.frames !== undefined && w.time !== undefined) throw invalidArg('where takes { frames } or { time }, not both');
  const channels = channelsOf(s, w.channels);
  const names = s.channelNames && channels.map((i) => s.channelNames![i]!);
  const rows = w.time !== undefined ? timeRows(s.samplerate, w.time) : frameRows(w.frames);
  return { at: { ...rows, channels }, names };
}

/** pya's time dict as a frame range, rounded as {@link Signal.slice} rounds. */
function timeRows(samplerate: number, time: TimeRange): Omit<DspWhere, 'channels'> {
  const t = checkOptions(time, ['start', 'end'], 'where.time');
  const at = (v: unknown, what: string) => Math.round(finite(v, what) * samplerate);
  return { start: at(t.start ?? 0, 'time.start'), end: t.end === undefined ? undefined : at(t.end, 'time.end') };
}

function frameRows(frames: FrameSelection | undefined): Omit<DspWhere, 'channels'> {
  if (frames === undefined) return {};
  if (typeof frames === 'number') {
    const i = checkInteger(frames, 'frames', -Number.MAX_SAFE_INTEGER);
    return { list: [i] };
  }
  if (isIndexArray(frames)) return { list: Array.from(frames) };
  if (Array.isArray(frames)) {
    if (frames.length > 0 && frames.every((f) => typeof f === 'boolean')) return { mask: frames as boolean[] };
    return { list: frames.map((f: unknown, i) => checkInteger(f, `frames[${i}]`, -Number.MAX_SAFE_INTEGER)) };
  }
  if (typeof frames !== 'object' || frames === null) {
    throw invalidType(`frames must be an index, a list of indices, a mask or { start, end, step }, got ${describe(frames)}`);
  }
  const r = checkOptions(frames as FrameRange, ['start', 'end', 'step'], 'where.frames');
  const [start, end, step] = sliceArgs(r.start, r.end, r.step ?? 1);
  return { start, end, step };
}

/** @internal The channel indices a selection names (default all, in order). */
export function channelsOf(s: Selectable, sel: ChannelSelection | undefined): number[] {
  if (sel === undefined) return Array.from({ length: s.channels }, (_, i) => i);
  if (isIndexArray(sel)) return Array.from(sel, (c) => s.index(c));
  if (!Array.isArray(sel)) return [s.index(sel as ChannelRef)];
  if (sel.length > 0 && sel.every((c) => typeof c === 'boolean')) {
    if (sel.length !== s.channels) throw invalidArg(`a channel mask needs one flag per channel (${s.channels}), got ${sel.length}`);
    return sel.flatMap((c, i) => (c ? [i] : []));
  }
  return sel.map((c: unknown) => {
    if (typeof c !== 'number' && typeof c !== 'string') throw invalidType(`a channel must be an index or a name, got ${describe(c)}`);
    return s.index(c);
  });
}
