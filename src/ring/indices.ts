import * as protocol from '../native/protocol.js';
import type { Roles } from './roles.js';

// Bound once at load: read through the imported module object on every
// operation, the word indices cost the copy API half its speed.
const {
  RING_PRODUCER_DONE: PRODUCER_DONE,
  RING_READ_HELD: READ_HELD,
  RING_READ_INDEX: READ_INDEX,
  RING_WRITE_HELD: WRITE_HELD,
  RING_WRITE_INDEX: WRITE_INDEX,
} = protocol;

/**
 * @internal A ring's read and write indices as one JS side uses them: byte
 * positions modulo `2 * cap` in the shared control words, each moved only
 * by the side that holds its role. A side reads its own index with a plain
 * load (no one else writes it while it holds the role) and the other side's
 * with `Atomics.load`, which orders the data read after it.
 */
export class RingIndices {
  /**
   * @param ctl the ring's control words
   * @param cap the ring's capacity in bytes
   * @param roles who holds the reader and writer roles
   */
  constructor(
    private readonly ctl: Uint32Array,
    private readonly cap: number,
    private readonly roles: Roles,
  ) {}

  /** The write index, once this side holds the writer's role. */
  writer(): number {
    if (this.ctl[WRITE_HELD] !== this.roles.token) this.roles.claim(WRITE_HELD, 'written');
    return this.ctl[WRITE_INDEX];
  }

  /** The read index, once this side holds the reader's role. */
  reader(): number {
    if (this.ctl[READ_HELD] !== this.roles.token) this.roles.claim(READ_HELD, 'read');
    return this.ctl[READ_INDEX];
  }

  /** Bytes free to write at write index `w`. */
  free(w: number): number {
    return this.cap - this.occupied(w);
  }

  /** Bytes readable at read index `r`. */
  readable(r: number): number {
    return this.occupied(Atomics.load(this.ctl, WRITE_INDEX), r);
  }

  /** Bytes readable now, seen from either side. */
  get used(): number {
    return this.occupied(Atomics.load(this.ctl, WRITE_INDEX));
  }

  /** Where index `i` points in the data, in bytes. */
  at(i: number): number {
    return i < this.cap ? i : i - this.cap;
  }

  /** Publishes `n` bytes written from write index `w`; returns the new write index. */
  wrote(w: number, n: number): number {
    return this.publish(WRITE_INDEX, this.next(w, n));
  }

  /** Releases `n` bytes read from read index `r`; returns the new read index. */
  read(r: number, n: number): number {
    return this.publish(READ_INDEX, this.next(r, n));
  }

  /** Empties the ring (both roles are this side's). */
  flush(): void {
    this.writer();
    this.reader();
    Atomics.store(this.ctl, READ_INDEX, Atomics.load(this.ctl, WRITE_INDEX));
  }

  /** Whether the writer marked that it will write no more. */
  get producerDone(): boolean {
    return Atomics.load(this.ctl, PRODUCER_DONE) !== 0;
  }

  set producerDone(done: boolean) {
    Atomics.store(this.ctl, PRODUCER_DONE, done ? 1 : 0);
  }

  private occupied(w: number, r: number = Atomics.load(this.ctl, READ_INDEX)): number {
    const d = w - r;
    return d < 0 ? d + 2 * this.cap : d;
  }

  /**
   * Stores a moved index (`word`: its control word) for the other side to
   * see. Always `Atomics.store`: it orders the data moved before the index
   * under the JS memory model, on every engine (V8, JavaScriptCore) and CPU;
   * a plain store would be a data race whose ordering no engine promises.
   */
  private publish(word: number, value: number): number {
    Atomics.store(this.ctl, word, value);
    return value;
  }

  /**
   * Index `i` (in bytes, below `2 * cap`) moved on by `n` bytes, modulo
   * `2 * cap`: a compare instead of a division (the indices of a 2 GiB ring
   * exceed the integers V8 divides fast).
   */
  private next(i: number, n: number): number {
    const j = i + n;
    return j < 2 * this.cap ? j : j - 2 * this.cap;
  }
}
