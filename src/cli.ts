#!/usr/bin/env node
/**
 * The `ringstream` command (package.json `bin`): play, record and playrec
 * from the shell, as pastream's CLI. `ringstream --help` lists the options.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // The fast path: nothing else is loaded.
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  process.stdout.write(`ringstream ${version}\n`);
} else {
  require('./native/binding.js');
  const { main } = require('./cli/main.js') as typeof import('./cli/main.js');
  void main(argv).then((code) => {
    process.exitCode = code;
    // Whatever might still hold the event loop (a pipe nobody closes) does not keep the command alive.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}
