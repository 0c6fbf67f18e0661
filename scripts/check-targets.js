#!/usr/bin/env node
// `npm run check:targets`: clippy (-D warnings) over the workspace for every
// napi.targets entry other than this machine's, so that the code written for
// macOS, Windows, musl and arm64 at least type-checks here, where none of it
// can run. Needs the targets' std (`rustup target add <triple>`); no linker.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { root, platforms, hostPlatform, libnodeEnv } = require('./platforms');

const host = hostPlatform();
const env = { ...process.env, PKG_CONFIG_ALLOW_CROSS: '1' };
for (const p of platforms()) {
  if (p.triple === host?.triple) continue;
  console.log(`check:targets: ${p.triple}`);
  execFileSync('rustup', ['target', 'add', p.triple], { stdio: 'inherit' });
  execFileSync('cargo', ['clippy', '--workspace', '--target', p.triple, '--', '-D', 'warnings'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, ...libnodeEnv(p, path.join(root, 'target')) },
  });
}
