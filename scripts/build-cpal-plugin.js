#!/usr/bin/env node
// Builds the cpal plugin (crates/cpal-plugin) in release mode and copies it
// next to the .node module, named after it as the core's loader expects:
// ringstream.<platform>.node -> ringstream-cpal.<platform>.so (.dylib, .dll).
// Run after `napi build`, which names the module (--platform).
// On Linux it also builds the PipeWire host (feature `pipewire`, which links
// libpipewire-0.3) as a second file, ringstream-cpal-pipewire.<platform>.so,
// so that the first still loads on a machine without libpipewire. On the BSDs
// where cpal has that host (FreeBSD, NetBSD, DragonFly: the plugin's
// `cfg(alsa_stack)`), PipeWire is an optional port: built when pkg-config
// finds libpipewire-0.3, else skipped with a note.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const [lib, ext] =
  process.platform === 'win32'
    ? ['ringstream_cpal.dll', '.dll']
    : process.platform === 'darwin'
      ? ['libringstream_cpal.dylib', '.dylib']
      : ['libringstream_cpal.so', '.so'];
const built = path.join(targetDir, 'release', lib);

const modules = fs.readdirSync(root).filter((f) => /^ringstream\..+\.node$/.test(f));
if (modules.length === 0) throw new Error('build-cpal-plugin: no ringstream.*.node next to package.json; run napi build first');

// The same crate twice: both builds write the same file, so each is copied before the next.
const variants = [{ stem: 'ringstream-cpal', features: [] }];
const bsd = ['freebsd', 'netbsd', 'dragonfly'].includes(process.platform);
const pipewireFound = () => {
  try {
    execFileSync('pkg-config', ['--exists', 'libpipewire-0.3']);
    return true;
  } catch {
    console.log('build-cpal-plugin: no libpipewire-0.3 (pkg-config), so no PipeWire plugin: the other hosts are built');
    return false;
  }
};
if (process.platform === 'linux' || (bsd && pipewireFound())) {
  variants.push({ stem: 'ringstream-cpal-pipewire', features: ['--features', 'pipewire'] });
}
for (const { stem, features } of variants) {
  execFileSync('cargo', ['build', '--release', '-p', 'ringstream-cpal', ...features], { cwd: root, stdio: 'inherit' });
  for (const m of modules) {
    const platform = m.slice('ringstream.'.length, -'.node'.length);
    const dest = path.join(root, `${stem}.${platform}${ext}`);
    // Copy to a temporary name and rename: a running process may have the old one mapped.
    fs.copyFileSync(built, `${dest}.tmp`);
    fs.renameSync(`${dest}.tmp`, dest);
    console.log(`build-cpal-plugin: ${path.relative(root, built)} -> ${path.basename(dest)}`);
  }
}
