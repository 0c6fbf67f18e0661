import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { checkBoolean, checkNumber } from '../common/validate.js';
import { NativeBroadcast, type NativeBroadcastReader } from '../native/addon.js';

/** What {@link SharedBuffer.handle} gives: plain data that crosses to worker threads. */
export interface SharedBufferHandle {
  /** Marks the value as a ringstream handle. */
  ringstream: 'SharedBuffer';
  /** The buffer's number in this process. */
  id: number;
}

/**
 * OsSom's AudioBuffer: float32 frames that one side writes and any number
 * of readers read, each with its own read index, so that no reader
 * consumes another's data, across `worker_threads` (share it with
 * {@link SharedBuffer.handle} / {@link SharedBuffer.fromHandle}).
 *
 * The writer never waits: past `size` frames it overwrites the oldest. A
 * reader that falls behind by more than `size` frames loses the ones
 * overwritten, and is told so ({@link SharedBufferReader.lost}); it is
 * never handed a frame the writer was overwriting while it copied (the
 * core checks each read against the writer's position, a seqlock).
 * @example
 * ```ts
 * import { SharedBuffer } from 'ringstream';
 *
 * const buf = new SharedBuffer(2, 4800);                  // stereo, 0.1 s at 48 kHz
 * const meter = buf.reader();
 * const logger = buf.reader();
 * buf.writeNext(new Float32Array([0.5, -0.5, 0.25, -0.25]));
 * console.log(meter.getAudio(1));                         // Float32Array [0.5, -0.5]
 * console.log(logger.getAudio().length);                  // 4: logger's own index, nothing consumed by meter
 * console.log(buf.widx, buf.isFull);                      // 2 false
 * ```
 */
export class SharedBuffer {
  /** @internal */
  readonly native: NativeBroadcast;

  /**
   * A buffer of `size` frames of `channels` channels; this side writes.
   * @throws `ERR_INVALID_ARG` for counts that are not whole numbers > 0, or more than 2 GiB of samples
   */
  constructor(channels: number, size: number);
  /** @internal The buffer `native` (opened from a handle). */
  constructor(channels: number, size: number, native: NativeBroadcast);
  constructor(channels: number, size: number, native?: NativeBroadcast) {
    this.native = native ?? new NativeBroadcast(checkNumber(channels, 'channels'), checkNumber(size, 'size'));
  }

  /**
   * The same buffer in another thread of this process (typically a Worker),
   * where it is read only. Throws `ERR_INVALID_ARG` for anything but a
   * {@link SharedBuffer.handle}, or one whose buffer was released.
   */
  static fromHandle(handle: SharedBufferHandle): SharedBuffer {
    const h = handle as Partial<SharedBufferHandle> | null;
    if (h === null || typeof h !== 'object' || h.ringstream !== 'SharedBuffer' || typeof h.id !== 'number') {
      throw invalidType(`SharedBuffer.fromHandle() takes the value of a SharedBuffer's handle, got ${describe(handle)}`);
    }
    const native = NativeBroadcast.openPublished(h.id);
    return new SharedBuffer(native.channels, native.frames, native);
  }

  /**
   * A small value that `postMessage` / `workerData` carry to a Worker, where
   * {@link SharedBuffer.fromHandle} opens the same memory. Keep this
   * SharedBuffer until the other side has opened it.
   */
  get handle(): SharedBufferHandle {
    return { ringstream: 'SharedBuffer', id: this.native.publish() };
  }

  /** Channels per frame. */
  get channels(): number {
    return this.native.channels;
  }

  /** Capacity in frames. */
  get size(): number {
    return this.native.frames;
  }

  /** Frames written since the buffer was made. */
  get written(): number {
    return this.native.written;
  }

  /** OsSom's write index: where the next frame goes (`written % size`). */
  get widx(): number {
    return this.native.written % this.native.frames;
  }

  /** OsSom's `is_full`: the writer has filled every frame (and now overwrites the oldest). */
  get isFull(): boolean {
    return this.native.written >= this.native.frames;
  }

  /**
   * OsSom's `write_next`: appends whole interleaved frames; never waits.
   * Returns the frames written.
   * @throws `ERR_INVALID_ARG` on a side opened from a handle (it reads), or for data that is not whole frames
   */
  writeNext(data: Float32Array): number {
    if (!(data instanceof Float32Array)) throw invalidType(`writeNext takes a Float32Array of interleaved frames, got ${describe(data)}`);
    return this.native.write(data);
  }

  /** A reader with its own index, starting at the oldest frame held. */
  reader(): SharedBufferReader {
    return new SharedBufferReader(this.native.reader());
  }
}

/**
 * One reader of a {@link SharedBuffer}, with its own read index.
 * @example
 * ```ts
 * import { SharedBuffer } from 'ringstream';
 *
 * const buf = new SharedBuffer(1, 4);
 * const slow = buf.reader();
 * buf.writeNext(new Float32Array([1, 2, 3, 4, 5, 6]));    // the writer never waits
 * console.log(slow.readyToRead, slow.getAudio(), slow.lost); // 4 Float32Array [3, 4, 5, 6] 2
 * ```
 */
export class SharedBufferReader {
  /** @internal */
  constructor(private readonly native: NativeBroadcastReader) {}

  /** OsSom's `ready2read`: frames this reader can read now (at most the buffer's size). */
  get readyToRead(): number {
    return this.native.ready;
  }

  /** Frames this reader lost: overwritten by the writer before it read them. */
  get lost(): number {
    return this.native.lost;
  }

  /**
   * OsSom's `get_audio`: up to `blocksize` frames (all ready by default),
   * interleaved, always a copy: OsSom's `copy=False` view of the shared
   * memory has no equivalent here, as the writer, which never waits, would
   * overwrite it under the reader (`copy: false` is refused).
   * @throws `ERR_INVALID_ARG` for a blocksize that is not a whole number, or `copy` not `true`
   */
  getAudio(blocksize?: number, copy?: boolean): Float32Array {
    if (copy !== undefined && !checkBoolean(copy, 'copy')) {
      throw invalidArg('copy must be true (or left out): a SharedBuffer reader always copies, as the writer never waits');
    }
    return this.native.read(blocksize === undefined ? this.native.ready : checkNumber(blocksize, 'blocksize'));
  }
}
