// Runs the real `ringstream` bin (dist/cli.js, the package.json `bin`) in a
// child process. The bin is compiled from src/ first if it is older than
// any source file, so the tests never run a stale build.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '..');
export const bin = join(root, 'dist', 'cli.js');

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestSource(join(dir, e.name)) : e.name.endsWith('.ts') ? statSync(join(dir, e.name)).mtimeMs : 0,
    ),
  );
}

let built = false;
/** Compiles the TypeScript if dist/cli.js is missing or older than src/. */
export function ensureBuilt(): void {
  if (built) return;
  let stale = true;
  try {
    stale = statSync(bin).mtimeMs < newestSource(join(root, 'src'));
  } catch {
    stale = true;
  }
  // The package's own build step (tsc, then the bundled entry), not tsc alone.
  if (stale) execFileSync('npm', ['run', '--silent', 'build:ts'], { cwd: root, stdio: 'ignore' });
  built = true;
}

/** What a finished run of the bin left. */
export interface CliResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `ringstream ...args` to the end. */
export function cli(args: string[], opts: { input?: Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number } = {}): CliResult {
  ensureBuilt();
  const r = spawnSync(process.execPath, [bin, ...args], {
    input: opts.input,
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd,
    timeout: opts.timeout ?? 30_000,
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Starts `ringstream ...args`; `done` resolves when it exits. */
export function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  ensureBuilt();
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const done = new Promise<{ status: number | null; stderr: string }>((res) => child.on('close', (status) => res({ status, stderr })));
  return { child, done, stderr: () => stderr };
}
