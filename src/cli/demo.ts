// `ringstream demo`: the README's main job on the virtual loopback device
// (no sound card needed). A test signal is written as a WAV file, played
// and recorded at once through the same code as `ringstream IN OUT`, and
// the recording is checked: the round-trip latency measured from a marker
// against the one the stream reports, and every frame compared.
// The signal is built with fill/copyWithin and checked with indexOf and a
// byte comparison: no JS loop runs over samples.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWav, writeWav } from '../files/wav.js';
import { parse } from './args.js';
import { plan } from './config.js';
import { Exit } from './errors.js';
import { run, type Io } from './run.js';
import { dbfs } from './status.js';

const RATE = 48_000;
const SECONDS = 2;
/** Where the marker sits, in frames; its value appears nowhere else in the signal. */
const MARK_AT = 4800;
const MARK = 0.0625;
const START = 9600;

/** One stereo frame (left, right) as the 64 bits of two float32 samples. */
function frameBits(l: number, r: number): bigint {
  return new BigUint64Array(new Float32Array([l, r]).buffer)[0];
}

/** Square waves, 375 Hz left and 750 Hz right, after a marker click on both channels. */
export function testSignal(): Float32Array {
  const frames = SECONDS * RATE;
  const sig = new Float32Array(frames * 2);
  const f = new BigUint64Array(sig.buffer);
  const [a, b] = [0.25, 0.125];
  // One 128-frame period: the left wave flips every 64 frames, the right
  // one every 32; then the period is doubled until the signal is full.
  f.fill(frameBits(a, b), START, START + 32);
  f.fill(frameBits(a, -b), START + 32, START + 64);
  f.fill(frameBits(-a, b), START + 64, START + 96);
  f.fill(frameBits(-a, -b), START + 96, START + 128);
  for (let len = 128; START + len < frames; len *= 2) f.copyWithin(START + len, START, START + Math.min(len, frames - START - len));
  f[MARK_AT] = frameBits(MARK, MARK);
  return sig;
}

/** Runs the demo; returns the exit code. */
export async function demo(dir: string, quiet: boolean, io: Io): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  mkdirSync(dir, { recursive: true });
  const signalPath = join(dir, 'signal.wav');
  const recordedPath = join(dir, 'recorded.wav');
  const sig = testSignal();
  await writeWav(signalPath, sig, { samplerate: RATE, channels: 2, format: 'f32' });
  out(`ringstream demo: wrote ${signalPath} (${SECONDS} s: a click, then square waves of 375 Hz left and 750 Hz right)`);
  out(
    `playing it through virtual:loopback while recording ${recordedPath} (ringstream ${signalPath} ${recordedPath} -D virtual:loopback -p 0.25 -b 256)`,
  );
  const argv = [signalPath, recordedPath, '-D', 'virtual:loopback', '-p', '0.25', '-b', '256', ...(quiet ? ['-q'] : [])];
  const r = await run(plan(parse(argv), {}), io);
  if (r.exit !== Exit.OK) return r.exit;
  const rec = await readWav(recordedPath);
  const reported = Math.round((r.latency[0] + r.latency[1]) * RATE);
  const at = rec.data.indexOf(MARK);
  const measured = at < 0 ? -1 : at / 2 - MARK_AT;
  const ms = (frames: number) => `${((frames / RATE) * 1000).toFixed(2)} ms`;
  out(
    measured < 0
      ? 'round trip: the marker never came back'
      : `round trip: ${measured} frames (${ms(measured)}) measured from the marker; the stream reports ${reported} ` +
          `(out ${ms(r.latency[1] * RATE)} + in ${ms(r.latency[0] * RATE)}): ${measured === reported ? 'they agree' : 'they DIFFER'}`,
  );
  const back =
    measured < 0
      ? Buffer.alloc(0)
      : Buffer.from(rec.data.buffer, rec.data.byteOffset + measured * 8, Math.min(sig.byteLength, rec.data.byteLength - measured * 8));
  const exact = back.equals(Buffer.from(sig.buffer));
  out(
    `recording: ${rec.frames} frames, ${exact ? 'sample-exact: every frame of the signal came back unchanged' : 'NOT the signal played'}`,
  );
  const lv = (xs: number[]) => xs.map(dbfs).join(' / ');
  out(`peak levels (dBFS, measured in the audio callback): out ${lv(r.peaks.output)}, in ${lv(r.peaks.input)}`);
  return exact && measured === reported ? Exit.OK : Exit.FAILURE;
}
