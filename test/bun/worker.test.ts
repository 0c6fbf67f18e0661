import { expect, test } from 'bun:test';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ErrorCode, OutputStream, RingBuffer } from '../../src/index';

test('a worker_threads Worker feeds a ring that a stream plays, under Bun', async () => {
  const sr = 48_000;
  const frames = sr;
  const ring = RingBuffer.forFrames(1, 16_384);
  const worker = new Worker(resolve(import.meta.dir, '../fixtures/synth-worker.js'), {
    workerData: { handle: ring.handle, samplerate: sr, frames },
  });
  try {
    await once(worker, 'message');
    const s = new OutputStream({ device: 'virtual:null', channels: 1, samplerate: sr, blocksize: 512, speed: 4 });
    await s.play(ring, { frames });
    expect(s.xruns).toBe(0);
    expect(s.frameCount).toBeGreaterThanOrEqual(frames);
    await s.close();
  } finally {
    await worker.terminate();
  }
});

test('play(ring) on an empty ring starts when a Worker writes into it, under Bun', async () => {
  const frames = 12_000;
  const ring = RingBuffer.forFrames(1, 4096);
  const worker = new Worker(resolve(import.meta.dir, '../fixtures/late-worker.js'), {
    workerData: { handle: ring.handle, delay: 200, frames },
  });
  try {
    const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 4 });
    const done = once(worker, 'message');
    const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('play(ring) never started')), 20_000));
    await Promise.race([s.play(ring, { untilDone: true }), hung]);
    expect((await done)[0].done).toBe(frames);
    expect(s.frameCount).toBeGreaterThanOrEqual(frames);
    await s.close();
  } finally {
    await worker.terminate();
  }
}, 30_000);

test('a ring whose writer Worker ended, or was terminated, can be written again, under Bun', async () => {
  for (const then of ['exit', 'block']) {
    const ring = RingBuffer.forFrames(1, 64);
    const worker = new Worker(resolve(import.meta.dir, '../fixtures/late-worker.js'), { workerData: { handle: ring.handle, then } });
    await once(worker, 'message');
    let code: string | undefined;
    try {
      ring.write(new Float32Array(1));
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe(ErrorCode.INVALID_ARG);
    if (then === 'block') await worker.terminate();
    else await Promise.all([once(worker, 'exit'), worker.postMessage('end')]);
    expect(ring.write(new Float32Array([0.25]))).toBe(1);
  }
});
