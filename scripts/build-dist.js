#!/usr/bin/env node
// Builds platform packages' binaries (release, stripped) into
// npm/<platform>/: the napi addon and the cpal plugins (linux-x64-gnu: also
// the PipeWire one, which links libpipewire-0.3 dynamically).
//   node scripts/build-dist.js [--target <rust triple>]   (default: this machine's)
//   node scripts/build-dist.js --cross   this machine's, then each package it cross-builds
//                                        (crossTargets in platforms.js; needs scripts/setup-platforms.sh)
// Linux targets go through cargo-zigbuild (zig from PyPI: `pip install ziglang`):
// glibc ones so that they need nothing newer than glibc 2.17; others build with plain cargo.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, platform, binaries, hostPlatform, crossTargets, libnodeEnv } = require('./platforms');

const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js');
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');

/** The environment `p`'s build needs. */
function buildEnv(p) {
  const env = { ...process.env, CARGO_PROFILE_RELEASE_STRIP: 'symbols' };
  // musl cdylibs link the C library dynamically (napi adds this flag to its own
  // build; the plugin's build gets the same, which also keeps one cargo cache).
  if (p.abi === 'musl' && !/crt-static/.test(env.RUSTFLAGS ?? '')) {
    env.RUSTFLAGS = `${env.RUSTFLAGS ?? ''} -C target-feature=-crt-static`.trim();
  }
  // The plugin links libasound through alsa-sys's pkg-config probe (and jack-sys
  // insists on jack.pc): for another target, the .pc files of Debian's
  // multiarch folder for its architecture.
  if (p.multiarch && p.triple !== hostPlatform()?.triple) {
    env.PKG_CONFIG_ALLOW_CROSS = '1';
    env.PKG_CONFIG_LIBDIR = `/usr/lib/${p.multiarch}/pkgconfig:/usr/share/pkgconfig`;
  }
  return { ...env, ...libnodeEnv(p, targetDir) };
}

/** Builds `p`'s addon and plugin into npm/<platform>/. */
function build(p) {
  const env = buildEnv(p);
  // On a musl system (the release's Alpine job) musl is the host's own C library.
  const zig = p.zigTarget && !(p.abi === 'musl' && hostPlatform()?.name === p.name) ? p.zigTarget : null;
  const cargoTarget = zig ?? p.triple;
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  fs.mkdirSync(p.dir, { recursive: true });
  run(process.execPath, [
    napi,
    'build',
    '--platform',
    '--release',
    '--no-js',
    '--no-dts-header',
    '--manifest-path',
    'crates/node/Cargo.toml',
    '--target',
    cargoTarget,
    '--output-dir',
    p.dir,
    '--dts',
    path.relative(p.dir, path.join(root, 'target', 'dist-index.d.ts')),
    ...(zig ? ['--cross-compile'] : []),
  ]);
  // The same crate twice (the PipeWire plugin is feature `pipewire`): both
  // builds write the same file, so each is copied before the next.
  const plugins = [{ file: p.plugin, features: [] }];
  if (p.pipewirePlugin) plugins.push({ file: p.pipewirePlugin, features: ['--features', 'pipewire'] });
  for (const { file, features } of plugins) {
    run('cargo', [zig ? 'zigbuild' : 'build', '--release', '-p', 'ringstream-cpal', ...features, '--target', cargoTarget]);
    fs.copyFileSync(path.join(targetDir, p.triple, 'release', p.cargoPlugin), path.join(p.dir, file));
  }
  for (const f of binaries(p)) {
    console.log(`build-dist: npm/${p.name}/${f} (${(fs.statSync(path.join(p.dir, f)).size / 1e6).toFixed(2)} MB)`);
  }
}

/** Why `p` cannot be cross-built here, or null. */
function missing(p) {
  const installed = execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' }).split('\n');
  if (!installed.includes(p.triple)) return `no Rust std for ${p.triple}`;
  if (p.multiarch && !fs.existsSync(`/usr/lib/${p.multiarch}/pkgconfig/alsa.pc`)) return `no ${p.multiarch} libasound2-dev`;
  if (p.platform === 'win32' && p.abi === 'gnu') {
    try {
      execFileSync('x86_64-w64-mingw32-gcc', ['--version'], { stdio: 'ignore' });
    } catch {
      return 'no mingw-w64 (gcc-mingw-w64-x86-64)';
    }
  }
  return null;
}

const i = process.argv.indexOf('--target');
const host = hostPlatform();
if (i < 0 && !host) throw new Error(`build-dist: napi.targets has no entry for ${process.platform}-${process.arch}`);
const cross = process.argv.includes('--cross') ? crossTargets(host) : [];
const ready = cross.filter((p) => {
  const why = missing(p);
  if (why) console.log(`build-dist: ${p.name} not built: ${why} (scripts/setup-platforms.sh installs it)`);
  return !why;
});
for (const p of i > 0 ? [platform(process.argv[i + 1])] : [host, ...ready]) build(p);
