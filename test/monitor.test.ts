// OsSom's Monitor: the newest frames of a running stream, off the audio thread.
import { describe, expect, it } from 'vitest';
import { ErrorCode, Mixer, Monitor, OutputStream, type MonitorFrames } from '../src/index';
import { caught, closeAfterEach } from './helpers';

const track = closeAfterEach();

describe('Monitor', () => {
  it('hands the newest interval * samplerate frames of what an OutputStream plays, and stops', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 2, blocksize: 256 }));
    const sr = s.samplerate;
    const sig = new Float32Array(2 * sr);
    for (let i = 0; i < sr; i++) {
      sig[2 * i] = 0.5 * Math.sin((2 * Math.PI * 100 * i) / sr);
      sig[2 * i + 1] = 0.25;
    }
    const calls: MonitorFrames[] = [];
    const mon = new Monitor(s, (m) => calls.push({ ...m, frames: m.frames.slice() }), { interval: 0.05 });
    const p = s.play(sig);
    await new Promise((r) => setTimeout(r, 400));
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
    m.playBuffer(new Float32Array(4800).fill(0.75), 1);
    await m.wait();
    await new Promise((r) => setTimeout(r, 80));
    mon.stop();
    expect(seen).toBe(0.75);
    expect((await caught(() => new Monitor(m, () => undefined, { interval: 0 }))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => new Monitor(m, () => undefined, { intervall: 1 } as never))).message).toMatch(/'interval'/);
  });
});
