// pya's Aserver / Arecorder on the virtual loopback card.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Arecorder, ErrorCode, Server, Signal } from '../src/index';
import { ensureBuilt, root } from './cli-helpers';
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

  it("resamples a sound at another rate, as pya's Aserver does", async () => {
    const s = await new Server({ device: 'virtual:null', speed: 8 }).boot();
    try {
      const other = Signal.sine({ samplerate: 44_100, samples: 4410 });
      const a = await other.play({ server: s });
      await a.done;
      expect([a.outcome, a.doneFrames]).toEqual(['done', 4800]);
    } finally {
      await s.quit();
    }
  });

  it("lets a script exit by itself once Server.default has played (pya's behaviour)", () => {
    ensureBuilt();
    const script = `const rs = require(${JSON.stringify(join(root, 'dist', 'index.js'))});
rs.defaults.host = 'virtual';
rs.Signal.sine({ dur: 0.2 }).play().then((a) => a.done).then(() => console.log('played'));`;
    const r = spawnSync(process.execPath, ['-e', script], { timeout: 20_000 });
    expect([r.signal, r.status, r.stdout.toString().trim()], r.stderr.toString()).toEqual([null, 0, 'played']);
  });

  it('says what is wrong: not booted, bad tracks', async () => {
    const s = new Server({ device: 'virtual:null', speed: 8 });
    expect((await caught(() => s.play(new Float32Array(4)))).message).toMatch(/not booted/);
    const r = new Arecorder({ device: 'virtual:null' });
    expect((await caught(() => r.setTracks([]))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => r.setTracks([0, 1], [0]))).code).toBe(ErrorCode.INVALID_ARG);
  });
});
