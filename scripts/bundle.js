#!/usr/bin/env node
// Replaces tsc's dist/index.js with one bundled file (esbuild): the package
// entry then costs one file read and one compile instead of ~60 module loads,
// which made `require('ringstream')` take 50-120 ms on this machine. tsc still
// writes the .d.ts files and the rest of dist/ (the CLI loads those).
// The native loader (index.js at the package root) stays a separate require.
// Not minified: Node prints the source line of an uncaught error, and a
// minified bundle is one 74 KB line (test/package.test.ts). Unminified, it
// loads as fast (the parse is lazy either way); keepNames keeps class and
// function names in stacks where bundling renamed a clash.
// test/docs.test.ts bundles the snippets' `ringstream` with the same function.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/**
 * Bundles src/index.ts into `outfile` (CommonJS), requiring the native
 * loader as `loader` (a path as `require` takes it from `outfile`).
 */
function bundle(outfile, loader) {
  esbuild.buildSync({
    entryPoints: [path.join(root, 'src', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    minify: false,
    keepNames: true,
    // buildSync takes no plugins: the loader is marked external by its import paths.
    external: ['../../index.js'],
  });
  // Every src/ module imports the loader relative to itself.
  const want = `require(${JSON.stringify(loader)})`;
  const fixed = fs.readFileSync(outfile, 'utf8').replaceAll('require("../../index.js")', want);
  if (!fixed.includes(want)) throw new Error(`bundle: the native loader is not required from ${outfile}`);
  fs.writeFileSync(outfile, fixed);
  fs.rmSync(`${outfile}.map`, { force: true });
}

module.exports = { bundle };

if (require.main === module) bundle(path.join(root, 'dist', 'index.js'), '../index.js');
