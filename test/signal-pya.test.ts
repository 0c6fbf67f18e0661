// pya's resample(target_sr, rate, kind), envelope(..., kind), append(x, amp)
// and slices with a step. The expected numbers come from pya's own code run
// with numpy 2.4.6 / scipy 1.17.1 (scipy.interpolate.interp1d, as asig.py
// calls it), on the same float32 data, rounded to 7 decimals.
import { describe, expect, it } from 'vitest';
import { defaults, ErrorCode, Signal } from '../src/index';
import { caught } from './helpers';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 2e-7) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol);
};

// sig = np.array([0.0, 0.3, -0.2, 0.9, 0.5, -0.7, 0.1, 0.4], dtype=np.float32) at 8 Hz
const src = () => new Signal(new Float32Array([0.0, 0.3, -0.2, 0.9, 0.5, -0.7, 0.1, 0.4]), { samplerate: 8 });

describe("resample(samplerate, rate, kind) as pya's (scipy interp1d)", () => {
  it('each kind, 8 Hz to 12 Hz', () => {
    const expected: Record<string, number[]> = {
      linear: [0.0, 0.2, 0.1333333, -0.2, 0.5333334, 0.7666667, 0.5, -0.3, -0.4333333, 0.1, 0.3, 0.4],
      nearest: [0.0, 0.3, 0.3, -0.2, 0.9, 0.9, 0.5, -0.7, -0.7, 0.1, 0.4, 0.4],
      'nearest-up': [0.0, 0.3, 0.3, -0.2, 0.9, 0.9, 0.5, -0.7, -0.7, 0.1, 0.4, 0.4],
      zero: [0.0, 0.0, 0.3, -0.2, -0.2, 0.9, 0.5, 0.5, -0.7, 0.1, 0.1, 0.4],
      slinear: [0.0, 0.2, 0.1333333, -0.2, 0.5333333, 0.7666667, 0.5, -0.3, -0.4333333, 0.1, 0.3, 0.4],
      quadratic: [0.0, 0.3448645, 0.110271, -0.2, 0.5763283, 0.9731153, 0.5, -0.4608113, -0.6021292, 0.1, 0.4116434, 0.4],
      cubic: [0.0, 0.4904129, 0.0206982, -0.2, 0.5394294, 1.0032784, 0.5, -0.4458089, -0.6229488, 0.1, 0.6007265, 0.4],
      previous: [0.0, 0.0, 0.3, -0.2, -0.2, 0.9, 0.5, 0.5, -0.7, 0.1, 0.1, 0.4],
      next: [0.0, 0.3, -0.2, -0.2, 0.9, 0.5, 0.5, -0.7, 0.1, 0.1, 0.4, 0.4],
    };
    for (const [kind, want] of Object.entries(expected)) {
      const r = src().resample(12, 1, kind as 'linear');
      expect(r.samplerate, kind).toBe(12);
      close(r.sig, want);
    }
  });

  it('rate is a playback-rate factor: floor(frames / sr * target / rate) frames', () => {
    close(src().resample(8, 1.5, 'cubic').sig, [0.0, -0.1050538, 0.9, -0.2302931, 0.1]);
    close(src().resample(10, 0.75, 'linear').sig, [0.0, 0.18, 0.2, -0.1, 0.24, 0.9, 0.66, 0.26, -0.46, -0.38, 0.1, 0.28, 0.4]);
    // The band-limited default takes rate too: twice as fast is half the frames.
    const s = Signal.sine({ freq: 100, dur: 1, samplerate: 48000 });
    expect(s.resample(48000, 2).samples).toBe(24000);
    // Each channel on its own (pya's multichannel loop).
    const st = new Signal(new Float32Array([0, 10, 1, 20]), { samplerate: 2, channels: 2 });
    close(st.resample(4, 1, 'linear').sig, [0, 10, 0.5, 15, 1, 20, 1, 20]);
  });

  it('refuses what it cannot do, saying what it expected', async () => {
    for (const f of [() => src().resample(12, 1, 'spline' as never), () => src().resample(12, 0), () => src().resample(12, 1.3)]) {
      const e = await caught(f);
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
    }
    expect((await caught(() => src().resample(12, 1, 'spline' as never))).message).toMatch(/kind must be one of 'sinc', 'linear'/);
    expect((await caught(() => src().resample(12, 1.3))).message).toMatch(/whole number .* 'linear'/);
    expect((await caught(() => src().sliceSamples(0, 3).resample(12, 1, 'cubic'))).message).toMatch(
      /cubic interpolation needs at least 4 points, got 3/,
    );
  });
});

describe("envelope(amps, times, curve, kind) as pya's", () => {
  const ones = () => new Signal(new Float32Array(9).fill(1), { samplerate: 8 });
  it('interpolates the breakpoints with each kind', () => {
    close(
      ones().envelope([0, 1, 0.2, 0.6], undefined, 1, 'quadratic').sig,
      [0.0, 0.6445312, 0.965625, 0.9632813, 0.6375, 0.2695312, 0.140625, 0.2507812, 0.6],
    );
    close(
      ones().envelope([0, 1, 0.2, 0.6], undefined, 1, 'cubic').sig,
      [0.0, 0.7763672, 1.0359375, 0.9369141, 0.6375, 0.2958984, 0.0703125, 0.1189453, 0.6],
    );
    close(ones().envelope([0, 1, 0.2, 0.6], undefined, 1, 'nearest').sig, [0.0, 0.0, 1.0, 1.0, 1.0, 0.2, 0.2, 0.6, 0.6]);
    close(ones().envelope([0, 1, 0.2, 0.6], undefined, 1, 'next').sig, [0.0, 1.0, 1.0, 0.2, 0.2, 0.2, 0.6, 0.6, 0.6]);
    // Times short of the ends are extended to 0 and the duration (pya's inserts).
    close(
      ones().envelope([0.5, 1, 0.2, 0.6], [0.25, 0.5, 0.75, 1.0], 1, 'cubic').sig,
      [0.5, 0.2454865, 0.6022832, 0.9878239, 0.8425616, 0.3050836, 0.2370901, 0.5686988, 0.6],
    );
  });
  it('refuses an unknown kind', async () => {
    const e = await caught(() => ones().envelope([0, 1], undefined, 1, 'sinc' as never));
    expect([e.code, e.message]).toEqual([ErrorCode.INVALID_ARG, expect.stringMatching(/kind must be one of 'linear'/)]);
  });
});

describe('append(other, amp) and sliceSamples(start, end, step)', () => {
  it('append scales the appended signal by amp', () => {
    const a = new Signal([1, 2, 3], { samplerate: 10 });
    close(a.append(a, 0.5).sig, [1, 2, 3, 0.5, 1, 1.5]);
    close(a.append(a).sig, [1, 2, 3, 1, 2, 3]);
  });

  it("slices with a step as Python does, the rate int(sr / |step|) as pya's", async () => {
    const s = new Signal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { samplerate: 10 });
    const two = s.sliceSamples(1, 8, 2);
    close(two.sig, [1, 3, 5, 7]);
    expect(two.samplerate).toBe(5);
    close(s.sliceSamples(undefined, undefined, -1).sig, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    close(s.sliceSamples(-2, 2, -3).sig, [8, 5]);
    expect(s.sliceSamples(0, 10, 3).samplerate).toBe(3);
    const st = new Signal([0, 10, 1, 11, 2, 12], { samplerate: 4, channels: 2 });
    close(st.sliceSamples(undefined, undefined, 2).sig, [0, 10, 2, 12]);
    expect((await caught(() => s.sliceSamples(0, 5, 0))).message).toMatch(/step must not be 0/);
  });
});

describe('generators and the default server agree on the rate', () => {
  it('a generated signal is at defaults.samplerate', () => {
    expect(Signal.sine().samplerate).toBe(defaults.samplerate);
    expect(Signal.noise({ dur: 0.01 }).samplerate).toBe(defaults.samplerate);
  });
});

describe('save', () => {
  it('writes WAV, FLAC, AIFF and AU by their names; refuses a lossy one (nothing written), rather than WAV bytes under it', async () => {
    const { mkdtempSync, rmSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ringstream-save-'));
    try {
      for (const ext of ['flac', 'aiff', 'au']) {
        await src().save(join(dir, `x.${ext}`));
        expect((await Signal.load(join(dir, `x.${ext}`))).sig.length, ext).toBe(8);
      }
      for (const ext of ['ogg', 'mp3']) {
        const path = join(dir, `x.${ext}`);
        const e = await caught(() => src().save(path));
        expect([e.code, e.message]).toEqual([ErrorCode.UNSUPPORTED_FORMAT, expect.stringMatching(/can be read but not written/)]);
        expect(() => statSync(path)).toThrow();
      }
      await src().save(join(dir, 'x.wav'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
