import type { Readable, Writable } from 'node:stream';
import type { Dtype, SampleArrayOf } from '../device/defaults.js';
import { iterateChunks, type ChunksOptions } from './chunks.js';
import { toReadable, toWritable, type AdapterOptions } from './adapters.js';
import { nodeStream } from './node-stream.js';
import type { StartOptions } from './options.js';
import { StreamState } from './state.js';

/**
 * The ways to move a stream's audio as it runs besides play and record:
 * chunks() and the Node / Web stream adapters. {@link Stream} supplies the
 * lifecycle they run on.
 */
export abstract class StreamIo<D extends Dtype = Dtype> extends StreamState<D> {
  /** @internal */
  abstract readonly draining: boolean;
  /** @internal */
  abstract readonly busy: boolean;
  /** @internal */
  abstract claim(): () => void;
  /** @internal */
  abstract holdFiles(): void;
  /** @internal */
  abstract releaseFiles(): Promise<void>;
  /** Starts the stream (see {@link Stream.start}). */
  abstract start(opts?: StartOptions): Promise<void>;
  /** Stops at once (see {@link Stream.abort}). */
  abstract abort(): Promise<void>;
  /** Releases the device (see {@link Stream.close}). */
  abstract close(): Promise<void>;
  /** @internal */
  abstract endRun(failure?: Error): void;
  /** @internal */
  abstract nextEvent(): Promise<void>;
  /** @internal */
  abstract finishedRun(): Promise<void>;
  /** @internal */
  abstract playedOut(): Promise<void>;
  /** @internal */
  abstract checkOpen(): void;

  /**
   * Iterates over the stream's input in interleaved chunks of exactly
   * `chunksize` frames (pastream's chunks()): the first `overlap` frames of
   * the first chunk are zeros, and each chunk starts `chunksize - overlap`
   * frames after the one before. Only a final chunk, when the stream ends
   * (`frames`), may be shorter.
   *
   * Without `out`, each chunk is a view into a buffer that the next
   * iteration overwrites: copy it (`chunk.slice()`) to keep it. With `out`,
   * the chunk is copied into `out`.
   *
   * The loop body runs when the audio thread has recorded a whole new step
   * (a notification from the bridge thread; nothing polls). `break`,
   * `return`, an exception in the body or `signal` stop the stream. If the
   * loop falls behind by more than `bufferSize` frames, the iterator throws
   * `ERR_BUFFER_FULL` (or drops and flags, with `dropOnOverflow`).
   * Closing the stream ends the loop after the chunks already recorded.
   * @example
   * ```ts
   * import { InputStream } from 'ringstream';
   *
   * const inp = new InputStream({ device: 'virtual:loopback', channels: 1, samplerate: 48000, speed: 10 });
   * let peak = 0;
   * for await (const chunk of inp.chunks({ chunksize: 1024, overlap: 512, frames: 48000 })) {
   *   for (const x of chunk) peak = Math.max(peak, Math.abs(x)); // 1024 frames (the last may be fewer)
   * }                                                // chunk is valid until the next turn: slice() to keep it
   * await inp.close();
   * console.log(peak);
   * ```
   */
  chunks(opts: ChunksOptions<D> = {}): AsyncGenerator<SampleArrayOf<D>, void, undefined> {
    return iterateChunks(this, opts, false) as AsyncGenerator<SampleArrayOf<D>, void, undefined>;
  }

  /**
   * A Node `stream.Readable` of the input as raw interleaved PCM (the
   * stream's dtype, native byte order). Reading starts the stream; a reader
   * that falls behind by more than the ring fails with `ERR_BUFFER_FULL`.
   * It ends when the stream is stopped or closed.
   */
  toReadable(opts: AdapterOptions = {}): Readable {
    return toReadable(this, opts);
  }

  /**
   * A Node `stream.Writable` of raw interleaved PCM (the stream's dtype,
   * native byte order) for the output, with backpressure; `end()` resolves
   * once everything written has been played. `pipeline(file, out.toWritable())`.
   * Closing the stream with data not yet played fails it with `ERR_STREAM_CLOSED`.
   */
  toWritable(opts: AdapterOptions = {}): Writable {
    return toWritable(this, opts);
  }

  /** A Web `ReadableStream` of the input as raw PCM bytes (see {@link StreamIo.toReadable}). */
  get readable(): ReadableStream<Uint8Array> {
    return nodeStream().Readable.toWeb(this.toReadable()) as ReadableStream<Uint8Array>;
  }

  /** A Web `WritableStream` of raw PCM bytes for the output (see {@link StreamIo.toWritable}). */
  get writable(): WritableStream<Uint8Array> {
    return nodeStream().Writable.toWeb(this.toWritable()) as WritableStream<Uint8Array>;
  }
}
