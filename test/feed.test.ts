import { describe, expect, it } from 'vitest';
import { DuplexStream, OutputStream, RingBuffer } from '../src/index';
import { caught, findDelay, noise } from './helpers';

const fast = { device: 'virtual:loopback', blocksize: 256, speed: Infinity } as const;

describe('setSource / setSink with JS functions', () => {
  it('a generator source plays sample-exactly; a function sink receives every block', async () => {
    // Real-time pace: JS feeds and drains the rings as a live program would.
    // Blocks of 1024 frames: a late thread on a loaded machine is no xrun.
    // 'high' latency here and below: at real-time pace the virtual card counts a wake-up later
    // than the latency as an xrun, and a loaded machine wakes its clock thread more than 'low''s
    // 20 ms late; what these tests count is the JS side keeping up.
    // And 1.4 s of ring: the generator, in JS, was held back for more than 8192 frames' 170 ms.
    const s = new DuplexStream({ ...fast, blocksize: 1024, speed: 1, channels: 2, bufferSize: 65_536, latency: 'high' });
    const sig = noise(2 * 30_000, 55);
    const ring = s.setSource(function* () {
      // Odd chunk sizes, so chunk and block boundaries never line up.
      for (let f = 0, k = 0; f < 30_000; k++) {
        const n = Math.min([100, 999, 37, 2500][k % 4], 30_000 - f);
        yield sig.subarray(2 * f, 2 * (f + n));
        f += n;
      }
      // Room for the loopback's round trip ('high' latency at 1024-frame blocks: past 8192 frames):
      // recording ends with the source.
      yield new Float32Array(2 * 16_384);
    });
    expect(ring).toBeInstanceOf(RingBuffer);
    const parts: Float32Array[] = [];
    s.setSink((chunk) => void parts.push(chunk as Float32Array));
    await s.start();
    expect(await s.wait()).toBe(true);
    const rec = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (rec.set(p, at), at + p.length), 0);
    const delay = findDelay(rec, sig, 2);
    expect(delay).toBe(Math.round((s.latency[0] + s.latency[1]) * s.samplerate)); // the reported round trip, exactly
    expect(rec.subarray(2 * delay, 2 * (delay + 30_000))).toEqual(sig);
    expect(s.xruns).toBe(0);
    await s.close();
  });

  it('an async generator with jitter plays at real-time pace without xruns', async () => {
    const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 1024, bufferSize: 8192, latency: 'high' });
    let chunks = 0;
    s.setSource(async function* () {
      for (let i = 0; i < 40; i++) {
        if (i % 7 === 3) await new Promise((r) => setTimeout(r, 30)); // the producer hiccups
        chunks++;
        yield new Float32Array(1200).fill(0.25);
      }
    });
    const t0 = performance.now();
    await s.start();
    await s.wait();
    expect(chunks).toBe(40);
    expect(s.frameCount).toBeGreaterThanOrEqual(48_000);
    expect(s.xruns).toBe(0);
    expect(performance.now() - t0).toBeGreaterThan(900);
    await s.close();
  });

  it('a fill callback keeps the ring topped up until stop()', async () => {
    const s = new OutputStream({
      ...fast,
      device: 'virtual:null',
      channels: 1,
      blocksize: 1024,
      speed: 1,
      bufferSize: 8192,
      latency: 'high',
    });
    let calls = 0;
    s.setSource((ring: RingBuffer) => {
      calls++;
      ring.write(new Float32Array(ring.writeAvailable).fill(0.1));
    });
    await s.start();
    await new Promise((r) => setTimeout(r, 300));
    await s.stop();
    expect(calls).toBeGreaterThan(3);
    expect(s.xruns).toBe(0);
    await s.close();
  });

  it('a typed-array sink is filled from the start; the run ends when it is full', async () => {
    const s = new DuplexStream({ ...fast, channels: 1 });
    const sig = noise(4000, 3);
    s.setSource(sig);
    const out = new Float32Array(3000);
    expect(s.setSink(out)).toBeNull();
    await s.start();
    await s.wait();
    expect(out.subarray(512, 3000)).toEqual(sig.subarray(0, 2488));
    await s.close();
  });

  it('an error thrown by a source generator ends the run with that error', async () => {
    const s = new OutputStream({ ...fast, device: 'virtual:null', channels: 1, bufferSize: 1024 });
    s.setSource(function* () {
      yield new Float32Array(2048);
      throw new Error('the source broke');
    });
    await s.start();
    const e = await caught(() => s.wait());
    expect(e.message).toBe('the source broke');
    expect(s.active).toBe(false);
    await s.close();
  });
});
