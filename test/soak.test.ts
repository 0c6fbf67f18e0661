// A 20-second soak (scripts/soak.js, in a child process): duplex streaming
// on virtual:loopback at 100x, consumed with chunks(), while a
// MixerAndRecorder on the same card plays and records. `npm run soak` runs
// the same for 10 minutes.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface SoakResult {
  framesChecked: number;
  counterErrors: number;
  leadingSilence: number;
  roundTrip: number;
  inFlight: number;
  xruns: number;
  mixerXruns: number;
  mixer: { scheduled: number; ok: number; bad: number; delays: number[] };
  rssMB: { start: number; end: number; max: number };
  failures: string[];
}

describe('soak', () => {
  it('20 s at 100x: no xrun, every counter frame back in order, mixer takes exact, RSS flat', () => {
    const run = spawnSync(process.execPath, [resolve(__dirname, '../scripts/soak.js'), '--seconds', '20'], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as SoakResult;
    expect(r.failures).toEqual([]);
    expect(r.xruns).toBe(0);
    expect(r.mixerXruns).toBe(0);
    expect(r.counterErrors).toBe(0);
    // 20 s at 100x is 2000 s of audio; a loaded 2-core machine manages about 30x: ask for 10x.
    expect(r.framesChecked).toBeGreaterThan(200 * 48_000);
    expect(r.leadingSilence).toBe(r.roundTrip);
    expect(r.mixer.ok).toBe(r.mixer.scheduled);
    expect(r.mixer.ok).toBeGreaterThan(50);
    expect(r.mixer.delays.length).toBe(1);
    expect(r.rssMB.end - r.rssMB.start).toBeLessThan(50);
  }, 120_000);
});
