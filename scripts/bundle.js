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
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'index.js');

esbuild.buildSync({
  entryPoints: [path.join(root, 'src', 'index.ts')],
  outfile: out,
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

// Every src/ module imports the loader relative to itself; from dist/index.js it is '../index.js'.
const code = fs.readFileSync(out, 'utf8');
const fixed = code.replaceAll('require("../../index.js")', 'require("../index.js")');
if (!fixed.includes('require("../index.js")')) throw new Error('bundle: the native loader is not required from dist/index.js');
fs.writeFileSync(out, fixed);
fs.rmSync(`${out}.map`, { force: true });
