// Runs under Bun: a loopback round trip through the native engine and bridge thread.
import { expect, test } from 'bun:test';
import { DuplexStream, ErrorCode, OutputStream, RingBuffer } from '../../src/index';
import { noise } from '../helpers';

test('loopback playrec is sample-exact under Bun', async () => {
  const s = new DuplexStream({ device: 'virtual:loopback', channels: 2, blocksize: 256, speed: Infinity });
  const sig = noise(2 * 8000, 21);
  const rec = (await s.playrec(sig, { pad: 512 })) as Float32Array;
  expect(rec.length).toBe(2 * 8512);
  expect(rec.subarray(2 * 512)).toEqual(sig);
  await s.close();
});

test('a ring that runs dry rejects with ERR_BUFFER_EMPTY under Bun', async () => {
  const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: Infinity });
  const ring = RingBuffer.forFrames(1, 1024);
  ring.write(new Float32Array(1024));
  let code: string | undefined;
  try {
    await s.play(ring, { frames: 4096 });
  } catch (e) {
    code = (e as { code?: string }).code;
  }
  expect(code).toBe(ErrorCode.BUFFER_EMPTY);
  expect(s.xruns).toBe(1);
  await s.close();
});

test('the chunks() loop runs under Bun with exact overlap', async () => {
  const { chunks } = await import('../../src/index');
  const sig = noise(2 * 8000, 33);
  const [chunksize, overlap] = [500, 100];
  const step = chunksize - overlap;
  // What the input hears: 512 frames of silence (the loopback latency), then sig.
  const heard = new Float32Array(2 * 8512);
  heard.set(sig, 2 * 512);
  const stream = { device: 'virtual:loopback', channels: 2, blocksize: 256, speed: Infinity };
  let prevTail: Float32Array | undefined;
  let k = 0;
  for await (const c of chunks({ ...stream, chunksize, overlap, playback: sig, frames: 8000, pad: 512 })) {
    if (c.length < 2 * chunksize) break; // the last, shorter chunk
    // The first `overlap` frames repeat the previous chunk's last ones (zeros before the first).
    expect(c.subarray(0, 2 * overlap)).toEqual(prevTail ?? new Float32Array(2 * overlap));
    // And every frame is the played signal at its place in the input.
    const start = k * step - overlap;
    const want = new Float32Array(2 * chunksize);
    want.set(heard.subarray(2 * Math.max(start, 0), 2 * (start + chunksize)), 2 * Math.max(-start, 0));
    expect(c).toEqual(want);
    prevTail = Float32Array.from(c.subarray(2 * step));
    k++;
  }
  expect(k).toBe(Math.floor(8512 / step));
});
