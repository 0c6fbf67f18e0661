import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunks, defaults, DuplexStream, ErrorCode, InputStream, OutputStream, writeWav } from '../src/index';
import { caught, noise } from './helpers';

const fast = { device: 'virtual:loopback', speed: Infinity } as const;

describe('issue 18: streams, chunks, jobs', () => {
  it('module chunks() with playback and no frames ends after playback + pad', async () => {
    let got = 0;
    for await (const c of chunks({ ...fast, channels: 1, chunksize: 512, playback: new Float32Array(2048), pad: 0 })) got += c.length;
    expect(got).toBe(2048);
    got = 0;
    for await (const c of chunks({ ...fast, channels: 1, chunksize: 512, playback: new Float32Array(2048), pad: 1000 })) got += c.length;
    expect(got).toBe(3048);
  });

  it('the chunks() method with a WAV playback and pad >= 0 ends after playback + pad', async () => {
    const path = join(tmpdir(), `rs-issue18-${process.pid}.wav`);
    await writeWav(path, noise(2 * 3000, 5), { samplerate: 48000, channels: 2 });
    const s = new DuplexStream({ ...fast, channels: 2, blocksize: 256 });
    let got = 0;
    for await (const c of s.chunks({ chunksize: 500, playback: path, pad: 100 })) got += c.length / 2;
    expect(got).toBe(3100);
    await s.close();
  });

  it('chunks({ out }) with an out longer than one chunk yields chunk-sized views of it', async () => {
    const out = new Float32Array(4 * 256);
    let n = 0;
    for await (const c of chunks({ device: 'virtual:null', speed: Infinity, channels: 1, chunksize: 256, frames: 1024, out })) {
      expect(c.length).toBe(256);
      expect(c.buffer).toBe(out.buffer);
      expect(c.byteOffset).toBe(0);
      n++;
    }
    expect(n).toBe(4);
  });

  it('a chunks() refused because a playrec() runs leaves that playrec alone', async () => {
    const s = new DuplexStream({ device: 'virtual:loopback', channels: 1, blocksize: 256, speed: 20 });
    const sig = noise(48000, 3);
    const job = s.playrec(sig);
    for (let i = 0; i < 3; i++) {
      const e = await caught(async () => {
        for await (const _ of s.chunks({ chunksize: 512 })) break;
      });
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
      await new Promise((r) => setTimeout(r, 5));
    }
    const got = (await job) as Float32Array;
    expect(got.length).toBe(48000);
    await s.close();
  });

  it('toReadable() while a record() is pending is refused and the record completes', async () => {
    const s = new InputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 20 });
    const job = s.record(48000);
    // record() owns the stream from the call on (before its first block).
    const e = await caught(() => s.toReadable());
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/busy/);
    expect(((await job) as Float32Array).length).toBe(48000);
    await s.close();
  });

  it('bufferSize smaller than blocksize is refused', async () => {
    const e = await caught(() => new DuplexStream({ ...fast, blocksize: 1024, bufferSize: 256 }));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/bufferSize/);
    expect(e.message).toMatch(/blocksize/);
  });

  it('an unknown defaults name is ERR_INVALID_ARG naming the known one', async () => {
    const e = await caught(() => {
      (defaults as unknown as Record<string, unknown>).sampleRate = 44100;
    });
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/'samplerate'/);
    expect(defaults.samplerate).toBe(48000);
  });

  it('int32 through virtual:loopback is bit-exact', async () => {
    const s = new DuplexStream({ ...fast, channels: 2, dtype: 'int32', blocksize: 256 });
    const sig = new Int32Array(2 * 4096);
    sig.fill(0x7fffffff, 0, 2 * 64);
    let x = 12345;
    for (let i = 2 * 64; i < sig.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      sig[i] = x;
    }
    sig[2 * 64] = 1340290652;
    sig[2 * 64 + 1] = -2147483648;
    const rec = (await s.playrec(sig, { pad: 4096 })) as Int32Array;
    const at = rec.indexOf(0x7fffffff);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(Array.from(rec.subarray(at, at + sig.length))).toEqual(Array.from(sig));
    await s.close();
  });
});

describe('issue 18: files that wait for a peer', () => {
  const fifo = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rs-fifo-')), 'pipe.wav');
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('play(fifo) with no writer keeps the event loop free and settles at close()', async () => {
    const path = fifo();
    const s = new OutputStream({ ...fast, channels: 1 });
    let settled = false;
    const job = s.play(path).then(
      () => 'resolved',
      (e: Error & { code?: string }) => e.code,
    );
    void job.then(() => (settled = true));
    // The event loop runs while the reader thread waits for a writer.
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    await s.close();
    // As documented for close(): a start() still prebuffering rejects with ERR_STREAM_CLOSED.
    expect(await job).toBe(ErrorCode.STREAM_CLOSED);
  });

  it('record({ out: fifo }) with no reader keeps the event loop free and settles at close()', async () => {
    const path = fifo();
    const s = new InputStream({ device: 'virtual:null', channels: 1, speed: 1 });
    const job = s.record({ frames: 480_000, out: path }).then(
      () => 'resolved',
      (e: Error & { code?: string }) => e.code,
    );
    await new Promise((r) => setTimeout(r, 20));
    await s.close();
    expect(await job).toBe(ErrorCode.IO);
  });
});

describe('issue 18: a full disk', () => {
  it('recording to a full device rejects ERR_IO naming the path, never ERR_BUFFER_FULL', async () => {
    // In real time, as a user records: unpaced, the card can fill the ring
    // before the writer thread first runs, and an overflow is then a true report.
    const s = new InputStream({ device: 'virtual:null', channels: 1 });
    const events: string[] = [];
    s.on('error', (e: Error & { code?: string }) => events.push(e.code ?? ''));
    const e = await caught(() => s.record({ frames: 480_000, out: '/dev/full' }));
    expect(e.code).toBe(ErrorCode.IO);
    expect(e.message).toMatch(/^\/dev\/full: /);
    expect(events).not.toContain(ErrorCode.BUFFER_FULL);
    await s.close();
    const w = await caught(() => writeWav('/dev/full', new Float32Array(4800), { samplerate: 48000, channels: 1 }));
    expect(w.code).toBe(ErrorCode.IO);
    expect(w.message).toMatch(/\/dev\/full/);
  });
});
