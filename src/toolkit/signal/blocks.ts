import { checkInteger } from '../../common/validate.js';

/**
 * OsSom's blockwise reading of audio in memory (`Audio.read_next`, `ridx`,
 * iteration): blocks of frames of a signal, each a view of its samples
 * (interleaved, no copy), read from a read index that moves on. The last
 * block may be shorter; after it comes an empty one, and iteration ends.
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const s = new Signal([[1, 2, 3, 4, 5], [10, 20, 30, 40, 50]], { samplerate: 5 });
 * const r = s.blocks(2);
 * console.log(r.readNext(), r.ridx); // Float32Array [1, 10, 2, 20] 2
 * for (const block of r) console.log(block.length / 2); // 2, then 1
 * ```
 */
export class SignalBlocks implements Iterable<Float32Array> {
  /** The read index: the next frame `readNext` reads. */
  ridx = 0;
  /** Frames per block of the iteration and of `readNext()` without an argument. */
  readonly blocksize: number;
  private readonly sig: Float32Array;
  private readonly channels: number;

  /** Blocks of `blocksize` frames of `sig` (interleaved, `channels` per frame). */
  constructor(sig: Float32Array, channels: number, blocksize: number) {
    this.sig = sig;
    this.channels = checkInteger(channels, 'channels', 1, 65535);
    this.blocksize = checkInteger(blocksize, 'blocksize', 1, 2 ** 32 - 1);
  }

  /** The next `frames` frames (default `blocksize`) from `ridx`, fewer at the end, empty after it. */
  readNext(frames: number = this.blocksize): Float32Array {
    const n = checkInteger(frames, 'frames', 1, 2 ** 32 - 1);
    const total = this.sig.length / this.channels;
    const start = Math.min(this.ridx, total);
    const end = Math.min(start + n, total);
    this.ridx = end;
    return this.sig.subarray(start * this.channels, end * this.channels);
  }

  *[Symbol.iterator](): Iterator<Float32Array> {
    for (let b = this.readNext(); b.length > 0; b = this.readNext()) yield b;
  }
}
