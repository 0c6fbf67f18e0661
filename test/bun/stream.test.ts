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
  let n = 0;
  for await (const c of chunks({ device: 'virtual:null', channels: 2, chunksize: 500, overlap: 100, frames: 8000, speed: Infinity })) {
    if (c.length === 2 * 500) n++;
  }
  expect(n).toBe(Math.floor(8000 / 400));
});
