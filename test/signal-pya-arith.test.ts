// pya's tests/test_asig.py (constructor, times, DC, + - * /, the length
// modes), case by case: `a + b` is `a.add(b)`, `a.x + b` is
// `a.add(b, { mode: 'extend' })`, `a.b + b` is `{ mode: 'bound' }`, the
// reflected `1 - a` and `4 / a` are `a.rsub(1)` and `a.rdiv(4)`.
import { describe, expect, it } from 'vitest';
import { defaults, ErrorCode, Signal } from '../src/index';
import { caught } from './helpers';

const arange = (n: number, from = 0) => Float32Array.from({ length: n }, (_, i) => from + i);
const ones = (n: number) => new Float32Array(n).fill(1);
const stereoOnes = (n: number, channels: number) => Array.from({ length: channels }, () => ones(n));

describe("pya's test_asig.py: construction", () => {
  it('test_samples, test_channels: one array per channel (numpy 2-D)', () => {
    const as1 = new Signal(stereoOnes(100, 4), { samplerate: 100 });
    expect([as1.samples, as1.channels]).toEqual([100, 4]);
    const lr = new Signal([[1, 2], new Float32Array([10, 20])], { samplerate: 2 });
    expect(lr.sig).toEqual(new Float32Array([1, 10, 2, 20]));
  });

  it('the samplerate defaults to defaults.samplerate', () => {
    expect(new Signal([0, 0]).samplerate).toBe(defaults.samplerate);
  });

  it('refuses ragged channel arrays and a channels count that contradicts them', async () => {
    const ragged = await caught(() => new Signal([[1, 2], [1]], { samplerate: 2 }));
    expect([ragged.code, ragged.message]).toEqual([ErrorCode.INVALID_ARG, expect.stringMatching(/data\[1\] has 1/)]);
    const count = await caught(() => new Signal([[1], [2]], { samplerate: 2, channels: 3 }));
    expect(count.message).toMatch(/channels is 3 but 2 channel arrays/);
  });

  it('test_cn: names must be one string per channel', async () => {
    const e = await caught(() => new Signal([[1], [2]], { channelNames: ['left', 'right', 'middle'] }));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    const t = await caught(() => new Signal([[1], [2]], { channelNames: ['b', 10 as never] }));
    expect(t).toBeInstanceOf(TypeError);
  });

  it('test_duration: getTimes() is linspace(0, (n - 1) / sr, n)', () => {
    const s = new Signal(new Float32Array(44100), { samplerate: 44100 });
    const t = s.getTimes();
    expect(t.length).toBe(44100);
    const last = (s.samples - 1) / s.samplerate;
    for (const i of [0, 1, 22050, 44099]) expect(Math.abs(t[i]! - (last * i) / 44099)).toBeLessThan(1e-15);
  });

  it('test_remove_DC: a constant signal, and one channel set to 0.5', () => {
    const asigconst = new Signal(new Float32Array(100), { samplerate: 100, channelNames: ['0'] }).add(0.5);
    expect(Math.max(...asigconst.removeDc().sig)).toBe(0);
    const result = new Signal(new Float32Array(200), { samplerate: 100, channels: 2 }).add(0.25).set({ channels: 1 }, 0.5);
    expect(result.peak()).toEqual([0.25, 0.5]);
    expect(result.removeDc().peak()).toEqual([0, 0]);
  });
});

describe("pya's test_asig.py: arithmetic", () => {
  it('test_add', async () => {
    const a = new Signal(arange(4), { samplerate: 2 });
    const b0 = arange(4, 10);
    const b1 = new Signal(b0, { samplerate: 2 });
    expect(a.add(b1).sig).toEqual(new Float32Array([10, 12, 14, 16]));
    expect(a.add(b0).sig).toEqual(new Float32Array([10, 12, 14, 16]));
    const b2 = new Signal(arange(6), { samplerate: 2 });
    const unequal = await caught(() => a.add(b2));
    expect([unequal.code, unequal.message]).toEqual([ErrorCode.INVALID_ARG, expect.stringMatching(/4 and 6 frames/)]);
    expect(a.add(b2, { mode: 'extend' }).sig).toEqual(new Float32Array([0, 2, 4, 6, 4, 5]));
    const b3 = new Signal(stereoOnes(4, 2), { samplerate: 2 });
    const channels = await caught(() => a.add(b3));
    expect(channels.message).toMatch(/1 and 2 channels/);
    expect(b3.add(b3).sig).toEqual(new Float32Array(8).fill(2));
    expect(a.add(b2, { mode: 'bound' }).samples).toBe(4);
    expect(b2.add(a, { mode: 'bound' }).samples).toBe(4);
  });

  it('test_mul', () => {
    const a = new Signal(arange(4), { samplerate: 2 });
    const a2 = new Signal(arange(8), { samplerate: 2 });
    expect(a.mul(4).sig).toEqual(new Float32Array([0, 4, 8, 12]));
    expect(a.mul(a).sig).toEqual(new Float32Array([0, 1, 4, 9]));
    expect(a.mul(a2, { mode: 'bound' }).sig).toEqual(new Float32Array([0, 1, 4, 9]));
    expect(a.mul(a2, { mode: 'extend' }).sig).toEqual(new Float32Array([0, 1, 4, 9, 4, 5, 6, 7]));
  });

  it('test_subtract', async () => {
    let a = new Signal(arange(4), { samplerate: 2 });
    let b = new Signal(ones(4), { samplerate: 2 });
    expect(a.sub(1).sig).toEqual(new Float32Array([-1, 0, 1, 2]));
    expect(a.rsub(1).sig).toEqual(new Float32Array([1, 0, -1, -2]));
    expect(a.sub(b).sig).toEqual(new Float32Array([-1, 0, 1, 2]));
    expect(b.sub(a).sig).toEqual(new Float32Array([1, 0, -1, -2]));
    a = new Signal(arange(4), { samplerate: 2 });
    b = new Signal(ones(6), { samplerate: 2 });
    expect(a.sub(b, { mode: 'bound' }).sig).toEqual(new Float32Array([-1, 0, 1, 2]));
    expect((await caught(() => a.sub(b))).code).toBe(ErrorCode.INVALID_ARG);
    expect(a.sub(b, { mode: 'extend' }).sig).toEqual(new Float32Array([-1, 0, 1, 2, -1, -1]));
  });

  it('test_division', () => {
    const a = new Signal(arange(4), { samplerate: 2 });
    const a4ch = new Signal(stereoOnes(4, 4), { samplerate: 2 });
    expect(a.div(4).sig).toEqual(new Float32Array([0, 0.25, 0.5, 0.75]));
    const r = a.rdiv(4).sig;
    expect(r[0]).toBe(Number.POSITIVE_INFINITY);
    [4, 2, 1.33333333].forEach((want, i) => expect(Math.abs(r[i + 1]! - want)).toBeLessThanOrEqual(1e-8 + 1e-5 * want));
    expect(a4ch.div(2).sig).toEqual(new Float32Array(16).fill(0.5));
    // pya's a / b past a's end in extend mode is 1 / b.
    const b = new Signal(new Float32Array([2, 2, 4]), { samplerate: 2 });
    expect(new Signal([8], { samplerate: 2 }).div(b, { mode: 'extend' }).sig).toEqual(new Float32Array([4, 0.5, 0.25]));
  });

  it('a flat array goes one value per channel on a multichannel signal, as numpy broadcasts', async () => {
    const st = new Signal(
      [
        [1, 2],
        [10, 20],
      ],
      { samplerate: 2, channelNames: ['l', 'r'] },
    );
    const r = st.mul([2, 0.5]);
    expect(r.sig).toEqual(new Float32Array([2, 5, 4, 10]));
    expect(r.channelNames).toEqual(['l', 'r']);
    const e = await caught(() => st.mul([1, 2, 3]));
    expect(e.message).toMatch(/give 2 values, or one array per channel/);
  });

  it("add keeps pya's add method with pos, onset or amp, and refuses it mixed with a mode", async () => {
    const base = new Signal([1, 1, 1], { samplerate: 10 });
    expect(base.add(new Signal([1, 2], { samplerate: 10 }), { pos: 2, amp: 0.5 }).sig).toEqual(new Float32Array([1, 1, 1.5, 1]));
    const e = await caught(() => base.add(base, { pos: 0, mode: 'extend' }));
    expect(e.message).toMatch(/not both/);
    const m = await caught(() => base.mul(base, { mode: 'x' as never }));
    expect([m.code, m.message]).toEqual([ErrorCode.INVALID_ARG, expect.stringMatching(/mode must be 'bound' or 'extend'/)]);
  });
});
