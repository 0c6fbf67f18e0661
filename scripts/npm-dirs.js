#!/usr/bin/env node
// (Re)writes npm/<platform>/package.json for every napi.targets entry with
// `napi create-npm-dirs`, then adds what napi does not know about: the cpal
// plugins that ship beside the addon, and the repository fields.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, pkg, binaries, platforms } = require('./platforms');

execFileSync(process.execPath, [path.join(root, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js'), 'create-npm-dirs'], {
  cwd: root,
  stdio: 'inherit',
});
for (const p of platforms()) {
  const file = path.join(p.dir, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.files = binaries(p);
  // napi writes libc: glibc for every -gnu triple, windows-gnu included; npm
  // checks libc only on Linux and rejects the package everywhere else.
  if (p.platform !== 'linux') delete manifest.libc;
  if (pkg.repository) manifest.repository = pkg.repository;
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
