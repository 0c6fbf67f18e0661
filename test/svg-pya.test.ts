// pya's plot options as SVG: Asig.plot's offset, plot_spectrum's xlim /
// offset / scale, Aspec.plot and Astft.plot (test_asig.py's test_plot,
// test_aspec.py's and test_astft.py's test_plot), each shown to change the
// drawing the way pya's changes the figure.
import { describe, expect, it } from 'vitest';
import { ErrorCode, Signal } from '../src/index';
import { caught } from './helpers';

const sr = 8000;
const tone = Signal.sine({ freq: 1500, amp: 0.5, dur: 0.5, samplerate: sr });
const stereo = new Signal([tone.sig, tone.sig], { samplerate: sr, label: 'st', channelNames: ['l', 'r'] });
const lanes = (svg: string) => (svg.match(/fill="#f6f8fa"/g) ?? []).length;
/** The mean y of each waveform path (one per channel). */
const pathMeans = (svg: string) =>
  [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => {
    const ys = [...m[1]!.matchAll(/M[\d.]+ ([\d.]+)V([\d.]+)/g)].flatMap((p) => [Number(p[1]), Number(p[2])]);
    return ys.reduce((a, b) => a + b, 0) / ys.length;
  });
/** The y of each polyline point, one array per channel. */
const polylines = (svg: string) =>
  [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => Number(p.split(',')[1])));
const labels = (svg: string) => [...svg.matchAll(/text-anchor="middle">([^<]+)</g)].map((m) => m[1]);

describe("Asig.plot(offset, scale): pya's stacked view", () => {
  it('offset puts every channel in one lane, channel c raised by c * offset', () => {
    const apart = stereo.toSvg({ height: 300 });
    expect(lanes(apart)).toBe(2);
    const stacked = stereo.toSvg({ height: 300, offset: 1 });
    expect(lanes(stacked)).toBe(1);
    const [y0, y1] = pathMeans(stacked) as [number, number];
    // One lane from -1 to 2 (full scale ±1 around each channel) over 300 - 44 - 4 px: 84 px per unit.
    expect(y0 - y1).toBeCloseTo(84, 0);
    // offset 0 overlays the channels, as pya's offset=0 with a scale.
    const [z0, z1] = pathMeans(stereo.toSvg({ height: 300, offset: 0, scale: 0.5 })) as [number, number];
    expect(z0).toBeCloseTo(z1, 6);
    expect(stereo.toSvg({ offset: 1, scale: 0.5 })).not.toBe(stereo.toSvg({ offset: 1 }));
  });

  it('a bad offset is refused', async () => {
    const e = await caught(() => stereo.toSvg({ offset: Number.NaN }));
    expect([e.code, e.message]).toEqual([ErrorCode.INVALID_ARG, expect.stringMatching(/offset must be a finite number/)]);
  });
});

describe('plot_spectrum(offset, scale, xlim) and Aspec.plot', () => {
  it('scale lowers the line by 20 log10(scale) dB', () => {
    const [a] = polylines(tone.spectrum().toSvg({ height: 300, xScale: 'linear' })) as [number[]];
    const [b] = polylines(tone.spectrum().toSvg({ height: 300, xScale: 'linear', scale: 0.1 })) as [number[]];
    // 20 dB of 100 over 256 px is 51.2 px, wherever the line is above the floor.
    const peak = a.indexOf(Math.min(...a));
    expect(b[peak]! - a[peak]!).toBeCloseTo(51.2, 0);
  });

  it('xlim draws only those frequencies: ticks within it, the 1500 Hz peak in the middle of [1000, 2000]', () => {
    const svg = tone.spectrum().toSvg({ xScale: 'linear', xlim: [1000, 2000], width: 812 });
    const ticks = labels(svg).map((t) => Number(t!.replace('k', 'e3')));
    expect(Math.min(...ticks)).toBe(1000);
    expect(Math.max(...ticks)).toBe(2000);
    const [line] = polylines(svg) as [number[]];
    expect(Math.abs(line.indexOf(Math.min(...line)) - 375)).toBeLessThanOrEqual(2);
    const log = tone.spectrum().toSvg({ xlim: [1000, 2000] });
    expect(labels(log)).toEqual(['1k', '2k']);
  });

  it('offset raises channel c by c * offset dB, the axis growing to fit', () => {
    const svg = stereo.spectrum().toSvg({ height: 300, xScale: 'linear', offset: 20 });
    const [l, r] = polylines(svg) as [number[], number[]];
    const peak = l.indexOf(Math.min(...l));
    expect(l[peak]! - r[peak]!).toBeCloseTo(51.2, 0);
    expect(svg).toMatch(/>20 dB</);
  });

  it('Aspec.plot: toSpec().toSvg draws what spectrum().toSvg draws, titled by the label; a weighted spectrum differs', () => {
    const o = { xScale: 'linear', xlim: [0, 4000], offset: 6, scale: 2 } as const;
    expect(stereo.toSpec().toSvg({ title: 'x', ...o })).toBe(stereo.spectrum().toSvg({ title: 'x', ...o }));
    expect(stereo.toSpec().toSvg()).toMatch(/>st_spec</);
    expect(
      stereo
        .toSpec()
        .weight([1, 0.01])
        .toSvg({ title: 'x', ...o }),
    ).not.toBe(stereo.toSpec().toSvg({ title: 'x', ...o }));
  });

  it('refuses an xlim outside 0 to Nyquist and a bad scale', async () => {
    expect((await caught(() => tone.spectrum().toSvg({ xlim: [0, 5000] }))).message).toMatch(/xlim must lie within 0 to 4000 Hz/);
    expect((await caught(() => tone.toSpec().toSvg({ xlim: [2, 1] }))).message).toMatch(/xlim must be \[low, high\]/);
    expect((await caught(() => tone.spectrum().toSvg({ scale: 0 }))).code).toBe(ErrorCode.INVALID_ARG);
  });
});

describe('Astft.plot', () => {
  it("toStft().toSvg draws each channel's picture, titled by the label", () => {
    const chirp = new Signal([tone.sig, Signal.sine({ freq: 300, amp: 0.5, dur: 0.5, samplerate: sr }).sig], {
      samplerate: sr,
      label: 'two',
    });
    const st = chirp.toStft();
    const svg = st.toSvg();
    expect(svg).toMatch(/^<svg[^>]*>.*<image [^>]*href="data:image\/png;base64,/);
    expect(svg).toMatch(/>two_stft</);
    // Time runs to the signal's end (0.5 s), frequency to Nyquist (4k).
    expect(svg).toMatch(/>4k</);
    expect(st.toSvg({ channel: 1 })).not.toBe(st.toSvg({ channel: 0 }));
    expect(() => st.toSvg({ channel: 2 })).toThrow(/channel must be an integer from 0 to 1/);
  });
});
