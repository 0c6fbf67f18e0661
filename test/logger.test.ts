// OsSom's Logger and Now, and its chapter 4 example: RMS and dB per block
// of what a stream plays, logged from a Monitor.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger, Monitor, Now, OutputStream, util } from '../src/index';
import { caught } from './helpers';

describe("OsSom's Logger and Now", () => {
  it('Now reads a date as OsSom does (wday 0 is Monday)', () => {
    const t = new Now(new Date(2026, 11, 7, 4, 5, 15)); // a Monday
    expect([t.year, t.month, t.day, t.wday, t.hour, t.min, t.sec]).toEqual([2026, 12, 7, 0, 4, 5, 15]);
    expect(String(t)).toMatch(/^2026-12-07 04:05:15 GMT[+-]\d\d:\d\d$/);
  });

  it('writes the header, stamped lines and the end tag; logs RMS and dB per block from a Monitor', async () => {
    const name = join(mkdtempSync(join(tmpdir(), 'ringstream-log-')), 'levels');
    const log = new Logger({ name, title: 'RMS and dB per block', logend: 'D End.' });
    expect(log.path).toBe(`${name}.log`);
    log.startLog();
    const stream = new OutputStream({ device: 'virtual:null', channels: 2, samplerate: 48000, speed: 4 });
    const levels: number[][] = [];
    const mon = new Monitor(
      stream,
      ({ frames, channels }) => {
        if (frames.length === 0) return;
        const rms = util.rms(frames, channels);
        levels.push(util.dB(rms));
        log.log(`frames=${frames.length / channels}\tRMS=${rms.map((x) => x.toFixed(4))}\tdB=${util.dB(rms).map((x) => x.toFixed(1))}`);
      },
      { interval: 0.05 },
    );
    await stream.play(new Float32Array(2 * 48000).fill(0.25));
    mon.stop();
    await stream.close();
    log.endLog();
    const lines = log.read().trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['RMS and dB per block', String(log.time)]);
    expect(lines.at(-1)).toBe('D End.');
    expect(lines.length - 3).toBe(levels.length);
    expect(levels.length).toBeGreaterThan(0);
    // A full block of 0.25 reads 20 log10(0.25) = -12.04 dB on both channels.
    expect(levels.some((l) => l.every((d) => Math.abs(d - 20 * Math.log10(0.25)) < 0.01))).toBe(true);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT[+-]\d\d:\d\d\tframes=\d+\tRMS=/);
    expect((await caught(() => log.log(5 as never))).code).toBe('ERR_INVALID_ARG');
  });
});
