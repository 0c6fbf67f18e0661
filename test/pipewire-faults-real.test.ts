// A sound server that dies or freezes under a running stream, on the
// PipeWire and PulseAudio hosts: pipewire-pulse killed under a pulseaudio
// stream, the PipeWire server stopped (SIGSTOP) under a pipewire stream.
// The pending play() rejects with ERR_DEVICE_NOT_FOUND (for the frozen
// server, through the watchdog: nothing else reports it), close() resolves,
// the event loop never stalls, and once the session is restarted a new
// stream in the same process opens and plays.
//
// Each test brings up a PipeWire session of its own (scripts/pipewire-
// sandbox.sh with its own PIPEWIRE_SANDBOX_DIR) and kills or freezes only
// that one, so the shared session the other real tests use is never
// touched; it is stopped after. The stream runs in a child process with that
// session's environment: a native call that hangs there fails the test on a
// deadline instead of hanging vitest. Skipped without the shared sandbox
// (the sign that the PipeWire packages are installed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pwSandbox, pwSink } from './pipewire';

const root = resolve(__dirname, '..');
const script = join(root, 'scripts', 'pipewire-sandbox.sh');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A private PipeWire session in `dir`: `start` returns its environment. */
function session(dir: string, cmd: 'start' | 'stop'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PIPEWIRE_SANDBOX_DIR: dir };
  const r = spawnSync(script, [cmd], { encoding: 'utf8', env, timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  for (const m of r.stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return env;
}

/** The pid of the session's `name` process (pipewire, pipewire-pulse...). */
function pidOf(dir: string, name: string): number {
  const m = readFileSync(join(dir, 'pids'), 'utf8').match(new RegExp(`^${name} (\\d+)$`, 'm'));
  if (!m) throw new Error(`no ${name} in ${dir}/pids`);
  return Number(m[1]);
}

// The child: plays a minute of silence on argv's device and says RUNNING
// once frames flow; on the first line of stdin notes the time and says
// NOTED (the parent harms the server only then); prints how the pending
// play() ended, how long after the fault, and the longest the event loop
// went without a 5 ms tick, closes the stream; on the next line of stdin
// (the session restarted) opens a new stream on the same device in this
// same process, plays 0.2 s and prints how that went.
const child = `
const r = require(${JSON.stringify(root)});
const readline = require('node:readline');
const device = process.argv[1];
const opts = { device, channels: 2, samplerate: 48000 };
const s = new r.OutputStream(opts);
const errors = [];
s.on('error', (e) => errors.push(e.code));
let faultAt;
let gap = 0;
let tick = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  if (faultAt !== undefined) gap = Math.max(gap, now - tick);
  tick = now;
}, 5);
const job = s.play(new Float32Array(2 * 48000 * 60)).then(
  () => ({ ok: true }),
  (e) => ({ ok: false, code: e.code, message: e.message }),
);
const tell = setInterval(() => {
  if (s.frameCount >= 4096) { clearInterval(tell); console.log('RUNNING'); }
}, 10);
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
(async () => {
  await lines.next();
  faultAt = performance.now();
  tick = faultAt;
  console.log('NOTED');
  const res = await job;
  const ms = performance.now() - faultAt;
  await s.close();
  console.log(JSON.stringify({ ...res, ms, gap, closed: s.closed, errors }));
  await lines.next();
  clearInterval(ticker);
  let again;
  try {
    const s2 = new r.OutputStream(opts);
    await s2.play(new Float32Array(2 * 9600));
    again = { ok: true, frames: s2.frameCount, xruns: s2.xruns };
    await s2.close();
  } catch (e) {
    again = { ok: false, code: e.code, message: e.message };
  }
  console.log(JSON.stringify({ again }));
  process.stdin.destroy();
})();
`;

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  ms: number;
  gap: number;
  closed: boolean;
  errors: string[];
}

interface Again {
  ok: boolean;
  frames?: number;
  xruns?: number;
  code?: string;
  message?: string;
}

/**
 * Runs the child on `device` in a fresh session of its own; once it plays,
 * `harm` kills or freezes a server of that session. Once the child has
 * reported, `heal` runs and the session is restarted, and the child opens
 * a new stream. Resolves with both reports and whether the child exited by
 * itself within 30 s.
 */
async function run(device: string, harm: (dir: string) => void, heal: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'ringstream-pw-faults-'));
  const env = session(dir, 'start');
  const p = spawn(process.execPath, ['-e', child, device], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<boolean>((res) => {
    const deadline = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('close', (code, signal) => {
      clearTimeout(deadline);
      res(code === 0 && signal === null);
    });
  });
  const waitFor = async (s: string) => {
    while (!out.includes(s) && p.exitCode === null && p.signalCode === null) await sleep(20);
  };
  try {
    await waitFor('RUNNING\n');
    p.stdin.write('fault\n');
    await waitFor('NOTED\n');
    harm(dir);
    await waitFor('"closed"');
    heal(dir);
    session(dir, 'stop');
    session(dir, 'start');
    p.stdin.write('again\n');
    const clean = await exited;
    const reports = out.split('\n').filter((l) => l.startsWith('{'));
    const outcome = reports[0] ? (JSON.parse(reports[0]) as Outcome) : undefined;
    const again = reports[1] ? (JSON.parse(reports[1]) as { again: Again }).again : undefined;
    return { outcome, again, exited: clean, log: err + out };
  } finally {
    p.kill('SIGKILL');
    heal(dir);
    session(dir, 'stop');
    rmSync(dir, { recursive: true, force: true });
  }
}

const cont = (dir: string) => {
  const pid = pidOf(dir, 'pipewire');
  if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGCONT');
};

/** The stream's pending play() was rejected as a lost device without stalling the event loop, it closed, and a new stream played after the restart. */
function expectRejectedThenRecovered(r: Awaited<ReturnType<typeof run>>): void {
  const o = r.outcome!;
  expect(o.ok, o.message).toBe(false);
  expect(o.code, o.message).toBe('ERR_DEVICE_NOT_FOUND');
  expect(o.ms).toBeLessThan(5000);
  expect(o.errors).toEqual(['ERR_DEVICE_NOT_FOUND']);
  expect(o.closed).toBe(true);
  expect(o.gap).toBeLessThan(1000);
  expect(r.again, r.log).toMatchObject({ ok: true });
  expect(r.again!.frames).toBeGreaterThanOrEqual(9600);
  expect(r.exited, r.log).toBe(true);
}

describe.skipIf(!pwSandbox)('a sound server that dies or freezes under a stream (own session)', () => {
  it('pulseaudio: pipewire-pulse killed: play() rejects with ERR_DEVICE_NOT_FOUND, and after a restart a new stream plays', async () => {
    const r = await run(
      `pulseaudio:${pwSink}`,
      (dir) => process.kill(pidOf(dir, 'pipewire-pulse'), 'SIGKILL'),
      () => undefined,
    );
    expect(r.outcome, r.log).toBeDefined();
    const o = r.outcome!;
    console.log(
      `pulseaudio: pipewire-pulse killed: rejected ${o.ms.toFixed(0)} ms after, longest stall ${o.gap.toFixed(0)} ms: ${o.message}`,
    );
    expectRejectedThenRecovered(r);
  }, 120_000);

  it('pipewire: the server frozen (SIGSTOP): the watchdog rejects play() with ERR_DEVICE_NOT_FOUND, close() resolves, and after a restart a new stream plays', async () => {
    const r = await run(`pipewire:${pwSink}`, (dir) => process.kill(pidOf(dir, 'pipewire'), 'SIGSTOP'), cont);
    expect(r.outcome, r.log).toBeDefined();
    const o = r.outcome!;
    console.log(`pipewire: server frozen: rejected ${o.ms.toFixed(0)} ms after, longest stall ${o.gap.toFixed(0)} ms: ${o.message}`);
    // The watchdog's limit: max(4 blocks, 2 x latency, 250 ms); allow for a loaded machine.
    expect(o.ms).toBeGreaterThan(200);
    expectRejectedThenRecovered(r);
  }, 120_000);
});
