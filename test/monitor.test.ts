// OsSom's Monitor: the newest frames of a running stream, off the audio thread.
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, Mixer, Monitor, OutputStream, type MonitorFrames } from '../src/index';
import { caught, closeAfterEach, until } from './helpers';

const track = closeAfterEach();

describe('Monitor', () => {
  it('hands the newest interval * samplerate frames of what an OutputStream plays, and stops', async () => {
    // 'high' latency: the card counts its clock thread waking later than the latency as an xrun,
    // and a loaded machine wakes it more than 'low''s 20 ms late.
    const s = track(new OutputStream({ device: 'virtual:null', channels: 2, blocksize: 256, latency: 'high' }));
    const sr = s.samplerate;
    const sig = new Float32Array(2 * sr);
    for (let i = 0; i < sr; i++) {
      sig[2 * i] = 0.5 * Math.sin((2 * Math.PI * 100 * i) / sr);
      sig[2 * i + 1] = 0.25;
    }
    const calls: MonitorFrames[] = [];
    const mon = new Monitor(s, (m) => calls.push({ ...m, frames: m.frames.slice() }), { interval: 0.05 });
    const p = s.play(sig);
    // Calls counted, not timed: a loaded machine runs the monitor's timer late.
    await until(() => calls.length >= 4 && calls.filter((c) => c.frames.length === 2 * 0.05 * sr).length >= 2);
    mon.stop();
    const n = calls.length;
    await p;
    await new Promise((r) => setTimeout(r, 120));
    expect(calls.length).toBe(n); // no call after stop()
    expect(n).toBeGreaterThanOrEqual(4);
    const full = calls.filter((c) => c.frames.length === 2 * 0.05 * sr);
    expect(full.length).toBeGreaterThanOrEqual(2);
    const last = full[full.length - 1];
    expect(last.channels).toBe(2);
    let peak = 0;
    for (let i = 0; i < last.frames.length; i += 2) peak = Math.max(peak, Math.abs(last.frames[i]));
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThanOrEqual(0.5);
    expect(last.frames[1]).toBe(0.25);
    expect(s.xruns).toBe(0);
  });

  it('works over a Mixer; bad options are ERR_INVALID_ARG', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    await m.start();
    let seen = 0;
    const mon = new Monitor(m, (f) => (seen = Math.max(seen, ...f.frames)), { interval: 0.02 });
    // A second of it (not 0.1 s), so that a monitor whose timer a loaded machine delays still
    // sees it: it hands the newest frames, not every frame.
    m.playBuffer(new Float32Array(48_000).fill(0.75), 1);
    await m.wait();
    await new Promise((r) => setTimeout(r, 80));
    mon.stop();
    expect(seen).toBe(0.75);
    expect((await caught(() => new Monitor(m, () => undefined, { interval: 0 }))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => new Monitor(m, () => undefined, { intervall: 1 } as never))).message).toMatch(/'interval'/);
  });
});

describe("Monitor's lifecycle (OsSom's setup / tearDown / start / wait)", () => {
  it('created stopped, it taps nothing until start(); setup runs before the first call and tearDown after the last', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    const log: string[] = [];
    let frames = 0;
    const mon = new Monitor(
      s,
      (m) => {
        log.push('call');
        frames += m.frames.length;
      },
      { interval: 0.02, autostart: false, setup: () => void log.push('setup'), tearDown: async () => void log.push('tearDown') },
    );
    expect(mon.running).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(log).toEqual([]); // nothing before start()
    mon.start();
    mon.start(); // running: nothing more
    const p = s.play(new Float32Array(48_000).fill(0.5));
    // Two calls while it plays, counted rather than timed (a loaded machine runs the timer late).
    await until(() => log.filter((l) => l === 'call').length >= 2);
    mon.stop();
    const n = log.length;
    await mon.wait();
    await p;
    await new Promise((r) => setTimeout(r, 60));
    expect(log[0]).toBe('setup');
    expect(log.at(-1)).toBe('tearDown');
    expect(log[n - 1]).toBe('tearDown'); // run by stop() itself here (a synchronous start)
    expect(log.length).toBe(n); // no call after stop()
    expect(log.filter((l) => l === 'call').length).toBeGreaterThanOrEqual(2);
    expect(frames).toBeGreaterThan(0);
    // Started again, as OsSom's monitor for the next recording: the hooks run once more.
    mon.start();
    await new Promise((r) => setTimeout(r, 50));
    mon.stop();
    await mon.wait();
    expect(log.filter((l) => l === 'setup').length).toBe(2);
    expect(log.filter((l) => l === 'tearDown').length).toBe(2);
  });

  it('untilFinished: wait() resolves when the play ends, after a last call with its tail; a subclass overrides the hooks', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    class LogMonitor extends Monitor {
      lines: string[] = [];
      override setup() {
        this.lines.push('open');
      }
      override tearDown() {
        this.lines.push('close');
      }
    }
    const marks: boolean[] = [];
    const mon = new LogMonitor(s, (m) => marks.push(m.frames.includes(0.125)), { interval: 0.5, untilFinished: true });
    const sig = new Float32Array(4800).fill(0.5);
    sig.fill(0.125, 4790); // the tail's mark
    await s.play(sig);
    await mon.wait();
    expect(mon.running).toBe(false);
    expect(mon.lines).toEqual(['open', 'close']);
    expect(marks).toEqual([true]); // one call, the last, saw the tail (0.1 s played, before any interval)
  });

  it('ends when the stream closes; a throwing function ends it and wait() rejects with its error', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    let down = 0;
    const mon = new Monitor(s, () => undefined, { interval: 0.02, tearDown: () => void down++ });
    await s.start();
    await s.close();
    await mon.wait();
    expect(down).toBe(1);
    expect((await caught(() => mon.start())).code).toBe(ErrorCode.STREAM_CLOSED);
    const t = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    const bad = new Monitor(
      t,
      () => {
        throw new Error('meter broke');
      },
      { interval: 0.02, tearDown: () => void down++ },
    );
    void t.play(new Float32Array(4800));
    await expect(bad.wait()).rejects.toThrow('meter broke');
    expect(down).toBe(2);
    expect(bad.running).toBe(false);
  });

  it('stop() then start() while the first setup is pending: the first run starts no timer, and the end leaves none', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    const setups: (() => void)[] = [];
    const setup = () => new Promise<void>((res) => setups.push(res));
    const calls: number[] = [];
    const mon = new Monitor(s, (m) => void calls.push(m.time), { interval: 0.02, autostart: false, setup });
    const timers = new Set<unknown>();
    const set = vi.spyOn(globalThis, 'setInterval');
    const clear = vi.spyOn(globalThis, 'clearInterval');
    try {
      mon.start();
      await new Promise((r) => setTimeout(r, 20));
      expect(setups.length).toBe(1); // the first run's setup is pending
      mon.stop();
      await mon.wait();
      mon.start();
      await new Promise((r) => setTimeout(r, 20));
      expect(setups.length).toBe(2);
      setups[0]!(); // the first run's setup settles after its run ended
      setups[1]!();
      await new Promise((r) => setTimeout(r, 100));
      expect(mon.running).toBe(true);
      expect(calls.length).toBeGreaterThan(0);
      for (const r of set.mock.results) timers.add(r.value);
      expect(timers.size).toBe(1); // the second run's timer only
      mon.stop();
      await mon.wait();
      const n = calls.length;
      await new Promise((r) => setTimeout(r, 100));
      expect(calls.length).toBe(n);
      for (const [t] of clear.mock.calls) timers.delete(t);
      expect(timers.size).toBe(0); // every timer started was stopped
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });

  it('a tearDown that never settles: wait() rejects with ERR_TIMEOUT naming tearDown after tearDownTimeout', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 128 }));
    const mon = new Monitor(s, () => undefined, {
      interval: 0.02,
      tearDownTimeout: 0.2,
      tearDown: () => new Promise<void>(() => undefined),
    });
    await new Promise((r) => setTimeout(r, 50));
    mon.stop();
    const t0 = Date.now();
    const err = await caught(() => mon.wait());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(err.code).toBe(ErrorCode.TIMEOUT);
    expect(err.message).toMatch(/tearDown.*tearDownTimeout \(0\.2 s\)/);
    expect(mon.running).toBe(false);
    // Started again, it runs (and with a tearDown that hangs, ends the same way).
    mon.start();
    expect(mon.running).toBe(true);
    mon.stop();
    await expect(mon.wait()).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
  });
});
