// The blockwise writing that AudioWriter and WavWriter share.
import { asFloat32 } from '../common/bytes.js';
import { type Flushable, flushOnExit } from './exit.js';

/** The calls a native writer (WAV or any format) answers. */
interface NativeBlocks {
  readonly frames: number;
  write(data: Float32Array): void;
  flush(): void;
  close(): void;
}

/**
 * What {@link AudioWriter} (any writable format) and {@link WavWriter}
 * (WAV) share: blockwise writes of interleaved float32 samples, `flush`,
 * `close`, and the exit hook. An open writer is flushed when the process
 * ends without closing it: `process.exit()`, an uncaught exception,
 * SIGTERM, SIGINT or SIGHUP (the signal then still ends the process,
 * unless the program listens for it itself) lose nothing: the file is
 * finished as {@link BlockWriter.close} would (a signal the program
 * handles itself only flushes, since it may write on). Only SIGKILL (or a
 * crash) can cut the file short; it stays readable, missing at most about
 * the last half second (see each writer). Not constructed directly:
 * create one of the two.
 * @example
 * ```ts
 * import { AudioWriter, WavWriter } from 'ringstream';
 *
 * for (const w of [WavWriter.create('a.wav', { samplerate: 8000, channels: 1 }), AudioWriter.create('a.flac', { samplerate: 8000, channels: 1 })]) {
 *   w.write(new Float32Array(800).fill(0.5));
 *   w.flush(); // complete on disk as of now
 *   console.log(w.frames); // 800
 *   w.close();
 * }
 * ```
 */
export abstract class BlockWriter {
  private readonly blocks: NativeBlocks;
  /** What the exit hook holds (weakly: it lives as long as this writer). */
  private readonly hook: Flushable;
  private readonly unregister: () => void;

  /** @internal Wraps `blocks`, flushed (or finished) on an abrupt exit until closed. */
  protected constructor(blocks: NativeBlocks) {
    this.blocks = blocks;
    this.hook = { flush: () => blocks.flush(), finishAtExit: () => blocks.close() };
    this.unregister = flushOnExit(this.hook);
  }

  /** Frames written so far. */
  get frames(): number {
    return this.blocks.frames;
  }

  /**
   * Appends interleaved samples. Integer encodings clip to [-1, 1].
   * @throws `ERR_INVALID_ARG`: a TypeError if `data` is not a Float32Array
   * (or is detached), a RangeError if `data.length` is not a multiple of
   * the channels or the writer is closed; `ERR_IO` on a write error.
   */
  write(data: Float32Array): void {
    this.blocks.write(asFloat32(data, 'data'));
  }

  /** Writes what is buffered and updates the header, so the file is complete as of now. */
  flush(): void {
    this.blocks.flush();
  }

  /** Finishes the file. Closing again does nothing. */
  close(): void {
    this.unregister();
    this.blocks.close();
  }
}
