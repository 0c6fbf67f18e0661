// The PipeWire sandbox (scripts/pipewire-sandbox.sh, started by .ci/run) and
// its native tools as outside references: paplay plays into a sink, parecord
// records a source (a sink's monitor), both as raw float32 so that a sample
// is compared bit for bit.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { findDelay } from './helpers';

/** The sandbox's sink (its monitor is `${sink}.monitor`), or undefined when it is not running. */
export const pwSink = process.env.PIPEWIRE_SANDBOX_SINK;
/** True when the PipeWire sandbox's environment is exported and its server answers. */
export const pwSandbox = Boolean(pwSink) && spawnSync('pactl', ['info'], { encoding: 'utf8' }).status === 0;
/** .ci/run sets it: there a missing sandbox fails the run instead of skipping its tests. */
export const pwRequired = process.env.RINGSTREAM_REQUIRE_PIPEWIRE === '1';

const raw = ['--raw', '--format=float32le', '--rate=48000', '--channels=2'];
const dir = mkdtempSync(join(tmpdir(), 'ringstream-pw-'));
let n = 0;

/** Plays interleaved stereo float32 at 48 kHz into `device` with paplay; resolves when drained. */
export function paplay(device: string, samples: Float32Array): Promise<void> {
  const file = join(dir, `play-${n++}.raw`);
  writeFileSync(file, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  const p = spawn('paplay', ['-d', device, ...raw, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return exited(p, 'paplay').then(() => undefined);
}

/** Starts parecord on `device`; `stop()` ends it (SIGINT, which flushes) and returns what it recorded. */
export function parecord(device: string): { stop(): Promise<Float32Array> } {
  const file = join(dir, `rec-${n++}.raw`);
  const p = spawn('parecord', ['-d', device, '--latency-msec=20', ...raw, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const done = exited(p, 'parecord');
  return {
    async stop() {
      p.kill('SIGINT');
      await done;
      const b = readFileSync(file);
      return new Float32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
    },
  };
}

/** `got` holds `sig` whole (interleaved stereo), sample for sample, after silence: returns the delay in frames. */
export function exactAfterDelay(got: Float32Array, sig: Float32Array): number {
  const d = findDelay(got, sig, 2);
  expect(d, 'the signal is not in the recording').toBeGreaterThanOrEqual(0);
  expect(got.subarray(0, 2 * d).every((v) => v === 0)).toBe(true);
  const back = got.subarray(2 * d, 2 * d + sig.length);
  let mismatches = 0;
  for (let i = 0; i < sig.length; i++) if (back[i] !== sig[i]) mismatches++;
  expect(mismatches).toBe(0);
  return d;
}

/** Runs pactl with `args`; throws with its stderr when it fails. */
export function pactl(...args: string[]): string {
  const r = spawnSync('pactl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pactl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function exited(p: ChildProcess, name: string): Promise<number> {
  let err = '';
  p.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (code === 0 || signal === 'SIGINT' || code === 130) resolve(code ?? 0);
      else reject(new Error(`${name} exited with ${code ?? signal}: ${err}`));
    });
  });
}
