import { NativeRing } from '../index.js';
import { asBytes, describe, type BinaryData } from './bytes.js';
import { invalidArg, invalidType } from './errors.js';
import * as protocol from './protocol.js';
import { checkBoolean, checkInteger, checkNumber } from './validate.js';

// Bound once at load: read through the imported module object on every
// operation, the word indices cost the copy API half its speed.
const {
  RING_CONTROL_WORDS,
  RING_DATA_OFFSET,
  RING_MAX_BYTES,
  RING_NATIVE_HOLDER,
  RING_PRODUCER_DONE: PRODUCER_DONE,
  RING_READ_HELD: READ_HELD,
  RING_READ_INDEX: READ_INDEX,
  RING_WRITE_HELD: WRITE_HELD,
  RING_WRITE_INDEX: WRITE_INDEX,
} = protocol;

/** Gives back the roles a collected RingBuffer held on a shared ring. */
const releaseRoles = new FinalizationRegistry<{ ctl: Uint32Array; token: number }>(({ ctl, token }) => {
  Atomics.compareExchange(ctl, WRITE_HELD, token, 0);
  Atomics.compareExchange(ctl, READ_HELD, token, 0);
});

const EMPTY = new Uint8Array(0);
const VIEW_CACHE = 64;

/** What {@link RingBuffer.handle} gives: plain data that crosses to worker threads. */
export interface RingHandle {
  /** Marks the value as a ringstream handle. */
  ringstream: 'RingBuffer';
  /** The ring's number in this process. */
  id: number;
  /** Bytes per element. */
  elementSize: number;
  /** Capacity in elements. */
  size: number;
}

/**
 * `[count, first, second]`: up to `count` elements of the ring as one or two
 * zero-copy views into the ring's memory. `second` is empty unless the window
 * wraps around the end of the storage.
 */
export type RingRegions = [count: number, first: Uint8Array, second: Uint8Array];

function busy(role: 'read' | 'written'): RangeError {
  return invalidArg(
    `the ring cannot be ${role} here: it is being ${role} elsewhere (is it attached to a stream?)`,
  );
}

/** A count of elements: a non-negative integer. */
function count(value: number, what: string): number {
  return checkInteger(value, what, 0);
}

/** A maximum count where a negative integer means "all" (PortAudio's convention). */
function limit(value: number | undefined, what: string): number {
  if (value === undefined) return Infinity;
  const n = checkNumber(value, what);
  if (!Number.isInteger(n)) {
    throw invalidArg(`${what} must be an integer (a negative one meaning all), got ${describe(n)}`);
  }
  return n < 0 ? Infinity : n;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && Number.isInteger(Math.log2(n));
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
 */
export class RingBuffer {
  /** @internal The native ring, lent to streams. */
  readonly native: NativeRing;
  private readonly ctl: Uint32Array;
  private readonly data: Uint8Array;
  private readonly es: number;
  private readonly cap: number;
  private readonly views: (Uint8Array | undefined)[] = new Array(VIEW_CACHE);
  private readableWaiters: { want: number; resolve: () => void }[] | undefined;
  /** Nonzero once shared across threads: the value this side writes into the role words it holds. */
  private token = 0;

  /**
   * @param elementSize bytes per element (> 0)
   * @param size capacity in elements, a power of two (> 0)
   * @throws TypeError `ERR_INVALID_ARG` for arguments that are not numbers;
   * RangeError `ERR_INVALID_ARG` for any other value, or a ring larger than
   * 2 GiB (`elementSize * size`)
   */
  constructor(elementSize: number, size: number);
  /** @internal The same ring as `native` (a ring opened from a handle). */
  constructor(elementSize: number, size: number, native: NativeRing);
  constructor(elementSize: number, size: number, native?: NativeRing) {
    if (native) {
      this.native = native;
    } else {
      const es = checkInteger(elementSize, 'elementSize', 1, RING_MAX_BYTES);
      const n = checkNumber(size, 'size');
      if (!isPowerOfTwo(n)) throw invalidArg(`size must be a power of 2 (1, 2, 4, 8, ...), got ${n}`);
      if (es * n > RING_MAX_BYTES) {
        throw invalidArg(`elementSize * size must be at most ${RING_MAX_BYTES} bytes, got ${es} * ${n}`);
      }
      this.native = new NativeRing(es, n);
    }
    const block = this.native.block();
    this.es = this.native.elementSize;
    this.cap = this.es * this.native.size;
    this.ctl = new Uint32Array(block, 0, RING_CONTROL_WORDS);
    this.data = new Uint8Array(block, RING_DATA_OFFSET, this.cap);
  }

  /**
   * A ring of `frames` interleaved float32 frames of `channels` channels
   * (elementSize `4 * channels`), `frames` rounded up to a power of two.
   */
  static forFrames(channels: number, frames: number): RingBuffer {
    const ch = checkInteger(channels, 'channels', 1, RING_MAX_BYTES / 4);
    const size = 2 ** Math.ceil(Math.log2(checkInteger(frames, 'frames', 1, RING_MAX_BYTES)));
    if (4 * ch * size > RING_MAX_BYTES) {
      throw invalidArg(`${channels} channels of ${frames} float32 frames (${size} rounded up) exceed the ${RING_MAX_BYTES} bytes a ring can hold`);
    }
    return new RingBuffer(4 * ch, size);
  }

  /**
   * A small value that `postMessage` / `workerData` can carry to a
   * `worker_threads` Worker of this process, where
   * {@link RingBuffer.fromHandle} maps the same ring (the same memory, no
   * copy). Keep this RingBuffer until the other side has opened it: a ring
   * lives while some thread holds it. The reader and writer roles stay
   * exclusive across threads.
   */
  get handle(): RingHandle {
    this.share();
    return { ringstream: 'RingBuffer', id: this.native.publish(), elementSize: this.es, size: this.cap / this.es };
  }

  /**
   * The ring a {@link RingBuffer.handle} names, in this thread (typically a
   * Worker). Throws `ERR_INVALID_ARG` for anything else, or when the ring
   * was released before it was opened.
   */
  static fromHandle(handle: RingHandle): RingBuffer {
    const h = handle as Partial<RingHandle> | null;
    if (h === null || typeof h !== 'object' || h.ringstream !== 'RingBuffer' || typeof h.id !== 'number') {
      throw invalidType(`fromHandle() takes the value of a RingBuffer's handle, got ${describe(handle)}`);
    }
    const native = NativeRing.openPublished(h.id);
    const rb = new RingBuffer(native.elementSize, native.size, native);
    rb.share();
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
    return this.occupied(Atomics.load(this.ctl, WRITE_INDEX)) / this.es;
  }

  /** Elements that can be written now. */
  get writeAvailable(): number {
    return (this.cap - this.occupied(Atomics.load(this.ctl, WRITE_INDEX))) / this.es;
  }

  /**
   * Copies up to `size` elements of `data` (all of it by default) into the
   * ring. Returns the number of elements written: fewer when the ring is full.
   * @throws RangeError `ERR_INVALID_ARG` if the byte length of `data` is not a
   * multiple of `elementSize` or `size` exceeds the elements in `data`.
   */
  write(data: BinaryData, size?: number): number {
    const src = asBytes(data);
    let n = this.whole(src.byteLength, 'data byte length');
    if (size !== undefined) {
      const max = count(size, 'size') * this.es;
      if (max > n) throw invalidArg(`size (${size}) exceeds the ${n / this.es} elements in data`);
      n = max;
    }
    this.claim(WRITE_HELD, 'written');
    const w = Atomics.load(this.ctl, WRITE_INDEX);
    n = Math.min(n, this.cap - this.occupied(w));
    const pos = w % this.cap;
    const first = Math.min(n, this.cap - pos);
    if (first === src.byteLength) {
      this.data.set(src, pos);
    } else if (first > 0) {
      this.data.set(src.subarray(0, first), pos);
      if (n > first) this.data.set(src.subarray(first, n), 0);
    }
    Atomics.store(this.ctl, WRITE_INDEX, (w + n) % (2 * this.cap));
    if (this.readableWaiters !== undefined) this.wakeReadable();
    return n / this.es;
  }

  /**
   * @internal Resolves once the ring holds at least `n` elements (or is
   * full), as writes on this thread make it so: a stream's prebuffer waits
   * on it, with no polling.
   */
  whenReadable(n: number): Promise<void> {
    const want = Math.min(n, this.size);
    if (this.readAvailable >= want) return Promise.resolve();
    return new Promise((resolve) => (this.readableWaiters ??= []).push({ want, resolve }));
  }

  private wakeReadable(): void {
    const avail = this.readAvailable;
    const waiting = this.readableWaiters!.filter((w) => avail < w.want);
    for (const w of this.readableWaiters!) if (avail >= w.want) w.resolve();
    this.readableWaiters = waiting.length ? waiting : undefined;
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
    let n = this.whole(dst.byteLength, 'buffer byte length');
    this.claim(READ_HELD, 'read');
    const r = Atomics.load(this.ctl, READ_INDEX);
    n = Math.min(n, this.occupied(Atomics.load(this.ctl, WRITE_INDEX), r));
    const pos = r % this.cap;
    const first = Math.min(n, this.cap - pos);
    if (first > 0) dst.set(this.data.subarray(pos, pos + first));
    if (n > first) dst.set(this.data.subarray(0, n - first), first);
    Atomics.store(this.ctl, READ_INDEX, (r + n) % (2 * this.cap));
    return n / this.es;
  }

  /**
   * Zero-copy views of the free space for up to `size` elements (all of it
   * by default). Fill them, then call {@link RingBuffer.advanceWriteIndex}.
   */
  getWriteBuffers(size?: number): RingRegions {
    this.claim(WRITE_HELD, 'written');
    const w = Atomics.load(this.ctl, WRITE_INDEX);
    return this.regions(w, this.cap - this.occupied(w), size);
  }

  /**
   * Zero-copy views of up to `size` readable elements (all by default). Use
   * them, then call {@link RingBuffer.advanceReadIndex}.
   */
  getReadBuffers(size?: number): RingRegions {
    this.claim(READ_HELD, 'read');
    const r = Atomics.load(this.ctl, READ_INDEX);
    return this.regions(r, this.occupied(Atomics.load(this.ctl, WRITE_INDEX), r), size);
  }

  /**
   * Publishes `size` elements written into write views; returns the new
   * write index (in elements, modulo `2 * size`).
   * @throws RangeError `ERR_INVALID_ARG` when fewer than `size` elements are free.
   */
  advanceWriteIndex(size: number): number {
    const n = count(size, 'size') * this.es;
    this.claim(WRITE_HELD, 'written');
    const w = Atomics.load(this.ctl, WRITE_INDEX);
    const free = this.cap - this.occupied(w);
    if (n > free) {
      throw invalidArg(`cannot advance the write index by ${size}: only ${free / this.es} elements are free`);
    }
    const next = (w + n) % (2 * this.cap);
    Atomics.store(this.ctl, WRITE_INDEX, next);
    if (this.readableWaiters !== undefined) this.wakeReadable();
    return next / this.es;
  }

  /**
   * Releases `size` elements read from read views; returns the new read
   * index (in elements, modulo `2 * size`).
   * @throws RangeError `ERR_INVALID_ARG` when fewer than `size` elements are readable.
   */
  advanceReadIndex(size: number): number {
    const n = count(size, 'size') * this.es;
    this.claim(READ_HELD, 'read');
    const r = Atomics.load(this.ctl, READ_INDEX);
    const used = this.occupied(Atomics.load(this.ctl, WRITE_INDEX), r);
    if (n > used) {
      throw invalidArg(`cannot advance the read index by ${size}: only ${used / this.es} elements are readable`);
    }
    const next = (r + n) % (2 * this.cap);
    Atomics.store(this.ctl, READ_INDEX, next);
    return next / this.es;
  }

  /**
   * @internal Marks that the writer will write no more (or clears the mark):
   * a stream playing with `untilDone` ends its source once the ring is empty.
   */
  setProducerDone(done: boolean): void {
    Atomics.store(this.ctl, PRODUCER_DONE, checkBoolean(done, 'done') ? 1 : 0);
  }

  /** @internal Whether the writer marked that it will write no more. */
  get producerDone(): boolean {
    return Atomics.load(this.ctl, PRODUCER_DONE) !== 0;
  }

  /** Empties the ring. Fails while a stream reads or writes it. */
  flush(): void {
    this.claim(WRITE_HELD, 'written');
    this.claim(READ_HELD, 'read');
    Atomics.store(this.ctl, READ_INDEX, Atomics.load(this.ctl, WRITE_INDEX));
  }

  private occupied(w: number, r: number = Atomics.load(this.ctl, READ_INDEX)): number {
    const d = w - r;
    return d < 0 ? d + 2 * this.cap : d;
  }

  private whole(bytes: number, what: string): number {
    if (bytes % this.es !== 0) {
      throw invalidArg(`${what} must be a multiple of elementSize (${this.es}) bytes, got ${bytes}`);
    }
    return bytes;
  }

  /**
   * Checks that no stream holds the role. A load is enough: roles are only
   * ever claimed on this (the JS) thread, by the native calls that attach a
   * ring to a stream, so no claim can start while this synchronous call runs.
   */
  private claim(flag: number, role: 'read' | 'written'): void {
    const holder = Atomics.load(this.ctl, flag);
    if (holder === 0) {
      // A ring shared with other threads: the first JS side to use a role
      // keeps it (until this RingBuffer is collected), so that two threads
      // never write (or read) at once.
      if (this.token !== 0 && Atomics.compareExchange(this.ctl, flag, 0, this.token) !== 0) throw busy(role);
      return;
    }
    if (holder !== this.token) throw busy(role);
  }

  /** Marks this RingBuffer as one side of a ring shared across threads. */
  private share(): void {
    if (this.token !== 0) return;
    // A JS holder writes its own token into the role words, above the native holder's value.
    this.token = RING_NATIVE_HOLDER + 1 + Math.floor(Math.random() * 0x7ffffff0);
    releaseRoles.register(this, { ctl: this.ctl, token: this.token });
  }

  private regions(index: number, available: number, size: number | undefined): RingRegions {
    const n = Math.min(limit(size, 'size') * this.es, available);
    const pos = index % this.cap;
    const first = Math.min(n, this.cap - pos);
    return [n / this.es, this.view(pos, first), this.view(0, n - first)];
  }

  /**
   * A view of `len` bytes at `pos`. Streaming code asks for the same windows
   * over and over (fixed chunk sizes in a power-of-two ring), so views are
   * kept in a small direct-mapped cache instead of being made anew each time.
   */
  private view(pos: number, len: number): Uint8Array {
    if (len === 0) return EMPTY;
    const slot = (pos / this.es) & (VIEW_CACHE - 1);
    const v = this.views[slot];
    if (v !== undefined && v.byteOffset === this.data.byteOffset + pos && v.length === len) return v;
    return (this.views[slot] = this.data.subarray(pos, pos + len));
  }
}
