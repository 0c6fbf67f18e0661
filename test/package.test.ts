import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the package entry point', () => {
  it('require("ringstream") from another project that installed this folder exports the API', () => {
    // `npm install <folder>` links the folder into node_modules: the same here.
    const dir = mkdtempSync(join(tmpdir(), 'ringstream-consumer-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(resolve(__dirname, '..'), join(dir, 'node_modules', 'ringstream'), 'dir');
      writeFileSync(
        join(dir, 'main.js'),
        `const rs = require('ringstream');
         const names = ['RingBuffer', 'readWav', 'writeWav', 'WavReader', 'WavWriter', 'ErrorCode',
           'hosts', 'devices', 'defaults', 'InputStream', 'OutputStream', 'DuplexStream', 'chunks'];
         const missing = names.filter((n) => rs[n] === undefined);
         const r = new rs.RingBuffer(4, 8);
         r.write(new Float32Array([1, 2]));
         console.log(JSON.stringify({ missing, read: r.readAvailable, codes: Object.values(rs.ErrorCode).length }));`,
      );
      writeFileSync(
        join(dir, 'esm.mjs'),
        `import { RingBuffer, ErrorCode } from 'ringstream'; console.log(typeof RingBuffer, ErrorCode.IO);`,
      );
      const out = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: dir }).toString());
      expect(out).toEqual({ missing: [], read: 2, codes: 14 });
      expect(execFileSync(process.execPath, ['esm.mjs'], { cwd: dir }).toString().trim()).toBe('function ERR_IO');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the TS error codes are exactly the native ones', async () => {
    const native = await import('../index.js');
    const { ErrorCode } = await import('../src/index');
    // ERR_NATIVE_BINDING is thrown before the native side exists, so only TS has it.
    expect(Object.values(ErrorCode).sort()).toEqual([...native.errorCodes(), ErrorCode.NATIVE_BINDING].sort());
  });

  it('an uncaught error from the bundled dist/index.js prints a readable stack', () => {
    // Node prints the source line an uncaught error was thrown from: in a
    // minified bundle that was the whole 74 KB file on one line.
    const root = resolve(__dirname, '..');
    execFileSync(process.execPath, [join(root, 'scripts', 'bundle.js')], { cwd: root });
    const r = spawnSync(process.execPath, ['-e', 'new (require(".").RingBuffer)(3, 1000)'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('size must be a power of 2');
    expect(r.stderr).toMatch(/at new RingBuffer \(.*dist[\\/]index\.js:\d+:\d+\)/);
    const longest = Math.max(...r.stderr.split('\n').map((l) => l.length));
    expect(longest, 'the longest line Node printed').toBeLessThan(200);
    expect(r.stderr.length).toBeLessThan(4000);
  });
});

describe('the error when no native binary loads', () => {
  it('names the BSD package looked for and how to build there', async () => {
    const { nativeBindingError, platformName } = await import('../src/native/binding');
    expect(platformName('freebsd', 'x64')).toBe('freebsd-x64');
    const cause = new Error('Cannot find module');
    const e = nativeBindingError(platformName('freebsd', 'x64'), 'freebsd', cause);
    expect(e.code).toBe('ERR_NATIVE_BINDING');
    expect(e.cause).toBe(cause);
    expect(e.message).toContain('no native binary loads for freebsd-x64');
    expect(e.message).toContain('optional package ringstream-freebsd-x64');
    expect(e.message).toMatch(/build from source: install Rust.*pkg install rust pkgconf alsa-lib.*npm install/);
    expect(e.message).not.toContain('Debian');
  });

  it("names Debian's packages on Linux", async () => {
    const { nativeBindingError } = await import('../src/native/binding');
    const e = nativeBindingError('linux-x64-gnu', 'linux', null);
    expect(e.message).toMatch(/build from source: install Rust.*libasound2-dev libjack-jackd2-dev.*npm install/);
    expect(e.message).not.toContain('pkg install');
  });
});
