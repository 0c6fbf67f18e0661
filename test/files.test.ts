import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, InputStream, OutputStream, readWav, writeWav } from '../src/index';
import { caught, findDelay, noise } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fast = { device: 'virtual:loopback', blocksize: 256, speed: Infinity } as const;

describe('WAV file sources and sinks (native threads)', () => {
  it('file -> playrec -> file is sample-exact', async () => {
    const src = join(dir, 'src.wav');
    const out = join(dir, 'out.wav');
    const sig = noise(2 * 30_000, 42);
    await writeWav(src, sig, { samplerate: 44100, channels: 2, format: 'f32' });
    const s = DuplexStream.fromFile(src, fast);
    expect([s.samplerate, s.channels]).toEqual([44100, [2, 2]]);
    expect(await s.playrec(src, { out, pad: 1024 })).toBe(out);
    const rec = await readWav(out);
    expect([rec.samplerate, rec.channels, rec.format, rec.frames]).toEqual([44100, 2, 'f32', 31_024]);
    const delay = findDelay(rec.data, sig, 2);
    expect(delay).toBe(512);
    expect(rec.data.subarray(2 * delay, 2 * (delay + 30_000))).toEqual(sig);
    await s.close();
  });

  it('records to an i16 file that sox reads with the right length', async () => {
    const out = join(dir, 'rec16.wav');
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 3 });
    await s.record({ frames: 12_000, offset: 2000, out, format: 'i16' });
    const info = execFileSync('soxi', [out]).toString();
    expect(info).toMatch(/Channels\s*: 3/);
    expect(info).toMatch(/Precision\s*: 16-bit/);
    expect(info).toMatch(/10000 samples/);
    await s.close();
  });

  it('plays a file in a loop for a given number of frames', async () => {
    const src = join(dir, 'loop.wav');
    const sig = noise(1000, 5);
    await writeWav(src, sig, { samplerate: 48000, channels: 1, format: 'f32' });
    const s = new DuplexStream({ ...fast, channels: 1 });
    const rec = (await s.playrec(src, { frames: 3500, loop: true, pad: 512 })) as Float32Array;
    expect(rec.length).toBe(4012);
    for (let k = 0; k < 3; k++) expect(rec.subarray(512 + 1000 * k, 512 + 1000 * (k + 1))).toEqual(sig);
    expect(rec.subarray(3512, 4012)).toEqual(sig.subarray(0, 500));
    await s.close();
  });

  it('refuses a file at another sample rate or channel count', async () => {
    const src = join(dir, 'mono44.wav');
    await writeWav(src, new Float32Array(100), { samplerate: 44100, channels: 1, format: 'i16' });
    const s = new OutputStream({ ...fast, channels: 1 });
    const e = await caught(() => s.play(src));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED_CONFIG);
    expect(e.message).toMatch(/44100 Hz.*48000/);
    const t = new OutputStream({ ...fast, samplerate: 44100, channels: 2 });
    expect((await caught(() => t.play(src))).message).toMatch(/1 channels.*2/);
    await s.close();
    await t.close();
  });

  it('a reader-thread error reaches the caller as the job error', async () => {
    const src = join(dir, 'cut.wav');
    await writeWav(src, noise(2 * 96_000, 6), { samplerate: 48000, channels: 2, format: 'f32' });
    const s = new OutputStream({ device: 'virtual:null', channels: 2, blocksize: 256, bufferSize: 4096 });
    const p = s.play(src);
    await new Promise((r) => setTimeout(r, 100));
    truncateSync(src, 5000); // the file shrinks under the reader
    const e = await caught(() => p);
    expect([ErrorCode.IO, ErrorCode.WAV_FORMAT]).toContain(e.code);
    await s.close();
  });

  it('a writer-thread error reaches the caller as the job error', async () => {
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 1 });
    const e = await caught(() => s.record({ frames: 200_000, out: '/dev/full' }));
    expect(e.code).toBe(ErrorCode.IO);
    expect(e.message).toMatch(/space/i);
    await s.close();
  });
});
