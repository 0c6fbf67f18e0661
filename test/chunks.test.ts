import { describe, expect, it } from 'vitest';
import { chunks, DuplexStream, ErrorCode, InputStream } from '../src/index';
import { caught, noise } from './helpers';

const fast = { device: 'virtual:loopback', blocksize: 256, speed: Infinity } as const;

describe('chunks()', () => {
  it('yields chunks of exactly chunksize with pastream overlap, against the played signal', async () => {
    const s = new DuplexStream({ ...fast, channels: 2 });
    const sig = noise(2 * 20_000, 77);
    const [chunksize, overlap] = [1000, 300];
    const step = chunksize - overlap;
    // What the input hears: 512 frames of silence (the loopback latency), then sig.
    const heard = new Float32Array(2 * 20_512);
    heard.set(sig, 2 * 512);
    let k = 0;
    for await (const c of s.chunks({ chunksize, overlap, playback: sig, frames: 20_000, pad: 512 })) {
      if (c.length < 2 * chunksize) break; // the last, shorter chunk
      const start = k * step - overlap; // frame of the input the chunk starts at
      for (let f = 0; f < chunksize; f++) {
        const at = start + f;
        const want0 = at < 0 ? 0 : heard[2 * at];
        if (c[2 * f] !== want0 || c[2 * f + 1] !== (at < 0 ? 0 : heard[2 * at + 1])) {
          throw new Error(`chunk ${k} frame ${f}: ${c[2 * f]} != ${want0}`);
        }
      }
      k++;
    }
    expect(k).toBe(Math.floor(20_512 / step)); // each chunk takes one new step of input
    expect(s.active).toBe(false);
    await s.close();
  });

  it('module chunks() on virtual:null yields exactly frames / chunksize chunks and closes its stream', async () => {
    let n = 0;
    for await (const c of chunks({ device: 'virtual:null', channels: 3, chunksize: 480, frames: 48_000, speed: Infinity })) {
      expect(c.length).toBe(3 * 480);
      expect(c.every((v) => v === 0)).toBe(true);
      n++;
    }
    expect(n).toBe(100);
  });

  it('break stops the stream and releases the device; the stream can run again', async () => {
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 1, speed: 1 });
    let n = 0;
    for await (const _ of s.chunks({ chunksize: 256 })) {
      if (++n === 3) break;
    }
    expect(s.active).toBe(false);
    const rec = (await s.record(1000)) as Float32Array;
    expect(rec.length).toBe(1000);
    await s.close();
  });

  it('an exception in the loop body stops the stream', async () => {
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 1, speed: 1 });
    const e = await caught(async () => {
      for await (const _ of s.chunks({ chunksize: 256 })) throw new Error('boom');
    });
    expect(e.message).toBe('boom');
    expect(s.active).toBe(false);
    await s.close();
  });

  it('an AbortSignal ends the iteration', async () => {
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 1, speed: 1 });
    const ac = new AbortController();
    let n = 0;
    // Aborted while the loop waits, once it runs (a timer from the start could fire before the
    // first chunk on a loaded machine).
    for await (const _ of s.chunks({ chunksize: 256, signal: ac.signal })) if (++n === 1) setTimeout(() => ac.abort(), 20);
    expect(n).toBeGreaterThan(0);
    expect(s.active).toBe(false);
    await s.close();
  });

  it('copies into out when given', async () => {
    const s = new DuplexStream({ ...fast, channels: 2 });
    const sig = noise(2 * 2048, 9);
    // What the input hears: 512 frames of silence (the loopback latency), then sig.
    const heard = new Float32Array(2 * 2560);
    heard.set(sig, 2 * 512);
    const out = new Float32Array(2 * 512);
    let k = 0;
    for await (const c of s.chunks({ chunksize: 512, frames: 2048, pad: 512, playback: sig, out })) {
      expect(c).toBe(out);
      expect(out).toEqual(heard.subarray(2 * 512 * k, 2 * 512 * (k + 1)));
      k++;
    }
    expect(k).toBe(5); // (frames + pad) / chunksize
    await s.close();
  });

  it('a loop that falls behind by more than the buffer gets ERR_BUFFER_FULL, or drops and flags if asked', async () => {
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 1, bufferSize: 1024 });
    const e = await caught(async () => {
      for await (const _ of s.chunks({ chunksize: 256 })) await new Promise((r) => setTimeout(r, 50));
    });
    expect(e.code).toBe(ErrorCode.BUFFER_FULL);
    expect(s.status.inputOverflow).toBe(true);
    let n = 0;
    for await (const _ of s.chunks({ chunksize: 256, dropOnOverflow: true })) {
      await new Promise((r) => setTimeout(r, 20));
      if (++n === 5) break;
    }
    expect(s.xruns).toBeGreaterThan(0);
    expect(s.status.inputOverflow).toBe(true);
    await s.close();
  });

  it('refuses overlap >= chunksize and streams without input', async () => {
    const s = new InputStream({ ...fast, device: 'virtual:null', channels: 1 });
    const e = await caught(async () => {
      for await (const _ of s.chunks({ chunksize: 100, overlap: 100 })) break;
    });
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/overlap \(100\) must be less than chunksize \(100\)/);
    await s.close();
  });
});
