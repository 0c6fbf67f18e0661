// toStft / toSignal against scipy.signal.stft / istft (numbers from
// scripts/dsp-reference.py), and pya's test_astft.py / test_class_transformation.py.
import { describe, expect, it } from 'vitest';
import { Signal, Stft } from '../src/index';
import { input, maxDiff, ref, refuses } from './dsp-reference';

describe('toStft matches scipy.signal.stft, toSignal scipy.signal.istft', () => {
  it.each(ref.stfts.map((c) => [`${c.window} nperseg ${c.nperseg} noverlap ${c.noverlap}`, c] as const))('%s', (_, c) => {
    const st = input.toStft({ window: c.window, nperseg: c.nperseg, noverlap: c.noverlap ?? undefined });
    expect([st.bins, st.segments]).toEqual([c.bins, c.segments]);
    expect(maxDiff(st.freqs, c.freqs)).toBeLessThan(1e-9);
    expect(maxDiff(st.times, c.times)).toBeLessThan(1e-9);
    expect(maxDiff(st.re, c.re)).toBeLessThan(1e-6);
    expect(maxDiff(st.im, c.im)).toBeLessThan(1e-6);
    const back = st.toSignal();
    expect(maxDiff(back.sig, c.istft)).toBeLessThan(1e-6);
    // hann at 50 %, hamming at 75 %, blackman at 75 %: all COLA, so the round trip is the input.
    expect(maxDiff(back.sig, input.sig)).toBeLessThan(1e-6);
  });

  it("defaults to scipy's: hann, nperseg 256, noverlap 128", () => {
    const st = input.toStft();
    expect([st.window, st.nperseg, st.noverlap]).toEqual(['hann', 256, 128]);
    const c = ref.stfts[0]!;
    expect(maxDiff(st.re, c.re)).toBeLessThan(1e-6);
  });

  it('a sine reads its amplitude / 2 at its bin (scaling "spectrum")', () => {
    const st = Signal.sine({ freq: 1000, amp: 0.8, samplerate: 8000, dur: 0.25 }).toStft();
    const mid = Math.floor(st.segments / 2);
    expect(st.magnitude()[mid * st.bins + 32]).toBeCloseTo(0.4, 6);
  });

  it('round trip of a long noise within 1e-6', () => {
    const s = Signal.noise({ samplerate: 44100, dur: 1, channels: 2, seed: 3 });
    const back = s.toStft({ nperseg: 512 }).toSignal();
    expect(back.samples).toBe(s.samples);
    expect(maxDiff(back.sig, s.sig)).toBeLessThan(1e-6);
  });
});

describe("pya's test_astft.py and test_class_transformation.py", () => {
  it('input as asig: the rate carries through', () => {
    const st = Signal.sine({ samplerate: 44100 }).toStft();
    expect(st.samplerate).toBe(44100);
  });

  it('multichannel: channels and names carry through, and back', () => {
    const saw = Signal.sawtooth({ samplerate: 44100, channels: 3 });
    const named = new Signal(saw.sig, { samplerate: 44100, channels: 3, channelNames: ['a', 'b', 'c'], label: 'saw' });
    const st = named.toStft();
    expect(st.channels).toBe(3);
    expect(st.channelNames).toEqual(['a', 'b', 'c']);
    expect(st.label).toBe('saw_stft');
    const back = st.toSignal();
    expect(back.channelNames).toEqual(['a', 'b', 'c']);
    expect(back.label).toBe('saw_stft_2sig');
  });

  it('asig -> astft -> asig', () => {
    const a = Signal.square({ samplerate: 44100 });
    const st = a.toStft();
    expect(st).toBeInstanceOf(Stft);
    expect(st.toSignal()).toBeInstanceOf(Signal);
  });

  it('a signal shorter than nperseg shrinks the segment to it (as scipy)', () => {
    const st = new Signal(new Float32Array(100), { samplerate: 1000 }).toStft();
    expect([st.nperseg, st.noverlap]).toEqual([100, 50]);
  });

  it('refuses bad framing with what was expected', () => {
    refuses(() => input.toStft({ nperseg: 64, noverlap: 64 }), /noverlap/);
    refuses(() => input.toStft({ window: 'kaiser' as 'hann' }), /window/);
    refuses(() => new Signal(new Float32Array(0), { samplerate: 10 }).toStft(), /at least 2 frames, got 0/);
    refuses(() => input.toStft({ nperseg: 1 }), /nperseg/);
  });
});
