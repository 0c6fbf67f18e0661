// The blockwise reading that AudioReader and WavReader share.
import { checkInteger } from '../common/validate.js';

/** The calls a native reader (WAV or any format) answers. */
interface NativeBlocks {
  readonly position: number;
  read(frames: number): Float32Array;
  seek(frame: number): void;
  close(): void;
}

/**
 * What {@link AudioReader} (any format) and {@link WavReader} (WAV) share:
 * the shape, blockwise reads of interleaved float32 samples, exact seeks
 * and close. Not constructed directly: open one of the two.
 * @example
 * ```ts
 * import { AudioReader, WavReader, writeWav } from 'ringstream';
 *
 * await writeWav('half.wav', new Float32Array(800).fill(0.5), { samplerate: 8000, channels: 2 });
 * for (const r of [WavReader.open('half.wav'), AudioReader.open('half.wav')]) {
 *   r.seek(100);
 *   console.log(r.channels, r.read(50).length, r.position); // 2 100 150
 *   r.close();
 * }
 * ```
 */
export abstract class BlockReader {
  private readonly blocks: NativeBlocks;
  private readonly shape: { samplerate: number; channels: number };

  /** @internal Wraps `blocks`, whose file has `shape`. */
  protected constructor(blocks: NativeBlocks, shape: { samplerate: number; channels: number }) {
    this.blocks = blocks;
    this.shape = { samplerate: shape.samplerate, channels: shape.channels };
  }

  /** Frames per second. */
  get samplerate(): number {
    return this.shape.samplerate;
  }

  /** Channels per frame. */
  get channels(): number {
    return this.shape.channels;
  }

  /** The frame the next {@link BlockReader.read} starts at. */
  get position(): number {
    return this.blocks.position;
  }

  /**
   * Reads up to `frames` frames as interleaved samples: fewer at the end of
   * the file, an empty array after it.
   * @throws `ERR_INVALID_ARG`: a TypeError if `frames` is not a number, a
   * RangeError if it is not a non-negative integer or the reader is closed;
   * `ERR_UNSUPPORTED_FORMAT` for data a compressed file cannot decode.
   */
  read(frames: number): Float32Array {
    return this.blocks.read(checkInteger(frames, 'frames'));
  }

  /**
   * Moves to `frame`, from 0 to the file's length, exact to the frame in
   * every format.
   * @throws `ERR_INVALID_ARG`: a TypeError if `frame` is not a number, a
   * RangeError for a frame outside that range or a closed reader.
   */
  seek(frame: number): void {
    this.blocks.seek(checkInteger(frame, 'frame'));
  }

  /** Closes the file. Closing again does nothing. */
  close(): void {
    this.blocks.close();
  }
}
