// The `ringstream` command: arguments first, and only then (lazily) the
// native addon, so that --version and --help never load it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpText, parse } from './args.js';
import { plan } from './config.js';
import { describeError, Exit, UsageError } from './errors.js';

/** The package's version, read from package.json. */
function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Loads a module on first use (synchronously, through CommonJS: faster than
 * `import()`), so that --version and --help never load the native addon.
 */
function lazy<T>(path: string): T {
  return require(path) as T;
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const io = { stdin: process.stdin, stderr: process.stderr };
  // Warnings (the fallback to the virtual device) as one line of ours, not Node's two.
  process.removeAllListeners('warning');
  process.on('warning', (w) => process.stderr.write(`ringstream: warning: ${w.message.replace(/^ringstream: /, '')}\n`));
  try {
    const args = parse(argv);
    const v = args.values;
    if (v.help) {
      process.stdout.write(`${helpText()}\n`);
      return Exit.OK;
    }
    if (v.version) {
      process.stdout.write(`ringstream ${version()}\n`);
      return Exit.OK;
    }
    if (v.list) {
      const { deviceList } = lazy<typeof import('./list.js')>('./list.js');
      process.stdout.write(`${deviceList(typeof v.host === 'string' ? v.host : undefined)}\n`);
      return Exit.OK;
    }
    if (args.positionals[0] === 'demo') {
      if (args.positionals.length > 2) throw new UsageError('demo takes one optional argument: the folder to write to');
      const { demo } = lazy<typeof import('./demo.js')>('./demo.js');
      return await demo(args.positionals[1] ?? 'demo-out', v.quiet === true, io);
    }
    const p = plan(args, process.env);
    const { run } = lazy<typeof import('./run.js')>('./run.js');
    return (await run(p, io)).exit;
  } catch (e) {
    process.stderr.write(`ringstream: ${describeError(e)}\n`);
    const usage = e instanceof UsageError || (e as { code?: unknown }).code === 'ERR_INVALID_ARG';
    return usage ? Exit.USAGE : Exit.FAILURE;
  }
}
