// pya's tests/test_asig.py (test_norm, test_gain, test_dur_property,
// test_rms, test_fader, test_save_wavefile), test_routeNpan.py (test_mono,
// test_stereo), test_aspec.py / test_astft.py (constructors from arrays) and
// test_helpers.py's audio_from_file, case by case with pya's numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ComplexSpectrum, ErrorCode, readWav, Signal, Stft, util, writeAudio } from '../src/index';
import { caught } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-pya-asig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pya's audio_from_file", () => {
  it('reads every format readAudio reads: FLAC and AIFF written with writeAudio', async () => {
    const data = Float32Array.from({ length: 2 * 480 }, (_, i) => Math.round(8000 * Math.sin(i / 7)) / 32768);
    for (const ext of ['flac', 'aiff']) {
      const path = join(dir, `take.${ext}`);
      await writeAudio(path, data, { samplerate: 44100, channels: 2, encoding: 'pcm_16' });
      const got = await util.audioFromFile(path);
      expect([got.samplerate, got.channels], ext).toEqual([44100, 2]);
      expect(got.data, ext).toEqual(data);
    }
  });
});

// setUp: sin(2 pi 100 linspace(0, 1, 44100)), mono, stereo ('l', 'r') and 16 channels.
const sig = Float32Array.from({ length: 44100 }, (_, i) => Math.sin((2 * Math.PI * 100 * i) / 44099));
const asine = new Signal(sig, { samplerate: 44100, label: 'test_sine' });
const astereo = new Signal([sig, sig], { samplerate: 44100, label: 'sterep', channelNames: ['l', 'r'] });
const asine16ch = new Signal(
  Array.from({ length: 16 }, () => sig),
  { samplerate: 44100, label: 'test_sine_16ch' },
);
const max = (x: Float32Array) => x.reduce((m, v) => Math.max(m, v), -Infinity);

describe("pya's test_asig.py", () => {
  it('test_norm: peaks at 1, 2, 3 (norm -3) and 0.6309 (-4 dB)', () => {
    expect(astereo.norm().samples).toBe(44100);
    expect(max(astereo.norm({ value: 1, removeDc: true }).sig)).toBe(1);
    expect(max(astereo.norm({ value: 2, removeDc: true }).sig)).toBe(2);
    expect(max(astereo.norm({ value: -3, removeDc: true }).sig)).toBe(3);
    expect(max(astereo.norm({ value: -4, inDb: true, removeDc: true }).sig)).toBeCloseTo(0.6309, 3);
  });

  it('test_gain: gain() changes nothing; amp 2 peaks at 2; db 3; amp and db together are refused; amp 0 is silence', () => {
    const peak = max(astereo.sig);
    expect(max(astereo.gain().sig)).toBe(peak);
    expect(astereo.gain().sig).toEqual(astereo.sig);
    expect(max(astereo.gain({ amp: 2 }).sig)).toBe(2 * peak);
    expect(max(astereo.gain({ db: 3 }).sig)).toBeCloseTo(peak * 10 ** (3 / 20), 6);
    expect(() => astereo.gain({ amp: 1, db: 3 })).toThrow(/not both/);
    expect(max(astereo.gain({ amp: 0 }).sig)).toBe(0);
  });

  it('test_dur_property: 44100 frames at 44100 Hz last 1 s', () => {
    expect(asine.duration).toBe(1);
  });

  it('test_rms: one rms per channel, sqrt(44099 / 88200) for 100 whole periods plus the end point', () => {
    const rms = asine16ch.rms();
    expect(rms.length).toBe(16);
    for (const r of rms) expect(r).toBeCloseTo(Math.sqrt(44099 / 88200), 6);
  });

  it('test_fader: fadeIn / fadeOut(0.2) give Signals that start (end) at 0 and leave the rest alone', () => {
    const fin = asine.fadeIn(0.2);
    expect(fin).toBeInstanceOf(Signal);
    expect(fin.sig[0]).toBe(0);
    expect(fin.sig.subarray(8820 + 1)).toEqual(asine.sig.subarray(8820 + 1));
    expect(Math.abs(fin.sig[2205]!)).toBeLessThan(Math.abs(asine.sig[2205]!));
    const fout = asine.fadeOut(0.2);
    expect(fout).toBeInstanceOf(Signal);
    expect(fout.sig[44099]).toBe(0);
    expect(fout.sig.subarray(0, 44100 - 8820 - 1)).toEqual(asine.sig.subarray(0, 44100 - 8820 - 1));
  });

  it('test_save_wavefile: float by default, int16 and uint8 on request', async () => {
    const test = new Signal(Float32Array.of(0, 0.2, 0.4, 0.6, 0.8, 1.0), { samplerate: 6 });
    const want: [string | undefined, string, number][] = [
      [undefined, 'f32', 0],
      ['i16', 'i16', 1 / 32768],
      ['u8', 'u8', 1 / 128],
    ];
    for (const [format, written, step] of want) {
      const path = join(dir, `mock save ${format ?? 'default'}.wav`);
      await test.save(path, format === undefined ? undefined : { format: format as 'i16' });
      const back = await readWav(path);
      expect([back.format, back.samplerate, back.frames], written).toEqual([written, 6, 6]);
      // Integer files hold 1.0 as the largest code, one step below it.
      for (let i = 0; i < 6; i++) expect(Math.abs(back.data[i]! - test.sig[i]!), `${written} ${i}`).toBeLessThanOrEqual(step);
    }
  });
});

describe("pya's test_routeNpan.py", () => {
  it('test_mono: a mono signal stays mono; stereo and 16 channels mix down to 1', () => {
    expect(asine.mono().sig).toEqual(asine.sig);
    const m = astereo.mono([0.5, 0.5]);
    expect(m.channels).toBe(1);
    expect(m.sig[100]).toBeCloseTo(sig[100]!, 6);
    const m16 = asine16ch.mono(Array(16).fill(0.1));
    expect(m16.channels).toBe(1);
    expect(m16.sig[100]).toBeCloseTo(1.6 * sig[100]!, 5);
  });

  it('test_stereo: mono, stereo (default and blended) and 16 channels to 2', () => {
    const s1 = asine.stereo([0.5, 0.5]);
    expect(s1.channels).toBe(2);
    expect([s1.sig[200], s1.sig[201]]).toEqual([0.5 * sig[100]!, 0.5 * sig[100]!].map(Math.fround));
    expect(astereo.stereo().channels).toBe(2);
    const blended = astereo.stereo([0.2, 0.4]);
    expect(blended.channels).toBe(2);
    const s16 = asine16ch.stereo([Array(16).fill(1), Array(16).fill(0)]);
    expect(s16.channels).toBe(2);
    expect(s16.sig[200]).toBeCloseTo(16 * sig[100]!, 4);
    expect(Math.abs(s16.sig[201]!)).toBe(0);
  });
});

describe("pya's test_aspec.py and test_astft.py: from an array", () => {
  it('Aspec(sig, sr=400, label, cn) is new Signal(sig, { samplerate: 400, label, channelNames }).toSpec()', () => {
    const square = Signal.square().sig;
    const aspec = new Signal(square, { samplerate: 400, label: 'square', channelNames: ['a'] }).toSpec();
    expect([aspec.samplerate, aspec.label, aspec.channelNames]).toEqual([400, 'square_spec', ['a']]);
    expect(aspec.bins).toBe(Math.floor(square.length / 2) + 1);
  });

  it('Astft(x, sr, label) is new Signal(x, { samplerate, label }).toStft()', () => {
    const sr = 10e3;
    const x = Float32Array.from(
      { length: 1e5 },
      (_, i) => 2 * Math.SQRT2 * Math.sin(2 * Math.PI * 3e3 * (i / sr) + 500 * Math.cos(2 * Math.PI * 0.25 * (i / sr))),
    );
    const astft = new Signal(x, { samplerate: sr, label: 'test' }).toStft();
    expect([astft.samplerate, astft.label, astft.nperseg, astft.noverlap, astft.frames]).toEqual([sr, 'test_stft', 256, 128, 1e5]);
  });

  it('Aspec(x=3), Astft(x=3, sr=500): the classes made directly are refused with a TypeError', async () => {
    for (const make of [() => new ComplexSpectrum(3 as never), () => new Stft(3 as never, { nperseg: 500 } as never, undefined as never)]) {
      const e = await caught(make);
      expect([e.name, e.code]).toEqual(['TypeError', ErrorCode.INVALID_ARG]);
      expect(e.message).toMatch(/new Signal\(array, \{ samplerate \}\)/);
    }
  });
});

describe("OsSom's Audio.samplesize, dtype, bytesize", () => {
  it('4 bytes of float32 per sample; bytesize = samplesize * frames * channels', () => {
    expect([astereo.samplesize, astereo.dtype, astereo.bytesize]).toEqual([4, 'float32', 4 * 44100 * 2]);
    expect(asine.sliceSamples(0, 10).bytesize).toBe(40);
  });
});
