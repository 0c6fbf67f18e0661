/**
 * pya's array and device helpers (`pya.helper`) and OsSom's
 * `apply_channelwise` and `freqs_to_center_and_edges`, on interleaved Float32Array
 * samples with a channel count where pya takes a 2-D array. Every loop over
 * samples runs in the Rust core.
 * @example
 * ```ts
 * import { util } from 'ringstream';
 *
 * console.log(util.nextPow2(1000), util.isPow2(1024)); // 1024 true
 * console.log(util.padding(new Float32Array([1, 2]), 2)); // Float32Array [1, 2, 0, 0]
 * console.log(util.normalize(new Float32Array([1, 3, 2]))); // Float32Array [0, 1, 0.5]
 * console.log(util.bufToFloat(new Uint8Array([0x00, 0x40]))); // Float32Array [0.5]
 * ```
 * @packageDocumentation
 */
import {
  checkWholeFrames,
  dspBufToFloat,
  dspChannelRfft,
  dspIsPow2,
  dspMagspec,
  dspMix,
  dspNextPow2,
  dspNormalize,
  dspPadding,
  dspSignalToFrame,
  dspTimes,
} from '../native/addon.js';
import { asBytes, asFloat32, describe } from '../common/bytes.js';
import { invalidType } from '../common/errors.js';
import { checkBoolean, checkInteger, checkOptions } from '../common/validate.js';
import { devices, type DeviceInfo } from '../device/devices.js';
import { readAudio } from '../files/audio.js';
import { finite } from './signal/args.js';

function layoutOf(data: Float32Array, channels: unknown): { channels: number; samplerate: number } {
  const c = checkInteger(channels, 'channels', 1, 65535);
  checkWholeFrames(data.length, c, 'x');
  return { channels: c, samplerate: 1 };
}

/** pya's `padding`: `width` frames of `constantValue` after (`tail`, the default) or before interleaved `x`. */
export function padding(
  x: Float32Array,
  width: number,
  options?: { tail?: boolean; constantValue?: number; channels?: number },
): Float32Array {
  const o = checkOptions(options, ['tail', 'constantValue', 'channels'], 'the padding options');
  const data = asFloat32(x, 'x');
  const pad = {
    width: checkInteger(width, 'width', 0, 2 ** 32 - 1),
    tail: checkBoolean(o.tail ?? true, 'tail'),
    value: finite(o.constantValue ?? 0, 'constantValue'),
  };
  return dspPadding(data, layoutOf(data, o.channels ?? 1), pad);
}

/** pya's `is_pow2`: whether `x` is a power of 2 (2^0 = 1 included; 0 and negatives are not). */
export function isPow2(x: number): boolean {
  return dspIsPow2(finite(x, 'x'));
}

/**
 * pya's `next_pow2`: the smallest power of 2 at or above the whole number
 * `x`, as pya's `1 << (x - 1).bit_length()` (so 2 for 0).
 */
export function nextPow2(x: number): number {
  return dspNextPow2(checkInteger(x, 'x', 0, 2 ** 52));
}

/** pya's `normalize`: each channel of interleaved `x` shifted and scaled to run from 0 to 1. */
export function normalize(x: Float32Array, channels = 1): Float32Array {
  const data = asFloat32(x, 'x');
  return dspNormalize(data, layoutOf(data, channels));
}

/** pya's `buf_to_float`: little-endian signed integers of `bytes` bytes (1 to 4, default 2) as floats in [-1, 1). */
export function bufToFloat(buf: Uint8Array | ArrayBuffer, bytes = 2): Float32Array {
  return dspBufToFloat(asBytes(buf, 'buf'), checkInteger(bytes, 'bytes', 1, 4));
}

/**
 * pya's `signal_to_frame` (mono): frames of `size` samples every `step`
 * (the signal zero-padded to fill the last), each times `window` when
 * given; one Float32Array per frame.
 */
export function signalToFrame(sig: Float32Array, size: number, step: number, window?: Float32Array): Float32Array[] {
  const n = checkInteger(size, 'size', 1, 2 ** 31);
  const flat = dspSignalToFrame(
    asFloat32(sig, 'sig'),
    n,
    checkInteger(step, 'step', 1, 2 ** 31),
    window === undefined ? undefined : asFloat32(window, 'window'),
  );
  return Array.from({ length: flat.length / n }, (_, k) => flat.subarray(k * n, (k + 1) * n));
}

/**
 * pya's `audio_from_file` (audioread): the samples (interleaved) and rate of
 * an audio file in any format {@link readAudio} reads (WAV, FLAC, MP3, Ogg
 * Vorbis, AIFF, AU, CAF, Wave64).
 * @example
 * ```ts
 * import { util, writeAudio } from 'ringstream';
 *
 * await writeAudio('take.flac', new Float32Array(960).fill(0.25), { samplerate: 48000, channels: 2 });
 * const { data, samplerate, channels } = await util.audioFromFile('take.flac');
 * console.log(data.length, samplerate, channels, data[0]); // 960 48000 2 0.25
 * ```
 */
export async function audioFromFile(path: string): Promise<{ data: Float32Array; samplerate: number; channels: number }> {
  const w = await readAudio(path);
  return { data: w.data, samplerate: w.samplerate, channels: w.channels };
}

/** pya's `device_info`: the devices of `host` (default `defaults.host`) as a table, one line each, and the list. */
export function deviceInfo(host?: string): { table: string; devices: DeviceInfo[] } {
  const list = devices(host === undefined ? undefined : { host });
  const head = `${'idx'.padEnd(4)}${'Device Name'.padEnd(40)}${'INP'.padStart(4)}${'OUT'.padStart(4)}${'SR'.padStart(8)}`;
  const rows = list.map(
    (d, i) =>
      `${String(i).padEnd(4)}${d.id.slice(0, 39).padEnd(40)}${String(d.maxInputChannels).padStart(4)}${String(d.maxOutputChannels).padStart(4)}${String(d.defaultSamplerate).padStart(8)}`,
  );
  return { table: [head, ...rows].join('\n'), devices: list };
}

/** pya's `find_device`: the devices with at least `minInput` input and `minOutput` output channels. */
export function findDevice(minInput = 0, minOutput = 0, host?: string): DeviceInfo[] {
  const i = checkInteger(minInput, 'minInput');
  const o = checkInteger(minOutput, 'minOutput');
  return devices(host === undefined ? undefined : { host }).filter((d) => d.maxInputChannels >= i && d.maxOutputChannels >= o);
}

/** OsSom's `apply_channelwise`: `fn` of each channel of interleaved `data` (each channel's samples given as a Float32Array). */
export function applyChannelwise<T>(data: Float32Array, channels: number, fn: (channel: Float32Array, index: number) => T): T[] {
  const d = asFloat32(data, 'data');
  const layout = layoutOf(d, channels);
  if (typeof fn !== 'function') throw invalidType(`applyChannelwise takes a function, got ${describe(fn)}`);
  return Array.from({ length: layout.channels }, (_, c) => fn(dspMix(d, layout, { kind: 'select', channels: [c] }), c));
}

/** OsSom's `freqs_to_center_and_edges`: the centers and the `[lower, upper]` edges of `fractionalOctaveFrequencies()` bands. */
export function freqsToCenterAndEdges(freqs: readonly (readonly [number, number, number])[]): {
  center: number[];
  edges: [number, number][];
} {
  if (!Array.isArray(freqs) || !freqs.every((b) => Array.isArray(b) && b.length === 3)) {
    throw invalidType(`freqs must be an array of [lower, center, upper] bands, got ${describe(freqs)}`);
  }
  return {
    center: freqs.map((b, i) => finite(b[1], `freqs[${i}][1]`)),
    edges: freqs.map((b, i) => [finite(b[0], `freqs[${i}][0]`), finite(b[2], `freqs[${i}][2]`)]),
  };
}

function spectra(frames: readonly Float32Array[], nfft: number, power: boolean): Float32Array[] {
  if (
    !Array.isArray(frames) ||
    frames.length === 0 ||
    !frames.every((f) => f instanceof Float32Array && f.length === frames[0]!.length && f.length > 0)
  ) {
    throw invalidType(`frames must be a non-empty list of Float32Arrays of one length (as signalToFrame gives), got ${describe(frames)}`);
  }
  const size = frames[0]!.length;
  const n = checkInteger(nfft, 'nfft', 1, 2 ** 30);
  const flat = new Float32Array(size * frames.length);
  frames.forEach((f, i) => flat.set(f, i * size));
  const bins = (n >> 1) + 1;
  const out = dspMagspec(flat, size, n, power);
  return frames.map((_, i) => out.subarray(i * bins, (i + 1) * bins));
}

/** pya's `magspec`: `|rfft(frame, nfft)|` of each frame (zero-padded or cut to `nfft`), `nfft / 2 + 1` bins each. */
export function magspec(frames: readonly Float32Array[], nfft: number): Float32Array[] {
  return spectra(frames, nfft, false);
}

/** pya's `powspec`: `|rfft(frame, nfft)|^2 / nfft` of each frame. */
export function powspec(frames: readonly Float32Array[], nfft: number): Float32Array[] {
  return spectra(frames, nfft, true);
}

/**
 * pya's `spectrum`: the frequencies `linspace(0, samplerate / 2, n / 2 + 1)`
 * and numpy's unscaled `fft(channel)[:n / 2 + 1]` of each channel of
 * interleaved `data` (`re[c][k] + i im[c][k]`).
 */
export function spectrum(
  data: Float32Array,
  channels: number,
  samplerate: number,
): { freqs: Float64Array; re: Float32Array[]; im: Float32Array[] } {
  const d = asFloat32(data, 'data');
  const layout = { ...layoutOf(d, channels), samplerate: finite(samplerate, 'samplerate') };
  const { re, im } = dspChannelRfft(d, layout);
  const bins = re.length / layout.channels;
  const freqs = bins === 1 ? Float64Array.of(0) : dspTimes(bins, (bins - 1) / (0.5 * layout.samplerate));
  const split = (x: Float32Array) => Array.from({ length: layout.channels }, (_, c) => x.subarray(c * bins, (c + 1) * bins));
  return { freqs, re: split(re), im: split(im) };
}
