import { dspResample, type DspLayout } from '../../native/addon.js';
import { describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { checkInteger, checkString } from '../../common/validate.js';
import { positive } from './args.js';

/**
 * How {@link Signal.resample} computes the new samples: `'sinc'` (the
 * default) is band-limited (rubato's FFT resampler, whole rates only); the
 * others are scipy's `interp1d` kinds, as pya's `resample` uses them, with
 * the same numbers.
 */
export type ResampleKind = 'sinc' | InterpKind;

/** scipy's `interp1d` kinds (pya's `resample` and `envelope`). */
export type InterpKind = 'linear' | 'nearest' | 'nearest-up' | 'zero' | 'slinear' | 'quadratic' | 'cubic' | 'previous' | 'next';

const INTERP_KINDS: readonly string[] = ['linear', 'nearest', 'nearest-up', 'zero', 'slinear', 'quadratic', 'cubic', 'previous', 'next'];

/** @internal `kind` checked against scipy's `interp1d` kinds (plus `'sinc'` when `sinc`). */
export function checkKind(kind: unknown, sinc: boolean): string {
  const k = checkString(kind, 'kind');
  if (INTERP_KINDS.includes(k) || (sinc && k === 'sinc')) return k;
  const names = [...(sinc ? ['sinc'] : []), ...INTERP_KINDS].map((n) => `'${n}'`).join(', ');
  throw invalidArg(`kind must be one of ${names}, got ${describe(kind)}`);
}

/** @internal The samples of `sig` at `samplerate`, played at `rate`, computed as `kind` says. */
export function resampled(sig: Float32Array, layout: DspLayout, args: { samplerate: unknown; rate: unknown; kind: unknown }): Float32Array {
  const target = positive(args.samplerate, 'samplerate');
  const rate = positive(args.rate, 'rate');
  const kind = checkKind(args.kind, true);
  return dspResample(sig, layout, target, rate, kind === 'sinc' ? undefined : kind);
}

/** @internal A Python slice's bounds: an integer index or `undefined`, and a step other than 0. */
export function sliceArgs(start: unknown, end: unknown, step: unknown): [number | undefined, number | undefined, number] {
  const index = (v: unknown, what: string) => (v === undefined ? undefined : checkInteger(v, what, -Number.MAX_SAFE_INTEGER));
  const st = checkInteger(step, 'step', -Number.MAX_SAFE_INTEGER);
  if (st === 0) throw invalidArg('step must not be 0 (1 takes every frame, -1 reverses)');
  return [index(start, 'start'), index(end, 'end'), st];
}

/** @internal pya's rate after a slice with `step`: `int(samplerate / |step|)`. */
export function steppedRate(samplerate: number, step: number): number {
  if (step === 1) return samplerate;
  const r = Math.trunc(samplerate / Math.abs(step));
  if (r < 1) throw invalidArg(`a step of ${step} leaves the ${samplerate} Hz signal below 1 Hz (pya's rate is int(samplerate / |step|))`);
  return r;
}

/** @internal Throws unless `other` is a Signal-like value (checked by the caller's class). */
export function notASignal(what: string, value: unknown): never {
  throw invalidType(`${what} must be a Signal, got ${describe(value)}`);
}
