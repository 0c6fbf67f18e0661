import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { ensureBuilt } from './cli-helpers';
import { LEAVE, leaveAs, WAYS_TO_LEAVE } from './leave';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCode, readWav, writeWav, WavReader, WavWriter, type WavFormat } from '../src/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-wav-'));
const tmp = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FORMATS: WavFormat[] = ['f32', 'i16', 'i24', 'i32', 'u8'];
const BITS: Record<WavFormat, number> = { u8: 8, i16: 16, i24: 24, i32: 32, f32: 32 };

async function expectReject(p: Promise<unknown>, code: string, type: ErrorConstructor = Error) {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(type);
  expect((e as { code?: string }).code).toBe(code);
}

function soxi(file: string, flag: string): string {
  return execFileSync('soxi', [flag, file], { encoding: 'utf8' }).trim();
}

/** sox's own decoding of `file` as interleaved float32. */
function soxDecode(file: string): Float32Array {
  const raw = execFileSync('sox', [file, '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** `frames` frames of `channels` channels on the 8-bit grid (exact in every format). */
function gridSignal(frames: number, channels: number): Float32Array {
  const d = new Float32Array(frames * channels);
  for (let i = 0; i < d.length; i++) d[i] = ((i * 7 + (i % channels) * 31) % 256) / 128 - 1;
  return d;
}

describe('readWav / writeWav', () => {
  it('round-trip every format exactly for values on the grid', async () => {
    for (const format of FORMATS) {
      for (const channels of [1, 2, 5]) {
        const file = tmp(`rt-${format}-${channels}.wav`);
        const data = gridSignal(1234, channels);
        await writeWav(file, data, { samplerate: 44100, channels, format });
        const back = await readWav(file);
        expect([back.samplerate, back.channels, back.format, back.frames]).toEqual([44100, channels, format, 1234]);
        expect(back.data).toBeInstanceOf(Float32Array);
        expect(back.data).toEqual(data);
      }
    }
  });

  it('uses the 32768 convention for i16 and clips to [-1, 1]', async () => {
    const file = tmp('clip.wav');
    await writeWav(file, new Float32Array([1, -1, 2, -2, 0.5, NaN]), { samplerate: 8000, channels: 1, format: 'i16' });
    const { data } = await readWav(file);
    expect(Array.from(data)).toEqual([32767 / 32768, -1, 32767 / 32768, -1, 0.5, 0]);
  });

  it('writes files that sox reads with the right rate, channels, precision and length', async () => {
    const precision: Record<WavFormat, string> = { u8: '8', i16: '16', i24: '24', i32: '32', f32: '25' };
    for (const format of FORMATS) {
      for (const channels of [1, 2, 8]) {
        const file = tmp(`sox-${format}-${channels}.wav`);
        const data = gridSignal(4800, channels);
        await writeWav(file, data, { samplerate: 48000, channels, format });
        expect(soxi(file, '-r')).toBe('48000');
        expect(soxi(file, '-c')).toBe(String(channels));
        expect(soxi(file, '-b')).toBe(String(BITS[format]));
        expect(soxi(file, '-p')).toBe(precision[format]);
        expect(soxi(file, '-s')).toBe('4800');
        expect(soxi(file, '-e')).toBe(
          format === 'f32' ? 'Floating Point PCM' : format === 'u8' ? 'Unsigned Integer PCM' : 'Signed Integer PCM',
        );
        expect(maxDiff(soxDecode(file), data)).toBe(0);
      }
    }
  });

  it('reads files sox writes (8/16/24/32-bit int, float, extensible, 1 to 8 channels) as sox decodes them', async () => {
    const encodings: [number, string, WavFormat][] = [
      [8, 'unsigned-integer', 'u8'],
      [16, 'signed-integer', 'i16'],
      [24, 'signed-integer', 'i24'],
      [32, 'signed-integer', 'i32'],
      [32, 'floating-point', 'f32'],
    ];
    let extensible = 0;
    for (const [bits, encoding, format] of encodings) {
      for (const channels of [1, 2, 3, 6, 8]) {
        for (const type of ['wav', 'wavpcm']) {
          const file = tmp(`from-sox-${bits}-${encoding}-${channels}.${type}.wav`);
          const tones = Array.from({ length: channels }, (_, c) => ['sine', String(220 + 110 * c)]).flat();
          execFileSync('sox', [
            '-n',
            '-r',
            '44100',
            '-c',
            String(channels),
            '-b',
            String(bits),
            '-e',
            encoding,
            '-t',
            type,
            file,
            'synth',
            '0.5',
            ...tones,
            'gain',
            '-1',
          ]);
          if (fs.readFileSync(file).readUInt16LE(20) === 0xfffe) extensible++;
          const got = await readWav(file);
          expect([got.samplerate, got.channels, got.format, got.frames]).toEqual([44100, channels, format, 22050]);
          const ref = soxDecode(file);
          expect(got.data.length).toBe(ref.length);
          // One LSB, but never finer than float32 itself resolves near full
          // scale (sox rounds 32-bit ints to float half-up, we to even).
          const lsb = Math.max(2 ** -(bits - 1), 2 ** -24);
          expect(maxDiff(got.data, ref)).toBeLessThanOrEqual(lsb);
        }
      }
    }
    expect(extensible).toBeGreaterThan(10); // sox uses WAVE_FORMAT_EXTENSIBLE beyond 2 channels or 16 bits
  });

  it('rejects bad input with stable codes', async () => {
    await expectReject(readWav(tmp('missing.wav')), ErrorCode.IO);
    fs.writeFileSync(tmp('text.wav'), 'this is not a wav file, just some text that is long enough');
    await expectReject(readWav(tmp('text.wav')), ErrorCode.WAV_FORMAT);
    const good = tmp('good.wav');
    await writeWav(good, gridSignal(100, 2), { samplerate: 8000, channels: 2, format: 'i16' });
    fs.writeFileSync(tmp('truncated.wav'), fs.readFileSync(good).subarray(0, 30));
    await expectReject(readWav(tmp('truncated.wav')), ErrorCode.WAV_FORMAT);
    execFileSync('sox', ['-n', '-r', '8000', '-e', 'a-law', tmp('alaw.wav'), 'synth', '0.1', 'sine', '440']);
    await expectReject(readWav(tmp('alaw.wav')), ErrorCode.WAV_FORMAT);
    execFileSync('sox', ['-n', '-r', '8000', '-b', '64', '-e', 'floating-point', tmp('f64.wav'), 'synth', '0.1', 'sine', '440']);
    await expectReject(readWav(tmp('f64.wav')), ErrorCode.WAV_FORMAT);
    await expectReject(
      writeWav(tmp('ragged.wav'), new Float32Array(5), { samplerate: 8000, channels: 2, format: 'f32' }),
      ErrorCode.INVALID_ARG,
      RangeError,
    );
    await expectReject(
      writeWav(tmp('bad.wav'), new Float32Array(4), { samplerate: 8000, channels: 2, format: 'f64' as WavFormat }),
      ErrorCode.INVALID_ARG,
      RangeError,
    );
    await expectReject(
      writeWav(tmp('bad.wav'), new Float32Array(4), { samplerate: 0, channels: 2, format: 'i16' }),
      ErrorCode.INVALID_ARG,
      RangeError,
    );
    await expectReject(
      writeWav(tmp('bad.wav'), new Float32Array(4), { samplerate: 8000, channels: 1.5, format: 'i16' }),
      ErrorCode.INVALID_ARG,
      RangeError,
    );
    await expectReject(
      writeWav(tmp('bad.wav'), [0, 0] as unknown as Float32Array, { samplerate: 8000, channels: 1, format: 'i16' }),
      ErrorCode.INVALID_ARG,
      TypeError,
    );
    await expectReject(
      writeWav(path.join(dir, 'no', 'such', 'dir.wav'), new Float32Array(2), { samplerate: 8000, channels: 1, format: 'i16' }),
      ErrorCode.IO,
    );
  });

  it('does not trust a header that claims 4 GB in a 1 KB file', async () => {
    const file = tmp('liar.wav');
    await writeWav(file, new Float32Array(0), { samplerate: 8000, channels: 1, format: 'i16' });
    const head = fs.readFileSync(file);
    const bytes = Buffer.alloc(1024);
    head.copy(bytes);
    bytes.writeUInt32LE(0xffffffff, 4);
    bytes.writeUInt32LE(0xfffffffe, head.length - 4);
    fs.writeFileSync(file, bytes);
    const before = process.memoryUsage().rss;
    const d = await readWav(file);
    expect(d.frames).toBe((1024 - head.length) / 2);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 << 20);
    const r = WavReader.open(file);
    expect(r.read(1e12).length).toBe(d.frames);
    r.close();
  });
});

describe('WavReader / WavWriter', () => {
  it('stream blocks in and out, seek, and refuse use after close', () => {
    const file = tmp('stream.wav');
    const w = WavWriter.create(file, { samplerate: 16000, channels: 2, format: 'i24' });
    const data = gridSignal(50_000, 2);
    for (let f = 0; f < 50_000; f += 999) w.write(data.subarray(2 * f, 2 * Math.min(f + 999, 50_000)));
    expect(w.frames).toBe(50_000);
    expect(w.spec).toEqual({ samplerate: 16000, channels: 2, format: 'i24' });
    try {
      w.write(new Float32Array(3));
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      expect((e as { code?: string }).code).toBe(ErrorCode.INVALID_ARG);
    }
    w.flush();
    w.close();
    w.close();
    expect(() => w.write(new Float32Array(2))).toThrow(/closed/);

    const r = WavReader.open(file);
    expect(r.spec).toEqual({ samplerate: 16000, channels: 2, format: 'i24' });
    expect(r.frames).toBe(50_000);
    const parts: Float32Array[] = [];
    for (let b = r.read(4096); b.length > 0; b = r.read(4096)) parts.push(b);
    const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((o, p) => (all.set(p, o), o + p.length), 0);
    expect(all).toEqual(data);
    expect(r.position).toBe(50_000);
    r.seek(123);
    expect(r.read(2)).toEqual(data.subarray(246, 250));
    expect(() => r.seek(50_001)).toThrow(RangeError);
    expect(() => r.read(-1)).toThrow(RangeError);
    r.close();
    expect(() => r.read(1)).toThrow(/closed/);
  });

  it('leaves a readable file when the writing process is killed with SIGKILL', async () => {
    const file = tmp('killed.wav');
    const rate = 48000;
    const child = spawn(process.execPath, ['-e', KILLED_WRITER, file, String(rate)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let reported = 0;
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (s: string) => {
        const lines = s.trim().split('\n');
        reported = Math.max(reported, Number(lines[lines.length - 1]));
        if (reported >= 3.5 * rate) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const d = await readWav(file);
    expect(d.channels).toBe(2);
    expect(d.frames).toBeGreaterThanOrEqual(reported - rate);
    for (let i = 0; i < d.frames * 2; i++) {
      if (d.data[i] !== (((i >> 1) % 1000) - 500) / 32768) throw new Error(`sample ${i} is ${d.data[i]}`);
    }
    expect(Number(soxi(file, '-s'))).toBe(d.frames);
    expect(soxDecode(file)).toEqual(d.data);
  });

  it('loses nothing when the writing process exits, throws or gets SIGTERM', async () => {
    ensureBuilt();
    for (const how of WAYS_TO_LEAVE) {
      const file = tmp(`exit-${how}.wav`);
      leaveAs(EXITING_WRITER, file, how);
      const d = await readWav(file);
      expect({ how, frames: d.frames }).toEqual({ how, frames: 20_000 });
      expect(d.data[19_999]).toBe(0.25);
    }
  });
});

describe('stream recordings to a WAV path', () => {
  it('lose nothing recorded before the process exits, throws or gets SIGTERM', async () => {
    ensureBuilt();
    for (const how of ['exit', 'throw', 'sigterm']) {
      const file = tmp(`stream-exit-${how}.wav`);
      // What the stream had recorded when the child decided to leave.
      const recorded = Number(leaveAs(EXITING_RECORDER, file, how, 30_000).trim());
      expect(recorded).toBeGreaterThan(24_000);
      const d = await readWav(file);
      expect({ how, complete: d.frames >= recorded }).toEqual({ how, complete: true });
    }
  });
});

// Records from the virtual loopback (4x real time) into a WAV path until more
// than 24000 frames are in (counted, not timed: a loaded machine starts the
// device late), prints the frames recorded so far, then leaves the way argv[2] says.
const EXITING_RECORDER = `
const { InputStream } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'index.js'))});
const [file, how] = [process.argv[1], process.argv[2]];
const s = new InputStream({ device: 'virtual:loopback', channels: 1, samplerate: 48000, speed: 4 });
s.record({ frames: 48000 * 600, out: file });
const poll = setInterval(() => {
  if (s.frameCount <= 24000) return;
  clearInterval(poll);
  process.stdout.write(s.frameCount + '\\n');
  ${LEAVE}
}, 10);
`;

// Writes 20000 frames (less than the half second after which the header is
// refreshed), then leaves the way argv[2] says.
const EXITING_WRITER = `
const { WavWriter } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'index.js'))});
const [file, how] = [process.argv[1], process.argv[2]];
const w = new WavWriter(file, { samplerate: 48000, channels: 1, format: 'f32' });
w.write(new Float32Array(20000).fill(0.25));
${LEAVE}`;

// Writes a known ramp 0.1 s at a time, reporting frames written, until killed.
const KILLED_WRITER = `
const path = require('node:path');
const { WavWriter } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'index.js'))});
const [file, rate] = [process.argv[1], Number(process.argv[2])];
const w = new WavWriter(file, { samplerate: rate, channels: 2, format: 'i16' });
const block = rate / 10;
let frame = 0;
const tick = () => {
  const d = new Float32Array(block * 2);
  for (let i = 0; i < block; i++) d[2 * i] = d[2 * i + 1] = ((frame + i) % 1000 - 500) / 32768;
  w.write(d);
  frame += block;
  process.stdout.write(frame + '\\n');
  setTimeout(tick, 5);
};
tick();
`;
