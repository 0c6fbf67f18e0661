// The ringstream command playing and recording through virtual:loopback:
// the real bin in a child process; what comes back is checked sample by sample.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav, writeWav } from '../src/index';
import { spawn } from 'node:child_process';
import { bin, cli, ensureBuilt, start, untilOnDisk, untilReadingStdin } from './cli-helpers';
import { findDelay, noise } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-cli-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RATE = 48000;
ensureBuilt();

/** Expects `rec` (interleaved) to hold `played` after some delay, sample-exact; returns the delay. */
function expectPlayedBack(rec: Float32Array, played: Float32Array, channels: number, frames = played.length / channels): number {
  const d = findDelay(rec, played, channels);
  expect(d).toBeGreaterThan(0);
  const n = Math.min(frames, rec.length / channels - d);
  expect(n).toBeGreaterThan(0);
  expect(
    Buffer.from(rec.buffer, rec.byteOffset + d * channels * 4, n * channels * 4).equals(
      Buffer.from(played.buffer, played.byteOffset, n * channels * 4),
    ),
  ).toBe(true);
  // What came before the signal is the loopback's silence.
  expect(rec.subarray(0, d * channels).every((x) => x === 0)).toBe(true);
  return d;
}

/**
 * Expects the summary to count `n` skipped blocks of 512 frames as input overflows. A loaded
 * machine may add its own (the virtual card's clock thread waking later than its latency: the bin
 * has no latency option), so at least `n`; exactly `n` and their frames whenever it adds none.
 */
function expectSkipped(stderr: string, n: number): void {
  const m = /xruns: (\d+) \((\d+) input overflows?\), frames lost: (\d+)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  const [xruns, overflows, lost] = m!.slice(1).map(Number);
  expect(overflows).toBe(xruns);
  expect(xruns).toBeGreaterThanOrEqual(n);
  expect(lost).toBeGreaterThanOrEqual(512 * n);
  if (xruns === n) expect(lost).toBe(512 * n);
}

/** The round trip the stream reported in its first status line, in frames. */
function reportedRoundTrip(stderr: string): number {
  const m = /latency out ([\d.]+) ms, in ([\d.]+) ms/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return ((Number(m![1]) + Number(m![2])) / 1000) * RATE;
}

describe('ringstream: play, record and playrec on virtual:loopback', () => {
  it('playrec file to file: the recording is the input, delayed by the reported round trip, then the pad', async () => {
    const sig = noise(2 * 24000, 7);
    const input = join(dir, 'in.wav');
    const output = join(dir, 'out.wav');
    await writeWav(input, sig, { samplerate: RATE, channels: 2, format: 'f32' });
    const r = cli([input, output, '-D', 'virtual:loopback', '-p', '0.1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(0);
    // Any xruns: the bin has no latency option, and a loaded machine wakes the virtual card's clock
    // thread later than its 21 ms (4 xruns at load 12); what was lost would show below, sample by sample.
    expect(r.stderr).toMatch(/frames played: 28800 \(0\.600 s\), frames recorded: 28800 \(0\.600 s\)\n {2}xruns: \d+/);
    const rec = await readWav(output);
    expect(rec).toMatchObject({ samplerate: RATE, channels: 2, format: 'f32', frames: 24000 + 4800 });
    const d = expectPlayedBack(rec.data, sig, 2);
    expect(Math.abs(d - reportedRoundTrip(r.stderr))).toBeLessThan(48); // the line rounds to 0.1 ms
  });

  it("-v plays the input at sox's volume (linear, negative, dB) in the callback, and what it clips is counted", async () => {
    const sig = noise(2 * 9600, 5).map((x) => 0.6 * x);
    const input = join(dir, 'vol.wav');
    await writeWav(input, sig, { samplerate: RATE, channels: 2, format: 'f32' });
    const playedAt = (volume: string) => {
      const output = join(dir, `vol${volume}.wav`);
      const r = cli([input, output, '-D', 'virtual:loopback', '-v', volume]);
      expect(r.status, r.stderr).toBe(0);
      return { output, stderr: r.stderr };
    };
    // Halving and inverting are exact in floating point: sample-exact.
    let d = 0;
    for (const [v, f] of [
      ['0.5', 0.5],
      ['-1', -1],
    ] as const) {
      const { output } = playedAt(v);
      d = expectPlayedBack(
        (await readWav(output)).data,
        sig.map((x) => x * f),
        2,
      );
    }
    // -6dB is 10^(-6/20) times, within float32's rounding, after the same round trip.
    const db = (await readWav(playedAt('-6dB').output)).data;
    const g = 10 ** (-6 / 20);
    let worst = 0;
    const n = Math.min(sig.length, db.length - d * 2);
    expect(n).toBeGreaterThan(sig.length / 2);
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(db[d * 2 + i] - sig[i] * g));
    expect(worst).toBeLessThan(1e-7);
    // Twice 0.6 is past full scale: the clips are those of the scaled signal, not of the file (which has none).
    const loud = playedAt('2');
    const over = sig.filter((x) => Math.abs(2 * x) > 1).length;
    expect(over).toBeGreaterThan(1000);
    expect(loud.stderr).toContain(`clipped: out ${over} samples (peak +1.6 dBFS)`);
  });

  it('record only: -d 0.5 and -d 1Ks give exactly 24000 and 1024 frames, in the encoding asked for', async () => {
    const a = join(dir, 'half.wav');
    const b = join(dir, 'onek.wav');
    const ra = cli(['null', a, '-H', 'virtual', '-d', '0.5', '-q']);
    expect(ra.status, ra.stderr).toBe(0);
    expect(ra.stderr).toBe('');
    const rb = cli(['', b, '-H', 'virtual', '-d', '1Ks', '-e', 'pcm_16', '-c', '1']);
    expect(rb.status, rb.stderr).toBe(0);
    expect(await readWav(a)).toMatchObject({ frames: 24000, channels: 2, format: 'f32' });
    expect(await readWav(b)).toMatchObject({ frames: 1024, channels: 1, format: 'i16' });
    // The offset is part of the duration: 1024 frames minus the first 24.
    const rc = cli(['null', b, '-H', 'virtual', '-d', '1Ks', '-o', '24s', '-q']);
    expect(rc.status, rc.stderr).toBe(0);
    expect((await readWav(b)).frames).toBe(1000);
  });

  it('stdin to stdout as WAV: an unknown-length header on a pipe, the samples intact', async () => {
    const sig = noise(2 * 9600, 3);
    const input = join(dir, 'pipe-in.wav');
    await writeWav(input, sig, { samplerate: RATE, channels: 2, format: 'f32' });
    const r = cli(['-', '-', '-D', 'virtual:loopback', '-p', '4800s'], { input: readFileSync(input) });
    expect(r.status, r.stderr).toBe(0);
    // Status went to stderr, never into the audio.
    expect(r.stderr).toMatch(/frames recorded: 14400 /);
    const out = r.stdout;
    expect(out.subarray(0, 4).toString()).toBe('RIFF');
    const dataAt = out.indexOf('data') + 4;
    expect(out.readUInt32LE(dataAt)).toBe(0x7ffff000); // sox's "unknown length"
    const file = join(dir, 'pipe-out.wav');
    writeFileSync(file, out);
    const rec = await readWav(file);
    expect(rec).toMatchObject({ channels: 2, format: 'f32', frames: 9600 + 4800 });
    expectPlayedBack(rec.data, sig, 2);
  });

  it('stdin to stdout as RAW: i16 in, f32 out (an encoding pair), converted exactly', () => {
    const frames = 9600;
    const ints = new Int16Array(frames);
    for (let i = 0; i < frames; i++) ints[i] = ((i * 7919) % 65536) - 32768;
    const r = cli(['-', '-', '-D', 'virtual:loopback', '-t', 'raw', '-r', '48k', '-c', '1', '-e', 'i16,f32', '-p', '0.1', '-q'], {
      input: Buffer.from(ints.buffer),
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBe((frames + 4800) * 4);
    const rec = new Float32Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length / 4);
    const expected = Float32Array.from(ints, (v) => v / 32768);
    expectPlayedBack(rec, expected, 1);
  });

  it('RAW files by extension: .raw in (i16), .raw out (f32), converted exactly', () => {
    const frames = 4800;
    const ints = new Int16Array(frames);
    for (let i = 0; i < frames; i++) ints[i] = ((i * 104729) % 65536) - 32768;
    const input = join(dir, 'in.raw');
    const output = join(dir, 'out.raw');
    writeFileSync(input, ints);
    const r = cli([input, output, '-D', 'virtual:loopback', '-r', '48k', '-c', '1', '-e', 'pcm_16,float', '-p', '0.1', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const bytes = readFileSync(output);
    expect(bytes.length).toBe((frames + 4800) * 4);
    const rec = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expectPlayedBack(
      rec,
      Float32Array.from(ints, (v) => v / 32768),
      1,
    );
  });

  it("-m is pastream's CHMAP: one map is the recording's when there is an OUTPUT, two are playback then recording", async () => {
    const sig = noise(2 * 4800, 9);
    const input = join(dir, 'map-in.wav');
    await writeWav(input, sig, { samplerate: RATE, channels: 2, format: 'f32' });
    const swapped = new Float32Array(sig.length);
    for (let i = 0; i < sig.length; i += 2) [swapped[i], swapped[i + 1]] = [sig[i + 1], sig[i]];
    // One map, an output file: the recording is swapped (pastream's rxmapping), the playback is not.
    const one = join(dir, 'map-one.wav');
    const r = cli([input, one, '-D', 'virtual:loopback', '-m', '2,1', '-p', '0.1', '-q']);
    expect(r.status, r.stderr).toBe(0);
    expectPlayedBack((await readWav(one)).data, swapped, 2);
    // Two maps (CHIN:CHOUT form for the first): playback swapped, recording as is.
    const two = join(dir, 'map-two.wav');
    const t = cli([input, two, '-D', 'virtual:loopback', '-m', '2:1,1:2', '1,2', '-p', '0.1', '-q']);
    expect(t.status, t.stderr).toBe(0);
    expectPlayedBack((await readWav(two)).data, swapped, 2);
    // Swapped on the way out and back: the signal itself.
    const both = join(dir, 'map-both.wav');
    const b = cli([input, both, '-D', 'virtual:loopback', '-m', '2,1', '-m', '2,1', '-p', '0.1', '-q']);
    expect(b.status, b.stderr).toBe(0);
    expectPlayedBack((await readWav(both)).data, sig, 2);
  });

  it('a WAV header with no data on stdin ends at once (status 0, the shortfall said), no hang', async () => {
    const full = join(dir, 'header-src.wav');
    await writeWav(full, new Float32Array(4800), { samplerate: RATE, channels: 1, format: 'i16' });
    const header = readFileSync(full).subarray(0, 44);
    const r = cli(['-H', 'virtual', '-', 'null', '-q'], { input: header, timeout: 20_000 });
    expect([r.status, r.stderr]).toEqual([0, expect.stringMatching(/WAV data ended 4800 frames short/)]);
  });

  it('a RAW file with a trailing byte plays its whole frames (status 0, the stray byte said)', async () => {
    const ints = new Int16Array(4800).map((_, i) => ((i * 37) % 2000) - 1000);
    const raw = join(dir, 'odd.raw');
    writeFileSync(raw, Buffer.concat([Buffer.from(ints.buffer), Buffer.from([7])]));
    const out = join(dir, 'odd-back.raw');
    const r = cli([raw, out, '-D', 'virtual:loopback', '-r', '48k', '-c', '1', '-e', 'i16,f32', '-p', '0.1', '-q']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 byte\(s\) of an incomplete 2-byte frame/);
    const bytes = readFileSync(out);
    expectPlayedBack(
      new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4),
      Float32Array.from(ints, (v) => v / 32768),
      1,
    );
  });

  it('SIGTERM stops with status 143 (SIGINT 130); a second signal never turns it into 0', async () => {
    for (const [signals, code] of [
      [['SIGTERM'], 143],
      [['SIGINT', 'SIGINT'], 130],
    ] as const) {
      const run = start(['null', join(dir, `sig-${code}.wav`), '-H', 'virtual']);
      while (!/0:01\.\d/.test(run.stderr())) await new Promise((r) => setTimeout(r, 20));
      for (const sig of signals) run.child.kill(sig);
      const { status, stderr } = await run.done;
      expect(status, stderr).toBe(code);
      // SIGTERM as SIGINT: the recording is a valid file of every frame the summary counts.
      const rec = await readWav(join(dir, `sig-${code}.wav`));
      // The status line's clock runs ahead of the recording by the input latency and a block or two.
      expect(rec.frames).toBeGreaterThan(RATE / 2);
      expect(rec.frames).toBe(Number(/frames recorded: (\d+)/.exec(stderr)![1]));
    }
    // Stuck on an empty stdin before the device opens: the signal's status too.
    const child = spawn(process.execPath, [bin, '-H', 'virtual', '-', 'null'], { stdio: ['pipe', 'ignore', 'pipe'] });
    await untilReadingStdin(child);
    child.kill('SIGTERM');
    expect(await new Promise((res) => child.on('close', res))).toBe(143);
  });

  it('the reader of stdout quitting (| head) ends an endless recording quietly, status 0', async () => {
    const child = spawn(process.execPath, [bin, 'null', '-', '-H', 'virtual', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const header = await new Promise<Buffer>((res) => child.stdout.once('data', res));
    expect(header.subarray(0, 4).toString()).toBe('RIFF');
    child.stdout.destroy();
    const status = await new Promise<number | null>((res) => child.on('close', res));
    expect(status, stderr).toBe(0);
    expect(stderr).toBe('');
  });

  it('--fatal-xruns: an injected xrun stops the run with status 3; without it the run completes and counts it', async () => {
    const env = { RINGSTREAM_FAULTS: '{"skipBlocks":[3]}' };
    const out = join(dir, 'xrun.wav');
    const r = cli(['null', out, '-D', 'virtual:loopback', '-d', '2', '--fatal-xruns'], { env });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/xrun at [\d.]+ s .*stopped \(--fatal-xruns\)/);
    // Stopped early, by device time (the recording), not by the wall clock: a loaded machine
    // takes a second or more just to start Node.
    expect((await readWav(out)).frames).toBeLessThan(RATE);
    const ok = cli(['null', out, '-D', 'virtual:loopback', '-d', '0.3'], { env });
    expect(ok.status, ok.stderr).toBe(0);
    expectSkipped(ok.stderr, 1);
    expect((await readWav(out)).frames).toBe(14400);
    // Counted by kind.
    const two = cli(['null', out, '-D', 'virtual:loopback', '-d', '0.3'], { env: { RINGSTREAM_FAULTS: '{"skipBlocks":[3,6]}' } });
    expect(two.status, two.stderr).toBe(0);
    expectSkipped(two.stderr, 2);
  });

  it('SIGINT during playrec stops cleanly: status 130 and a valid file of every frame recorded so far', async () => {
    const sig = noise(2 * 4 * RATE, 11);
    const input = join(dir, 'long.wav');
    const output = join(dir, 'interrupted.wav');
    await writeWav(input, sig, { samplerate: RATE, channels: 2, format: 'f32' });
    const run = start([input, output, '-D', 'virtual:loopback']);
    // Evidence, not a clock: the status line's "0:01.0" is the device's frames rounded (0.95 s
    // shows as 1.0) and ahead of the file, so under load the file held 47104 frames by then.
    await untilOnDisk(output, RATE, 2 * 4, run.child);
    run.child.kill('SIGINT');
    const { status, stderr } = await run.done;
    expect(status, stderr).toBe(130);
    const recorded = Number(/frames recorded: (\d+)/.exec(stderr)![1]);
    const rec = await readWav(output);
    // Every frame on disk before the signal is kept.
    expect(rec.frames).toBeGreaterThan(RATE);
    // Stopped by the signal: running on to the input's end records all 4 s and the round trip.
    expect(rec.frames).toBeLessThan(4 * RATE);
    // The summary counts the frames in the file, not the device's blocks.
    expect(rec.frames).toBe(recorded);
    expectPlayedBack(rec.data, sig, 2, rec.frames);
  });

  it('demo: plays and records its test signal, the measured round trip equals the reported one', () => {
    const r = cli(['demo', join(dir, 'demo'), '-q']);
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout.toString();
    expect(text).toMatch(/round trip: (\d+) frames .*the stream reports \1 .*they agree/);
    expect(text).toMatch(/sample-exact/);
    expect(text).toMatch(/peak levels \(dBFS, measured in the audio callback\): out -12\.0 \/ -18\.1, in -12\.0 \/ -18\.1/);
  });
});
