// OsSom's Monitor in another process: a WorkerMonitor's function runs in a
// worker_threads Worker fed by a ring, so a stuck monitor never stalls the main thread.
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ErrorCode, OutputStream, serveMonitor, WorkerMonitor } from '../src/index';
import { caught, closeAfterEach } from './helpers';

const track = closeAfterEach();
const fixture = resolve(__dirname, 'fixtures/monitor-worker.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Report {
  peak?: number;
  frames?: number;
  channels?: number;
  dropped?: number;
  hook?: string;
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('WorkerMonitor', () => {
  it('runs the function in a Worker: stuck there, the main thread runs on, and the drops are counted', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 2, blocksize: 256 }));
    const gate = new Int32Array(new SharedArrayBuffer(8));
    const mon = new WorkerMonitor(s, fixture, { interval: 0.05, autostart: false, workerData: { gate: gate.buffer } });
    mon.start();
    const got: Report[] = [];
    await until('the Worker', () => mon.worker !== undefined);
    // The monitor's own messages carry a `ringstreamMonitor` key.
    mon.worker!.on('message', (m: Report) => void ('ringstreamMonitor' in m || got.push(m)));
    const sig = new Float32Array(2 * 3 * s.samplerate).fill(0.5);
    const played = s.play(sig);
    await until('a call', () => got.some((m) => m.peak === 0.5));
    const call = got.find((m) => m.peak === 0.5)!;
    expect(call.channels).toBe(2);
    expect(call.frames).toBeLessThanOrEqual(2 * 0.05 * s.samplerate);
    // (A loaded machine may xrun while the Worker starts; what counts is the stuck time.)
    const [xruns, played0] = [s.xruns, s.frameCount];
    Atomics.store(gate, 0, 1); // the next call sticks
    await until('the Worker to be stuck', () => Atomics.load(gate, 1) === 1);
    const calls = got.length;
    // The main thread runs 60 timers while the monitor is stuck (the
    // ring, four windows rounded up to a power of two: 0.34 s, fills up, so the tap drops frames).
    let ticks = 0;
    for (let i = 0; i < 60; i++) {
      await sleep(10);
      ticks++;
    }
    expect(ticks).toBe(60);
    expect(Atomics.load(gate, 1)).toBe(1);
    expect(got.length).toBe(calls); // no call while stuck
    expect(s.frameCount - played0).toBeGreaterThan(0.3 * s.samplerate); // the stream played on
    expect(s.xruns).toBe(xruns); // and never noticed: the drops are the monitor's
    Atomics.store(gate, 0, 0);
    Atomics.notify(gate, 0);
    await until('a call reporting the drops', () => got.slice(calls).some((m) => (m.dropped ?? 0) > 0));
    mon.stop();
    await mon.wait();
    expect(got[0]).toEqual({ hook: 'setup' });
    expect(got.at(-1)).toEqual({ hook: 'tearDown' });
    expect(mon.worker).toBeUndefined();
    expect(mon.running).toBe(false);
    await played;
  });

  it('wait() rejects with what the Worker threw, after its tearDown; misuse is ERR_INVALID_ARG', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
    const gate = new SharedArrayBuffer(8);
    const mon = new WorkerMonitor(s, fixture, { interval: 0.02, workerData: { gate, fail: true } });
    void s.play(new Float32Array(s.samplerate));
    await expect(mon.wait()).rejects.toThrow('meter broke');
    expect(mon.running).toBe(false);
    expect((await caught(() => serveMonitor(() => undefined))).code).toBe(ErrorCode.INVALID_ARG); // not in a monitor's Worker
    expect((await caught(() => new WorkerMonitor(s, 5 as never))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('a tearDown that never settles: wait() rejects with ERR_TIMEOUT naming tearDown once tearDownTimeout passed, and the Worker is ended', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
    const gate = new SharedArrayBuffer(8);
    const mon = new WorkerMonitor(s, fixture, { interval: 0.02, tearDownTimeout: 0.3, workerData: { gate, hangTearDown: true } });
    const w = await serving(mon);
    const exited = once(w, 'exit');
    mon.stop();
    const t0 = Date.now();
    const err = await caught(() => mon.wait());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(err.code).toBe(ErrorCode.TIMEOUT);
    expect(err.message).toMatch(/tearDown.*tearDownTimeout \(0\.3 s\)/);
    await exited; // terminated, not left running
    expect(mon.worker).toBeUndefined();
    expect(mon.running).toBe(false);
  });

  it("stop() then start(): the new run is its own, whatever the old run's Worker does after (its exit)", async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
    const gate = new SharedArrayBuffer(8);
    // The old run's Worker is abandoned (its tearDown hangs) and exits while the new run's Worker is in setup.
    const workerData = { gate, hangTearDown: true, setupMs: 300 };
    const mon = new WorkerMonitor(s, fixture, { interval: 0.02, tearDownTimeout: 0.2, workerData });
    const old = await serving(mon);
    const oldExit = once(old, 'exit');
    mon.stop();
    await expect(mon.wait()).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    mon.start();
    await until('the second Worker', () => mon.worker !== undefined && mon.worker !== old);
    const fresh = mon.worker!;
    await oldExit;
    // Calls come only once the new run served: an old exit taken for the new Worker's would have ended it.
    expect(await serving(mon)).toBe(fresh);
    expect(mon.running).toBe(true);
    mon.stop();
    await expect(mon.wait()).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
  });
});

/** The run's Worker once it serves: a call has come (calls start after its setup answered). */
async function serving(mon: WorkerMonitor): Promise<Worker> {
  await until('the Worker', () => mon.worker !== undefined);
  const w = mon.worker!;
  let calls = 0;
  const count = (m: Report) => void (m.frames !== undefined && calls++);
  w.on('message', count);
  await until('a call', () => calls > 0);
  w.off('message', count);
  return w;
}
