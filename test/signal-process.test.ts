// pya's convolve, overlap_add, == and get_size against pya itself (numbers
// from scripts/pya-reference.py, in test/fixtures/pya-reference.json, on the
// input of test/fixtures/dsp-reference.json), and pya's test_convolve.
// pya 0.5.2's tests have no case for overlap_add, == or get_size.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Signal, type ConvolveOptions, type WindowName } from '../src/index';
import { input, maxDiff, refuses } from './dsp-reference';

interface ConvolveCase {
  channels: number;
  ir_channels: number;
  mode: NonNullable<ConvolveOptions['mode']>;
  norm: NonNullable<ConvolveOptions['norm']>;
  ir_samples: number[];
  out: number[];
  exact: number[];
  frames: number;
}

interface OlaCase {
  nperseg: number;
  stride_in: number;
  stride_out: number;
  win: WindowName | null;
  out: number[];
  frames: number;
  label: string;
}

const pya = JSON.parse(readFileSync(new URL('./fixtures/pya-reference.json', import.meta.url), 'utf8')) as {
  convolves: ConvolveCase[];
  overlap_adds: OlaCase[];
};

const mono = input.channel('a');

/** The largest value's magnitude, for a tolerance relative to the signal's scale. */
const peak = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe("convolve matches pya's", () => {
  const name = (c: ConvolveCase) =>
    `${c.channels} ch * ${c.ir_samples.length / c.ir_channels} frames x ${c.ir_channels} ch, ${c.mode}, norm ${c.norm}`;
  it.each(pya.convolves.map((c) => [name(c), c] as const))('%s', (_, c) => {
    const x = c.channels === 1 ? mono : input;
    const ir = new Signal(Float32Array.from(c.ir_samples), { samplerate: x.samplerate, channels: c.ir_channels });
    for (const method of ['fft', 'direct', 'auto'] as const) {
      const y = x.convolve(c.ir_channels === 1 ? ir.sig : ir, { mode: c.mode, norm: c.norm, method });
      expect([y.samples, y.channels]).toEqual([c.frames, c.channels]);
      // pya runs scipy's FFT in float32 (a few 1e-6 off); the same sums in float64 within 1e-6.
      expect(maxDiff(y.sig, c.out)).toBeLessThan(1e-5 * Math.max(1, peak(c.out)));
      expect(maxDiff(y.sig, c.exact)).toBeLessThan(1e-6 * Math.max(1, peak(c.exact)));
      expect(y.label).toBe(x.label);
    }
  });

  it("pya's test_convolve: a self-correlation peaks near 1 in the middle", () => {
    const test = new Signal(
      Float32Array.from({ length: 21 }, (_, i) => Math.sin(i)),
      { samplerate: 21 },
    );
    const reversed = test.sig.slice().reverse();
    let result = test.convolve(reversed, { mode: 'same' });
    expect(result.sig[10]).toBeGreaterThan(0.99);
    expect(result.samples).toBe(test.samples);
    result = test.convolve(reversed, { mode: 'full' });
    expect(result.samples).toBe(test.samples * 2 - 1);
    result = test.convolve(new Signal(reversed, { samplerate: 21 }), { mode: 'same' });
    expect(result.sig[10]).toBeGreaterThan(0.99);
    expect(() => test.convolve('string input' as unknown as number[])).toThrow(TypeError);
    const ones = new Signal(new Float32Array(200).fill(1), { samplerate: 20, channels: 10 });
    expect(ones.convolve(ones).getSize().shape).toEqual([39, 10]);
  });

  it('resamples a Signal at another rate first, as pya does', () => {
    const ir = new Signal(Float32Array.of(1, 0, 0, 0), { samplerate: mono.samplerate / 2 });
    const y = mono.convolve(ir, { norm: 'none' });
    expect(y.samples).toBe(2 * mono.samples - 1);
  });

  it('refuses what it cannot do, with what was expected', () => {
    refuses(() => mono.convolve([1], { mode: 'circular' as 'full' }), /mode/);
    refuses(() => mono.convolve([1], { method: 'overlap' as 'fft' }), /method/);
    refuses(() => mono.convolve([1], { norm: 'energy' as 'amp' }), /norm/);
    refuses(() => mono.convolve([]), /frames/);
    refuses(() => input.convolve([[1], [1], [1]]), /1 channel or the signal's 2/);
  });
});

describe("overlapAdd matches pya's", () => {
  const name = (c: OlaCase) => `nperseg ${c.nperseg}, strides ${c.stride_in} -> ${c.stride_out}, win ${c.win}`;
  it.each(pya.overlap_adds.map((c) => [name(c), c] as const))('%s', (_, c) => {
    const x = new Signal(mono.sig, { samplerate: mono.samplerate, label: 'x' });
    const options = { nperseg: c.nperseg, strideIn: c.stride_in, strideOut: c.stride_out, win: c.win ?? undefined };
    const y = x.overlapAdd(options);
    expect([y.samples, y.label]).toEqual([c.frames, c.label]);
    expect(maxDiff(y.sig, c.out)).toBeLessThan(1e-6);
    // Every channel is processed as the mono case.
    const both = input.overlapAdd(options);
    expect(maxDiff(both.channel('a').sig, c.out)).toBeLessThan(1e-6);
    expect(both.channelNames).toEqual(['a', 'b']);
  });

  it('jitter moves the segments, the same way for the same seed', () => {
    const o = { nperseg: 64, strideIn: 32, strideOut: 48, jitterIn: 5, jitterOut: 7, win: 'hann' as const };
    const a = mono.overlapAdd({ ...o, seed: 3 });
    expect(Array.from(mono.overlapAdd({ ...o, seed: 3 }).sig)).toEqual(Array.from(a.sig));
    expect(maxDiff(mono.overlapAdd({ ...o, seed: 4 }).sig, a.sig)).toBeGreaterThan(0);
    expect(maxDiff(mono.overlapAdd({ ...o, jitterIn: 0, jitterOut: 0 }).sig, a.sig)).toBeGreaterThan(0);
    expect(a.samples).toBe(Math.floor(mono.samples / 32) * 48);
  });

  it('refuses what pya would not take', () => {
    refuses(() => mono.overlapAdd({ nperseg: 0 }), /nperseg/);
    refuses(() => mono.overlapAdd({ strideIn: 1.5 }), /strideIn/);
    refuses(() => mono.overlapAdd({ strideOut: 0 }), /strideOut/);
    refuses(() => mono.overlapAdd({ jitterIn: -1 }), /jitterIn/);
    refuses(() => mono.overlapAdd({ win: 'kaiser' as 'hann' }), /win/);
    refuses(() => mono.overlapAdd({ pad: 'zeros' as 'mirror' }), /pad/);
    refuses(() => mono.overlapAdd({ stride: 4 } as never), /stride/);
  });
});

describe("equals and getSize as pya's == and get_size", () => {
  it('equal samples and rate are equal; labels and names do not count', () => {
    const a = new Signal(Float32Array.of(1, 2, 3, 4), { samplerate: 2, channels: 2, label: 'a', channelNames: ['l', 'r'] });
    expect(a.equals(new Signal(Float32Array.of(1, 2, 3, 4), { samplerate: 2, channels: 2 }))).toBe(true);
    expect(a.equals(new Signal(Float32Array.of(1, 2, 3, 4), { samplerate: 4, channels: 2 }))).toBe(false);
    expect(a.equals(new Signal(Float32Array.of(1, 2, 3, 4), { samplerate: 2, channels: 1 }))).toBe(false);
    expect(a.equals(new Signal(Float32Array.of(1, 2, 3, 5), { samplerate: 2, channels: 2 }))).toBe(false);
    expect(a.equals(a.sliceSamples(0, 1))).toBe(false);
    const nan = new Signal(Float32Array.of(Number.NaN), { samplerate: 1 });
    expect(nan.equals(nan)).toBe(false);
    expect(() => a.equals([1, 2, 3, 4] as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', name: 'TypeError' }));
  });

  it('getSize is the shape and the duration', () => {
    expect(input.getSize()).toEqual({ shape: [400, 2], duration: 0.05 });
    expect(mono.getSize()).toEqual({ shape: [400, 1], duration: 0.05 });
  });
});
