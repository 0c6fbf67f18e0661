import { NativeRing, ringMaxSize, ringSizeFor } from '../native/addon.js';
import { asBytes, type BinaryData } from '../common/bytes.js';
import { invalidArg } from '../common/errors.js';
import * as protocol from '../native/protocol.js';
import { RingIndices } from './indices.js';
import { Roles } from './roles.js';
import { checkHandle, noStorage, ReadableWaits, type RingHandle } from './shared.js';
import { limit, regionBytes, ViewCache, windowBytes, type RegionsCallback, type RingRegions } from './views.js';
import { checkBoolean, checkInteger, checkNumber } from '../common/validate.js';

export type { RegionsCallback, RingRegions } from './views.js';
export type { RingHandle } from './shared.js';

const { RING_CONTROL_WORDS, RING_DATA_OFFSET, RING_MAX_BYTES } = protocol;

/** A count of elements: a non-negative integer. */
function count(value: number, what: string): number {
  return checkInteger(value, what, 0);
}

/**
 * A lock-free single-producer single-consumer ring buffer of fixed-size
 * elements, with PortAudio's RingBuffer semantics.
 *
 * The ring lives in native memory that JavaScript maps directly, so reads and
 * writes from JS are plain memory copies with no call into native code, and
 * the other side may be the audio thread (a stream that plays from the ring or
 * records into it). Each role, reader and writer, belongs to one party at a
 * time: reading a ring that a stream is reading throws `ERR_INVALID_ARG`
 * instead of corrupting it.
 *
 * Views from {@link RingBuffer.getWriteBuffers} / {@link RingBuffer.getReadBuffers}
 * point into the ring's own memory. They stay valid memory for as long as they
 * are referenced, even after the RingBuffer itself is collected.
 * @example
 * ```ts
 * import { OutputStream, RingBuffer } from 'ringstream';
 *
 * const rb = RingBuffer.forFrames(1, 1024);          // float32 mono frames
 * rb.write(new Float32Array(512).fill(0.5));         // 512 elements written
 * const out = new OutputStream({ device: 'virtual:null', channels: 1, speed: 10 });
 * await out.play(rb, { frames: 512 });               // the audio thread reads what JS wrote
 * await out.close();
 * ```
 */
export class RingBuffer {
  /** @internal The native ring, lent to streams. */
  readonly native: NativeRing;
  private readonly ix: RingIndices;
  private readonly data: Uint8Array;
  private readonly es: number;
  /** `es - 1` for a power-of-two element size (a mask instead of a division), else -1. */
  private readonly esMask: number;
  private readonly cap: number;
  private readonly views: ViewCache;
  private readonly waits: ReadableWaits;
  private readonly roles: Roles;

  /**
   * @param elementSize bytes per element (> 0)
   * @param size capacity in elements, a power of two (> 0)
   * @throws TypeError `ERR_INVALID_ARG` for arguments that are not numbers,
   * or a third argument (pastream's storage buffer: a ring's memory is
   * native, see {@link RingBuffer.handle} to share it);
   * RangeError `ERR_INVALID_ARG` for any other value, or a ring larger than
   * 2 GiB (`elementSize * size`)
   */
  constructor(elementSize: number, size: number);
  /** @internal The same ring as `native` (a ring opened from a handle). */
  constructor(elementSize: number, size: number, native: NativeRing);
  constructor(elementSize: number, size: number, native?: NativeRing) {
    if (native instanceof NativeRing) {
      this.native = native;
    } else {
      if (native !== undefined) throw noStorage(native);
      const es = checkInteger(elementSize, 'elementSize', 1, RING_MAX_BYTES);
      // The shape's rule (a power of two, at most RING_MAX_BYTES) is the core's.
      this.native = new NativeRing(es, checkNumber(size, 'size'));
    }
    const block = this.native.block();
    this.es = this.native.elementSize;
    this.cap = this.es * this.native.size;
    this.esMask = (this.es & (this.es - 1)) === 0 ? this.es - 1 : -1;
    const ctl = new Uint32Array(block, 0, RING_CONTROL_WORDS);
    this.data = new Uint8Array(block, RING_DATA_OFFSET, this.cap);
    this.views = new ViewCache(this.data);
    this.roles = new Roles(ctl);
    this.ix = new RingIndices(ctl, this.cap, this.roles);
    this.waits = new ReadableWaits((want) => this.readAvailable >= want || this.producerDone);
  }

  /**
   * A ring of `frames` interleaved float32 frames of `channels` channels
   * (elementSize `4 * channels`), `frames` rounded up to a power of two.
   */
  static forFrames(channels: number, frames: number): RingBuffer {
    // A frame must fit one ring: at most as many channels as the float32 values a ring holds.
    const ch = checkInteger(channels, 'channels', 1, ringMaxSize(4));
    const size = ringSizeFor(4 * ch, checkInteger(frames, 'frames', 1, RING_MAX_BYTES), 'float32 frames');
    return new RingBuffer(4 * ch, size);
  }

  /**
   * A small value that `postMessage` / `workerData` can carry to a
   * `worker_threads` Worker of this process, where
   * {@link RingBuffer.fromHandle} maps the same ring (the same memory, no
   * copy). Keep this RingBuffer until the other side has opened it: a ring
   * lives while some thread holds it. The reader and writer roles stay
   * exclusive across threads; a role goes back to the ring when the side
   * holding it is collected or its Worker ends, and a stream given this
   * RingBuffer takes over the roles this side holds. The handle carries the
   * ring's bell (a small SharedArrayBuffer): a write on any thread wakes a
   * stream waiting to prebuffer from the ring.
   */
  get handle(): RingHandle {
    this.roles.share(this.native.shareToken());
    const bell = this.waits.share();
    return { ringstream: 'RingBuffer', id: this.native.publish(), elementSize: this.es, size: this.cap / this.es, bell };
  }

  /**
   * The ring a {@link RingBuffer.handle} names, in this thread (typically a
   * Worker). Throws `ERR_INVALID_ARG` for anything else, or when the ring
   * was released before it was opened.
   */
  static fromHandle(handle: RingHandle): RingBuffer {
    const h = checkHandle(handle);
    const native = NativeRing.openPublished(h.id);
    const rb = new RingBuffer(native.elementSize, native.size, native);
    rb.roles.share(native.shareToken());
    rb.waits.share(h.bell);
    return rb;
  }

  /** Bytes per element. */
  get elementSize(): number {
    return this.es;
  }

  /** Capacity in elements. */
  get size(): number {
    return this.cap / this.es;
  }

  /** Elements that can be read now. */
  get readAvailable(): number {
    return this.ix.used / this.es;
  }

  /** Elements that can be written now. */
  get writeAvailable(): number {
    return (this.cap - this.ix.used) / this.es;
  }

  /**
   * Copies up to `size` elements of `data` (all of it by default) into the
   * ring. Returns the number of elements written: fewer when the ring is full.
   * @throws RangeError `ERR_INVALID_ARG` if the byte length of `data` is not a
   * multiple of `elementSize` or `size` exceeds the elements in `data`.
   */
  write(data: BinaryData, size?: number): number {
    const src = asBytes(data);
    // Byte counts from `length` (see asBytes).
    let n = this.whole(src.length, 'data byte length');
    if (size !== undefined) {
      const max = count(size, 'size') * this.es;
      if (max > n) throw invalidArg(`size (${size}) exceeds the ${n / this.es} elements in data`);
      n = max;
    }
    const w = this.ix.writer();
    n = Math.min(n, this.ix.free(w));
    const pos = this.ix.at(w);
    const first = Math.min(n, this.cap - pos);
    if (first === src.length) {
      this.data.set(src, pos);
    } else if (first > 0) {
      this.data.set(src.subarray(0, first), pos);
      if (n > first) this.data.set(src.subarray(first, n), 0);
    }
    this.ix.wrote(w, n);
    if (this.waits.armed) this.waits.wake();
    return n / this.es;
  }

  /**
   * @internal Resolves once the ring holds at least `n` elements (or is
   * full), or its producer marked it done, as writes on any thread make it
   * so: a stream's prebuffer waits on it, with no polling (see
   * {@link ReadableWaits}).
   */
  whenReadable(n: number): Promise<void> {
    return this.waits.when(Math.min(n, this.size));
  }

  /**
   * Reads up to `size` elements (everything available by default, or when
   * `size` is negative) into a new Uint8Array.
   * @throws TypeError `ERR_INVALID_ARG` if `size` is not a number; RangeError
   * if it is not an integer.
   */
  read(size?: number): Uint8Array {
    const n = Math.min(limit(size, 'size'), this.readAvailable);
    const out = new Uint8Array(n * this.es);
    const got = this.readInto(out);
    return got === n ? out : out.subarray(0, got * this.es);
  }

  /**
   * Reads as many elements as are available and fit into `data`; returns the
   * number read.
   * @throws RangeError `ERR_INVALID_ARG` if the byte length of `data` is not a
   * multiple of `elementSize`.
   */
  readInto(data: BinaryData): number {
    const dst = asBytes(data);
    let n = this.whole(dst.length, 'buffer byte length');
    const r = this.ix.reader();
    n = Math.min(n, this.ix.readable(r));
    const pos = this.ix.at(r);
    const first = Math.min(n, this.cap - pos);
    if (first > 0) dst.set(this.views.view(pos, first));
    if (n > first) dst.set(this.views.view(0, n - first), first);
    this.ix.read(r, n);
    return n / this.es;
  }

  /**
   * Zero-copy views of the free space for up to `size` elements (all of it
   * by default). Fill them, then call {@link RingBuffer.advanceWriteIndex}.
   */
  getWriteBuffers(size?: number): RingRegions {
    const w = this.ix.writer();
    return this.regions(w, this.ix.free(w), size);
  }

  /**
   * Zero-copy views of up to `size` readable elements (all by default). Use
   * them, then call {@link RingBuffer.advanceReadIndex}.
   */
  getReadBuffers(size?: number): RingRegions {
    const r = this.ix.reader();
    return this.regions(r, this.ix.readable(r), size);
  }

  /**
   * Zero-copy writing without the arrays {@link RingBuffer.getWriteBuffers}
   * makes: calls `fill(first, second)` with views of the free space for up
   * to `size` elements (all of it when `size` is undefined or negative),
   * then publishes the elements `fill` says it wrote (all offered when it
   * returns nothing). Returns the number published. The views are the ring's
   * own memory, reused between calls: fill them inside `fill`.
   * @throws RangeError `ERR_INVALID_ARG` when `fill` returns anything but a
   * whole number from 0 to the elements offered (nothing is published then).
   */
  withWriteBuffers(size: number | undefined, fill: RegionsCallback): number {
    const w = this.ix.writer();
    const n = windowBytes(this.es, this.ix.free(w), size);
    const pos = this.ix.at(w);
    const first = Math.min(n, this.cap - pos);
    const k = regionBytes(this.es, fill(this.views.view(pos, first), this.views.view(0, n - first)), n, 'wrote');
    this.ix.wrote(w, k);
    if (this.waits.armed) this.waits.wake();
    return k / this.es;
  }

  /**
   * Zero-copy reading without the arrays {@link RingBuffer.getReadBuffers}
   * makes: calls `use(first, second)` with views of up to `size` readable
   * elements (all when `size` is undefined or negative), then releases the
   * elements `use` says it read (all offered when it returns nothing).
   * Returns the number released.
   * @throws RangeError `ERR_INVALID_ARG` when `use` returns anything but a
   * whole number from 0 to the elements offered (nothing is released then).
   */
  withReadBuffers(size: number | undefined, use: RegionsCallback): number {
    const r = this.ix.reader();
    const n = windowBytes(this.es, this.ix.readable(r), size);
    const pos = this.ix.at(r);
    const first = Math.min(n, this.cap - pos);
    const k = regionBytes(this.es, use(this.views.view(pos, first), this.views.view(0, n - first)), n, 'read');
    this.ix.read(r, k);
    return k / this.es;
  }

  /**
   * Publishes `size` elements written into write views; returns the new
   * write index (in elements, modulo `2 * size`).
   * @throws RangeError `ERR_INVALID_ARG` when fewer than `size` elements are free.
   */
  advanceWriteIndex(size: number): number {
    const n = count(size, 'size') * this.es;
    const w = this.ix.writer();
    const free = this.ix.free(w);
    if (n > free) {
      throw invalidArg(`cannot advance the write index by ${size}: only ${free / this.es} elements are free`);
    }
    const next = this.ix.wrote(w, n);
    if (this.waits.armed) this.waits.wake();
    return next / this.es;
  }

  /**
   * Releases `size` elements read from read views; returns the new read
   * index (in elements, modulo `2 * size`).
   * @throws RangeError `ERR_INVALID_ARG` when fewer than `size` elements are readable.
   */
  advanceReadIndex(size: number): number {
    const n = count(size, 'size') * this.es;
    const r = this.ix.reader();
    const used = this.ix.readable(r);
    if (n > used) {
      throw invalidArg(`cannot advance the read index by ${size}: only ${used / this.es} elements are readable`);
    }
    const next = this.ix.read(r, n);
    return next / this.es;
  }

  /**
   * @internal Marks that the writer will write no more (or clears the mark):
   * a stream playing with `untilDone` ends its source once the ring is empty.
   */
  setProducerDone(done: boolean): void {
    this.ix.producerDone = checkBoolean(done, 'done');
    if (this.waits.armed) this.waits.wake();
  }

  /** @internal Whether the writer marked that it will write no more. */
  get producerDone(): boolean {
    return this.ix.producerDone;
  }

  /** Empties the ring. Fails while a stream reads or writes it. */
  flush(): void {
    this.ix.flush();
  }

  private whole(bytes: number, what: string): number {
    if ((this.esMask >= 0 ? bytes & this.esMask : bytes % this.es) !== 0) {
      throw invalidArg(`${what} must be a multiple of elementSize (${this.es}) bytes, got ${bytes}`);
    }
    return bytes;
  }

  private regions(index: number, available: number, size: number | undefined): RingRegions {
    const n = windowBytes(this.es, available, size);
    const pos = this.ix.at(index);
    const first = Math.min(n, this.cap - pos);
    return [n / this.es, this.views.view(pos, first), this.views.view(0, n - first)];
  }
}
