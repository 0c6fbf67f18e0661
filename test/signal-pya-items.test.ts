// pya's tests/test_getitem.py and tests/test_setitem.py, case by case, in
// ringstream's forms: `signal[rows, cols]` is `get({ frames | time,
// channels })`, `signal[rows, cols] = v` is `set(where, v, { mode })`.
// Signals are immutable, so each pya assignment becomes a reassignment.
// Where pya silently returns the signal unchanged for an index it cannot
// read (an Asig or a module as index), ringstream throws: those cases
// assert the error instead.
import { describe, expect, it } from 'vitest';
import { ErrorCode, Signal } from '../src/index';
import { caught, noise } from './helpers';

/** numpy's linspace(a, b, n). */
const linspace = (a: number, b: number, n: number) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const map = (x: ArrayLike<number>, f: (v: number) => number) => Float64Array.from(x, f);
/** pya's Asig.__eq__: the same samples and the same rate. */
const same = (a: Signal, b: Signal) => {
  expect(a.samplerate).toBe(b.samplerate);
  sameSamples(a.sig, b.sig);
};
/** numpy's array_equal, quick on long arrays (vitest's deep equality is not). */
function sameSamples(a: Float32Array, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  expect(a.findIndex((x, i) => x !== b[i])).toBe(-1);
}
const f32 = (x: ArrayLike<number>) => Float32Array.from(x);
const sum = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);

describe("pya's test_getitem.py", () => {
  const sig = map(linspace(0, 1, 44100), (t) => Math.sin(2 * Math.PI * 100 * t));
  const asine = new Signal(f32(sig), { samplerate: 44100, label: 'test_sine' });
  const sig4 = map(linspace(0, 4, 44100 * 4), (t) => Math.sin(2 * Math.PI * 100 * t));
  const asine4 = new Signal(f32(sig4), { samplerate: 44100, label: 'test_sine' });
  const astereo = new Signal([f32(sig), f32(sig)], { samplerate: 44100, label: 'stereo', channelNames: ['l', 'r'] });

  it('test_int: one frame', () => {
    const r = asine4.get({ frames: 4 });
    expect(r.samples).toBe(1);
    expect(r.sig[0]).toBeCloseTo(sig4[4]!, 7);
  });

  it('test_intlist: a list of frames', () => {
    const r = asine.get({ frames: [2, 4, 5] }).sig;
    [2, 4, 5].forEach((f, i) => expect(Math.abs(r[i]! - sig[f]!)).toBeLessThanOrEqual(1e-8 + 1e-5 * Math.abs(sig[f]!)));
  });

  it('test_namelist, test_bytes, test_numpy_array: channels by name, bytes and integer arrays', () => {
    same(astereo.get({ channels: ['l', 'r'] }), astereo.get({ channels: [0, 1] }));
    same(astereo.get({ channels: new Uint8Array([0, 1]) }), astereo.get({ channels: [0, 1] }));
    const swapped = astereo.get({ channels: new Int32Array([1, 0]) });
    same(swapped, astereo.get({ channels: [1, 0] }));
    expect(swapped.channelNames).toEqual(['r', 'l']);
  });

  it('test_invalid_index: a Signal or a module as index is refused (pya returns the signal)', async () => {
    const e = await caught(() => astereo.get({ channels: astereo as never }));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e).toBeInstanceOf(TypeError);
  });

  it('test_timeSlicing: seconds equal frames, negative from the end', () => {
    same(asine.get({ time: { start: 0, end: 1.0 } }), asine.get({ frames: { end: 44100 } }));
    same(asine4.get({ time: { start: 1, end: -1 } }), asine4.get({ frames: { start: 44100, end: -44100 } }));
  });

  it('test_tuple: a stepped range with channels by index, name, mask; time with channels', () => {
    const every2 = sig.filter((_, i) => i % 2 === 0);
    const r = astereo.get({ frames: { start: 0, end: 44100, step: 2 }, channels: 0 });
    sameSamples(r.sig, f32(every2));
    expect(r.samplerate).toBe(22050);
    const l = astereo.get({ frames: { start: 0, end: 10, step: 2 }, channels: ['l'] });
    expect(l.sig).toEqual(f32(every2.slice(0, 5)));
    expect(l.channelNames).toEqual(['l']);
    const both = astereo.get({ frames: { start: 0, end: 44100, step: 2 }, channels: ['l', 'r'] });
    expect(both.channels).toBe(2);
    sameSamples(both.get({ channels: 'r' }).sig, f32(every2));
    const masked = astereo.get({ frames: { start: 360, end: 368 }, channels: [false, true] });
    expect(masked.sig).toEqual(f32(sig.slice(360, 368)));
    expect(masked.channelNames).toEqual(['r']);
    same(astereo.get({ time: { start: 1, end: -1 }, channels: 0 }), astereo.get({ frames: { start: 44100, end: -44100 }, channels: 0 }));
    same(astereo.get({ time: { start: 1, end: -1 } }), astereo.get({ frames: { start: 44100, end: -44100 } }));
  });
});

describe("pya's test_setitem.py", () => {
  const dur = 3.5;
  const sr = 1000;
  const ts = linspace(0, dur, dur * sr);
  const sig = f32(map(ts, (t) => Math.sin(2 * Math.PI * 50 * t ** 1.9)));
  const ak = () => new Signal([sig, sig, sig, sig], { samplerate: sr, label: '4ch-sig', channelNames: ['a', 'b', 'c', 'd'] });
  const aones = new Signal(new Float32Array(sr).fill(1), { samplerate: sr, channelNames: ['o'], label: 'ones' });
  const azeros = () => new Signal(new Float32Array(sr), { samplerate: sr, channelNames: ['z'], label: 'zeros' });
  const anoise = new Signal(
    noise(sr).map((x) => (x + 1) / 2),
    { samplerate: sr, channelNames: ['n'], label: 'noise' },
  );
  const aramp = () => new Signal(f32(Array.from({ length: 1000 }, (_, i) => i)), { samplerate: sr, label: 'ramp' });
  const range = (start?: number, end?: number) => ({ frames: { start, end } });

  it('test_default: lengths must match; values as Signal samples, arrays, lists', () => {
    let z = azeros();
    z = z.set({ frames: 10 }, aones.get({ frames: 10 }).sig);
    same(aones.get({ frames: 10 }), z.get({ frames: 10 }));
    z = z.set({ frames: 2 }, aones.get({ frames: 4 }).sig);
    same(aones.get({ frames: 4 }), z.get({ frames: 2 }));
    z = z.set(range(3, 6), [1, 2, 3]);
    expect(z.get(range(3, 6)).sig).toEqual(f32([1, 2, 3]));
    z = z.set(range(3, 6), new Float32Array([3, 4, 5]));
    expect(z.get(range(3, 6)).sig).toEqual(f32([3, 4, 5]));
    z = z.set({ time: { start: 0.2, end: 0.4 } }, anoise.get({ time: { start: 0.5, end: 0.7 } }));
    expect(z.get({ time: { start: 0.2, end: 0.4 } }).sig).toEqual(anoise.get({ time: { start: 0.5, end: 0.7 } }).sig);
    let k = ak();
    k = k.set({ time: { start: 1, end: 2 }, channels: ['d'] }, k.get({ time: { start: 0, end: 1 }, channels: ['a'] }));
    expect(k.get({ time: { start: 1, end: 2 }, channels: ['d'] }).sig).toEqual(k.get({ time: { start: 0, end: 1 }, channels: ['a'] }).sig);
  });

  it('test_bound: a longer value is cut to the selection (with += and *=)', () => {
    const ramp = Array.from({ length: 1000 }, (_, i) => i);
    const plusBound = (s: Signal, where: { frames: { start?: number; end?: number } }, v: Signal | number[]) =>
      s.set(where, s.get(where).add(v, { mode: 'bound' }), { mode: 'bound' });
    let subject = plusBound(aramp(), range(undefined, 10), aones.get(range(undefined, 10)));
    expect(subject.get(range(undefined, 10)).sig).toEqual(f32(ramp.slice(0, 10).map((x) => x + 1)));
    subject = plusBound(
      subject,
      range(-10),
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(subject.get(range(-10)).sig).toEqual(f32(ramp.slice(-10).map((x, i) => x + i)));
    const fresh = aramp();
    const doubled = fresh.set(range(-10), fresh.get(range(-10)).mul(2), { mode: 'bound' });
    expect(doubled.get(range(-10)).sig).toEqual(f32(ramp.slice(-10).map((x) => x * 2)));
    const zeros3000 = [new Float32Array(3000), new Float32Array(3000)];
    const k = ak().set({ time: { start: 2 }, channels: ['a', 'b'] }, zeros3000, { mode: 'bound' });
    expect(sum(k.get({ time: { start: 2 }, channels: ['a', 'b'] }).sig)).toBe(0);
    expect(sum(k.get({ time: { end: 2 }, channels: ['a'] }).sig)).not.toBe(0);
  });

  it('test_extend: a value running past the end grows the signal', () => {
    // pya builds b at its default 44100 Hz and writes it into a 1000 Hz
    // signal as samples; ringstream resamples a Signal of another rate, so
    // b is made at 1000 Hz, and the stepped slice (500 Hz) goes in as samples.
    const names = ['a', 'b', 'c', 'd'];
    let a = new Signal(new Float32Array(800 * 4).fill(0), { samplerate: 1000, channels: 4, channelNames: names });
    const b = new Signal(f32(map(linspace(0, 0.6, 600), (t) => Math.sin(2 * Math.PI * 100 * t))), { samplerate: 1000 });
    a = a.set({ channels: 0 }, b.mul(0.2), { mode: 'extend' });
    expect(a.samples).toBe(800);
    a = a.set({ frames: { start: 300 }, channels: 1 }, b.mul(0.5), { mode: 'extend' });
    expect(a.samples).toBe(900);
    a = a.set({ frames: { start: 1300 }, channels: 'c' }, b.sliceSamples(undefined, undefined, 2).mul(0.2).sig, { mode: 'extend' });
    expect(a.samples).toBe(1600);
    a = a.set({ frames: { start: 1900 }, channels: 3 }, b.sliceSamples(300).mul(0.2), { mode: 'extend' });
    expect(a.samples).toBe(2200);
    expect(a.get({ frames: { start: 1900 }, channels: 3 }).sig).toEqual(b.sliceSamples(300).mul(0.2).sig);
    expect(a.get({ frames: { start: 1600, end: 1900 } }).sig.every((x) => x === 0)).toBe(true);
    expect(a.channelNames).toEqual(names);
    let mono = new Signal(new Float32Array(800), { samplerate: 1000, channelNames: ['a'] });
    mono = mono.set({ channels: 0 }, b.mul(0.2), { mode: 'extend' });
    expect(mono.samples).toBe(800);
  });

  it('test_replace: overwrite cuts the range out and puts the value in, whatever its length', async () => {
    let a = new Signal(f32(map(linspace(0, 1, 100), (t) => Math.sin(2 * Math.PI * 40 * t))), { samplerate: 44100 });
    a = a.set(range(40, 50), new Float32Array(290).fill(1), { mode: 'overwrite' });
    expect(a.samples).toBe(100 - 10 + 290);
    expect(sum(a.get(range(50, 60)).sig)).toBe(10);
    const e = await caught(() =>
      ak().set({ time: { start: 1, end: 1.5 } }, [new Float32Array(26460), new Float32Array(26460)], { mode: 'overwrite' }),
    );
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/2 channels but 4 are selected/);
  });

  it('test_numpy_index, test_byte_index: integer arrays and bytes as frame lists', () => {
    const z = azeros().set({ frames: Int32Array.from({ length: 10 }, (_, i) => i) }, new Float32Array(10).fill(1));
    expect(z.get({ frames: Int32Array.from({ length: 10 }, (_, i) => i) }).sig).toEqual(aones.get(range(0, 10)).sig);
    const y = azeros().set({ frames: new Uint8Array([0, 1, 2]) }, new Float32Array(3).fill(1));
    expect(y.get({ frames: [0, 1, 2] }).sig).toEqual(aones.get({ frames: [0, 1, 2] }).sig);
    expect(y.sig[3]).toBe(0);
  });

  it('test_asig_index: a boolean mask of frames', () => {
    const mask = Array.from(aones.sig, (x) => x !== 0);
    const z = azeros().set({ frames: mask }, aones.sig);
    expect(z.sig).toEqual(new Float32Array(sr).fill(1));
  });

  it('test_invalid_slicing_type: a Signal as index is refused (pya leaves the signal unchanged)', async () => {
    const e = await caught(() => azeros().set({ frames: aones as never }, aones.sig));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
  });
});
