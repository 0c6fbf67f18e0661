import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Signal } from '../src/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-signal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
};

describe('Signal fields', () => {
  it('keeps the Float32Array, computes samples and duration', () => {
    const data = new Float32Array(12);
    const s = new Signal(data, { samplerate: 4, channels: 2, channelNames: ['l', 'r'], label: 'x' });
    expect(s.sig).toBe(data);
    expect([s.samples, s.duration, s.channels, s.samplerate, s.label]).toEqual([6, 1.5, 2, 4, 'x']);
    expect(s.channelNames).toEqual(['l', 'r']);
    expect(new Signal([1, 2, 3], { samplerate: 10 }).sig).toEqual(new Float32Array([1, 2, 3]));
    expect(String(s)).toBe("Signal 'x': 2 ch (l, r), 4 Hz, 6 frames, 1.500 s");
  });
});

describe('generators (pya Ugen formulas)', () => {
  it('sine and cos: amp * sin(2 pi f k / sr), pya defaults 440 Hz, 1 s, at defaults.samplerate', () => {
    const s = Signal.sine({ freq: 100, amp: 0.5, samples: 50, samplerate: 1000 });
    const c = Signal.cos({ freq: 100, amp: 0.5, samples: 50, samplerate: 1000 });
    close(
      s.sig,
      Array.from({ length: 50 }, (_, k) => 0.5 * Math.sin((2 * Math.PI * 100 * k) / 1000)),
    );
    close(
      c.sig,
      Array.from({ length: 50 }, (_, k) => 0.5 * Math.cos((2 * Math.PI * 100 * k) / 1000)),
    );
    const d = Signal.sine();
    expect([d.samplerate, d.samples, d.channels]).toEqual([48000, 48000, 1]);
    close(d.sig.subarray(0, 3), [0, Math.sin((2 * Math.PI * 440) / 48000), Math.sin((4 * Math.PI * 440) / 48000)]);
  });

  it('square duty and sawtooth width follow scipy', () => {
    const q = Signal.square({ freq: 1, samples: 10, samplerate: 10, duty: 0.3 });
    expect(Array.from(q.sig)).toEqual([1, 1, 1, -1, -1, -1, -1, -1, -1, -1]);
    const w = Signal.sawtooth({ freq: 1, samples: 4, samplerate: 4, amp: 2 });
    close(w.sig, [-2, -1, 0, 1]); // width 1: -1 + 2p
    const t = Signal.sawtooth({ freq: 1, samples: 4, samplerate: 4, width: 0.5 });
    close(t.sig, [-1, 0, 1, 0]);
  });

  it('dur gives int(dur * sr) frames; channels repeat the signal', () => {
    const s = Signal.sine({ dur: 0.3, samplerate: 10, channels: 3 });
    expect(s.samples).toBe(3);
    for (let k = 0; k < 3; k++) expect(new Set(s.sig.subarray(k * 3, k * 3 + 3)).size).toBe(1);
  });

  it('white noise is uniform in +-amp; pink is zero-mean with its peak at amp', () => {
    const w = Signal.noise({ amp: 0.3, dur: 1, samplerate: 48000, seed: 5 });
    const [peak] = w.peak();
    expect(peak).toBeLessThanOrEqual(0.3);
    expect(peak).toBeGreaterThan(0.29);
    // Uniform in [-a, a]: RMS a / sqrt(3).
    expect(Math.abs(w.rms()[0] - 0.3 / Math.sqrt(3))).toBeLessThan(0.003);
    const p = Signal.noise({ type: 'pink', amp: 0.5, dur: 2, samplerate: 48000, seed: 7 });
    let mean = 0;
    for (const x of p.sig) mean += x;
    expect(Math.abs(mean / p.samples)).toBeLessThan(1e-5);
    expect(p.peak()[0]).toBeCloseTo(0.5, 6);
    // Pink: the octave 100-200 Hz holds about as much power as 1000-2000 Hz (white would hold 10x less).
    const sp = p.spectrum();
    const band = (lo: number, hi: number) => {
      let e = 0;
      for (let k = Math.round(lo / sp.resolution); k < hi / sp.resolution; k++) e += sp.mags[k] ** 2;
      return e;
    };
    const ratio = band(100, 200) / band(1000, 2000);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
    expect(Signal.noise({ seed: 1, samples: 8 }).sig).toEqual(Signal.noise({ seed: 1, samples: 8 }).sig);
  });
});

describe('operations', () => {
  const st = () => new Signal([0.5, -0.25, 1, 0.5, -0.5, 0.25], { samplerate: 10, channels: 2, channelNames: ['l', 'r'] });

  it('gain by amp, per channel, and by dB', () => {
    close(st().gain({ amp: 2 }).sig, [1, -0.5, 2, 1, -1, 0.5]);
    close(st().gain({ amp: [1, 0] }).sig, [0.5, 0, 1, 0, -0.5, 0]);
    close(
      st().gain({ db: -6 }).sig,
      [0.5, -0.25, 1, 0.5, -0.5, 0.25].map((x) => x * 10 ** (-6 / 20)),
    );
  });

  it('norm per channel (pya), in dB, with DC removal; removeDc', () => {
    const n = st().norm();
    close(n.sig, [0.5, -0.5, 1, 1, -0.5, 0.5]);
    close(
      st().norm({ value: -6, inDb: true }).sig,
      [0.5, -0.5, 1, 1, -0.5, 0.5].map((x) => x * 10 ** (-6 / 20)),
    );
    const d = new Signal([1, 2, 3], { samplerate: 1 }).removeDc();
    close(d.sig, [-1, 0, 1]);
    close(new Signal([1, 2, 3], { samplerate: 1 }).norm({ removeDc: true }).sig, [-1, 0, 1]);
  });

  it('mono, stereo, pan2 (constant power), rewire, channel selection', () => {
    close(st().mono().sig, [0.125, 0.75, -0.125]);
    close(st().mono([1, 0]).sig, [0.5, 1, -0.5]);
    const m = new Signal([1, 2], { samplerate: 1 });
    close(m.stereo().sig, [1, 1, 2, 2]);
    close(m.stereo([0.5, 0.25]).sig, [0.5, 0.25, 1, 0.5]);
    const a = (Math.PI / 2) * 0.75; // linlin(0.5, -1, 1, 0, pi/2)
    close(m.pan2(0.5).sig, [Math.cos(a), Math.sin(a), 2 * Math.cos(a), 2 * Math.sin(a)]);
    const p = m.pan2(0).sig;
    expect(p[0] ** 2 + p[1] ** 2).toBeCloseTo(1, 6);
    close(
      st().rewire([
        ['l', 1, 0.5],
        [0, 2, 2],
      ]).sig,
      [0.5, 0.25, 1, 1, 0.5, 2, -0.5, -0.25, -1],
    );
    const r = st().channel('r');
    expect([r.channels, r.channelNames]).toEqual([1, ['r']]);
    close(r.sig, [-0.25, 0.5, 0.25]);
    close(st().channel([1, 'l']).sig, [-0.25, 0.5, 0.5, 1, 0.25, -0.5]);
    const three = new Signal([1, 2, 3], { samplerate: 1, channels: 3 });
    close(
      three.stereo([
        [1, 0, 0.5],
        [0, 1, 0.5],
      ]).sig,
      [2.5, 3.5],
    );
  });

  it('fades are linspace^curve; envelope and adsr interpolate breakpoints', () => {
    const one = new Signal(new Float32Array(5).fill(1), { samplerate: 10 });
    close(one.fadeIn(0.3, 2).sig, [0, 0.25, 1, 1, 1]);
    close(one.fadeOut(0.5).sig, [1, 0.75, 0.5, 0.25, 0]);
    // 5 frames at 4 Hz: 1.25 s, frames at linspace(0, 1.25, 5).
    const e = new Signal(new Float32Array(5).fill(1), { samplerate: 4 });
    close(e.envelope([0, 1, 0]).sig, [0, 0.5, 1, 0.5, 0]);
    close(e.envelope([0, 1], [0, 0.625]).sig, [0, 0.5, 1, 1, 1]);
    close(e.envelope([0, 1, 0], undefined, 2).sig, [0, 0.25, 1, 0.25, 0]);
    close(e.adsr(0.3125, 0.3125, 0.5, 0.3125).sig, [0, 1, 0.5, 0.5, 0]);
  });

  it('slices by seconds and samples (Python rules), append, add at pos or onset', () => {
    const s = new Signal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { samplerate: 10 });
    close(s.slice({ start: 0.2, end: 0.5 }).sig, [2, 3, 4]);
    close(s.slice({ start: -0.2 }).sig, [8, 9]);
    close(s.sliceSamples(7).sig, [7, 8, 9]);
    close(s.sliceSamples(-3, -1).sig, [7, 8]);
    close(s.sliceSamples(0, 2).append(s.sliceSamples(9)).sig, [0, 1, 9]);
    const base = new Signal([1, 1, 1], { samplerate: 10 });
    close(base.add(new Signal([1, 2], { samplerate: 10 }), { pos: 2, amp: 0.5 }).sig, [1, 1, 1.5, 1]);
    close(base.add(new Signal([1], { samplerate: 10 }), { onset: 0.1 }).sig, [1, 2, 1]);
    // A different rate is resampled first: 20 frames at 20 Hz become 10 at 10 Hz.
    const fast = new Signal(new Float32Array(20), { samplerate: 20 });
    expect(base.append(fast).samples).toBe(13);
  });

  it('findEvents finds bursts between silences (frames)', () => {
    const d = new Float32Array(7000);
    d.fill(0.5, 1000, 3000);
    d.fill(0.5, 6000, 7000);
    const s = new Signal(d, { samplerate: 10000 });
    expect(s.findEvents({ stepDur: 0.001, silPad: 0 })).toEqual([
      [1000, 3000],
      [6000, 7000],
    ]);
    expect(s.findEvents({ stepDur: 0.001, silPad: [0.01, 0.02], evtMinDur: 0.15 })).toEqual([[900, 3200]]);
  });

  it('rms and peak: one per channel, an array for mono too', () => {
    const m = new Signal([3, -4], { samplerate: 1 });
    const rms: number[] = m.rms();
    expect(rms).toHaveLength(1);
    expect(rms[0]).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(m.peak()).toEqual([4]);
    const s = new Signal([3, 0, -4, 1], { samplerate: 1, channels: 2 });
    expect(s.peak()).toEqual([4, 1]);
    expect(s.rms()[1]).toBeCloseTo(Math.sqrt(0.5), 12);
  });

  it('save and load round-trip through WAV', async () => {
    const s = Signal.sine({ freq: 100, dur: 0.1, samplerate: 8000, channels: 2, amp: 0.5 });
    const f = path.join(dir, 's.wav');
    await s.save(f);
    const l = await Signal.load(f);
    expect([l.samplerate, l.channels, l.samples]).toEqual([8000, 2, 800]);
    expect(l.sig).toEqual(s.sig);
    await s.save(path.join(dir, 'i16.wav'), { format: 'i16' });
    close((await Signal.load(path.join(dir, 'i16.wav'))).sig, s.sig, 1 / 32768);
  });
});
