// pastream's loopback tests (tests/test_pastream.py, 17 cases) translated to
// ringstream on `virtual:loopback`, structure kept. Adaptations, each marked
// where it happens:
// - the device: `virtual:loopback`, 2 channels, int32, 48 kHz, paced at 4x real
//   time (pastream: an ALSA snd-aloop duplex device at its default rate);
// - the soundfile cases use float32 streams and f32 WAV files (ringstream's
//   file threads carry float32), the random signal on the float32 grid;
// - pastream's private knobs (`stream._frames / _pad / _offset` with
//   set_source / set_sink, then start) are the public job options of
//   play / playrec with RingBuffer source and sink;
// - `set_source(writer)` with `chunks(playback=True)` is `chunks({ playback: writer })`
//   with the writer a generator source function; `txmapping` / `rxmapping`
//   are the `map` option; `_set_exception` is the internal `endRun(error)`;
// - test_looping needs pastream's WIREMODE debug build (no loopback delay):
//   here `offset` skips the loopback's round trip instead;
// - the CLI reads and writes WAV on stdin / stdout (pastream: AU).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, InputStream, OutputStream, readWav, RingBuffer, writeWav } from '../src/index';
import type { ChunksOptions, Dtype, DuplexStreamOptions } from '../src/index';
import { cli } from './cli-helpers';

const PREAMBLE = 0x7fffffff; // Value used for the preamble sequence
const PREAMBLESIZE = 4096;
/** The float convention's preamble: PREAMBLE / 2^31 on the float32 grid (1.0). */
const PREAMBLE_F = Math.fround(PREAMBLE / 2 ** 31);

// Set up the device (pastream: 'aloop_duplex', dtype int32, its channels and rate).
const DEVICE_KWARGS = { device: 'virtual:loopback', dtype: 'int32', channels: 2, samplerate: 48000, speed: 4 } as const;

const dir = mkdtempSync(join(tmpdir(), 'rs-pastream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const tempfile = (ext = '.wav') => join(dir, `f${files++}${ext}`);

/** numpy's RandomState for what the tests draw: a seeded uniform int32 stream. */
class RandomState {
  constructor(private s: number) {}
  /** Uniform over the whole int32 range. */
  int32(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) | 0;
  }
  /** Uniform in [lo, hi). */
  randint(lo: number, hi: number): number {
    return lo + ((this.int32() >>> 0) % (hi - lo));
  }
}

/**
 * A uniformly random int32 signal preceded by `preamblesize` frames of the
 * preamble value (to find the start of a recording). The first next() gives
 * the preamble, each next(n) then n random frames (pastream's `send(n)`).
 */
function* randstream(preamblesize: number, channels: number, state: RandomState): Generator<Int32Array, never, number> {
  let n = yield new Int32Array(preamblesize * channels).fill(PREAMBLE);
  for (;;) {
    const block = new Int32Array(n * channels);
    for (let i = 0; i < block.length; i++) block[i] = state.int32();
    n = yield block;
  }
}

/** The float convention of {@link randstream}: float32-grid values in [-1, 1), preamble 1.0. */
function randstreamFloat(preamblesize: number, channels: number, state: RandomState, n: number): Float32Array {
  const out = new Float32Array((preamblesize + n) * channels);
  out.fill(PREAMBLE_F, 0, preamblesize * channels);
  for (let i = preamblesize * channels; i < out.length; i++) out[i] = (state.int32() >> 8) / 2 ** 23;
  return out;
}

function assertArrayEqual(a: ArrayLike<number>, b: ArrayLike<number>, msg: string): void {
  expect(a.length, msg).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`${msg}: element ${i}: ${a[i]} != ${b[i]}`);
  }
}

/** Frames of `x` (interleaved, `ch` channels) with their channels picked by `mapping` (zero-based). */
function pick(x: Int32Array, ch: number, mapping: number[] | undefined): Int32Array {
  if (!mapping) return x;
  const out = new Int32Array((x.length / ch) * mapping.length);
  for (let f = 0; f < x.length / ch; f++) mapping.forEach((c, k) => (out[f * mapping.length + k] = x[f * ch + c]));
  return out;
}

async function looper(stream: DuplexStream<Dtype>, maxframes: number, mapping?: number[], kwargs: ChunksOptions = {}): Promise<void> {
  const [chIn, chOut] = stream.channels as [number, number];
  const m = mapping?.map((x) => x - 1);

  // Generate a seed from which we can generate a common random stream
  const seed = Math.floor(Math.random() * (2 ** 31 - 1));
  const state1 = new RandomState(seed);
  const state2 = new RandomState(seed);

  // Set output random stream generator (this is our 'playback')
  const txgen = randstream(PREAMBLESIZE, chOut, state1);
  function* writer() {
    yield txgen.next(0).value;
    for (;;) yield txgen.next(1024).value;
  }

  // Grab another generator that will give the same random sequence
  const rblockgen = randstream(PREAMBLESIZE, chIn, state2);

  const preamblebuff = new RingBuffer(4 * chIn, PREAMBLESIZE);
  preamblebuff.write(rblockgen.next(0).value);

  const chunkgen = stream.chunks({ playback: writer, ...kwargs });
  const next = async () => {
    const r = await chunkgen.next();
    if (r.done) throw new Error('the chunks ended early');
    return r.value as Int32Array;
  };
  try {
    // Read until we find the start of the preamble (this accounts for
    // any possible initial delay in receiving the loopback)
    let offset = -1;
    let outframes!: Int32Array;
    for await (const c of { [Symbol.asyncIterator]: () => ({ next: () => chunkgen.next() }) }) {
      outframes = c as Int32Array;
      const at = outframes.indexOf(PREAMBLE);
      if (at >= 0) {
        offset = Math.floor(at / chIn);
        outframes = outframes.subarray(offset * chIn);
        break;
      }
    }
    expect(offset, 'Preamble not found').toBeGreaterThanOrEqual(0);

    // Read until we finish receiving the preamble
    let readframes = 0;
    for (;;) {
      const inframes = preamblebuff.read(outframes.length / chIn);
      const inp = new Int32Array(inframes.slice().buffer);
      const out = outframes.subarray(0, inp.length);
      assertArrayEqual(inp, out, 'Loopback data mismatch');
      readframes += inp.length / chIn;
      if (!preamblebuff.readAvailable) {
        outframes = outframes.subarray(inp.length);
        break;
      }
      outframes = await next();
    }
    let mframes = readframes;

    // Loop checking we match the pseudorandom signal
    while (mframes < maxframes) {
      const inframes = rblockgen.next(outframes.length / chIn).value;
      assertArrayEqual(pick(inframes, chIn, m), outframes, 'Loopback data mismatch');
      mframes += outframes.length / chIn;
      outframes = await next();
    }
  } finally {
    await chunkgen.return();
  }
}

/** pastream's random_soundfile_input fixture (float convention): a WAV of the preamble then a second of random frames. */
async function randomSoundfileInput(): Promise<{ path: string; data: Float32Array; preamble: number }> {
  const { channels, samplerate } = DEVICE_KWARGS;
  const data = randstreamFloat(PREAMBLESIZE, channels, new RandomState(Math.floor(Math.random() * 2 ** 31)), samplerate);
  const path = tempfile();
  await writeWav(path, data, { samplerate, channels, format: 'f32' });
  return { path, data, preamble: PREAMBLE_F };
}

/** Float devargs for the soundfile cases (see the header). */
function floatDevargs(): DuplexStreamOptions<'float32'> {
  return { ...DEVICE_KWARGS, dtype: 'float32' };
}

function findSoundfileDelay(out: Float32Array, ch: number, preamble: number): number {
  for (let f = 0; f < out.length / ch; f++) if (out[f * ch] === preamble) return f;
  return -1;
}

function assertSoundfilesEqual(inp: Float32Array, out: Float32Array, ch: number, preamble: number, loop = false): void {
  const delay = findSoundfileDelay(out, ch, preamble);
  expect(delay, 'Test Preamble pattern not found').not.toBe(-1);
  const got = out.subarray(delay * ch);
  let mframes = 0;
  const blocksize = 2048;
  let pos = 0;
  for (let b = 0; b < got.length; b += blocksize * ch) {
    const outblk = got.subarray(b, Math.min(got.length, b + blocksize * ch));
    const inpblk = new Float32Array(outblk.length);
    let readframes = 0;
    const read = () => {
      const k = Math.min(outblk.length - readframes * ch, inp.length - pos);
      inpblk.set(inp.subarray(pos, pos + k), readframes * ch);
      pos += k;
      readframes += k / ch;
    };
    read();
    while (loop && readframes * ch < outblk.length) {
      pos = 0;
      read();
    }
    assertArrayEqual(inpblk.subarray(0, readframes * ch), outblk, 'Loopback data mismatch');
    mframes += readframes;
  }
  expect(mframes).toBeGreaterThan(0);
}

describe('pastream test suite on virtual:loopback', () => {
  const devargs = () => ({ ...DEVICE_KWARGS });

  it('test_chunks_ndarray_loopback', async () => {
    await using stream = new DuplexStream(devargs());
    await looper(stream, stream.samplerate);
  });

  it('test_chunks_bytearray_loopback', async () => {
    await using stream = new DuplexStream(devargs());
    const [chIn] = stream.channels as [number, number];
    const buffer = new Int32Array(chIn * (1 << 16));
    await looper(stream, stream.samplerate, undefined, { out: buffer });
  });

  it('test_soundfilestream_loopback', async () => {
    const inp = await randomSoundfileInput();
    const outf = tempfile();
    {
      await using stream = new DuplexStream(floatDevargs());
      await stream.playrec(inp.path, { out: outf, format: 'f32' });
    }
    const out = await readWav(outf);
    assertSoundfilesEqual(inp.data, out.data, out.channels, inp.preamble);
  });

  it('test_stdin_stdout_loopback', async () => {
    const inp = await randomSoundfileInput();
    const r = cli(['-', '-', '-f', 'float32', '-D', DEVICE_KWARGS.device], { input: readFileSync(inp.path) });
    expect(r.status, r.stderr).toBe(0);
    const outf = tempfile();
    writeFileSync(outf, r.stdout);
    const out = await readWav(outf);
    assertSoundfilesEqual(inp.data, out.data, out.channels, inp.preamble);
  });

  it('test_offset', async () => {
    const inp = await randomSoundfileInput();
    await using stream = new DuplexStream(floatDevargs());
    for (const o of [1 << 8, 1 << 9]) {
      const out = (await stream.playrec(inp.path, { frames: 1024, offset: o })) as Float32Array;
      expect(out.length / 2).toBe(1024 - o);
    }
  });

  it('test_frames', async () => {
    const inp = await randomSoundfileInput();
    await using stream = new DuplexStream(floatDevargs());
    const i = (await readWav(inp.path)).data;
    for (let x = 8; x < 16; x++) {
      const f = 1 << x;
      const out = (await stream.playrec(i, { frames: f })) as Float32Array;
      expect(out.length / 2).toBe(f);
    }
  });

  it('test_pad', async () => {
    const inp = await randomSoundfileInput();
    await using stream = new DuplexStream(floatDevargs());
    const i = (await readWav(inp.path)).data;
    for (let x = 8; x < 16; x++) {
      const p = 1 << x;
      const out = (await stream.playrec(i, { frames: 1024, pad: p })) as Float32Array;
      expect(out.length / 2).toBe(1024 + p);
    }
  });

  // This tests the condition where frames = -1 and pad >= 0. It makes sure that
  // once the txbuff is found to be empty, it goes to 'autoframes' mode and never
  // tries to read the txbuff again
  it('test_autoframes', async () => {
    await using stream = new DuplexStream(devargs());
    const [chIn, chOut] = stream.channels as [number, number];
    const txbuffer = new RingBuffer(chOut * 4, 1 << 10);
    const rxbuffer = new RingBuffer(chIn * 4, 1 << 16);
    txbuffer.advanceWriteIndex(1024);
    const job = stream.playrec(txbuffer, { pad: stream.samplerate, out: rxbuffer });

    // wait to enter autoframes mode: a block after the source ran empty
    while (stream.frameCount < 1024 + stream.blocksize) await new Promise((r) => setTimeout(r, 5));
    expect(stream.active).toBe(true);

    // write some additional data; this data should be unread at the end of
    // the stream
    txbuffer.advanceWriteIndex(1024);
    await job;
    expect(rxbuffer.readAvailable).toBe(1024 + stream.samplerate);
    expect(txbuffer.readAvailable).toBe(1024);
  });

  it('test_frames_pad_offset', async () => {
    await using stream = new DuplexStream(devargs());
    const [chIn, chOut] = stream.channels as [number, number];
    const txbuffer = new RingBuffer(chOut * 4, 1 << 17);
    const rxbuffer = new RingBuffer(chIn * 4, 1 << 17);
    for (let x = 0; x < 7; x++) {
      const [f, p, o] = [1 << (x + 8), 1 << (16 - x), 1 << (x + 6)];
      txbuffer.advanceWriteIndex(f);
      await stream.playrec(txbuffer, { frames: f, pad: p, offset: o, out: rxbuffer });
      expect(rxbuffer.readAvailable).toBe(f + p - o);
      rxbuffer.flush();
      txbuffer.flush();
    }
  });

  it('test_stream_replay', async () => {
    await using stream = new OutputStream(devargs());
    const txbuffer = new RingBuffer((stream.channels as number) * 4, 8192);

    // Start and let stream finish
    txbuffer.advanceWriteIndex(txbuffer.size);
    let job = stream.play(txbuffer);
    expect(await stream.wait(2000), 'Timed out!').toBe(true);
    await job;
    expect(stream.finished).toBe(true);

    // Start stream, wait, then abort it
    txbuffer.advanceWriteIndex(txbuffer.size);
    job = stream.play(txbuffer);
    while (!stream.active) await new Promise((r) => setTimeout(r, 1));
    await stream.wait(1);
    await stream.abort();
    await job;
    expect(stream.aborted).toBe(true);

    // Start stream then stop it
    txbuffer.flush();
    txbuffer.advanceWriteIndex(txbuffer.size);
    job = stream.play(txbuffer);
    while (!stream.active) await new Promise((r) => setTimeout(r, 1));
    await stream.wait(1);
    await stream.stop();
    await job;
    expect(stream.stopped).toBe(true);
  });

  it('test_channel_mapping', async () => {
    const permutation = (n: number) => {
      const p = Array.from({ length: n }, (_, k) => k + 1);
      for (let k = n - 1; k > 0; k--) {
        const j = Math.floor(Math.random() * (k + 1));
        [p[k], p[j]] = [p[j], p[k]];
      }
      return p;
    };
    for (let i = 1; i < 8; i++) {
      {
        const mapping = permutation(DEVICE_KWARGS.channels);
        await using stream = new DuplexStream({ ...devargs(), map: [undefined, mapping] });
        await looper(stream, stream.samplerate, mapping);
      }
      {
        const mapping = permutation(DEVICE_KWARGS.channels);
        await using stream = new DuplexStream({ ...devargs(), map: [mapping, undefined] });
        await looper(stream, stream.samplerate, mapping);
      }
    }
  });

  it('test_looping', async () => {
    // WIREMODE must be enabled for this test (pastream's debug build that
    // copies each block's output to its input). ringstream has no wire mode:
    // the loopback's round trip is skipped with `offset` instead.
    await using stream = new DuplexStream(devargs());
    const [chIn] = stream.channels as [number, number];
    const wire = Math.round((stream.latency[0] + stream.latency[1]) * stream.samplerate);
    const state = new RandomState(Math.floor(Math.random() * 2 ** 31));
    const randblock = new Int32Array(stream.samplerate * chIn).map(() => state.randint(0, (1 << 16) - 1));
    const out = (await stream.playrec(randblock, { frames: (randblock.length / chIn) * 5 + wire, offset: wire, loop: true })) as Int32Array;
    for (let i = 0; i < 5; i++) {
      assertArrayEqual(randblock, out.subarray(i * randblock.length, (i + 1) * randblock.length), 'Loopback data mismatch');
    }
  });

  it('test_soundfile_looping', async () => {
    const inp = await randomSoundfileInput();
    const outf = tempfile();
    {
      await using stream = new DuplexStream(floatDevargs());
      await stream.playrec(inp.path, { frames: (inp.data.length / 2) * 5, out: outf, loop: true, format: 'f32' });
    }
    const out = await readWav(outf);
    assertSoundfilesEqual(inp.data, out.data, out.channels, inp.preamble, true);
  });

  // For testing purposes
  class MyException extends Error {}

  it('test_deferred_exception_handling', async () => {
    const stream = new OutputStream(devargs());
    const txbuffer = new RingBuffer((stream.channels as number) * 4, 8192);
    txbuffer.advanceWriteIndex(txbuffer.size);
    stream.setSource(txbuffer);
    await expect(
      (async () => {
        await using s = stream;
        await s.start();
        (s as unknown as { endRun(e: Error): void }).endRun(new MyException('BOO-urns!'));
        await s.wait();
      })(),
    ).rejects.toBeInstanceOf(MyException);
  });

  it('test_threaded_write_deferred_exception_handling', async () => {
    const txmsg = 'BOO-urns!';
    const writer = (_ring: RingBuffer) => {
      throw new MyException(txmsg);
    };

    const stream = new OutputStream(devargs());
    const ringbuff = stream.setSource(writer, { bufferSize: 8192 })!;
    ringbuff.advanceWriteIndex(ringbuff.size);

    const e = await (async () => {
      await using s = stream;
      await s.start();
      expect(await s.wait(500), 'Timed out!').toBe(true);
    })().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e).toBeInstanceOf(MyException);
    expect(e?.message).toBe(txmsg);
  });

  it('test_threaded_read_deferred_exception_handling', async () => {
    const rxmsg = 'BOO!';
    const reader = () => {
      throw new MyException(rxmsg);
    };

    // A reader exception should also stop the stream
    const stream = new InputStream(devargs());
    const ringbuff = stream.setSink(reader, { bufferSize: 8192 })!;
    ringbuff.advanceWriteIndex(ringbuff.size);

    const e = await (async () => {
      await using s = stream;
      await s.start();
      expect(await s.wait(500), 'Timed out!').toBe(true);
    })().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e).toBeInstanceOf(MyException);
    expect(e?.message).toBe(rxmsg);
  });

  it('test_frames_raises_underflow', async () => {
    const stream = new DuplexStream(devargs());
    const [, chOut] = stream.channels as [number, number];
    const txbuffer = new RingBuffer(4 * chOut, 8192);
    txbuffer.advanceWriteIndex(txbuffer.size);
    const e = await (async () => {
      await using s = stream;
      await s.playrec(txbuffer, { frames: 9000 });
    })().then(
      () => undefined,
      (err: Error & { code?: string }) => err,
    );
    expect((e as { code?: string } | undefined)?.code).toBe(ErrorCode.BUFFER_EMPTY);
  });
});
