#!/usr/bin/env node
// Packs what a release publishes: the main package and the platform packages
// whose binaries are built (scripts/build-dist.js), into one folder.
//   node scripts/pack.js [outDir]   (default target/pack)   prints JSON: [{name, file, size, unpackedSize}]
// The main package's optionalDependencies name every platform package at this
// version. They are added here, in a staged copy, and not in package.json:
// the registry has no such packages until the first release, and `npm ci`
// refuses a lock file that lacks them.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, pkg, binaries, platforms } = require('./platforms');

const out = path.resolve(process.argv[2] ?? path.join(root, 'target', 'pack'));
fs.mkdirSync(out, { recursive: true });
const npm = (args, cwd) => JSON.parse(execFileSync('npm', [...args, '--json', '--ignore-scripts'], { cwd, encoding: 'utf8' }));

/** The main package as it is published, in a fresh folder. */
function stageMain() {
  const stage = fs.mkdtempSync(path.join(out, 'stage-'));
  const [listing] = npm(['pack', '--dry-run'], root);
  for (const { path: f } of listing.files) {
    fs.mkdirSync(path.dirname(path.join(stage, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(stage, f));
  }
  // The root index.d.ts comes from the development build, which has the test
  // hooks; the release binary has none, so its declarations are the ones
  // scripts/build-dist.js generated with it.
  const releaseTypes = path.join(root, 'target', 'dist-index.d.ts');
  if (!fs.existsSync(releaseTypes)) throw new Error('pack: no target/dist-index.d.ts: run `npm run build:dist` first');
  fs.copyFileSync(releaseTypes, path.join(stage, 'index.d.ts'));
  const manifest = { ...pkg, optionalDependencies: {} };
  for (const p of platforms()) manifest.optionalDependencies[p.packageName] = pkg.version;
  delete manifest.devDependencies;
  delete manifest.allowScripts;
  manifest.scripts = {};
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return stage;
}

const packed = [];
const pack = (dir) => {
  const [r] = npm(['pack', '--pack-destination', out], dir);
  packed.push({ name: r.name, file: path.join(out, r.filename), size: r.size, unpackedSize: r.unpackedSize, files: r.entryCount });
};
const stage = stageMain();
try {
  pack(stage);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
for (const p of platforms()) {
  if (binaries(p).every((f) => fs.existsSync(path.join(p.dir, f)))) pack(p.dir);
}
console.log(JSON.stringify(packed, null, 2));
