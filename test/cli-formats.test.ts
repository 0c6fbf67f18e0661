// The ringstream command with files beyond WAV: pastream's documented AU
// pipe from sox, FLAC in and out, -t / -e on files, all through the real bin.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAudio, writeAudio } from '../src/index';
import { cli, ensureBuilt } from './cli-helpers';
import { findDelay } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-cli-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
ensureBuilt();

function soxDecode(file: string): Float32Array {
  const raw = execFileSync('sox', [file, '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

describe('ringstream with FLAC, AIFF and AU files', () => {
  it("pastream's example: sox -n -t au - synth 1 sine 440 | ringstream - output.wav", async () => {
    const au = execFileSync('sox', ['-n', '-t', 'au', '-', 'synth', '1', 'sine', '440'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const out = join(dir, 'output.wav');
    const r = cli(['-', out, '-D', 'virtual:loopback'], { input: au });
    expect(r.status, r.stderr).toBe(0);
    const rec = await readAudio(out);
    expect([rec.samplerate, rec.channels]).toEqual([48000, 1]);
    // What sox sent, 32-bit big-endian PCM, came back as float, after the loopback's delay.
    const ref = join(dir, 'sent.au');
    execFileSync('sox', ['-n', '-t', 'au', ref, 'synth', '1', 'sine', '440']);
    const sent = (await readAudio(ref)).data;
    const bySox = soxDecode(ref);
    expect(sent.every((x, i) => Math.abs(x - bySox[i]) < 1e-7)).toBe(true);
    const d = findDelay(rec.data, sent, 1);
    expect(d).toBeGreaterThan(0);
    let worst = 0;
    for (let i = 0; d + i < rec.data.length; i++) worst = Math.max(worst, Math.abs(rec.data[d + i] - sent[i]));
    expect(worst).toBeLessThan(1e-7);
  });

  it('FLAC in, FLAC out: -f int16 records 16-bit, as pastream does; the take reads in sox', async () => {
    const input = join(dir, 'in.flac');
    const sig = new Float32Array(2 * 12000).map((_, i) => Math.round(8000 * Math.sin(i / 7)) / 32768 + 0); // + 0: no -0, which files do not keep
    await writeAudio(input, sig, { samplerate: 48000, channels: 2 });
    const take = join(dir, 'take.flac');
    const r = cli([input, take, '-D', 'virtual:loopback', '-f', 'int16', '-p', '4800s']);
    expect(r.status, r.stderr).toBe(0);
    const rec = await readAudio(take);
    expect([rec.format, rec.channels, rec.frames]).toEqual(['flac', 2, 12000 + 4800]);
    expect(execFileSync('soxi', ['-b', take], { encoding: 'utf8' }).trim()).toBe('16');
    expect(soxDecode(take)).toEqual(rec.data);
    const d = findDelay(rec.data, sig, 2);
    expect(Array.from(rec.data.subarray(2 * d, 2 * d + sig.length))).toEqual(Array.from(sig));
  });

  it('refuses formats it cannot write, and a -t that contradicts the file name, before any device opens', () => {
    for (const [args, message] of [
      [['null', join(dir, 'x.mp3'), '-D', 'virtual:null', '-d', '0.1'], /mp3 files can be read but not written/],
      [['null', join(dir, 'x.wav'), '-t', ',flac', '-D', 'virtual:null', '-d', '0.1'], /contradicts the file name/],
      [['null', '-', '-t', ',aiff', '-D', 'virtual:null', '-d', '0.1'], /AIFF cannot be written to a pipe/],
      [['null', '-', '-t', ',w64', '-D', 'virtual:null', '-d', '0.1'], /W64 cannot be written to a pipe/],
      // An extension that names no format: refused, never WAV bytes under that name.
      [['null', join(dir, 'take.opus'), '-D', 'virtual:null', '-d', '0.1'], /cannot tell which format to write .*take\.opus/],
    ] as const) {
      const r = cli([...args], { input: Buffer.alloc(0) });
      expect(r.status, r.stderr).toBe(2); // a usage error, before any device opens
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'take.opus'))).toBe(false);
  });

  it('-t names the format of a file output: -t ,flac and -t ,w64 on names without an extension', async () => {
    for (const [type, format] of [
      ['flac', 'flac'],
      ['w64', 'w64'],
      ['au', 'au'],
    ] as const) {
      const out = join(dir, `take-${type}`);
      const r = cli(['null', out, '-t', `,${type}`, '-D', 'virtual:null', '-d', '0.05', '-f', 'int16']);
      expect(r.status, r.stderr).toBe(0);
      const rec = await readAudio(out);
      expect([rec.format, rec.encoding], type).toEqual([format, type === 'flac' ? 'flac' : 'pcm_16']);
      copyFileSync(out, `${out}.${type}`); // soxi goes by the name
      expect(execFileSync('soxi', ['-b', `${out}.${type}`], { encoding: 'utf8' }).trim(), type).toBe('16');
      expect(rec.frames, type).toBeGreaterThan(0);
      // sox, told the type, reads the same samples.
      const raw = execFileSync('sox', ['-t', type, out, '-t', 'f32', '-']);
      expect(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))).toEqual(rec.data);
    }
  });
});
