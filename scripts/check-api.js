#!/usr/bin/env node
// The public API surface, as a reviewed file: the declarations tsc emits
// (internals stripped by `stripInternal`) reported by api-extractor, against
// etc/ringstream.api.md. `npm run check:api` fails when the surface changed
// (or an internal member or an unexported type shows in it); after review,
// `npm run api:update` rewrites the report to commit with the change.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Extractor, ExtractorConfig } = require('@microsoft/api-extractor');

const root = path.resolve(__dirname, '..');
const report = path.join(root, 'etc', 'ringstream.api.md');
const update = process.argv.includes('--update');

const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--emitDeclarationOnly', '--sourceMap', 'false'], {
  cwd: root,
  stdio: 'inherit',
});

const config = ExtractorConfig.loadFileAndPrepare(path.join(root, 'api-extractor.json'));
const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });

const lines = fs.readFileSync(report, 'utf8').split('\n');
const bad = lines.filter((l) => /@internal|\/\/ Warning:/.test(l));
if (bad.length > 0) {
  console.error(`check:api: ${path.relative(root, report)} shows internals or unexported types:\n${bad.join('\n')}`);
  process.exit(1);
}
if (!result.succeeded) {
  if (!update)
    spawnSync('diff', ['-u', report, path.join(root, 'node_modules', '.cache', 'api-report', 'ringstream.api.md')], { stdio: 'inherit' });
  console.error(
    update
      ? 'check:api: api-extractor failed (see above)'
      : `check:api: the public API differs from ${path.relative(root, report)} (the diff is above): review it, then run \`npm run api:update\` and commit the report`,
  );
  process.exit(1);
}
console.log(`check:api: the public API matches ${path.relative(root, report)}`);
