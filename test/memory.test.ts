// Creating and closing 10,000 streams and 100,000 RingBuffers, without
// gc(), leaves RSS within 150 MB of the start (scripts/memory.js, in a
// child process so that the figures are its own).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('memory', () => {
  it('10,000 streams and 100,000 rings made and dropped: RSS within 150 MB of the start', () => {
    const run = spawnSync(process.execPath, [resolve(__dirname, '../scripts/memory.js')], { encoding: 'utf8', timeout: 90_000 });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { growthMB: number; streams: { started: number } };
    expect(r.streams.started).toBe(1000);
    expect(r.growthMB).toBeLessThan(150);
  }, 120_000);
});
