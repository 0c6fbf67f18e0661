import { Readable, Writable } from 'node:stream';
import { arrayFor } from './defaults.js';
import { invalidArg } from './errors.js';
import { RingBuffer } from './ring.js';
import { invertInputMap, type Stream } from './stream.js';

/** Options of {@link Stream.toReadable} / {@link Stream.toWritable}. */
export interface AdapterOptions {
  /** Frames of the ring between the audio thread and the Node stream (a power of two; default `bufferSize`). */
  bufferSize?: number;
}

function frameRing(s: Stream, channels: number, o: AdapterOptions): RingBuffer {
  const frames = o.bufferSize ?? s.opts.bufferSize;
  if (!Number.isInteger(frames) || frames < 1 || (frames & (frames - 1)) !== 0) {
    throw invalidArg(`bufferSize must be a power of 2, got ${String(frames)}`);
  }
  return new RingBuffer(arrayFor(s.opts.dtype).BYTES_PER_ELEMENT * channels, frames);
}

/** Resolves once the stream has processed `frame` frames (or stopped). */
async function untilFrame(s: Stream, frame: number): Promise<void> {
  const period = (1000 * s.blocksize) / s.samplerate;
  while (s.active && s.frameCount < frame) await new Promise((r) => setTimeout(r, Math.max(1, period / 2)));
}

/**
 * @internal A Node Readable of the stream's input as raw interleaved PCM
 * (the stream's dtype, native byte order). Reading starts the stream; when
 * the reader falls behind by more than the ring, the Readable fails with
 * `ERR_BUFFER_FULL`. It ends when the stream is stopped.
 */
export function toReadable(s: Stream, o: AdapterOptions = {}): Readable {
  s.checkOpen();
  const ch = s.opts.inChannels;
  if (ch === 0) throw invalidArg('toReadable() needs a stream with input');
  const ring = frameRing(s, ch, o);
  const es = ring.elementSize;
  let started: Promise<void> | undefined;
  let pumping = false;
  const start = () =>
    (started ??= (async () => {
      const map = s.opts.inMap ? invertInputMap(s.opts.inMap, ch) : undefined;
      s.native.recordRing(ring.native, ch, s.opts.dtype, map, -1, 0, false, s.opts.blocksize, false);
      if (!s.active) await s.start({ prebuffer: false });
    })());
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      await start();
      for (;;) {
        const n = ring.readAvailable;
        if (n > 0) {
          const b = Buffer.allocUnsafe(n * es);
          ring.readInto(b);
          if (!r.push(b)) return;
          continue;
        }
        if (!s.active) {
          // The last block may have landed between the two checks.
          if (ring.readAvailable > 0) continue;
          const err = s.closed ? null : s.native.error();
          if (err) r.destroy(err);
          else r.push(null);
          return;
        }
        await s.nextEvent();
      }
    } catch (e) {
      r.destroy(e as Error);
    } finally {
      pumping = false;
    }
  };
  const r = new Readable({
    highWaterMark: ring.size * es,
    read: () => void pump(),
    // Also called after a normal end (autoDestroy): only an error stops the stream.
    destroy: (err, cb) => {
      const stop = err && started && s.active ? s.abort() : Promise.resolve();
      stop.then(() => cb(err), cb);
    },
  });
  return r;
}

/**
 * @internal A Node Writable of raw interleaved PCM (the stream's dtype,
 * native byte order) played on the stream's output, with backpressure: a
 * write completes once its data is in the ring. Playback starts when the
 * ring is half full (or at the end); `end()` completes once everything
 * written has been played.
 */
export function toWritable(s: Stream, o: AdapterOptions = {}): Writable {
  s.checkOpen();
  const ch = s.opts.outChannels;
  if (ch === 0) throw invalidArg('toWritable() needs a stream with output');
  const ring = frameRing(s, ch, o);
  const es = ring.elementSize;
  let carry = Buffer.alloc(0);
  let started: Promise<void> | undefined;
  const start = () =>
    (started ??= (async () => {
      s.native.playRing(ring.native, ch, s.opts.dtype, s.opts.outMap, -1, 0, Math.max(1, ring.size / 4), true);
      if (!s.active) await s.start({ prebuffer: false });
    })());
  const failure = () => (s.closed ? null : s.native.error());
  const writeAll = async (chunk: Buffer) => {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const usable = data.length - (data.length % es);
    let off = 0;
    while (off < usable) {
      off += ring.write(data.subarray(off, usable)) * es;
      if (!started && ring.readAvailable >= ring.size / 2) await start();
      if (off < usable) {
        await start();
        if (!s.active) throw failure() ?? invalidArg('the stream stopped while data was still being written');
        await s.nextEvent();
      }
    }
    carry = Buffer.from(data.subarray(usable));
  };
  return new Writable({
    highWaterMark: (ring.size / 4) * es,
    write: (chunk: Buffer, _enc, cb) => void writeAll(chunk).then(() => cb(), cb),
    final: (cb) =>
      void (async () => {
        if (carry.length) throw invalidArg(`the data ended with ${carry.length} bytes of an incomplete frame`);
        ring.setProducerDone(true);
        await start();
        // Played out once the ring is empty and the stream has run on for
        // the output latency (the last frames are then at the DAC).
        while (ring.readAvailable > 0 && s.active) await s.nextEvent();
        await untilFrame(s, s.frameCount + Math.ceil(s.latency[1] * s.samplerate) + s.blocksize);
        const err = failure();
        if (err) throw err;
      })().then(() => cb(), cb),
    // Also called after a normal finish (autoDestroy): only an error stops the stream.
    destroy: (err, cb) => {
      ring.setProducerDone(true);
      const stop = err && started && s.active ? s.abort() : Promise.resolve();
      stop.then(() => cb(err), cb);
    },
  });
}
