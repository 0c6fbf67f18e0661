#!/usr/bin/env node
/**
 * The `ringstream` command (package.json `bin`): play, record and playrec
 * from the shell, as pastream's CLI. `ringstream --help` lists the options.
 * @packageDocumentation
 */
import { main } from './cli/main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Whatever might still hold the event loop (a pipe nobody closes) does not keep the command alive.
  setTimeout(() => process.exit(code), 2000).unref();
});
