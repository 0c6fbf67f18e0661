// The package as users get it: the packed main package and this platform's
// package installed from their tarballs into a fresh project, with no Rust
// on PATH and no way to reach this repository's node_modules; then a first
// script under Node and Bun, `require` and `import`, and tsc in both module
// modes. Run by `npm run test:pack` after `npm run build:dist`.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noise } from './helpers';
import { binaries, glibcFamily, glibcVersions, hostPlatform, install, needed, newest, packedEnv as env, root } from './packed-helpers';
import { exactAfterDelay, parecord, pwSandbox, pwSink } from './pipewire';

const host = hostPlatform();
const fixtures = resolve(__dirname, 'fixtures', 'consumer');
const bun = join(root, 'node_modules', '.bin', 'bun');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

let work: string;
let project: string;
let bare: string;
let tarballs: { name: string; file: string; size: number; unpackedSize: number }[];

function run(cmd: string, args: string[], cwd = project): string {
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  if (!host) throw new Error(`napi.targets has no entry for ${process.platform}-${process.arch}`);
  for (const f of binaries(host)) {
    if (!existsSync(join(host.dir, f))) throw new Error(`npm/${host.name}/${f} is missing: run \`npm run build:dist\` first`);
  }
  work = mkdtempSync(join(tmpdir(), 'ringstream-packed-'));
  tarballs = JSON.parse(execFileSync(process.execPath, [join(root, 'scripts', 'pack.js'), join(work, 'tarballs')], { encoding: 'utf8' }));
  const main = tarballs.find((t) => t.name === 'ringstream')!;
  const platform = tarballs.find((t) => t.name === host.packageName)!;
  project = join(work, 'project');
  install(project, [main.file, platform.file, '@types/node@20.19.43']);
  cpSync(fixtures, project, { recursive: true });
  bare = join(work, 'bare');
  install(bare, [main.file]);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed packages, installed from their tarballs', () => {
  it('install with no Rust toolchain on PATH', () => {
    expect(spawnSync('cargo', ['--version'], { env }).error).toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(join(project, 'node_modules', host!.packageName)).sort()).toEqual(
      [...binaries(host!), 'README.md', 'package.json'].sort(),
    );
  });

  it('ship only what users need: compiled JS, types, the loader, README, LICENSE, CHANGELOG', () => {
    const files = readdirSync(join(project, 'node_modules', 'ringstream'), { recursive: true }).map(String);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli.js',
        'index.js',
        'index.d.ts',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
      ]),
    );
    expect(files.filter((f) => /\.(rs|ts|map|node|so)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('declare only what the release binary exports: no test hooks in index.d.ts', () => {
    const types = readFileSync(join(project, 'node_modules', 'ringstream', 'index.d.ts'), 'utf8');
    const declared = [...types.matchAll(/^export declare (?:function|class|const) (\w+)/gm)].map((m) => m[1]);
    expect(declared).toContain('devices');
    for (const hook of ['protocolConstants', '__injectVirtualFault', 'NativeRingProbe', 'monotonicNs']) {
      expect(declared).not.toContain(hook);
    }
  });

  it('load one bundled entry file (what keeps require() fast), which needs only the native loader', () => {
    const entry = readFileSync(join(project, 'node_modules', 'ringstream', 'dist', 'index.js'), 'utf8');
    const required = [...entry.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.filter((r) => r.startsWith('.') && r !== '../index.js')).toEqual([]);
  });

  for (const runtime of ['node', 'bun'] as const) {
    for (const script of ['main.cjs', 'main.mjs']) {
      it(`${runtime} ${script}: lists devices, round-trips a WAV file, playrec on virtual:loopback`, () => {
        const out = JSON.parse(run(runtime === 'node' ? process.execPath : bun, [script]).trim());
        expect(out).toMatchObject({
          how: script.endsWith('.cjs') ? 'require' : 'import',
          runtime,
          wavExact: true,
          playrecExact: true,
          xruns: 0,
        });
        expect(out.hosts).toContain('virtual');
        expect(out.virtualDevices).toContain('virtual:loopback');
      }, 60_000);
    }
  }

  for (const mode of ['cjs', 'esm']) {
    it(`types resolve for a TypeScript consumer (${mode})`, () => {
      const r = spawnSync(process.execPath, [tsc, '-p', join(project, mode, 'tsconfig.json')], { cwd: project, env, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    }, 60_000);
  }

  it('the CLI runs from node_modules/.bin', () => {
    expect(run(join(project, 'node_modules', '.bin', 'ringstream'), ['--version']).trim()).toMatch(/^ringstream \d+\.\d+\.\d+/);
  });

  it('without the platform package, require says which platform it looked for and how to build', () => {
    const r = spawnSync(
      process.execPath,
      ['-e', "try { require('ringstream') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }"],
      { cwd: bare, env, encoding: 'utf8' },
    );
    const e = JSON.parse(r.stdout);
    expect(e.code).toBe('ERR_NATIVE_BINDING');
    expect(e.message).toContain(`ringstream-${host!.name}`);
    expect(e.message).toMatch(/build from source.*Rust/);
  });
});

describe(`the ${host?.name ?? 'host'} binaries`, () => {
  it.runIf(host?.abi === 'gnu')('need nothing newer than glibc 2.17', () => {
    for (const f of binaries(host!)) {
      const [major, minor] = newest(glibcVersions(join(host!.dir, f)));
      expect(major * 1000 + minor, `${f} needs GLIBC_${major}.${minor}`).toBeLessThanOrEqual(2017);
    }
  });

  it.runIf(host?.platform === 'linux')(
    'link only the C library family, and the plugin libasound.so.2 (libjack is opened at run time)',
    () => {
      expect(needed(join(host!.dir, host!.addon)).filter((l) => !glibcFamily.has(l))).toEqual([]);
      expect(needed(join(host!.dir, host!.plugin)).filter((l) => !glibcFamily.has(l))).toEqual(['libasound.so.2']);
    },
  );

  it.runIf(Boolean(host?.pipewirePlugin))(
    "the PipeWire plugin links the same, and libpipewire-0.3.so.0 (found on the user's machine)",
    () => {
      const libs = needed(join(host!.dir, host!.pipewirePlugin!)).filter((l) => !glibcFamily.has(l));
      expect(libs.sort()).toEqual(['libasound.so.2', 'libpipewire-0.3.so.0']);
    },
  );
});

describe.runIf(Boolean(host?.pipewirePlugin))('the installed PipeWire plugin', () => {
  /** Runs `script` with node in `cwd` (an installed project); returns its last line, parsed. */
  function node(script: string, cwd: string, args: string[] = []): Record<string, unknown> {
    const r = spawnSync(process.execPath, ['-e', script, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  }

  it.skipIf(!pwSandbox)('lists the pipewire host and plays into its sink: parecord gets it back exactly from the monitor', () => {
    const sig = noise(2 * 24_000, 19);
    const file = join(work, 'noise.raw');
    writeFileSync(file, Buffer.from(sig.buffer));
    const script = `
      const r = require('ringstream');
      const b = require('node:fs').readFileSync(process.argv[1]);
      const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
      (async () => {
        const s = new r.OutputStream({ device: 'pipewire:${pwSink}', channels: 2, samplerate: 48000 });
        await sleep(300);
        await s.play(new Float32Array(b.buffer, b.byteOffset, b.byteLength >> 2));
        await sleep(300);
        const out = { hosts: r.hosts(), host: s.host, xruns: s.xruns };
        await s.close();
        console.log(JSON.stringify(out));
      })();`;
    const rec = parecord(`${pwSink}.monitor`);
    const out = node(script, project, [file]);
    expect(out).toMatchObject({ host: 'pipewire', xruns: 0 });
    expect(out.hosts).toContain('pipewire');
    return rec.stop().then((got) => {
      exactAfterDelay(got, sig);
    });
  });

  it('without libpipewire the package still loads, lists the other hosts and says what pipewire needs', () => {
    // The installed project with the plugin's libpipewire dependency renamed to one that exists
    // nowhere: what the dynamic loader meets on a machine without libpipewire-0.3-0.
    const copy = join(work, 'nopw');
    cpSync(project, copy, { recursive: true });
    execFileSync('patchelf', [
      '--replace-needed',
      'libpipewire-0.3.so.0',
      'libpipewire-missing.so.0',
      join(copy, 'node_modules', host!.packageName, host!.pipewirePlugin!),
    ]);
    const script = `
      const r = require('ringstream');
      const out = { hosts: r.hosts() };
      try { new r.OutputStream({ host: 'pipewire' }); out.pw = 'opened'; } catch (e) { out.pw = { code: e.code, message: e.message }; }
      console.log(JSON.stringify(out));`;
    const out = node(script, copy) as { hosts: string[]; pw: { code: string; message: string } };
    expect(out.hosts).toEqual(expect.arrayContaining(['virtual', 'alsa', 'jack', ...(pwSandbox ? ['pulseaudio'] : [])]));
    expect(out.hosts).not.toContain('pipewire');
    expect(out.pw.code).toBe('ERR_DEVICE_NOT_FOUND');
    expect(out.pw.message).toMatch(/libpipewire-missing\.so\.0/);
    expect(out.pw.message).toMatch(/libpipewire-0\.3-0/);
  });
});
