import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, InputStream, WavReader, writeWav } from '../src/index';
import { caught, findDelay, noise } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-adapters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Readable of a WAV file's samples as raw float32 PCM. */
function wavSamples(path: string): Readable {
  const r = WavReader.open(path);
  return Readable.from(
    (function* () {
      for (let b = r.read(4096); b.length > 0; b = r.read(4096)) yield Buffer.from(b.buffer, b.byteOffset, b.byteLength);
      r.close();
    })(),
  );
}

/** Lets the stream run for its input latency plus a block. */
async function settle(s: DuplexStream): Promise<void> {
  const until = s.frameCount + Math.ceil(s.latency[0] * s.samplerate) + s.blocksize;
  while (s.frameCount < until && s.active) await new Promise((r) => setTimeout(r, 1));
}

describe('Node and Web stream adapters', () => {
  it('pipeline through toWritable / toReadable round-trips a WAV file sample-exactly', async () => {
    const path = join(dir, 'in.wav');
    const sig = noise(2 * 20_000, 31);
    await writeWav(path, sig, { samplerate: 48000, channels: 2, format: 'f32' });
    // 1.4 s of ring each way and 'high' latency: a loaded machine holds this thread (and the
    // device's clock thread) back for more than the 170 ms that 8192 frames last, and the
    // property here is that the pipeline loses nothing, not how little slack it needs.
    const s = new DuplexStream({ device: 'virtual:loopback', channels: 2, blocksize: 256, bufferSize: 65_536, latency: 'high' });
    const got: Buffer[] = [];
    const reading = pipeline(s.toReadable(), async function* (src: AsyncIterable<Buffer>) {
      for await (const b of src) got.push(b);
    });
    await pipeline(wavSamples(path), s.toWritable());
    await settle(s); // the input side still has the loop's latency to hear
    await s.stop();
    await reading;
    const all = Buffer.concat(got);
    const rec = new Float32Array(all.buffer, all.byteOffset, all.byteLength / 4);
    const delay = findDelay(rec, sig, 2);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(rec.subarray(2 * delay, 2 * delay + sig.length)).toEqual(sig);
    expect(s.xruns).toBe(0);
    await s.close();
  });

  it('for await over a Readable gives the input; a reader that stalls gets ERR_BUFFER_FULL', async () => {
    const s = new InputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: Infinity, bufferSize: 1024 });
    let bytes = 0;
    const e = await caught(async () => {
      for await (const b of s.toReadable()) {
        bytes += (b as Buffer).length;
        await new Promise((r) => setTimeout(r, 30));
      }
    });
    expect(bytes).toBeGreaterThan(0);
    expect(e.code).toBe(ErrorCode.BUFFER_FULL);
    await s.close();
  });

  it('Web streams: writable plays, readable records', async () => {
    const s = new DuplexStream({ device: 'virtual:loopback', channels: 1, blocksize: 256, bufferSize: 4096 });
    const sig = noise(6000, 12);
    const reader = s.readable.getReader();
    const parts: Uint8Array[] = [];
    const reading = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    })();
    const writer = s.writable.getWriter();
    await writer.write(new Uint8Array(sig.buffer));
    await writer.close();
    await settle(s);
    await s.stop();
    await reading;
    const all = Buffer.concat(parts);
    const rec = new Float32Array(all.buffer, all.byteOffset, all.byteLength / 4);
    const delay = findDelay(rec, sig, 1);
    expect(rec.subarray(delay, delay + 6000)).toEqual(sig);
    await s.close();
  });
});
