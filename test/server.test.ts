// pya's Aserver / Arecorder on the virtual loopback card.
import { describe, expect, it } from 'vitest';
import { Arecorder, ErrorCode, Server, Signal } from '../src/index';
import { caught } from './helpers';

describe('Server and Arecorder', () => {
  it("two plays with onsets 0.25 s apart land exactly 12000 frames apart in an Arecorder's take", async () => {
    const opts = { device: 'virtual:loopback', samplerate: 48_000, blocksize: 256, channels: 2, speed: 4 } as const;
    const server = await new Server(opts).boot();
    const rec = await new Arecorder(opts).boot();
    try {
      rec.record();
      const click = new Signal(new Float32Array([0.5, 0, 0, 0]), { samplerate: 48_000 });
      // Onsets count from one "now" for plays issued together.
      const a = server.play(click, { onset: 0.1, out: 1 });
      const b = server.play(click, { onset: 0.35, out: 1 });
      const c = await click.play({ server, onset: 0.5 }); // Signal.play, on channel 1 (not kept below)
      await Promise.all([a.done, b.done, c.done]);
      await new Promise((r) => setTimeout(r, 60)); // the loopback's latency, at speed 4
      rec.setTracks([1], [6]);
      const take = await rec.stop();
      expect(rec.recordings).toEqual([take]);
      expect(take.channels).toBe(1);
      const at: number[] = [];
      take.sig.forEach((v, i) => v > 0.25 && at.push(i));
      expect(at).toHaveLength(2);
      expect(at[1] - at[0]).toBe(12_000);
      expect(take.sig[at[0]]).toBeCloseTo(0.5 * 10 ** (6 / 20), 5); // +6 dB on the track
    } finally {
      await server.quit();
      await rec.quit();
    }
  });

  it('says what is wrong: not booted, a foreign rate, bad tracks', async () => {
    const s = new Server({ device: 'virtual:null', speed: 8 });
    expect((await caught(() => s.play(new Float32Array(4)))).message).toMatch(/not booted/);
    await s.boot();
    const other = new Signal(new Float32Array(8), { samplerate: 44_100 });
    expect((await caught(() => s.play(other))).message).toMatch(/44100 Hz .* 48000 Hz/);
    await s.quit();
    const r = new Arecorder({ device: 'virtual:null' });
    expect((await caught(() => r.setTracks([]))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => r.setTracks([0, 1], [0]))).code).toBe(ErrorCode.INVALID_ARG);
  });
});
