// Runs the real `ringstream` bin (dist/cli.js, the package.json `bin`) in a
// child process. The bin is compiled from src/ first if it is older than
// any source file, so the tests never run a stale build.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until the file at `path` holds more than `frames` frames of `bytesPerFrame` bytes past
 * its header (a header is under 4 KiB): evidence that a recording is under way, however loaded
 * the machine. Throws if `child` exits first.
 */
export async function untilOnDisk(path: string, frames: number, bytesPerFrame: number, child: ChildProcess): Promise<void> {
  const size = () => (existsSync(path) ? statSync(path).size : 0);
  while (size() < 4096 + frames * bytesPerFrame) {
    if (child.exitCode !== null) throw new Error(`the run ended (status ${child.exitCode}) before ${frames} frames reached ${path}`);
    await pause(20);
  }
}

/**
 * Waits until `child` (a Node process) reads its stdin: its event loop watches fd 0 (an epoll
 * set's `tfd: 0` in /proc/PID/fdinfo). Node registers a watch only once the synchronous start has
 * returned to the loop, so by then the bin has installed its signal handlers; before that a
 * signal takes Node's default action and the status is no code at all. Without /proc (not
 * Linux), waits a second instead.
 */
export async function untilReadingStdin(child: ChildProcess): Promise<void> {
  const dir = `/proc/${child.pid}/fdinfo`;
  if (!existsSync(dir)) return pause(1000);
  const watchesStdin = () => {
    try {
      return readdirSync(dir).some((fd) => {
        try {
          return /^tfd:\s+0\s/m.test(readFileSync(join(dir, fd), 'utf8'));
        } catch {
          return false; // closed meanwhile
        }
      });
    } catch {
      return false;
    }
  };
  while (!watchesStdin()) {
    if (child.exitCode !== null) throw new Error(`the bin exited (status ${child.exitCode}) before it read stdin`);
    await pause(20);
  }
}
