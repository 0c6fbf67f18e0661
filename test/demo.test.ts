// The README's first command runs this demo: keep it working and honest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

it('the demo plays and records sample-exactly on the virtual device, with no xrun during a JS stall', () => {
  const out = mkdtempSync(join(tmpdir(), 'ringstream-demo-'));
  try {
    const run = spawnSync(process.execPath, [resolve(__dirname, '../examples/demo.js'), '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/recording sample-exact/);
    expect(run.stdout).toMatch(/stall in JS: xruns 0, underflow false/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

it.each([
  ['metronome', /scheduling error \(frames\): max 0; xruns 0/],
  ['delay', /recorded (\d+) frames, played \1;/],
  ['stats', /blocks of 256\.\.256 frames/],
  ['wav-ring', /played 48000 frames/],
  ['scheduled-record', /\(0 frames off\); recorded 24000 frames/],
])('the mixer example %s runs on the virtual card', (name, expected) => {
  const script = resolve(__dirname, `../examples/mixer/${name}.js`);
  const run = spawnSync(process.execPath, [script, '--speed', '8', '--seconds', '1'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(expected);
});

it('the worker-synth example plays from a worker through a 1 s main-thread stall with no xrun', () => {
  const run = spawnSync(process.execPath, [resolve(__dirname, '../examples/worker-synth.js')], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/1 s main-thread stall: xruns 0/);
});

it('the monitor-log example logs RMS and dB per channel', () => {
  const out = mkdtempSync(join(tmpdir(), 'ringstream-monlog-'));
  try {
    const file = join(out, 'log.tsv');
    const run = spawnSync(process.execPath, [resolve(__dirname, '../examples/monitor-log.js'), file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t').map(Number));
    expect(rows.length).toBeGreaterThan(20);
    // A 0.5 sine, faded in over 0.5 s: every window between the fade's end and
    // the last 0.2 s (where a window may reach past the sound's end) holds it.
    const steady = rows.filter(([time]) => time > 0.6 && time < 1.8);
    expect(steady.length).toBeGreaterThan(10);
    for (const [time, , rms, db] of steady) {
      expect([time, rms]).toEqual([time, expect.closeTo(0.5 / Math.SQRT2, 2)]);
      expect(db).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 0);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
