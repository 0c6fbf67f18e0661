import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunks, defaults, DuplexStream, ErrorCode, InputStream, Mixer, OutputStream, readWav, writeWav } from '../src/index';
import { cli } from './cli-helpers';
import { caught, closeAfterEach, findDelay, noise } from './helpers';

// pastream's blocksize=0: the host chooses the block. The virtual devices'
// own block is 512 frames; every block then has that size.
const OWN_BLOCK = 512;
const fast = { device: 'virtual:loopback', blocksize: 0, speed: Infinity } as const;
const track = closeAfterEach();

describe('blocksize 0 (the host chooses)', () => {
  it('opens with the host block and reports it as stream.blocksize', () => {
    expect(track(new OutputStream({ ...fast, channels: 2 })).blocksize).toBe(OWN_BLOCK);
    expect(track(new InputStream({ ...fast, channels: 1 })).blocksize).toBe(OWN_BLOCK);
    expect(track(new DuplexStream({ ...fast, channels: 1, blocksize: 64 })).blocksize).toBe(64);
    expect(track(new Mixer({ ...fast, device: 'virtual:null', channels: 2 })).blocksize).toBe(OWN_BLOCK);
  });

  it('chunks() default to the chosen block', async () => {
    const s = track(new InputStream({ ...fast, device: 'virtual:null', channels: 2 }));
    let n = 0;
    for await (const c of s.chunks({ frames: 4 * OWN_BLOCK })) {
      expect(c.length).toBe(2 * OWN_BLOCK);
      n++;
    }
    expect(n).toBe(4);
  });

  it('module chunks() with blocksize 0 yields blocks of the chosen size', async () => {
    let n = 0;
    for await (const c of chunks({ ...fast, device: 'virtual:null', channels: 1, frames: 3 * OWN_BLOCK })) {
      expect(c.length).toBe(OWN_BLOCK);
      n++;
    }
    expect(n).toBe(3);
  });

  it('playrec returns the played signal sample-exactly after the reported latency', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 2 }));
    const sig = noise(2 * 10_000, 24);
    const rec = (await s.playrec(sig, { pad: 4096 })) as Float32Array;
    expect(rec.length).toBe(2 * 14_096);
    const delay = findDelay(rec, sig, 2);
    const [li, lo] = s.latency;
    expect(delay).toBe(Math.round((li + lo) * s.samplerate));
    expect(rec.subarray(2 * delay, 2 * (delay + 10_000))).toEqual(sig);
    expect(s.xruns).toBe(0);
  });

  it('defaults.blocksize takes 0; a negative or fractional blocksize is still refused', async () => {
    const before = defaults.blocksize;
    try {
      defaults.blocksize = 0;
      expect(track(new OutputStream({ device: 'virtual:null', channels: 1, speed: Infinity })).blocksize).toBe(OWN_BLOCK);
    } finally {
      defaults.blocksize = before;
    }
    for (const bad of [-1, 1.5]) {
      const e = await caught(() => new OutputStream({ ...fast, channels: 1, blocksize: bad }));
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
      expect(e.message).toMatch(/blocksize must be 0 \(the host chooses\) or a positive integer/);
    }
  });

  it('a bufferSize smaller than the chosen block is refused after open, saying both sizes', async () => {
    const e = await caught(() => new InputStream({ ...fast, channels: 1, bufferSize: 256 }));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/bufferSize must be at least the blocksize \(512 frames\), got 256/);
  });
});

describe('ringstream -b 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringstream-b0-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('playrec through the real bin: the header says the chosen block, the recording is exact', async () => {
    const sig = noise(2 * 9600, 25);
    const [input, output] = [join(dir, 'in.wav'), join(dir, 'out.wav')];
    await writeWav(input, sig, { samplerate: 48000, channels: 2, format: 'f32' });
    const r = cli([input, output, '-D', 'virtual:loopback', '-b', '0', '-p', '0.1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`blocksize ${OWN_BLOCK},`));
    expect(r.stderr).toMatch(/frames played: 14400 \(0\.300 s\), frames recorded: 14400/);
    const rec = await readWav(output);
    expect(rec.frames).toBe(14_400);
    const d = findDelay(rec.data as Float32Array, sig, 2);
    expect(rec.data.subarray(2 * d, 2 * (d + 9600))).toEqual(sig);
  });

  it('-b -1 and -b 1.5 are usage errors (status 2) saying what -b takes', () => {
    for (const bad of ['-1', '1.5']) {
      const r = cli(['null', join(dir, 'x.wav'), '-H', 'virtual', '-d', '0.1', '-b', bad]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--blocksize/);
    }
  });
});
