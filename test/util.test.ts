import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { util, writeAudio } from '../src/index';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
}

describe('pya helpers', () => {
  it('dB, MIDI, linlin, clip match their formulas', () => {
    expect(util.dbamp(-6)).toBeCloseTo(10 ** (-6 / 20), 14);
    expect(util.dbamp(20)).toBeCloseTo(10, 12);
    expect(util.ampdb(0.5)).toBeCloseTo(20 * Math.log10(0.5), 12);
    expect(util.ampdb(0)).toBe(-Infinity);
    expect(util.midicps(69)).toBe(440);
    expect(util.midicps(60)).toBeCloseTo(440 * 2 ** (-9 / 12), 10);
    expect(util.cpsmidi(880)).toBeCloseTo(81, 12);
    expect(util.cpsmidi(util.midicps(61.5))).toBeCloseTo(61.5, 10);
    expect(util.linlin(0.25, 0, 1, -1, 1)).toBe(-0.5);
    expect(util.linlin(5, 0, 10, 100, 200)).toBe(150);
    expect(util.clip(3, -1, 1)).toBe(1);
    expect(util.clip(-3, -1, 1)).toBe(-1);
    expect(util.clip(0.5, -1, 1)).toBe(0.5);
  });
});

describe('OsSom utilities', () => {
  it('rms and maxAbs per channel, dB with power and ref', () => {
    const d = new Float32Array([3, 0, -4, 1]);
    expect(util.rms(d, 2)).toEqual([Math.sqrt(12.5), Math.sqrt(0.5)]);
    expect(util.maxAbs(d, 2)).toEqual([4, 1]);
    expect(util.rms(d)).toEqual([Math.sqrt((9 + 16 + 1) / 4)]);
    expect(util.dB(0.1)).toBeCloseTo(-20, 12);
    expect(util.dB(0.1, { power: true })).toBeCloseTo(-10, 12);
    expect(util.dB(2, { ref: 20e-6 })).toBeCloseTo(20 * Math.log10(2 / 20e-6), 10);
    expect(util.dB([1, 10])).toEqual([0, 20]);
  });

  it('noise: Gaussian, each channel its own, each peaking at level', () => {
    const n = util.noise(0.5, 8000, 2, 2);
    expect(n.length).toBe(32000);
    const [p0, p1] = util.maxAbs(n, 2);
    expect(p0).toBeCloseTo(0.5, 6);
    expect(p1).toBeCloseTo(0.5, 6);
    // Gaussian: peak / RMS of 16000 draws is around 4 (uniform would be sqrt(3)).
    const crest = 0.5 / util.rms(n, 2)[0];
    expect(crest).toBeGreaterThan(3);
    expect(crest).toBeLessThan(5.5);
    let same = 0;
    for (let i = 0; i < n.length; i += 2) if (n[i] === n[i + 1]) same++;
    expect(same).toBeLessThan(10);
  });

  it('freqToBand: round(log_base(f / ref) * n / factor)', () => {
    expect(util.freqToBand(1000)).toBe(0);
    expect(util.freqToBand(1250)).toBe(1);
    expect(util.freqToBand(20)).toBe(Math.round(10 * Math.log10(20 / 1000)));
    expect(util.freqToBand(4000, { nthOct: 1 })).toBe(2);
    expect(util.freqToBand(4000, { nthOct: 3, base: 2 })).toBe(6);
    expect(util.freqToBand(500, { refFreq: 125, nthOct: 1, base: 2 })).toBe(2);
    expect(code(() => util.freqToBand(1000, { base: 3 as never }))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.freqToBand(-1))).toBe('ERR_INVALID_ARG');
  });

  it('fractionalOctaveFrequencies: nominal centers, exact edges', () => {
    const thirds = util.fractionalOctaveFrequencies();
    expect(thirds.length).toBe(31);
    expect(thirds.map((b) => b[1])).toEqual([
      20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300,
      8000, 10000, 12500, 16000, 20000,
    ]);
    const b0 = thirds[17];
    expect(b0[0]).toBeCloseTo(1000 / 10 ** (0.3 / 6), 9);
    expect(b0[2]).toBeCloseTo(1000 * 10 ** (0.3 / 6), 9);
    const b1 = thirds[18];
    expect(b1[0]).toBeCloseTo(b0[2], 9);
    const oct = util.fractionalOctaveFrequencies({ nthOct: 1, freqRange: [30, 16000], base: 2 });
    expect(oct.map((b) => b[1])).toEqual([31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000]);
    expect(oct[5][2]).toBeCloseTo(1000 * Math.SQRT2, 9);
    expect(code(() => util.fractionalOctaveFrequencies({ freqRange: [100, 10] }))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.fractionalOctaveFrequencies({ nthoct: 3 } as never))).toBe('ERR_INVALID_ARG');
  });

  it('normalizeFrequencies divides by Nyquist', () => {
    expect(util.normalizeFrequencies([22050, 11025])).toEqual([1, 0.5]);
    expect(util.normalizeFrequencies([1000], 8000)).toEqual([0.25]);
  });

  it('bad arguments are ERR_INVALID_ARG', () => {
    expect(code(() => util.dbamp(NaN))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.clip(0, 1, -1))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.linlin(1, 2, 2, 0, 1))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.rms(new Float32Array(3), 2))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.dB(1, { ref: 0 }))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.noise(1, 8000, -1))).toBe('ERR_INVALID_ARG');
    expect(code(() => util.midicps('60' as never))).toBe('ERR_INVALID_ARG');
  });
});

describe('audioFromFile', () => {
  it("reads any format readAudio reads, as pya's audio_from_file reads what audioread does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-util-'));
    try {
      const sig = new Float32Array(2 * 100).map((_, i) => (i % 7) / 8);
      await writeAudio(join(dir, 'a.flac'), sig, { samplerate: 22050, channels: 2 });
      const got = await util.audioFromFile(join(dir, 'a.flac'));
      expect(got).toEqual({ data: sig, samplerate: 22050, channels: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
