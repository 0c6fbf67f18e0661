// A panic in the audio callback ends the stream with ERR_PANIC, whatever
// RUST_BACKTRACE says: the panic hook prints one line instead of walking the
// stack, which took long enough under load for the watchdog to end the
// stream first as a lost device (ERR_DEVICE_NOT_FOUND, the wrong cause).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

describe('a panic in the audio callback', () => {
  it.each(['0', '1', 'full'])('ends the stream with ERR_PANIC and one line on stderr (RUST_BACKTRACE=%s)', (bt) => {
    const script = `
      const r = require(${JSON.stringify(root)});
      const s = new r.OutputStream({ device: 'virtual:loopback', blocksize: 256, speed: Infinity, faults: { panicAtBlock: 2 } });
      s.play(new Float32Array(2 * 256 * 50))
        .then(() => console.log('resolved'), (e) => console.log(e.code))
        .finally(() => s.close());`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, RUST_BACKTRACE: bt } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('ERR_PANIC');
    expect(run.stderr).not.toMatch(/stack backtrace/);
    expect(run.stderr).toMatch(/^ringstream: .*panicAtBlock.*ERR_PANIC\)$/m);
  });
});
