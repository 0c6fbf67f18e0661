// The stream clock, the latency in effect, what the virtual device counts as
// an xrun, prebuffering of JS-fed sources, the Writable adapter's end, and
// the system-default host.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DuplexStream, OutputStream, RingBuffer } from '../src/index';
import { closeAfterEach, findDelay, noise } from './helpers';

const track = closeAfterEach();
const root = resolve(__dirname, '..');

describe('stream.time (Pa_GetStreamTime)', () => {
  it('is monotonic and moves between callbacks with sub-millisecond resolution', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 4096 }));
    const p = s.play(new Float32Array(48_000 * 5));
    await new Promise((r) => setTimeout(r, 200));
    // Sample the clock for 150 ms. Blocks are 4096 frames (85 ms): a clock that moved in
    // whole blocks would show at most 3 distinct values.
    const seen: number[] = [];
    const end = performance.now() + 150;
    while (performance.now() < end) seen.push(s.time);
    let backwards = 0;
    for (let i = 1; i < seen.length; i++) if (seen[i] < seen[i - 1]) backwards++;
    expect(backwards).toBe(0);
    const distinct = new Set(seen).size;
    expect(distinct).toBeGreaterThan(100);
    // Smallest positive step well under a millisecond.
    let step = Infinity;
    for (let i = 1; i < seen.length; i++) if (seen[i] > seen[i - 1]) step = Math.min(step, seen[i] - seen[i - 1]);
    expect(step).toBeLessThan(0.001);
    // It advances with the audio the device processes (within a block each
    // way), even when a loaded machine makes the device fall behind wall time.
    const t0 = s.time;
    const f0 = s.frameCount;
    await new Promise((r) => setTimeout(r, 300));
    const dt = s.time - t0;
    const df = (s.frameCount - f0) / 48_000;
    expect(Math.abs(dt - df)).toBeLessThanOrEqual((2 * 4096) / 48_000);
    expect(dt).toBeGreaterThan(0.1);
    await s.abort();
    await p;
  });
});

describe('latency is applied', () => {
  for (const latency of ['low', 'high', 0.05] as const) {
    it(`the virtual loopback round trip equals input + output latency, exactly (${latency})`, async () => {
      const s = track(new DuplexStream({ device: 'virtual:loopback', channels: 1, blocksize: 256, speed: Infinity, latency }));
      const [li, lo] = s.latency;
      const trip = Math.round((li + lo) * s.samplerate);
      expect((li + lo) * s.samplerate).toBeCloseTo(trip, 6);
      if (latency === 'high') expect(li).toBeGreaterThanOrEqual(0.1);
      if (latency === 0.05) expect(li).toBeCloseTo(0.05, 6);
      const sig = noise(3000, 3);
      const rec = (await s.playrec(sig, { pad: trip })) as Float32Array;
      expect(findDelay(rec, sig, 1)).toBe(trip);
    });
  }

  it("'low' at real-time pace is two blocks and at least 20 ms each way", () => {
    const s = track(new DuplexStream({ device: 'virtual:loopback', channels: 1, blocksize: 256 }));
    expect(s.latency[0]).toBeCloseTo(Math.max(512 / 48_000, 0.02), 6);
    expect(s.latency[1]).toBeCloseTo(s.latency[0], 9);
  });
});

describe('what the virtual device counts as an xrun', () => {
  it('a wake-up later than a block but within the latency is no xrun; one later than the latency is', async () => {
    // blocksize 256 (5.3 ms), latency 300 ms: a 100 ms stall is absorbed, a 400 ms one is not,
    // and the watchdog's limit (twice the latency) is 200 ms further. (At 'low''s 20 ms, a loaded
    // machine's own late wake-ups were xruns beside the injected one.)
    const ok = track(
      new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, latency: 0.3, faults: { delayBlock: 5, delayMs: 100 } }),
    );
    await ok.play(new Float32Array(256 * 30));
    expect(ok.xruns).toBe(0);
    const late = track(
      new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, latency: 0.3, faults: { delayBlock: 5, delayMs: 400 } }),
    );
    await late.play(new Float32Array(256 * 30));
    expect(late.xruns).toBe(1);
    expect(late.framesLost).toBeGreaterThan(0);
  });

  it('above real time, wall-clock stalls are never xruns', async () => {
    const s = track(
      new DuplexStream({ device: 'virtual:loopback', channels: 1, blocksize: 256, speed: 10, faults: { delayBlock: 5, delayMs: 100 } }),
    );
    await s.playrec(noise(48_000, 5));
    expect(s.xruns).toBe(0);
  });
});

describe('start({ prebuffer })', () => {
  it('waits for the first write into a JS-fed ring (true) or for that many frames (a number)', async () => {
    for (const [pre, need] of [
      [true, 1],
      [3000, 3000],
    ] as const) {
      const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: Infinity }));
      const ring = RingBuffer.forFrames(1, 8192);
      s.setSource(ring);
      let started = false;
      const p = s.start({ prebuffer: pre }).then(() => (started = true));
      await new Promise((r) => setTimeout(r, 30));
      expect(started).toBe(false);
      ring.write(new Float32Array(need - 1)); // one frame short
      await new Promise((r) => setTimeout(r, 30));
      expect(started).toBe(false);
      ring.write(new Float32Array(1));
      await p;
      expect(started).toBe(true);
      await s.abort();
    }
  });
});

describe('toWritable()', () => {
  for (const frames of [40_000, 48_000, 49_152]) {
    it(`ends for any length (${frames} stereo frames) and releases the device`, async () => {
      const s = track(new OutputStream({ device: 'virtual:null', channels: 2, blocksize: 256, speed: 8 }));
      const data = Buffer.from(new Float32Array(frames * 2).fill(0.25).buffer);
      await pipeline(Readable.from([data]), s.toWritable());
      expect(s.frameCount).toBeGreaterThanOrEqual(frames);
      // Played out, and nothing else to do: the stream is no longer running.
      await s.wait(1000);
      expect(s.active).toBe(false);
    });
  }
});

describe('the default host', () => {
  it('falls back to the virtual device with one process warning where no real device exists', () => {
    // An ALSA configuration with no cards: the system has no real device.
    const script = `
      const r = require(${JSON.stringify(root)});
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.code));
      const a = new r.OutputStream({ channels: 1 });
      const b = new r.OutputStream({ channels: 1 });
      setImmediate(async () => {
        console.log(JSON.stringify({ host: a.host, device: a.device, b: b.host, warnings, def: r.defaults.host }));
        await a.close(); await b.close();
      });`;
    // No sound server either: an empty runtime dir hides a PipeWire / PulseAudio session (CI runs one).
    const env: NodeJS.ProcessEnv = { ...process.env, ALSA_CONFIG_PATH: '/dev/null', JACK_NO_START_SERVER: '1' };
    for (const k of ['PIPEWIRE_RUNTIME_DIR', 'PIPEWIRE_REMOTE', 'PULSE_SERVER', 'PULSE_RUNTIME_PATH']) delete env[k];
    env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'rs-no-server-'));
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ host: 'virtual', device: 'virtual:loopback', b: 'virtual' });
    expect(out.def).toBeUndefined(); // defaults.host stays unset: the fallback is per stream
    expect(out.warnings).toEqual(['RINGSTREAM_VIRTUAL_FALLBACK']);
    expect(run.stderr).toMatch(/no real audio device/);
  });
});

describe('meters', () => {
  it('takeLevels() gives each channel its peak since the last call; cpuLoad is a small positive share', async () => {
    const s = track(new DuplexStream({ device: 'virtual:loopback', channels: 2, blocksize: 256, speed: Infinity }));
    const sig = new Float32Array(2 * 4800);
    for (let i = 0; i < 4800; i++) {
      sig[2 * i] = 0.5 * Math.sin(i / 10);
      sig[2 * i + 1] = 0.25 * Math.sin(i / 10);
    }
    const trip = Math.round((s.latency[0] + s.latency[1]) * s.samplerate);
    await s.playrec(sig, { pad: trip });
    const { input, output } = s.takeLevels();
    expect(output[0]).toBeCloseTo(0.5, 3);
    expect(output[1]).toBeCloseTo(0.25, 3);
    expect(input[0]).toBeCloseTo(0.5, 3); // what came back through the loopback
    expect(input[1]).toBeCloseTo(0.25, 3);
    expect(s.takeLevels()).toEqual({ input: [0, 0], output: [0, 0] }); // reset by the call
    expect(s.cpuLoad).toBeGreaterThan(0);
    expect(s.cpuLoad).toBeLessThan(1);
  });
});
