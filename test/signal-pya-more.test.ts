// pya's tests/test_ugen.py, test_helpers.py (but spectrum and magspec),
// test_find_events.py and test_routeNpan.py, case by case.
import { describe, expect, it } from 'vitest';
import { ErrorCode, Signal, util } from '../src/index';
import { caught } from './helpers';

const max = (x: ArrayLike<number>) => Math.max(...Array.from(x));
const linspace = (a: number, b: number, n: number) => Float32Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const sum = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);

describe("pya's test_ugen.py", () => {
  it('test_sine, test_cos: rate, peak and shape, by dur or by samples', () => {
    for (const make of [Signal.sine, Signal.cos]) {
      const a = make({ freq: 44100 / 16, amp: 0.5, dur: 0.001, samplerate: 44100 / 2, channels: 2 });
      expect([a.samplerate, max(a.sig), a.samples, a.channels]).toEqual([22050, 0.5, 22, 2]);
      const b = make({ freq: 44100 / 16, amp: 0.5, samples: 400, samplerate: 44100 / 2, channels: 2 });
      expect([b.samplerate, max(b.sig), b.samples, b.channels]).toEqual([22050, 0.5, 400, 2]);
    }
  });

  it('test_square, test_sawooth: peak and shape', () => {
    const square = Signal.square({ freq: 200, amp: 0.5, dur: 1, samplerate: 22050, channels: 2 });
    expect(max(square.sig)).toBeCloseTo(0.5, 5);
    const saw = Signal.sawtooth({ freq: 200, amp: 0.5, dur: 1, samplerate: 22050, channels: 2 });
    // pya's 0.5 (to 5 places) comes from float rounding: scipy's phase
    // 2 pi 200 k / 22050 lands a hair below a period's end where it should
    // be exactly on it. ringstream takes the phase exactly, so the highest
    // sample is the ramp at 440/441 of its period.
    expect(max(saw.sig)).toBeCloseTo(0.5 * (-1 + (2 * 440) / 441), 7);
    for (const a of [square, saw]) expect([a.samplerate, a.samples, a.channels]).toEqual([22050, 22050, 2]);
  });

  it("square's sampleShift is pya's: scipy's square of 2 pi f (sampleShift / frames + k / sr)", () => {
    const [n, sr, f] = [22050, 22050, 200];
    // scipy.signal.square as numpy computes it, in doubles: 1 where the phase mod 2 pi is below pi.
    const scipy = (shift: number) =>
      Float32Array.from({ length: n }, (_, k) => ((2 * Math.PI * f * (shift / n + k * (n / sr / n))) % (2 * Math.PI) < Math.PI ? 1 : -1));
    const differ = (a: Float32Array, b: Float32Array) => a.filter((x, i) => x !== b[i]).length;
    const shifted = Signal.square({ freq: f, samples: n, samplerate: sr }).sig;
    const plain = Signal.square({ freq: f, samples: n, samplerate: sr, sampleShift: 0 }).sig;
    // Exact phases differ from scipy's rounded ones only where a sample sits on an edge.
    expect(differ(shifted, scipy(0.5))).toBeLessThanOrEqual(3);
    expect(differ(plain, scipy(0))).toBeLessThanOrEqual(3);
    expect(differ(plain, scipy(0.5))).toBeGreaterThan(190);
  });

  it('test_noise: rate, names and label; channels', () => {
    const white = Signal.noise({ type: 'white', amp: 0.2, dur: 1, samplerate: 1000, channelNames: ['white'], label: 'white_noise' });
    expect([white.samplerate, white.channelNames, white.label]).toEqual([1000, ['white'], 'white_noise']);
    expect(Signal.noise({ type: 'pink', channels: 2 }).channels).toBe(2);
  });

  it('test_dur_n_rows_exception: dur and samples together are refused', async () => {
    expect((await caught(() => Signal.sine({ dur: 1, samples: 400 }))).code).toBe(ErrorCode.INVALID_ARG);
  });
});

describe("pya's test_helpers.py", () => {
  it('test_padding: at the tail or the head, with a constant, per frame of several channels', () => {
    const t1 = Float32Array.from([0, 1, 2, 3, 4]);
    expect(util.padding(t1, 2)).toEqual(Float32Array.from([0, 1, 2, 3, 4, 0, 0]));
    expect(util.padding(t1, 2, { tail: false })).toEqual(Float32Array.from([0, 0, 0, 1, 2, 3, 4]));
    const t2 = new Float32Array(9).fill(1);
    expect(util.padding(t2, 2, { channels: 3 })).toEqual(Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]));
    expect(util.padding(t2, 2, { tail: false, constantValue: 5, channels: 3 })).toEqual(
      Float32Array.from([5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    );
  });

  it('test_next_pow2, test_is_pow2', async () => {
    expect([util.nextPow2(255), util.nextPow2(0), util.nextPow2(256)]).toEqual([256, 2, 256]);
    expect((await caught(() => util.nextPow2(-2))).code).toBe(ErrorCode.INVALID_ARG);
    expect([2, 256, 1].map(util.isPow2)).toEqual([true, true, true]);
    expect([145, -128, 0].map(util.isPow2)).toEqual([false, false, false]);
  });

  it('test_signal_to_frame: 20 frames of 400, or 39 with a hop of 200', () => {
    const sq = Signal.square({ freq: 20, samplerate: 8000 });
    const f = util.signalToFrame(sq.sig, 400, 400);
    expect([f.length, f[0]!.length]).toEqual([20, 400]);
    expect(util.signalToFrame(sq.sig, 400, 200).length).toBe(39);
    const w = util.signalToFrame(Float32Array.from([1, 2, 3]), 2, 2, Float32Array.from([1, 10]));
    expect(w.map((x) => Array.from(x))).toEqual([
      [1, 20],
      [3, 0],
    ]);
  });

  it('normalize, bufToFloat', () => {
    expect(util.normalize(Float32Array.from([1, 10, 3, 30, 2, 20]), 2)).toEqual(Float32Array.from([0, 0, 1, 1, 0.5, 0.5]));
    expect(util.bufToFloat(new Uint8Array([0x00, 0x80, 0xff, 0x7f]))).toEqual(Float32Array.from([-1, 32767 / 32768]));
  });

  it('findDevice: the devices with enough inputs and outputs', () => {
    const all = util.findDevice(0, 0, 'virtual');
    expect(all.length).toBeGreaterThan(0);
    const most = Math.max(...all.map((d) => d.maxInputChannels));
    expect(util.findDevice(most + 1, 0, 'virtual')).toEqual([]);
    expect(util.deviceInfo('virtual').table.split('\n').length).toBe(all.length + 1);
  });
});

describe("pya's test_find_events.py", () => {
  it('test_events: three tones with 0.2 s gaps give three events', () => {
    const sr = 44100;
    const gap = new Signal(new Float32Array(0.2 * sr), { samplerate: sr });
    let a = Signal.sine({ samplerate: sr });
    for (const part of [gap, Signal.sine({ freq: 200, samplerate: sr }), gap, Signal.sine({ freq: 20, samplerate: sr }), gap]) {
      a = a.set({ frames: { start: a.samples } }, part, { mode: 'extend' });
    }
    expect(a.samples).toBe(3 * sr + 3 * 0.2 * sr);
    expect(a.findEvents({ silThr: -30, evtMinDur: 0.2, silMinDur: 0.04 }).length).toBe(3);
  });
});

describe("pya's test_routeNpan.py", () => {
  const sig = linspace(0, 1, 44100).map((t) => Math.sin(2 * Math.PI * 100 * t));
  const asine = new Signal(sig, { samplerate: 44100, label: 'test_sine' });
  const astereo = new Signal([sig, sig], { samplerate: 44100, channelNames: ['l', 'r'] });

  it('test_shift_channel: a mono signal to channel 3 has 4 channels', () => {
    expect(asine.shiftChannel(3).channels).toBe(4);
    const named = new Signal(sig, { samplerate: 44100, channelNames: ['sine'] }).shiftChannel(3);
    expect([named.channels, named.channelNames]).toEqual([4, ['unnamed', 'unnamed', 'unnamed', 'sine']]);
    expect(named.get({ channels: 3 }).sig).toEqual(sig);
    expect(sum(named.get({ channels: [0, 1, 2] }).sig)).toBe(0);
    expect(astereo.shiftChannel(-1).channelNames).toEqual(['r']);
  });

  it('test_rewire: 0 to 1 and 1 to 0 at half gain', () => {
    const r = astereo.rewire([
      [0, 1, 0.5],
      [1, 0, 0.5],
    ]);
    const ch1 = r.get({ frames: { start: 1000, end: 10010 }, channels: 1 }).sig;
    ch1.forEach((x, i) => expect(Math.abs(x - sig[1000 + i]! * 0.5)).toBeLessThanOrEqual(1e-8 + 1e-5 * Math.abs(sig[1000 + i]! * 0.5)));
  });

  it('test_pan2: hard left and right, mono to stereo, bad pans refused', async () => {
    expect(sum(astereo.pan2(-1).get({ channels: 1 }).sig)).toBeCloseTo(0, 7);
    expect(sum(astereo.pan2(1).get({ channels: 0 }).sig)).toBeCloseTo(0, 7);
    expect(asine.pan2(-0.5).channels).toBe(2);
    expect(await caught(() => astereo.pan2([2, 4] as never))).toBeInstanceOf(TypeError);
    expect((await caught(() => astereo.pan2(3))).code).toBe(ErrorCode.INVALID_ARG);
  });
});

describe("OsSom's applyChannelwise and freqsToCenterAndEdges", () => {
  it('applies a function to each channel and splits bands into centers and edges', () => {
    const data = Float32Array.from([1, 10, 2, 20, 3, 30]);
    expect(util.applyChannelwise(data, 2, (ch) => Array.from(ch))).toEqual([
      [1, 2, 3],
      [10, 20, 30],
    ]);
    expect(util.applyChannelwise(data, 2, (ch, i) => ch.length + i)).toEqual([3, 4]);
    const bands = util.fractionalOctaveFrequencies({ nthOct: 1, freqRange: [500, 2000] });
    const { center, edges } = util.freqsToCenterAndEdges(bands);
    expect(center).toEqual(bands.map((b) => b[1]));
    expect(edges).toEqual(bands.map((b) => [b[0], b[2]]));
  });
});

describe("pya's plot options and plot_events, as SVG", () => {
  const tone = Signal.sine({ freq: 5, amp: 0.5, dur: 2, samplerate: 1000 });

  it('xlim draws only those seconds, labelled from their start; ylim and scale set the lane; db maps as pya', () => {
    const part = tone.toSvg({ xlim: [1, 1.5], width: 300 });
    expect(part).toMatch(/>1\.0 s</);
    expect(part).not.toMatch(/>0\.0 s</);
    const y = (svg: string) => Math.min(...[...svg.matchAll(/M[\d.]+ ([\d.]+)V/g)].map((m) => Number(m[1])));
    // The same peak drawn higher when the lane spans less, lower when scaled down.
    const full = y(tone.toSvg({ height: 200 }));
    expect(y(tone.toSvg({ height: 200, ylim: [-0.5, 0.5] }))).toBeLessThan(full);
    expect(y(tone.toSvg({ height: 200, ylim: [-1, 1], scale: 0.5 }))).toBeGreaterThan(y(tone.toSvg({ height: 200, ylim: [-1, 1] })));
    expect(tone.toSvg({ db: true })).not.toBe(tone.toSvg());
  });

  it('plotEvents marks each event start and end', () => {
    const sr = 1000;
    const s = new Signal(new Float32Array(3000), { samplerate: sr }).set(
      { frames: { start: 1000, end: 2000 } },
      Signal.sine({ freq: 50, samples: 1000, samplerate: sr }),
    );
    const events = s.findEvents();
    expect(events).toHaveLength(1);
    const svg = s.plotEvents(events, { width: 312 });
    expect(svg.match(/stroke="#1f6feb"\/>/g)).toHaveLength(1);
    expect(svg.match(/stroke="#cf222e"\/>/g)).toHaveLength(1);
  });

  it('refuses a bad ylim, xlim or events', async () => {
    expect((await caught(() => tone.toSvg({ ylim: [1, -1] }))).message).toMatch(/ylim must be \[low, high\]/);
    expect((await caught(() => tone.toSvg({ xlim: 1 as never }))).message).toMatch(/xlim must be/);
    expect((await caught(() => tone.plotEvents([[5, 1]]))).message).toMatch(/events\[0\] must be/);
  });
});

describe("the rest of pya's Asig and OsSom's blockwise Audio", () => {
  it('selectEvent by index or by the onset nearest, custom, play({ rate }) is checked', async () => {
    const sr = 1000;
    const beep = Signal.sine({ freq: 50, samples: 300, samplerate: sr });
    let s = new Signal(new Float32Array(3000), { samplerate: sr });
    s = s.set({ frames: { start: 500, end: 800 } }, beep).set({ frames: { start: 2000, end: 2300 } }, beep.mul(0.5));
    const events = s.findEvents();
    expect(events).toHaveLength(2);
    expect(s.selectEvent({ index: 1 }, events).samples).toBe(events[1]![1] - events[1]![0]);
    expect(s.selectEvent({ onset: 1.9 }).sig).toEqual(s.selectEvent({ index: 1 }).sig);
    expect(s.selectEvent({ onset: 0.4 }).sig).toEqual(s.selectEvent({ index: 0 }).sig);
    expect((await caught(() => s.selectEvent({ index: 2 }, events))).code).toBe(ErrorCode.INVALID_ARG);
    expect(s.custom((x, db: number) => x.gain({ db }), -6).peak()[0]).toBeCloseTo(10 ** (-6 / 20), 5);
    expect(s.custom(() => undefined)).toBe(s);
    expect((await caught(() => s.play({ rate: 0 }))).message).toMatch(/rate must be above 0/);
  });

  it('blocks(n): views of n frames from the read index, a shorter last one, then the end', () => {
    const s = new Signal([Float32Array.from([1, 2, 3, 4, 5]), Float32Array.from([10, 20, 30, 40, 50])], { samplerate: 5 });
    const r = s.blocks(2);
    expect([r.blocksize, r.ridx]).toEqual([2, 0]);
    expect(r.readNext()).toEqual(Float32Array.from([1, 10, 2, 20]));
    expect(r.ridx).toBe(2);
    expect(r.readNext(1)).toEqual(Float32Array.from([3, 30]));
    expect([...r].map((b) => Array.from(b))).toEqual([[4, 40, 5, 50]]);
    expect(r.readNext().length).toBe(0);
    const all = [...s.blocks(4)];
    expect(all.map((b) => b.length / 2)).toEqual([4, 1]);
    expect(all[0]!.buffer).toBe(s.sig.buffer); // views, not copies
  });
});

describe("pya's test_helpers.py: spectrum and test_magspec_pspec (numbers from numpy / scipy)", () => {
  const near = (a: ArrayLike<number>, b: readonly number[], tol = 1e-5) => {
    expect(a.length).toBe(b.length);
    b.forEach((v, i) => expect(Math.abs(a[i]! - v), `index ${i}`).toBeLessThanOrEqual(tol));
  };

  it('spectrum: scipy.fftpack.fft(x)[:n // 2 + 1] and linspace(0, sr / 2, n // 2 + 1)', () => {
    const x = Float32Array.from([0.0, 0.3, -0.2, 0.9, 0.5, -0.7, 0.1]);
    const { freqs, re, im } = util.spectrum(x, 1, 7);
    near(freqs, [0, 1.1666666666666667, 2.3333333333333335, 3.5], 1e-12);
    near(re[0]!, [0.9, -0.811692, 1.594749, -1.233058]);
    near(im[0]!, [0, -0.817384, 0.334689, -0.085832]);
    const stereo = util.spectrum(Float32Array.from([1, 0, 1, 0]), 2, 2);
    expect(stereo.re.map((r) => Array.from(r))).toEqual([
      [2, 0],
      [0, 0],
    ]);
  });

  it('magspec and powspec: numpy rfft(frames, nfft), padded; 20 frames of 400 give 20 x 257 non-negative bins', () => {
    const frames = [Float32Array.from([1, 2, 3, 0]), Float32Array.from([0, 1, 0, -1])];
    const m = util.magspec(frames, 6);
    near(m[0]!, [6.0, 4.358899, 1.732051, 2.0]);
    near(m[1]!, [0.0, 1.732051, 1.732051, 0.0]);
    const p = util.powspec(frames, 6);
    near(p[0]!, [6.0, 3.166667, 0.5, 0.666667]);
    near(p[1]!, [0.0, 0.5, 0.5, 0.0]);
    const sq = Signal.square({ freq: 20, samplerate: 8000 });
    const mag = util.magspec(util.signalToFrame(sq.sig, 400, 400), 512);
    expect([mag.length, mag[0]!.length]).toEqual([20, 257]);
    expect(mag.every((f) => f.every((v) => v >= 0))).toBe(true);
    const ps = util.powspec(util.signalToFrame(sq.sig, 400, 400), 512);
    expect([ps.length, ps[0]!.length, ps.every((f) => f.every((v) => v >= 0))]).toEqual([20, 257, true]);
  });
});
