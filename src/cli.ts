#!/usr/bin/env node
/**
 * The `ringstream` command (package.json `bin`): play, record and playrec
 * from the shell, as pastream's CLI. `ringstream --help` lists the options.
 * @packageDocumentation
 */
import { main } from './cli/main.js';

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
