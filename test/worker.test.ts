// Rings shared with worker threads (OsSom's AudioBuffer, the JavaScript way).
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, OutputStream, RingBuffer } from '../src/index';
import { caught, closeAfterEach } from './helpers';

const track = closeAfterEach();
const fixture = resolve(__dirname, 'fixtures/synth-worker.js');

describe('rings in worker threads', () => {
  it('a Worker feeding a 0.68 s ring keeps a stream playing through a 1 s main-thread stall, with no xrun', async () => {
    const sr = 48_000;
    const frames = 3 * sr;
    // 0.68 s: less than the stall, so only the Worker can keep it fed, and
    // enough that a loaded 2-core machine starving the Worker for a few
    // hundred ms (a parallel test file) is not taken for the property failing.
    const ring = RingBuffer.forFrames(1, 32_768);
    const worker = new Worker(fixture, { workerData: { handle: ring.handle, samplerate: sr, frames } });
    try {
      await once(worker, 'message'); // filled
      // The worker holds the writer role: a second writer is refused.
      expect((await caught(() => ring.write(new Float32Array(1)))).code).toBe(ErrorCode.INVALID_ARG);
      // 'high' latency: the virtual card counts its clock thread waking later than the latency as
      // an xrun, and a loaded machine wakes it more than 'low''s 20 ms late (6 such at load 12).
      const s = track(new OutputStream({ device: 'virtual:null', channels: 1, samplerate: sr, blocksize: 512, latency: 'high' }));
      // Exactly `frames` frames: a ring that ran dry early would reject with ERR_BUFFER_EMPTY.
      const played = s.play(ring, { frames });
      await new Promise((r) => setTimeout(r, 100));
      const until = performance.now() + 1000;
      while (performance.now() < until); // the main thread is stuck for a second
      const [msg] = await once(worker, 'message');
      expect(msg.done).toBe(frames);
      await played;
      expect(s.xruns).toBe(0);
      expect(s.frameCount).toBeGreaterThanOrEqual(frames);
    } finally {
      await worker.terminate();
    }
  });

  it('a stream records into a ring that a Worker drains', async () => {
    const s = track(new DuplexStream({ device: 'virtual:loopback', channels: 1, blocksize: 256, speed: 4 }));
    const frames = 24_000;
    const ring = RingBuffer.forFrames(1, 8192);
    const worker = new Worker(resolve(__dirname, 'fixtures/drain-worker.js'), { workerData: { handle: ring.handle, frames } });
    try {
      await once(worker, 'message'); // the worker holds the reader role now
      const trip = Math.round((s.latency[0] + s.latency[1]) * s.samplerate);
      const sig = new Float32Array(frames - trip).fill(0.25);
      const done = once(worker, 'message');
      await s.playrec(sig, { out: ring, pad: trip });
      const [msg] = await done;
      expect(msg.frames).toBe(frames);
      expect(msg.sum).toBeCloseTo(0.25 * (frames - trip), 1); // every played frame reached the worker
      expect(msg.first).toBe(0); // the round trip's silence first
      expect(msg.last).toBe(0.25);
      expect(s.xruns).toBe(0);
    } finally {
      await worker.terminate();
    }
  });

  it("play(ring) on an empty ring starts when a Worker writes into it (no write through this thread's object)", async () => {
    const sr = 48_000;
    const frames = 12_000;
    const ring = RingBuffer.forFrames(1, 4096);
    const worker = new Worker(resolve(__dirname, 'fixtures/late-worker.js'), { workerData: { handle: ring.handle, delay: 200, frames } });
    try {
      const s = track(new OutputStream({ device: 'virtual:null', channels: 1, samplerate: sr, blocksize: 256, speed: 4 }));
      const done = once(worker, 'message');
      const played = s.play(ring, { untilDone: true });
      // A hang is what this test catches: give it 20 s, then fail.
      const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('play(ring) never started')), 20_000).unref());
      await Promise.race([played, hung]);
      expect((await done)[0].done).toBe(frames);
      expect(s.frameCount).toBeGreaterThanOrEqual(frames);
    } finally {
      await worker.terminate();
    }
  });

  it('a ring whose writer Worker ended, or was terminated, can be written again', async () => {
    for (const then of ['exit', 'block']) {
      const ring = RingBuffer.forFrames(1, 64);
      const worker = new Worker(resolve(__dirname, 'fixtures/late-worker.js'), { workerData: { handle: ring.handle, then } });
      await once(worker, 'message');
      // The worker holds the writer role while it lives.
      expect((await caught(() => ring.write(new Float32Array(1)))).code).toBe(ErrorCode.INVALID_ARG);
      if (then === 'block') await worker.terminate();
      else await Promise.all([once(worker, 'exit'), worker.postMessage('end')]);
      expect(ring.write(new Float32Array([0.25]))).toBe(1);
      expect(Array.from(new Float32Array(ring.read().buffer))).toEqual([0.5, 0.25]);
    }
  });

  it('after its handle was read, a ring this thread has read from can still be played', async () => {
    const ring = RingBuffer.forFrames(1, 1024);
    void ring.handle;
    ring.write(new Float32Array(8).fill(0.5));
    expect(ring.readInto(new Float32Array(4))).toBe(4);
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 4 }));
    await s.play(ring, { frames: 4 });
    expect(ring.readAvailable).toBe(0);
    // The thread reads it again once the stream is done with it.
    ring.write(new Float32Array(2));
    expect(ring.readInto(new Float32Array(2))).toBe(2);
  });

  it('fromHandle() maps the same memory; a released ring or a foreign value is ERR_INVALID_ARG', async () => {
    const a = RingBuffer.forFrames(2, 64);
    const b = RingBuffer.fromHandle(a.handle);
    a.write(new Float32Array([1, 2, 3, 4]));
    expect(b.readAvailable).toBe(2);
    expect(Array.from(new Float32Array(b.read().buffer))).toEqual([1, 2, 3, 4]);
    expect((await caught(() => RingBuffer.fromHandle({ id: 1 } as never))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => RingBuffer.fromHandle({ ...a.handle, bell: new ArrayBuffer(8) as never }))).code).toBe(
      ErrorCode.INVALID_ARG,
    );
    expect((await caught(() => RingBuffer.fromHandle({ ringstream: 'RingBuffer', id: 999_999, elementSize: 4, size: 4 }))).message).toMatch(
      /released/,
    );
  });
});
