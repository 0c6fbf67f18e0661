import { expect, test } from 'bun:test';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { OutputStream, RingBuffer } from '../../src/index';

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
