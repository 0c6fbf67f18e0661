#!/usr/bin/env node
// Runs the tests against real devices (the audio sandbox) apart from the
// rest. A blocked native call (seen once in a while on this loaded VM, in
// the ALSA/JACK layers under cpal) blocks the test worker's event loop, so
// vitest's own timeouts cannot fire: this runner gives the run a deadline,
// and on a hang (never on a test failure) says so loudly and runs it once
// more. A second hang fails the run.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const files = [
  'test/devices-real.test.ts',
  'test/hosts-real.test.ts',
  'test/mixer-real.test.ts',
  'test/cli-sandbox.test.ts',
  'test/faults-real.test.ts',
  'test/pipewire-real.test.ts',
  'test/pipewire-session-real.test.ts',
  'test/pipewire-faults-real.test.ts',
  'test/convert-real.test.ts',
  'test/blocksize-host-real.test.ts',
];
const deadlineMs = 8 * 60 * 1000;
const vitest = path.join(__dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');

for (let attempt = 1; attempt <= 2; attempt++) {
  const r = spawnSync(process.execPath, [vitest, 'run', ...files], { stdio: 'inherit', timeout: deadlineMs, killSignal: 'SIGKILL' });
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL') {
    console.error(`test-real: the real-device tests hung (no result within ${deadlineMs / 60000} min, attempt ${attempt})`);
    continue;
  }
  process.exit(r.status ?? 1);
}
console.error('test-real: the real-device tests hung twice: failing');
process.exit(1);
