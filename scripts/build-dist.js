#!/usr/bin/env node
// Builds one platform package's binaries (release, stripped) into
// npm/<platform>/: the napi addon and the cpal plugin.
//   node scripts/build-dist.js [--target <rust triple>]   (default: this machine's)
// Linux glibc targets go through cargo-zigbuild (zig from PyPI: `pip install ziglang`)
// so that they need nothing newer than glibc 2.17; others build with plain cargo.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, platform, hostPlatform } = require('./platforms');

const i = process.argv.indexOf('--target');
const p = i > 0 ? platform(process.argv[i + 1]) : hostPlatform();
if (!p) throw new Error(`build-dist: napi.targets has no entry for ${process.platform}-${process.arch}`);

const env = { ...process.env, CARGO_PROFILE_RELEASE_STRIP: 'symbols' };
const cargoTarget = p.zigTarget ?? p.triple;
// musl cdylibs link the C library dynamically (napi adds this flag to its own
// build; the plugin's build gets the same, which also keeps one cargo cache).
if (p.abi === 'musl' && !/crt-static/.test(env.RUSTFLAGS ?? '')) {
  env.RUSTFLAGS = `${env.RUSTFLAGS ?? ''} -C target-feature=-crt-static`.trim();
}
// The plugin links libasound through alsa-sys's pkg-config probe: for another
// architecture, the target's alsa.pc from Debian's multiarch folder.
if (p.multiarch && p.triple !== hostPlatform()?.triple) {
  env.PKG_CONFIG_ALLOW_CROSS = '1';
  env.PKG_CONFIG_LIBDIR = `/usr/lib/${p.multiarch}/pkgconfig:/usr/share/pkgconfig`;
}
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });

fs.mkdirSync(p.dir, { recursive: true });
const napi = path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js');
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
  ...(p.zigTarget ? ['--cross-compile'] : []),
]);
run('cargo', [p.zigTarget ? 'zigbuild' : 'build', '--release', '-p', 'ringstream-cpal', '--target', cargoTarget]);

const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const built = path.join(targetDir, p.triple, 'release', p.cargoPlugin);
fs.copyFileSync(built, path.join(p.dir, p.plugin));
for (const f of [p.addon, p.plugin]) {
  console.log(`build-dist: npm/${p.name}/${f} (${(fs.statSync(path.join(p.dir, f)).size / 1e6).toFixed(2)} MB)`);
}
