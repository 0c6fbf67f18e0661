#!/usr/bin/env node
// `npm run check:targets`: clippy (-D warnings) over the workspace for every
// napi.targets entry other than this machine's, so that the code written for
// macOS, Windows, musl and arm64 at least type-checks here, where none of it
// can run; and for the targets that have no package at all (TYPE_CHECK_ONLY),
// tests and the PipeWire plugin included. Needs the targets' std
// (`rustup target add <triple>`); no linker.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, platforms, hostPlatform, libnodeEnv } = require('./platforms');

/**
 * Targets with no prebuilt package, only type-checked here: FreeBSD, where
 * cpal has the ALSA, JACK, PulseAudio and PipeWire hosts too (the plugin's
 * `cfg(alsa_stack)`, crates/cpal-plugin/build.rs). No FreeBSD sysroot, so
 * nothing is linked and nothing runs.
 */
const TYPE_CHECK_ONLY = ['x86_64-unknown-freebsd'];

/**
 * zig's copy of FreeBSD's libc headers (zig links FreeBSD itself; .ci/run
 * installs zig), or null without zig.
 */
function zigFreebsdHeaders(arch) {
  const zig = [process.env.ZIG, path.join(process.env.ZIG_DIR ?? '/opt/ringstream-zig', 'ziglang', 'zig'), 'zig'].filter(Boolean);
  for (const exe of zig) {
    try {
      const env = execFileSync(exe, ['env'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const lib = /lib_dir"?\s*[:=]\s*"([^"]+)"/.exec(env)?.[1];
      const include = lib && path.join(lib, 'libc', 'include');
      if (include && fs.existsSync(path.join(include, `${arch}-freebsd-none`))) {
        return [path.join(include, `${arch}-freebsd-none`), path.join(include, 'generic-freebsd')];
      }
    } catch {
      // Not this one: try the next.
    }
  }
  return null;
}

/**
 * The environment a BSD target's build scripts need. pkg-config answers with
 * this machine's Linux .pc files (PKG_CONFIG_ALLOW_CROSS): alsa-sys takes
 * only the link flags (nothing is linked), libspa-sys and pipewire-sys run
 * bindgen on the host's PipeWire headers (the same upstream headers a BSD
 * installs), and their system includes are FreeBSD's own from zig; without
 * zig, the host's Linux ones (an x86_64 LP64 libc either way: good enough for
 * a type-check, not for a build).
 */
function bsdEnv(triple) {
  const arch = triple.split('-')[0];
  const headers = zigFreebsdHeaders(arch);
  const args = headers ? ['-nostdlibinc', ...headers.flatMap((h) => ['-isystem', h])] : [`-I/usr/include/${arch}-linux-gnu`];
  if (!headers) console.log('check:targets: no zig, so bindgen reads the Linux libc headers for FreeBSD');
  return { [`BINDGEN_EXTRA_CLANG_ARGS_${triple.replaceAll('-', '_')}`]: args.join(' ') };
}

/** Every clippy run for `triple`: each is cargo's arguments after `clippy`. */
function runs(triple) {
  const lint = ['--', '-D', 'warnings'];
  if (!TYPE_CHECK_ONLY.includes(triple)) return [['--workspace', '--target', triple, ...lint]];
  return [
    ['--workspace', '--target', triple, '--all-targets', ...lint],
    ['-p', 'ringstream-cpal', '--features', 'pipewire', '--target', triple, '--all-targets', ...lint],
  ];
}

const host = hostPlatform();
const env = { ...process.env, PKG_CONFIG_ALLOW_CROSS: '1' };
const targets = [
  ...platforms()
    .filter((p) => p.triple !== host?.triple)
    .map((p) => ({ triple: p.triple, env: libnodeEnv(p, path.join(root, 'target')) })),
  ...TYPE_CHECK_ONLY.map((triple) => ({ triple, env: bsdEnv(triple) })),
];
for (const t of targets) {
  execFileSync('rustup', ['target', 'add', t.triple], { stdio: 'inherit' });
  for (const args of runs(t.triple)) {
    console.log(`check:targets: cargo clippy ${args.join(' ')}`);
    execFileSync('cargo', ['clippy', ...args], { cwd: root, stdio: 'inherit', env: { ...env, ...t.env } });
  }
}
