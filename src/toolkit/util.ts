/**
 * pya's helpers and OsSom's utilities. Every formula runs in the Rust core;
 * this module checks arguments and shapes results.
 * @packageDocumentation
 */
import {
  checkWholeFrames,
  dspClip,
  dspDb,
  dspFractionalOctaves,
  dspFreqToBand,
  dspLinlin,
  dspMeasure,
  dspNoise,
  dspNormalizeFrequencies,
  dspUnit,
} from '../native/addon.js';
import { asFloat32, describe } from '../common/bytes.js';
import { invalidArg } from '../common/errors.js';
import { finite, numbers, positive, seconds as checkSeconds } from './signal/args.js';
import { checkBoolean, checkInteger, checkOptions } from '../common/validate.js';

export {
  applyChannelwise,
  audioFromFile,
  bufToFloat,
  deviceInfo,
  findDevice,
  freqsToCenterAndEdges,
  isPow2,
  magspec,
  nextPow2,
  normalize,
  padding,
  powspec,
  signalToFrame,
  spectrum,
} from './helpers.js';

/** Decibels from amplitude: `20 log10(amp)` (`-Infinity` for 0). */
export function ampdb(amp: number): number {
  return dspUnit('ampdb', finite(amp, 'amp'));
}

/** Amplitude from decibels: `10^(db / 20)`. */
export function dbamp(db: number): number {
  return dspUnit('dbamp', finite(db, 'db'));
}

/** MIDI note number of a frequency: `69 + 12 log2(freq / 440)`. */
export function cpsmidi(freq: number): number {
  return dspUnit('cpsmidi', finite(freq, 'freq'));
}

/** Frequency of a MIDI note number: `440 * 2^((midi - 69) / 12)`. */
export function midicps(midi: number): number {
  return dspUnit('midicps', finite(midi, 'midi'));
}

/** Maps `x` linearly from `[a, b]` to `[c, d]`: `(x - a) / (b - a) * (d - c) + c`. */
export function linlin(x: number, a: number, b: number, c: number, d: number): number {
  const [xx, aa, bb, cc, dd] = [x, a, b, c, d].map((v, i) => finite(v, ['x', 'a', 'b', 'c', 'd'][i]));
  if (aa === bb) throw invalidArg(`linlin's input range [a, b] must not be empty, got a = b = ${aa}`);
  return dspLinlin(xx, aa, bb, cc, dd);
}

/** `x` limited to `[lo, hi]` (`lo <= hi`). */
export function clip(x: number, lo: number, hi: number): number {
  return dspClip(finite(x, 'x'), finite(lo, 'lo'), finite(hi, 'hi'));
}

function channelCount(channels: number | undefined, length: number): number {
  const c = checkInteger(channels ?? 1, 'channels', 1, 65535);
  checkWholeFrames(length, c, 'data');
  return c;
}

function perChannel(data: Float32Array, channels: number | undefined, what: 'rms' | 'peak'): number[] {
  const d = asFloat32(data, 'data');
  return dspMeasure(d, { channels: channelCount(channels, d.length), samplerate: 1 }, what);
}

/** OsSom's `rms`: `sqrt(mean(x^2))` of each channel of interleaved `data`. */
export function rms(data: Float32Array, channels = 1): number[] {
  return perChannel(data, channels, 'rms');
}

/** OsSom's `max_abs`: the peak `max |x|` of each channel of interleaved `data`. */
export function maxAbs(data: Float32Array, channels = 1): number[] {
  return perChannel(data, channels, 'peak');
}

/** Options of {@link dB}. */
export interface DbOptions {
  /** `x` is a power (10 log10) rather than an amplitude (20 log10); default false. */
  power?: boolean;
  /** The 0 dB reference; default 1. */
  ref?: number;
}

/**
 * OsSom's `dB`: `(power ? 10 : 20) * log10(x / ref)`, of a number or of
 * each number of an array (OsSom applies it to the RMS of each channel:
 * `dB(rms(data, 2))`).
 */
export function dB(x: number, options?: DbOptions): number;
export function dB(x: readonly number[], options?: DbOptions): number[];
export function dB(x: number | readonly number[], options?: DbOptions): number | number[] {
  const { power = false, ref = 1 } = checkOptions(options, ['power', 'ref'], 'the dB options');
  const p = checkBoolean(power, 'power');
  const r = positive(ref, 'ref');
  if (typeof x === 'number') return dspDb(finite(x, 'x'), p, r);
  return numbers(x, 'x').map((v) => dspDb(v, p, r));
}

/**
 * OsSom's `noise`: Gaussian noise, each channel its own, scaled so that
 * each channel's peak is `level`. Interleaved, `floor(seconds * samplerate)` frames.
 */
export function noise(level = 1, samplerate = 48000, seconds = 5, channels = 1): Float32Array {
  const layout = { channels: checkInteger(channels, 'channels', 1, 65535), samplerate: positive(samplerate, 'samplerate') };
  return dspNoise([finite(level, 'level'), checkSeconds(seconds, 'seconds')], layout, undefined);
}

/** Options of the fractional-octave helpers. */
export interface BandOptions {
  /** Bands per octave (3 for thirds); default 3. */
  nthOct?: number;
  /** The center of band 0; default 1000 Hz. */
  refFreq?: number;
  /** 10 (octave = 10^0.3) or 2 (octave = 2); default 10. */
  base?: 10 | 2;
}

function bandSpec(o: BandOptions): { nthOct: number; refFreq: number; base: number } {
  const base = o.base ?? 10;
  if (base !== 10 && base !== 2) throw invalidArg(`base must be 10 or 2, got ${describe(base)}`);
  return {
    nthOct: checkInteger(o.nthOct ?? 3, 'nthOct', 1, 1 << 20),
    refFreq: positive(o.refFreq ?? 1000, 'refFreq'),
    base,
  };
}

/** OsSom's `freq_to_band`: `round(log_base(freq / refFreq) * nthOct / factor)`, factor 0.3 for base 10, 1 for base 2. */
export function freqToBand(freq: number, options?: BandOptions): number {
  const o = checkOptions(options, ['nthOct', 'refFreq', 'base'], 'the band options');
  return dspFreqToBand(positive(freq, 'freq'), bandSpec(o));
}

/** Options of {@link fractionalOctaveFrequencies}. */
export interface FractionalOctaveOptions extends BandOptions {
  /** The lowest and highest frequencies to cover; default [20, 20000]. */
  freqRange?: readonly [number, number];
}

/**
 * OsSom's `fractional_octave_frequencies`: `[lower, center, upper]` of every
 * band from the one holding `freqRange[0]` to the one holding
 * `freqRange[1]`. Centers are nominal (ISO 266: 1000, 1250, 1600, ... for
 * thirds, referenced to 1000 Hz); edges are the exact center divided and
 * multiplied by `base^(factor / (2 nthOct))`.
 */
export function fractionalOctaveFrequencies(options?: FractionalOctaveOptions): [number, number, number][] {
  const o = checkOptions(options, ['nthOct', 'freqRange', 'refFreq', 'base'], 'the band options');
  const range = numbers(o.freqRange ?? [20, 20000], 'freqRange');
  if (range.length !== 2) throw invalidArg(`freqRange must be [low, high], got ${range.length} values`);
  const flat = dspFractionalOctaves(bandSpec(o), range[0], range[1]);
  const out: [number, number, number][] = [];
  for (let i = 0; i < flat.length; i += 3) out.push([flat[i], flat[i + 1], flat[i + 2]]);
  return out;
}

/** OsSom's `normalize_frequencies`: each frequency over Nyquist (`samplerate / 2`). */
export function normalizeFrequencies(freqs: readonly number[], samplerate = 44100): number[] {
  return dspNormalizeFrequencies(numbers(freqs, 'freqs'), positive(samplerate, 'samplerate'));
}
