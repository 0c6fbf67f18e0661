import { expect, test } from 'bun:test';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SharedBuffer } from '../../src/index';

test('a SharedBuffer read by a Worker and the main thread independently, under Bun', async () => {
  const total = 4096;
  const buf = new SharedBuffer(1, 1024);
  const sync = new Int32Array(new SharedArrayBuffer(12));
  const w = new Worker(resolve(import.meta.dir, '../fixtures/shared-buffer-reader.js'), {
    workerData: { handle: buf.handle, total, mode: 'follow', slot: 1, sync: sync.buffer },
  });
  try {
    await once(w, 'message');
    const mine = buf.reader();
    const report = once(w, 'message');
    let read = 0;
    for (let k = 0; k < total; k += 512) {
      buf.writeNext(Float32Array.from({ length: 512 }, (_, i) => k + i));
      read += mine.getAudio().length;
      while (Atomics.load(sync, 1) < k + 512) await new Promise((r) => setTimeout(r, 1));
    }
    const [f] = await report;
    expect(read).toBe(total);
    expect(f).toEqual({ got: total, lost: 0, first: 0, last: total - 1, inOrder: true, writeRefused: true });
  } finally {
    await w.terminate();
  }
});
