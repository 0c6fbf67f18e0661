// OsSom's AudioBuffer: one writer, readers with their own index, across worker_threads.
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ErrorCode, SharedBuffer } from '../src/index';
import { caught } from './helpers';

const fixture = resolve(__dirname, 'fixtures/shared-buffer-reader.js');

describe('SharedBuffer', () => {
  it('two Workers and the main thread read the same frames independently; the one that falls behind is told what it lost', async () => {
    const size = 4096;
    const total = 16 * 1024;
    const buf = new SharedBuffer(1, size);
    const sync = new Int32Array(new SharedArrayBuffer(12)); // [writer done, follower's frames]
    const start = (mode: string) => new Worker(fixture, { workerData: { handle: buf.handle, total, mode, slot: 1, sync: sync.buffer } });
    const [follower, late] = [start('follow'), start('late')];
    try {
      await Promise.all([once(follower, 'message'), once(late, 'message')]); // their readers exist
      const mine = buf.reader();
      const reports = Promise.all([once(follower, 'message'), once(late, 'message')]);
      let read = 0;
      let sum = 0;
      for (let k = 0; k < total; k += 1024) {
        const chunk = Float32Array.from({ length: 1024 }, (_, i) => k + i);
        expect(buf.writeNext(chunk)).toBe(1024);
        for (const v of mine.getAudio()) {
          expect(v).toBe(read++);
          sum += v;
        }
        // The follower keeps up: the writer (who never waits for a reader) is paced here by the test.
        while (Atomics.load(sync, 1) < k + 1024) await new Promise((r) => setTimeout(r, 1));
      }
      Atomics.store(sync, 0, 1);
      Atomics.notify(sync, 0);
      const [[f], [l]] = await reports;
      expect(read).toBe(total);
      expect(sum).toBe((total * (total - 1)) / 2);
      expect(mine.lost).toBe(0);
      expect(f).toEqual({ got: total, lost: 0, first: 0, last: total - 1, inOrder: true, writeRefused: true });
      // The late reader saw only the newest `size` frames; the rest is counted, not silent.
      expect(l).toEqual({ got: size, lost: total - size, first: total - size, last: total - 1, inOrder: true, writeRefused: true });
      expect(buf.written).toBe(total);
      expect(buf.isFull).toBe(true);
      expect(buf.widx).toBe(0);
    } finally {
      await Promise.all([follower.terminate(), late.terminate()]);
    }
  });

  it("OsSom's widx / isFull / readyToRead; bad input is ERR_INVALID_ARG", async () => {
    const buf = new SharedBuffer(2, 4);
    const r = buf.reader();
    expect([buf.widx, buf.isFull, r.readyToRead]).toEqual([0, false, 0]);
    buf.writeNext(new Float32Array([1, 1, 2, 2, 3, 3]));
    expect([buf.widx, buf.isFull, r.readyToRead]).toEqual([3, false, 3]);
    expect(r.getAudio(2, true)).toEqual(new Float32Array([1, 1, 2, 2]));
    expect(r.readyToRead).toBe(1);
    for (const bad of [
      () => new SharedBuffer(0, 4),
      () => new SharedBuffer(2, 1.5),
      () => buf.writeNext(new Float32Array(3)), // half a frame
      () => buf.writeNext([1, 2] as never),
      () => r.getAudio(-1),
      () => r.getAudio(1, false),
      () => SharedBuffer.fromHandle({ ringstream: 'RingBuffer', id: 1 } as never),
      () => SharedBuffer.fromHandle({ ringstream: 'SharedBuffer', id: 1e6 }),
    ]) {
      expect((await caught(bad)).code).toBe(ErrorCode.INVALID_ARG);
    }
  });
});
