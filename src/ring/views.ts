/**
 * @internal Zero-copy windows into a ring's data: the view cache that the
 * copy API and the region calls of {@link RingBuffer} share.
 *
 * Every view is a subarray of the one Uint8Array over the ring's external
 * ArrayBuffer, so each keeps that buffer (and through its finalizer, the
 * native ring) alive for as long as it is referenced.
 */

import { describe } from '../common/bytes.js';
import { invalidArg } from '../common/errors.js';
import { checkNumber } from '../common/validate.js';

/**
 * `[count, first, second]`: up to `count` elements of the ring as one or two
 * zero-copy views into the ring's memory. `second` is empty unless the window
 * wraps around the end of the storage.
 */
export type RingRegions = [count: number, first: Uint8Array, second: Uint8Array];

/**
 * What {@link RingBuffer.withWriteBuffers} / {@link RingBuffer.withReadBuffers}
 * call with the ring's window: `first`, then `second` (empty unless the window
 * wraps). Returns how many elements it wrote (or read), from the start of
 * `first` on; nothing (`undefined`) means all of them.
 */
export type RegionsCallback = (first: Uint8Array, second: Uint8Array) => number | void;

/** A maximum count where a negative integer means "all" (PortAudio's convention). */
export function limit(value: number | undefined, what: string): number {
  if (value === undefined) return Infinity;
  const n = checkNumber(value, what);
  if (!Number.isInteger(n)) {
    throw invalidArg(`${what} must be an integer (a negative one meaning all), got ${describe(n)}`);
  }
  return n < 0 ? Infinity : n;
}

const EMPTY = new Uint8Array(0);
/** Slots of the direct-mapped cache (a power of two). */
const SLOTS = 64;

/**
 * Views of `data` by byte position and length. Streaming code asks for the
 * same windows over and over (fixed chunk sizes in a power-of-two ring), so
 * views are kept in a small direct-mapped cache instead of being made anew
 * each time: a hit costs a few integer operations, a miss an allocation.
 * The slot folds every bit of the position, so that windows at multiples of
 * a large power of two (2 KiB chunks of a byte ring) do not all collide.
 */
export class ViewCache {
  private readonly positions: number[] = new Array<number>(SLOTS).fill(-1);
  private readonly lengths: number[] = new Array<number>(SLOTS).fill(0);
  private readonly views: Uint8Array[] = new Array<Uint8Array>(SLOTS).fill(EMPTY);

  constructor(private readonly data: Uint8Array) {}

  /** A view of `len` bytes at byte `pos` (a shared empty view for `len` 0). */
  view(pos: number, len: number): Uint8Array {
    if (len === 0) return EMPTY;
    const slot = (pos ^ (pos >>> 6) ^ (pos >>> 12) ^ (pos >>> 18) ^ (pos >>> 24)) & (SLOTS - 1);
    if (this.positions[slot] === pos && this.lengths[slot] === len) return this.views[slot];
    this.positions[slot] = pos;
    this.lengths[slot] = len;
    return (this.views[slot] = this.data.subarray(pos, pos + len));
  }
}

/**
 * Bytes of a window of `size` elements of `es` bytes (all for undefined or
 * negative `size`), at most `available` bytes.
 */
export function windowBytes(es: number, available: number, size: number | undefined): number {
  if (size === undefined) return available;
  // The common case first: a whole, non-negative count.
  if (typeof size === 'number' && size >= 0 && Number.isInteger(size)) return Math.min(size * es, available);
  return Math.min(limit(size, 'size') * es, available);
}

/**
 * The bytes of the element count a region callback returned, of `n` bytes
 * offered; `undefined` means all of them.
 */
export function regionBytes(es: number, result: number | void, n: number, did: 'wrote' | 'read'): number {
  if (result === undefined) return n;
  if (typeof result !== 'number' || !Number.isInteger(result) || result < 0 || result * es > n) {
    throw invalidArg(`the callback must return the elements it ${did}, a whole number from 0 to ${n / es}, got ${describe(result)}`);
  }
  return result * es;
}
