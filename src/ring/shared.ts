/**
 * @internal What a ring needs to be shared across threads: its handle, the
 * bell that wakes a JS side waiting for data, whichever thread wrote it, and
 * why a caller's buffer cannot be a ring's storage.
 */

import { describe } from '../common/bytes.js';
import { invalidType } from '../common/errors.js';

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
  /**
   * The ring's bell: how a write on one thread wakes a side waiting for
   * data on another (shared, not copied, by `postMessage`).
   */
  bell?: SharedArrayBuffer;
}

/** `handle` if it looks like a {@link RingHandle} (`ERR_INVALID_ARG` TypeError otherwise). */
export function checkHandle(handle: RingHandle): RingHandle {
  const h = handle as Partial<RingHandle> | null;
  if (h === null || typeof h !== 'object' || h.ringstream !== 'RingBuffer' || typeof h.id !== 'number') {
    throw invalidType(`fromHandle() takes the value of a RingBuffer's handle, got ${describe(handle)}`);
  }
  if (h.bell !== undefined && !(h.bell instanceof SharedArrayBuffer && h.bell.byteLength >= BELL_BYTES)) {
    throw invalidType(`a RingBuffer handle's bell must be the SharedArrayBuffer the handle came with, got ${describe(h.bell)}`);
  }
  return handle;
}

/**
 * The error for pastream's (and PortAudio's) third constructor argument, a
 * buffer to hold the ring's data: refused, because the ring's memory is
 * native, so that a stream's audio thread can read and write it, and a
 * JS-owned buffer could be collected (or its last holder's thread end)
 * under that thread.
 */
export function noStorage(buffer: unknown): TypeError {
  return invalidType(
    `new RingBuffer(elementSize, size) takes no storage buffer, got ${describe(buffer)}: a ring's storage is native ` +
      'memory that streams use on the audio thread. Share a ring with workers through ring.handle and RingBuffer.fromHandle, ' +
      'and reach its memory in place with getWriteBuffers / getReadBuffers',
  );
}

/** The bell's words: a count each wake-up bumps, and how many sides wait. */
const SEQ = 0;
const WAITERS = 1;
const BELL_BYTES = 8;

/** `Atomics.waitAsync` (ES2024: Node 16+, Bun), typed here for the package's ES2022 lib. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

interface Waiter {
  want: number;
  resolve: () => void;
}

/**
 * Resolves the waits of one JS side of a ring for `ready(want)` (data, or
 * the producer's done mark), with no polling: a write on this thread wakes
 * them directly; once the ring is shared, every side's writes ring the
 * bell, a SharedArrayBuffer that waiters sleep on with `Atomics.waitAsync`.
 */
export class ReadableWaits {
  /**
   * Whether a write must call {@link ReadableWaits.wake}: someone waits on
   * this thread, or the ring is shared (someone may wait on another). The
   * one field the copy API's hot path reads.
   */
  armed = false;
  private bell: Int32Array | undefined;
  private local: Waiter[] | undefined;

  constructor(private readonly ready: (want: number) => boolean) {}

  /**
   * Joins the ring's bell (`bell`, from a handle) or makes one; from then
   * on writes on any thread sharing it wake the waits here. Returns it.
   */
  share(bell?: SharedArrayBuffer): SharedArrayBuffer {
    if (this.bell === undefined) {
      this.bell = new Int32Array(bell ?? new SharedArrayBuffer(BELL_BYTES), 0, 2);
      this.armed = true;
      // Waits that began before: another thread may write now.
      const moved = this.local;
      this.local = undefined;
      for (const w of moved ?? []) void this.waitShared(w.want).then(w.resolve);
    }
    return this.bell.buffer as SharedArrayBuffer;
  }

  /** Resolves once `ready(want)`. */
  when(want: number): Promise<void> {
    if (this.ready(want)) return Promise.resolve();
    if (this.bell !== undefined) return this.waitShared(want);
    this.armed = true;
    return new Promise((resolve) => (this.local ??= []).push({ want, resolve }));
  }

  /** Called after a write or a done mark was published. */
  wake(): void {
    const local = this.local;
    if (local !== undefined) {
      const waiting = local.filter((w) => !this.ready(w.want));
      for (const w of local) if (this.ready(w.want)) w.resolve();
      this.local = waiting.length ? waiting : undefined;
      this.armed = this.local !== undefined || this.bell !== undefined;
    }
    const bell = this.bell;
    // Sequentially consistent: either the waiter's count is seen here, or
    // the waiter's look at the ring (after it counted itself) sees the write.
    if (bell !== undefined && Atomics.load(bell, WAITERS) !== 0) {
      Atomics.add(bell, SEQ, 1);
      Atomics.notify(bell, SEQ);
    }
  }

  private async waitShared(want: number): Promise<void> {
    const bell = this.bell!;
    Atomics.add(bell, WAITERS, 1);
    try {
      for (;;) {
        // The count first: a wake-up after this look changes it, so the
        // wait below returns at once instead of missing it.
        const seq = Atomics.load(bell, SEQ);
        if (this.ready(want)) return;
        const r = waitAsync(bell, SEQ, seq);
        if (r.async) await r.value;
      }
    } finally {
      Atomics.sub(bell, WAITERS, 1);
    }
  }
}
