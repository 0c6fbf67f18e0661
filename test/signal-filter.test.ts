// iirfilter against scipy.signal (numbers from scripts/dsp-reference.py, in
// test/fixtures/dsp-reference.json): the design, one pass, zero phase and
// the response all within 1e-6 of scipy's.
import { describe, expect, it } from 'vitest';
import { Signal, type IirFilterOptions } from '../src/index';
import { type FilterCase, input, maxDiff, ref, refuses } from './dsp-reference';

const name = (c: FilterCase) => `${c.ftype} ${c.btype} order ${c.order} at ${c.cutoffs.join('-')} Hz`;
const options = (c: FilterCase): IirFilterOptions => ({ btype: c.btype, ftype: c.ftype, order: c.order, rp: c.rp, rs: c.rs });
const available = ref.filters;

describe('iirfilter matches scipy.signal within 1e-6', () => {
  it('the reference has every design in every band type (cheby2 highpass too)', () => {
    for (const ftype of ['butter', 'cheby1', 'cheby2', 'ellip', 'bessel']) {
      for (const btype of ['lowpass', 'highpass', 'bandpass', 'bandstop']) {
        expect(
          available.some((c) => c.ftype === ftype && c.btype === btype),
          `${ftype} ${btype}`,
        ).toBe(true);
      }
    }
  });

  it.each(available.map((c) => [name(c), c] as const))('%s: sections as iirfilter(output="sos")', (_, c) => {
    const f = input.iirDesign(c.cutoffs, options(c));
    expect(f.sections).toBe(c.sos.length / 6);
    expect(maxDiff(f.sos, c.sos)).toBeLessThan(1e-9);
  });

  it.each(available.map((c) => [name(c), c] as const))('%s: lfilter as sosfilt, filtfilt as sosfiltfilt', (_, c) => {
    const one = input.iirfilter(c.cutoffs, options(c));
    expect(maxDiff(one.sig, c.lfilter)).toBeLessThan(1e-6);
    const zero = input.iirfilter(c.cutoffs, { ...options(c), filter: 'filtfilt' });
    expect(maxDiff(zero.sig, c.filtfilt)).toBeLessThan(1e-6);
  });

  it.each(available.map((c) => [name(c), c] as const))('%s: freqz as sosfreqz(worN=64)', (_, c) => {
    const r = input.iirDesign(c.cutoffs, options(c)).freqz(64);
    expect(maxDiff(r.freqs, c.freqs)).toBeLessThan(1e-9);
    expect(maxDiff(r.re, c.re)).toBeLessThan(1e-9);
    expect(maxDiff(r.im, c.im)).toBeLessThan(1e-9);
  });
});

describe('iirfilter as pya', () => {
  it("keeps rate, channels and names; labels the result '_iir'", () => {
    const y = input.iirfilter([500, 2000]);
    expect(y.label).toBe('x_iir');
    expect(y.channelNames).toEqual(['a', 'b']);
    expect([y.samplerate, y.channels, y.samples]).toEqual([input.samplerate, 2, input.samples]);
  });

  it("defaults to pya's: a 4th-order Butterworth bandpass, one pass", () => {
    const c = ref.filters.find((x) => x.ftype === 'butter' && x.btype === 'bandpass' && x.order === 4)!;
    expect(maxDiff(input.iirfilter(c.cutoffs).sig, c.lfilter)).toBeLessThan(1e-6);
  });

  it('filtfilt is zero phase: a sine in the passband comes out in place, not delayed', () => {
    const s = Signal.sine({ freq: 200, samplerate: 8000, dur: 0.5 });
    const one = s.iirfilter(1000, { btype: 'lowpass', order: 6 });
    const zero = s.iirfilter(1000, { btype: 'lowpass', order: 6, filter: 'filtfilt' });
    const mid = (x: Signal) => x.sliceSamples(1000, 3000).sig;
    expect(maxDiff(mid(zero), mid(s))).toBeLessThan(1e-3);
    expect(maxDiff(mid(one), mid(s))).toBeGreaterThan(0.05);
  });

  it('plotFreqz draws the response in dB as SVG', () => {
    const svg = input.iirDesign(1000, { btype: 'lowpass' }).plotFreqz({ title: 'lp', worN: 256, width: 400 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('lp');
    expect(svg).toContain('<polyline');
  });

  it('refuses what scipy refuses, with what was expected', () => {
    refuses(() => input.iirfilter(5000, { btype: 'lowpass' }), /between 0 and 4000/);
    refuses(() => input.iirfilter(1000), /2 cutoff/);
    refuses(() => input.iirfilter([2000, 1000]), /rise/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', ftype: 'cheby1' }), /rp/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', ftype: 'cheby2' }), /rs/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', ftype: 'ellip', rp: 1 }), /rs/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', ftype: 'ellip', rs: 40 }), /rp/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', ftype: 'elliptic' as 'ellip', rp: 1, rs: 40 }), /ftype/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', filter: 'sosfilt' as 'lfilter' }), /lfilter/);
    refuses(() => input.iirfilter(1000, { btype: 'notch' as 'lowpass' }), /btype/);
    refuses(() => input.iirfilter(1000, { btype: 'lowpass', order: 0 }), /order/);
    refuses(() => input.sliceSamples(0, 10).iirfilter(1000, { btype: 'lowpass', filter: 'filtfilt' }), /more than 15 frames/);
  });
});
