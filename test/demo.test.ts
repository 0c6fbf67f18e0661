// The README's first command runs this demo: keep it working and honest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
