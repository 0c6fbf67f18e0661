import { describe, expect, it } from 'vitest';
import { Signal } from '../src/index';

const db = (x: number) => 20 * Math.log10(x);

/** RMS of the middle 80 % (away from the edges' filter transients). */
function midRms(s: Signal): number {
  const m = s.sliceSamples(Math.floor(s.samples * 0.1), Math.floor(s.samples * 0.9));
  return m.rms()[0];
}

describe('resample (rubato, band-limited)', () => {
  it('keeps the passband: sines up to 0.9 x the new Nyquist lose < 0.1 dB', () => {
    for (const freq of [100, 1000, 10000, 19000]) {
      const s = Signal.sine({ freq, amp: 0.5, dur: 1, samplerate: 48000 });
      const r = s.resample(44100);
      expect(r.samplerate).toBe(44100);
      expect(r.samples).toBe(44100);
      expect(Math.abs(db(midRms(r) / midRms(s))), `${freq} Hz`).toBeLessThan(0.1);
      // Still that frequency: the spectrum peaks at its bin.
      const sp = r.spectrum();
      let best = 0;
      for (let k = 1; k < sp.bins; k++) if (sp.mags[k] > sp.mags[best]) best = k;
      expect(Math.abs(best * sp.resolution - freq)).toBeLessThanOrEqual(sp.resolution);
    }
  });

  it('removes what lies above the new Nyquist: at least 60 dB down (no aliasing)', () => {
    for (const [from, to, freq] of [
      [48000, 44100, 23000],
      [44100, 16000, 9000],
      [96000, 48000, 30000],
    ]) {
      const s = Signal.sine({ freq, amp: 0.5, dur: 1, samplerate: from });
      const r = s.resample(to);
      expect(db(midRms(r) / midRms(s)), `${freq} Hz, ${from} -> ${to}`).toBeLessThan(-60);
    }
  });

  it('is time-aligned: no delay, not even a fraction of a frame, whatever the ratio', () => {
    for (const [from, to] of [
      [48000, 44100],
      [44100, 48000],
      [48000, 24000],
      [16000, 44100],
      [44100, 22050],
      [8000, 48000],
    ]) {
      const freq = 440;
      const r = Signal.sine({ freq, dur: 1, samplerate: from }).resample(to).sig;
      let re = 0,
        im = 0;
      for (let k = Math.floor(to * 0.1); k < Math.floor(to * 0.9); k++) {
        const t = (2 * Math.PI * freq * k) / to;
        re += r[k] * Math.cos(t);
        im += r[k] * Math.sin(t);
      }
      // The phase of the output against sin(2 pi f k / to): 0 when aligned.
      const lagFrames = (-Math.atan2(re, im) / (2 * Math.PI * freq)) * to;
      expect(Math.abs(lagFrames), `${from} -> ${to}`).toBeLessThan(0.01);
    }
  });

  it('upsamples too, and keeps channels apart', () => {
    const l = Signal.sine({ freq: 440, amp: 0.5, dur: 0.5, samplerate: 22050 });
    const st = l.stereo([1, 0]);
    const r = st.resample(48000);
    expect([r.channels, r.samples]).toEqual([2, 24000]);
    expect(r.channel(1).peak()[0]).toBeLessThan(1e-6);
    expect(Math.abs(db(midRms(r.channel(0)) / midRms(l)))).toBeLessThan(0.1);
    expect(l.resample(22050).sig).toEqual(l.sig);
  });
});

describe('spectrum and spectrogram (realfft)', () => {
  it('a sine reads its amplitude at its bin; frequencies are k * sr / n', () => {
    const s = Signal.sine({ freq: 250, amp: 0.4, samples: 1000, samplerate: 1000 }).add(
      new Signal(new Float32Array(1000).fill(0.1), { samplerate: 1000 }),
    );
    const sp = s.spectrum();
    expect(sp.bins).toBe(501);
    expect(sp.freqs[250]).toBe(250);
    expect(sp.mags[250]).toBeCloseTo(0.4, 5);
    expect(sp.mags[0]).toBeCloseTo(0.1, 5);
    expect(sp.mags[100]).toBeLessThan(1e-5);
  });

  it('stereo spectra are per channel', () => {
    const a = Signal.sine({ freq: 100, amp: 0.5, samples: 1000, samplerate: 1000 });
    const st = a.stereo([1, 0.5]);
    const sp = st.spectrum();
    expect(sp.channel(0)[100]).toBeCloseTo(0.5, 5);
    expect(sp.channel(1)[100]).toBeCloseTo(0.25, 5);
  });

  it('spectrogram: slices every hop, a tone shows in its bin only while it sounds', () => {
    const tone = Signal.sine({ freq: 1000, amp: 0.8, dur: 0.5, samplerate: 8000 });
    const s = new Signal(new Float32Array(8000), { samplerate: 8000 }).add(tone, { onset: 0.5 });
    const g = s.spectrogram({ nfft: 256, hop: 128 });
    expect(g.bins).toBe(129);
    expect(g.slices).toBe(1 + Math.ceil((8000 - 256) / 128));
    expect(g.times[2]).toBeCloseTo(256 / 8000, 12);
    expect(g.freqs[32]).toBe(1000);
    const late = g.slice(50);
    expect(late[32]).toBeCloseTo(0.8, 2);
    expect(g.slice(5)[32]).toBeLessThan(1e-6);
    const d = s.spectrogram();
    expect([d.nfft, d.hop]).toEqual([1024, 256]);
  });
});
