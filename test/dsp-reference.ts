// scipy's and numpy's numbers for the toolkit's filters and transforms
// (test/fixtures/dsp-reference.json, written by scripts/dsp-reference.py),
// the stereo signal they were computed on, and the comparisons the tests share.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Signal, type IirFilterOptions, type StftOptions } from '../src/index';

export interface FilterCase {
  cutoffs: number[];
  btype: NonNullable<IirFilterOptions['btype']>;
  ftype: NonNullable<IirFilterOptions['ftype']>;
  order: number;
  rp?: number;
  rs?: number;
  sos: number[];
  lfilter: number[];
  filtfilt: number[];
  freqs: number[];
  re: number[];
  im: number[];
}

export interface StftCase {
  window: NonNullable<StftOptions['window']>;
  nperseg: number;
  noverlap: number | null;
  bins: number;
  segments: number;
  freqs: number[];
  times: number[];
  re: number[];
  im: number[];
  istft: number[];
}

export const ref = JSON.parse(readFileSync(new URL('./fixtures/dsp-reference.json', import.meta.url), 'utf8')) as {
  samplerate: number;
  channels: number;
  input: number[];
  filters: FilterCase[];
  stfts: StftCase[];
  spectrum: { re: number[]; im: number[]; weighted_re: number[]; weighted_im: number[]; weighted_signal: number[] };
};

/** The reference input: 400 frames of stereo at 8 kHz, channels 'a' and 'b', label 'x'. */
export const input = new Signal(Float32Array.from(ref.input), {
  samplerate: ref.samplerate,
  channels: ref.channels,
  channelNames: ['a', 'b'],
  label: 'x',
});

/** The largest absolute difference of two arrays of the same length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** `f` throws ERR_INVALID_ARG with a message matching `says`. */
export function refuses(f: () => unknown, says: RegExp): void {
  expect(f).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringMatching(says) }));
}
