// AudioWriter: any writable format written block by block on the JS
// thread, read back by readAudio and by sox; the exit hook it shares with
// WavWriter (BlockWriter) finishes a FLAC whole, its last short block too.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioWriter, BlockWriter, readAudio, WavWriter } from '../src/index';
import { ensureBuilt } from './cli-helpers';
import { LEAVE, leaveAs, WAYS_TO_LEAVE } from './leave';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-audio-writer-'));
const tmp = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function soxDecode(file: string): Float32Array {
  const raw = execFileSync('sox', [file, '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

// 16-bit values (exact in every encoding tested), stereo, 10000 frames: not
// a whole number of FLAC blocks (4096) nor of the blocks written below.
const sig = new Float32Array(2 * 10_000).map((_, i) => Math.round(12_000 * Math.sin(i / 9)) / 32768 + 0); // + 0: no -0

describe('AudioWriter', () => {
  it('writes blocks in FLAC, AIFF, AU, Wave64, WAV and RAW that read back equal, in readAudio and in sox', async () => {
    for (const [name, encoding] of [
      ['b.flac', 'pcm_16'],
      ['b24.flac', 'pcm_24'],
      ['b.aiff', 'pcm_16'],
      ['b.au', 'pcm_16'],
      ['bf.au', 'float'],
      ['b.w64', 'pcm_24'],
      ['b.wav', 'pcm_16'],
    ] as const) {
      const w = AudioWriter.create(tmp(name), { samplerate: 44100, channels: 2, encoding });
      expect(w).toBeInstanceOf(BlockWriter);
      expect(w.spec).toEqual({ samplerate: 44100, channels: 2, format: path.extname(name).slice(1), encoding, bigEndian: false });
      for (let at = 0; at < sig.length; at += 2 * 1500) w.write(sig.subarray(at, at + 2 * 1500));
      expect(w.frames).toBe(10_000);
      w.close();
      w.close(); // again: nothing
      const back = await readAudio(tmp(name));
      expect([back.samplerate, back.channels, back.frames], name).toEqual([44100, 2, 10_000]);
      expect(back.data, name).toEqual(sig);
      expect(soxDecode(tmp(name)), name).toEqual(sig);
    }
    const raw = AudioWriter.create(tmp('b.raw'), { samplerate: 8000, channels: 2, encoding: 'pcm_16', bigEndian: true });
    raw.write(sig);
    raw.close();
    expect(raw.spec.bigEndian).toBe(true);
    const back = await readAudio(tmp('b.raw'), { raw: { samplerate: 8000, channels: 2, encoding: 'pcm_16', bigEndian: true } });
    expect(back.data).toEqual(sig);
    // The path names the format, or spec.format does; the default encoding is writeAudio's.
    const named = new AudioWriter(tmp('noext'), { samplerate: 8000, channels: 1, format: 'au' });
    named.close();
    expect((await readAudio(tmp('noext'))).format).toBe('au');
    expect(named.spec.encoding).toBe('pcm_16');
  });

  it('flush() makes the file complete as of now (FLAC: its whole blocks), while writing goes on', async () => {
    const flac = AudioWriter.create(tmp('f.flac'), { samplerate: 48000, channels: 2 });
    const aiff = AudioWriter.create(tmp('f.aiff'), { samplerate: 48000, channels: 2 });
    for (const w of [flac, aiff]) {
      w.write(sig);
      w.flush();
    }
    expect((await readAudio(tmp('f.flac'))).frames).toBe(2 * 4096);
    expect((await readAudio(tmp('f.aiff'))).frames).toBe(10_000);
    for (const w of [flac, aiff]) {
      w.write(sig);
      w.close();
      expect(w.frames).toBe(20_000);
    }
    expect((await readAudio(tmp('f.flac'))).data.subarray(2 * 10_000)).toEqual(sig);
    execFileSync('flac', ['-t', '-s', tmp('f.flac')]); // complete: length and MD5 in STREAMINFO
  });

  it('finishes a FLAC whole when the process exits, throws or gets SIGTERM; flushes whole blocks when the program handles the signal', async () => {
    ensureBuilt();
    for (const how of WAYS_TO_LEAVE) {
      const file = tmp(`exit-${how}.flac`);
      leaveAs(EXITING_WRITER, file, how);
      const d = await readAudio(file);
      expect({ how, frames: d.frames }).toEqual({ how, frames: 20_000 });
      expect(d.data[19_999]).toBe(0.25);
      execFileSync('flac', ['-t', '-s', file]); // MD5 and length written: finished, not just flushed
    }
  });

  it('a writer collected unclosed is finished by its native finalizer: a FLAC whole, its last short block too', async () => {
    // A real gc(): vitest runs tests without --expose-gc.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const file = tmp('collected.flac');
    let ref: WeakRef<AudioWriter> | undefined;
    (() => {
      const w = AudioWriter.create(file, { samplerate: 44100, channels: 2, encoding: 'pcm_16' });
      w.write(sig);
      ref = new WeakRef(w);
    })();
    const tick = () => new Promise((res) => setImmediate(res));
    // Unfinished, the FLAC holds whole blocks at most (2 of 4096 frames) and no length.
    const frames = async () => (await readAudio(file).catch(() => undefined))?.frames;
    for (let i = 0; i < 50 && (await frames()) !== 10_000; i++) {
      await tick();
      gc();
      await tick();
    }
    expect(ref?.deref()).toBeUndefined();
    const back = await readAudio(file);
    expect(back.frames).toBe(10_000);
    expect(back.data).toEqual(sig);
    execFileSync('flac', ['-t', '-s', file]); // MD5 and length written: finished, not just flushed
  });

  it('WavWriter shares BlockWriter (write, flush, frames, close and the exit hook)', () => {
    const w = WavWriter.create(tmp('w.wav'), { samplerate: 8000, channels: 2 });
    expect(w).toBeInstanceOf(BlockWriter);
    w.write(sig.subarray(0, 200));
    expect(w.frames).toBe(100);
    w.close();
    expect(() => w.write(sig.subarray(0, 2))).toThrow(/closed/);
  });
});

// Writes 20000 frames of FLAC (4 whole blocks and a short one), then leaves
// the way argv[2] says. A handled SIGTERM exits soon after through 'exit'.
const EXITING_WRITER = `
const { AudioWriter } = require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'index.js'))});
const [file, how] = [process.argv[1], process.argv[2]];
const w = new AudioWriter(file, { samplerate: 48000, channels: 1, encoding: 'pcm_16' });
w.write(new Float32Array(20000).fill(0.25));
${LEAVE}`;
