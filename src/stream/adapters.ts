import type { Readable, Writable } from 'node:stream';
import { check } from '../device/defaults.js';
import { checkBufferHoldsBlock } from '../native/addon.js';
import { codedError, ErrorCode, invalidArg } from '../common/errors.js';
import { nodeStream } from './node-stream.js';
import { frameRing, queuePlay, queueRecord, type StreamCore } from './jobs.js';
import type { RingBuffer } from '../ring/ring.js';
import { checkOptions } from '../common/validate.js';

/** Options of {@link Stream.toReadable} / {@link Stream.toWritable}. */
export interface AdapterOptions {
  /** Frames of the ring between the audio thread and the Node stream (a power of two; default `bufferSize`). */
  bufferSize?: number;
}

/** Why a Writable's data can no longer be played: the stream was closed, or stopped. */
function stoppedEarly(s: StreamCore): Error {
  return s.closed
    ? codedError(ErrorCode.STREAM_CLOSED, 'the stream was closed while data was still being written')
    : invalidArg('the stream stopped while data was still being written');
}

/** A play / record / playrec / chunks job owns the stream: an adapter is refused (the job is left alone). */
function checkNotBusy(s: StreamCore, what: string): void {
  if (s.busy) throw invalidArg(`${what} refused: the stream is busy with a play/record/playrec/chunks job; await it (or stop() it) first`);
}

function adapterRing(s: StreamCore, channels: number, o: AdapterOptions): RingBuffer {
  checkOptions(o, ['bufferSize'], 'adapter options');
  if (o.bufferSize === undefined) return frameRing(s, channels, s.opts.bufferSize);
  const frames = check.bufferSize(o.bufferSize);
  checkBufferHoldsBlock(frames, s.opts.blocksize);
  return frameRing(s, channels, frames);
}

/**
 * @internal A Node Readable of the stream's input as raw interleaved PCM
 * (the stream's dtype, native byte order). Reading starts the stream; when
 * the reader falls behind by more than the ring, the Readable fails with
 * `ERR_BUFFER_FULL`. It ends when the stream is stopped.
 */
export function toReadable(s: StreamCore, o: AdapterOptions = {}): Readable {
  s.checkOpen();
  const ch = s.opts.inChannels;
  if (ch === 0) throw invalidArg('toReadable() needs a stream with input');
  checkNotBusy(s, 'toReadable()');
  const ring = adapterRing(s, ch, o);
  const es = ring.elementSize;
  let started: Promise<void> | undefined;
  let pumping = false;
  const start = () =>
    (started ??= (async () => {
      checkNotBusy(s, 'toReadable()');
      queueRecord(s, ring, { frames: -1, offset: 0, notifyEvery: s.opts.blocksize });
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
          const err = s.failure();
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
  const r: Readable = new (nodeStream().Readable)({
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
export function toWritable(s: StreamCore, o: AdapterOptions = {}): Writable {
  s.checkOpen();
  const ch = s.opts.outChannels;
  if (ch === 0) throw invalidArg('toWritable() needs a stream with output');
  checkNotBusy(s, 'toWritable()');
  const ring = adapterRing(s, ch, o);
  const es = ring.elementSize;
  let carry = Buffer.alloc(0);
  let started: Promise<void> | undefined;
  const start = () =>
    (started ??= (async () => {
      checkNotBusy(s, 'toWritable()');
      queuePlay(s, ring, { frames: -1, pad: 0, notifyEvery: Math.max(1, ring.size / 4), untilDone: true });
      if (!s.active) await s.start({ prebuffer: false });
    })());
  const failure = () => s.failure();
  const writeAll = async (chunk: Buffer) => {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const usable = data.length - (data.length % es);
    let off = 0;
    while (off < usable) {
      off += ring.write(data.subarray(off, usable)) * es;
      if (!started && ring.readAvailable >= ring.size / 2) await start();
      if (off < usable) {
        await start();
        if (!s.active) throw failure() ?? stoppedEarly(s);
        await s.nextEvent();
      }
    }
    carry = Buffer.from(data.subarray(usable));
  };
  return new (nodeStream().Writable)({
    highWaterMark: (ring.size / 4) * es,
    write: (chunk: Buffer, _enc, cb) => void writeAll(chunk).then(() => cb(), cb),
    final: (cb) =>
      void (async () => {
        if (carry.length) throw invalidArg(`the data ended with ${carry.length} bytes of an incomplete frame`);
        ring.setProducerDone(true);
        // The source has ended: once the ring is empty the play action ends
        // (an action-done event), and once the device has played its last
        // frame, so has the Writable. A stream with nothing else to do then
        // finishes and releases the device.
        s.native.finishWhenIdle();
        await start();
        while (s.active && ring.readAvailable > 0) await s.nextEvent();
        // The block that emptied the ring may still be publishing its DAC time.
        await new Promise((r) => setTimeout(r, (1000 * s.opts.blocksize) / s.opts.samplerate));
        await s.playedOut();
        const err = failure();
        if (err) throw err;
        if (ring.readAvailable > 0) throw stoppedEarly(s);
      })().then(() => cb(), cb),
    // Also called after a normal finish (autoDestroy): only an error stops the stream.
    destroy: (err, cb) => {
      ring.setProducerDone(true);
      const stop = err && started && s.active ? s.abort() : Promise.resolve();
      stop.then(() => cb(err), cb);
    },
  });
}
