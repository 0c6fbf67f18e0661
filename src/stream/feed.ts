import { arrayFor, check, type Dtype, type SampleArray, type SampleArrayOf } from '../device/defaults.js';
import { describe } from '../common/bytes.js';
import { invalidType } from '../common/errors.js';
import { checkData, frameRing, type StreamCore } from './jobs.js';
import type { RingBuffer } from '../ring/ring.js';
import { checkOptions } from '../common/validate.js';

/** What a generator source may yield: interleaved samples of the stream's dtype `D`. */
export type SourceChunks<D extends Dtype = Dtype> = Iterable<SampleArrayOf<D>> | AsyncIterable<SampleArrayOf<D>>;

/**
 * A source written in JavaScript, run on the JS thread with a ring absorbing
 * its jitter:
 * - a generator function (no parameters), sync or async, whose chunks are
 *   played in order; the source ends when the generator returns;
 * - a fill callback `(ring) => void` that writes into the ring whenever it
 *   is woken (at the start, then each time a quarter of the ring was played);
 *   it runs until the stream is stopped.
 */
export type SourceFunction<D extends Dtype = Dtype> = (() => SourceChunks<D>) | ((ring: RingBuffer) => void | Promise<void>);

/**
 * A sink written in JavaScript: called with each block of recorded frames (a
 * copy, a typed array of the stream's dtype `D`). Declared as a method so
 * that its parameter is bivariant: an `InputStream<'int16'>` is still a
 * `Stream`.
 */
export type SinkFunction<D extends Dtype = Dtype> = { sink(chunk: SampleArrayOf<D>): void | Promise<void> }['sink'];

/** Options of {@link Stream.setSource} / {@link Stream.setSink}. */
export interface FeedOptions {
  /** Frames of the ring between JS and the audio thread (a power of two; default `bufferSize`). */
  bufferSize?: number;
  /** Rewind a typed array or WAV source at its end. */
  loop?: boolean;
}

/** @internal A ring of whole frames for a feeder or drainer. */
export function feedRing(s: StreamCore, channels: number, o: FeedOptions): RingBuffer {
  checkOptions(o, ['bufferSize', 'loop'], 'feed options');
  return frameRing(s, channels, o.bufferSize === undefined ? s.opts.bufferSize : check.bufferSize(o.bufferSize));
}

/**
 * @internal Moves a JS source function's audio into its ring: before the
 * stream starts (filling it), then each time the audio thread has played a
 * quarter of it. Nothing polls.
 */
export class Feeder {
  private it: Iterator<SampleArray> | AsyncIterator<SampleArray> | undefined;
  private pending: Uint8Array | undefined;
  private done = false;

  constructor(
    private readonly s: StreamCore,
    private readonly ring: RingBuffer,
    private readonly fn: SourceFunction,
  ) {}

  /** Fills the ring as far as the source allows now. */
  async fill(): Promise<void> {
    if (this.done) return;
    if (this.fn.length >= 1) {
      await (this.fn as (ring: RingBuffer) => void | Promise<void>)(this.ring);
      return;
    }
    this.it ??= start((this.fn as () => SourceChunks)());
    for (;;) {
      if (this.pending === undefined) {
        const r = await this.it.next();
        if (r.done) {
          this.done = true;
          this.ring.setProducerDone(true);
          return;
        }
        this.pending = this.bytes(r.value);
      }
      const wrote = this.ring.write(this.pending) * this.ring.elementSize;
      if (wrote < this.pending.byteLength) {
        this.pending = this.pending.subarray(wrote);
        return; // the ring is full: wait to be woken
      }
      this.pending = undefined;
    }
  }

  /** Keeps the ring filled while the stream runs; a source error aborts the stream. */
  async run(): Promise<void> {
    try {
      while (this.s.active && !this.done) {
        if (this.s.draining) {
          // stop(): nothing more is added.
          this.done = true;
          this.ring.setProducerDone(true);
          return;
        }
        // Fill whenever there is room (the audio thread may have played a
        // lot before this loop began); wait for the next wake-up only when
        // the ring is full or the source gave nothing.
        const free = this.ring.writeAvailable;
        if (free > 0) await this.fill();
        const now = this.ring.writeAvailable;
        if (this.s.active && !this.done && (now === 0 || now === free)) await this.s.nextEvent();
      }
    } catch (e) {
      // The run ends with this error, not as an ordinary abort.
      this.s.endRun(e as Error);
      await this.s.abort();
    }
  }

  private bytes(chunk: unknown): Uint8Array {
    const ch = this.s.opts.outChannels;
    const data = checkData(this.s, chunk, ch, 'a chunk of the source');
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
}

function start(chunks: SourceChunks): Iterator<SampleArray> | AsyncIterator<SampleArray> {
  if (chunks && typeof (chunks as AsyncIterable<SampleArray>)[Symbol.asyncIterator] === 'function') {
    return (chunks as AsyncIterable<SampleArray>)[Symbol.asyncIterator]();
  }
  if (chunks && typeof (chunks as Iterable<SampleArray>)[Symbol.iterator] === 'function') {
    return (chunks as Iterable<SampleArray>)[Symbol.iterator]();
  }
  throw invalidType(`a source function without parameters must return an iterable of chunks, got ${describe(chunks)}`);
}

/**
 * @internal Hands what the audio thread records into a ring to a JS sink
 * function, a block at a time, each time the audio thread says a block is in.
 */
export class Drainer {
  constructor(
    private readonly s: StreamCore,
    private readonly ring: RingBuffer,
    private readonly fn: SinkFunction,
  ) {}

  /** Runs until the stream ends; a sink error aborts the stream. */
  async run(): Promise<void> {
    const T = arrayFor(this.s.opts.dtype);
    const ch = this.s.opts.inChannels;
    try {
      for (;;) {
        const n = this.ring.readAvailable;
        if (n > 0) {
          const chunk = new T(n * ch);
          this.ring.readInto(chunk);
          await this.fn(chunk);
          continue;
        }
        if (!this.s.active) return;
        await this.s.nextEvent();
      }
    } catch (e) {
      // The run ends with this error, not as an ordinary abort.
      this.s.endRun(e as Error);
      await this.s.abort();
    }
  }
}
