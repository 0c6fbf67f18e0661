// What the packed-install tests share: the platforms as scripts/platforms.js
// describes them, a clean environment (no Rust on PATH), installing tarballs
// into a fresh project, and reading a binary's glibc versions and libraries.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Platform {
  triple: string;
  name: string;
  platform: string;
  arch: string;
  abi: string | null;
  packageName: string;
  dir: string;
  addon: string;
  plugin: string;
  /** The PipeWire host's plugin, where the package ships one (linux-x64-gnu). */
  pipewirePlugin: string | null;
}

export const { binaries, hostPlatform, platform, root } = require('../scripts/platforms.js') as {
  binaries(p: Platform): string[];
  hostPlatform(): Platform | null;
  platform(triple: string): Platform;
  root: string;
};

/** PATH without cargo and rustup: an install must not need them. */
export const packedEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => !/cargo|rustup/.test(d))
    .join(delimiter),
  NODE_PATH: '',
};
delete packedEnv.RINGSTREAM_CPAL_PLUGIN;
delete packedEnv.RINGSTREAM_CPAL_PIPEWIRE_PLUGIN;

/** A fresh project in `dir` with `specs` installed; `npmFlags` such as `--cpu=arm64` install for another platform. */
export function install(dir: string, specs: string[], npmFlags: string[] = []): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...npmFlags, ...specs], {
    cwd: dir,
    env: packedEnv,
    stdio: 'pipe',
  });
}

const tool = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });

/** glibc's own libraries; ld-linux is glibc's loader, named by binaries that use TLS. */
export const glibcFamily = new Set([
  'libc.so.6',
  'libm.so.6',
  'libgcc_s.so.1',
  'libpthread.so.0',
  'libdl.so.2',
  'ld-linux-x86-64.so.2',
  'ld-linux-aarch64.so.1',
]);

/** The glibc symbol versions an ELF file needs (readelf reads every architecture). */
export function glibcVersions(file: string): string[] {
  return [...new Set(tool('readelf', ['-W', '--dyn-syms', file]).match(/GLIBC_[0-9.]+/g) ?? [])];
}

/** The newest of `GLIBC_x.y` versions, as [x, y]. */
export function newest(versions: string[]): number[] {
  return versions.map((v) => v.slice('GLIBC_'.length).split('.').map(Number)).sort((a, b) => b[0] - a[0] || (b[1] ?? 0) - (a[1] ?? 0))[0];
}

/** The shared libraries an ELF file names (DT_NEEDED). */
export function needed(file: string): string[] {
  return [...tool('readelf', ['-d', file]).matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((m) => m[1]);
}

/** The DLLs a PE file imports (mingw's objdump). */
export function imports(file: string): string[] {
  return [...tool('x86_64-w64-mingw32-objdump', ['-p', file]).matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]);
}
