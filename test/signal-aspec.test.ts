// toSpec (pya's Aspec) against numpy's rfft / irfft and pya's weight
// (numbers from scripts/dsp-reference.py), and pya's test_aspec.py.
import { describe, expect, it } from 'vitest';
import { ComplexSpectrum, Signal } from '../src/index';
import { input, maxDiff, ref, refuses } from './dsp-reference';

describe('toSpec matches numpy', () => {
  it('bins as np.fft.rfft, planar by channel', () => {
    const sp = input.toSpec();
    expect(sp.bins).toBe(201);
    expect(maxDiff(sp.re, ref.spectrum.re)).toBeLessThan(1e-6);
    expect(maxDiff(sp.im, ref.spectrum.im)).toBeLessThan(1e-6);
  });

  it('toSignal is np.fft.irfft: the round trip returns the input', () => {
    expect(maxDiff(input.toSpec().toSignal().sig, input.sig)).toBeLessThan(1e-6);
    // An odd length too (pya's irfft without n would lose the last frame).
    const odd = Signal.noise({ samplerate: 1000, samples: 101, seed: 2 });
    expect(maxDiff(odd.toSpec().toSignal().sig, odd.sig)).toBeLessThan(1e-6);
  });

  it("weight as pya's, with curve: interp1d through the gains, outer gains held", () => {
    const w = input.toSpec().weight([1, 0.1], [500, 2000], 2);
    expect(maxDiff(w.re, ref.spectrum.weighted_re)).toBeLessThan(1e-6);
    expect(maxDiff(w.im, ref.spectrum.weighted_im)).toBeLessThan(1e-6);
    expect(maxDiff(w.toSignal().sig, ref.spectrum.weighted_signal)).toBeLessThan(1e-6);
    expect(w.label).toBe('x_spec_weighted');
  });

  it('weights without freqs spread evenly from 0 Hz to Nyquist', () => {
    const sp = new Signal(Float32Array.from([1, 0, 0, 0]), { samplerate: 4 }).toSpec();
    expect(Array.from(sp.weight([1, 0]).re)).toEqual([1, 0.5, 0]);
  });
});

describe("pya's test_aspec.py", () => {
  it('constructor: the rate, channel names and label carry through', () => {
    expect(Signal.sine({ samplerate: 44100 }).toSpec().samplerate).toBe(44100);
    const two = new Signal(Signal.sine({ samplerate: 44100, channels: 2 }).sig, {
      samplerate: 44100,
      channels: 2,
      channelNames: ['a', 'b'],
      label: 's',
    });
    const sp = two.toSpec();
    expect(sp).toBeInstanceOf(ComplexSpectrum);
    expect(sp.channelNames).toEqual(['a', 'b']);
    expect(sp.label).toBe('s_spec');
    const back = sp.toSignal();
    expect(back).toBeInstanceOf(Signal);
    expect([back.channelNames, back.label]).toEqual([['a', 'b'], 's_spec_2sig']);
  });

  it('refuses bad weights with what was expected', () => {
    const sp = input.toSpec();
    refuses(() => sp.weight([1, 2, 3], [100, 200]), /same length/);
    refuses(() => sp.weight([1, 2], [200, 100]), /increasing/);
    refuses(() => sp.weight([1]), /at least 2/);
    refuses(() => sp.weight([1, NaN]), /weights/);
    refuses(() => new Signal(new Float32Array(0), { samplerate: 10 }).toSpec(), /at least 1 frame, got 0/);
  });
});
