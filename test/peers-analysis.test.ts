// The peer bench's recording analysis (benches/peers/analysis.js): the gaps
// it reports in a recorded tone are the ones that are there, with their exact
// positions and lengths, and a clean tone has none.
import { describe, expect, it } from 'vitest';
import { alignStart, channelOf, findGaps, firstAbove, sine } from '../benches/peers/analysis.js';

const SR = 48000;

/** The tone with `pre` frames of silence before it and `post` after it, stereo. */
function recording(frames: number, pre: number, post: number): Float32Array {
  const out = new Float32Array((pre + frames + post) * 2);
  out.set(sine(frames, { samplerate: SR, channels: 2 }), pre * 2);
  return out;
}

/** Silences `length` frames from `start` (both channels). */
function silence(x: Float32Array, start: number, length: number): void {
  x.fill(0, start * 2, (start + length) * 2);
}

describe('peer bench analysis', () => {
  it('finds no gap in a clean tone, and its exact onset and end', () => {
    const x = recording(3 * SR, 1234, 5000);
    const a = findGaps(x, { channels: 2 });
    expect(a.gaps).toEqual([]);
    expect(a.onset).toBe(1234 + 1); // the sine's first sample is 0
    expect(a.end).toBe(1234 + 3 * SR);
    expect(a.sounding).toBe(a.span);
  });

  it('finds no gap in a tone quantised to 16 bits, nor on either channel', () => {
    const x = recording(SR, 100, 100).map((v) => Math.round(v * 32767) / 32767);
    expect(findGaps(x, { channels: 2, channel: 0 }).gaps).toEqual([]);
    expect(findGaps(x, { channels: 2, channel: 1 }).gaps).toEqual([]);
  });

  it('finds known gaps with their exact positions and lengths', () => {
    const pre = 777;
    const x = recording(3 * SR, pre, 2000);
    // starts a quarter period (27 frames) past a zero crossing of the 440 Hz tone, so the
    // frames next to each gap are far from zero and every gap is measured exactly
    const cuts = [
      { start: pre + 48_027, length: 14_400 },
      { start: pre + 98_427, length: 5 },
      { start: pre + 120_027, length: 1024 },
    ];
    for (const c of cuts) silence(x, c.start, c.length);
    const a = findGaps(x, { channels: 2 });
    expect(a.gaps).toEqual(cuts);
    expect(a.gapFrames).toBe(14_400 + 5 + 1024);
    expect(a.sounding).toBe(a.span - a.gapFrames);
  });

  it('ignores runs shorter than minGap and reports silence on one channel only there', () => {
    const x = recording(SR, 0, 0);
    silence(x, 10_027, 2);
    expect(findGaps(x, { channels: 2 }).gaps).toEqual([]);
    expect(findGaps(x, { channels: 2, minGap: 2 }).gaps).toEqual([{ start: 10_027, length: 2 }]);
    for (let i = 20_027; i < 20_127; i++) x[2 * i + 1] = 0; // channel 1 only: 100 frames
    expect(findGaps(x, { channels: 2, channel: 0 }).gaps).toEqual([]);
    expect(findGaps(x, { channels: 2, channel: 1 }).gaps).toEqual([{ start: 20_027, length: 100 }]);
  });

  it('reports no tone in silence, and finds a click', () => {
    const x = new Float32Array(2 * 4800);
    expect(findGaps(x, { channels: 2 })).toMatchObject({ onset: -1, span: 0, gaps: [] });
    expect(firstAbove(x, { channels: 2 })).toBe(-1);
    x[2 * 4321] = 0.5;
    expect(firstAbove(x, { channels: 2 })).toBe(4321);
  });

  it('tells how many frames of the start never reached the device', () => {
    const played = sine(SR, { samplerate: SR, channels: 1, phase: 0.1, sweepTo: 880 });
    for (const cut of [0, 1, 700, 12_000, 12_345]) {
      const rec = new Float32Array(3000 + SR);
      rec.set(played.subarray(cut), 3000);
      const a = findGaps(rec);
      expect(a.onset).toBe(3000);
      expect(alignStart(rec, played, a.onset)).toBe(cut);
      expect(SR - cut - a.sounding).toBe(0); // nothing lost at the end
    }
    const stereo = new Float32Array(2 * (SR + 10));
    stereo.set(sine(SR, { samplerate: SR, channels: 2, sweepTo: 880 }), 20);
    expect(alignStart(channelOf(stereo, 2, 1), sine(SR, { samplerate: SR, channels: 1, sweepTo: 880 }), 11)).toBe(1);
  });
});
