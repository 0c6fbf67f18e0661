import { expect, test } from 'bun:test';
import { resolve } from 'node:path';
import { OutputStream, WorkerMonitor } from '../../src/index';

test('a WorkerMonitor calls its function in a worker_threads Worker, under Bun', async () => {
  const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 });
  const gate = new SharedArrayBuffer(8);
  const mon = new WorkerMonitor(s, resolve(import.meta.dir, '../fixtures/monitor-worker.js'), { interval: 0.05, workerData: { gate } });
  const got: { peak?: number; hook?: string }[] = [];
  while (mon.worker === undefined) await new Promise((r) => setTimeout(r, 5));
  mon.worker.on('message', (m: { peak?: number; hook?: string }) => void ('ringstreamMonitor' in m || got.push(m)));
  const played = s.play(new Float32Array(s.samplerate).fill(0.5));
  for (let i = 0; i < 1000 && !got.some((m) => m.peak === 0.5); i++) await new Promise((r) => setTimeout(r, 10));
  mon.stop();
  await mon.wait();
  await played;
  await s.close();
  expect(got.some((m) => m.peak === 0.5)).toBe(true);
  expect(got[0]).toEqual({ hook: 'setup' });
  expect(got.at(-1)).toEqual({ hook: 'tearDown' });
});
