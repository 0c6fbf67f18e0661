import { invalidArg } from '../common/errors.js';
import * as protocol from '../native/protocol.js';

const { RING_NATIVE_HOLDER, RING_READ_HELD: READ_HELD, RING_WRITE_HELD: WRITE_HELD } = protocol;

/** Gives back the roles a collected RingBuffer held on a shared ring. */
const releaseRoles = new FinalizationRegistry<{ ctl: Uint32Array; token: number }>(({ ctl, token }) => {
  Atomics.compareExchange(ctl, WRITE_HELD, token, 0);
  Atomics.compareExchange(ctl, READ_HELD, token, 0);
});

function busy(role: 'read' | 'written'): RangeError {
  return invalidArg(
    `the ring cannot be ${role} here: it is being ${role} elsewhere (is it attached to a stream?)`,
  );
}

/**
 * @internal The reader and writer roles of one ring, as seen from one JS
 * side: each role belongs to one party at a time (this side, a stream, or
 * the JS side of another thread), recorded in the ring's role words.
 */
export class Roles {
  /**
   * Nonzero once shared across threads: the value this side writes into the
   * role words it holds. A role word equal to it is a role this side may use
   * (0: free, unshared): the one-comparison check callers make before
   * {@link Roles.claim}. Only this side writes its token, and only its own
   * collection takes it back, so a plain read that sees it is never stale.
   */
  token = 0;

  constructor(private readonly ctl: Uint32Array) {}

  /**
   * Checks that no one else holds the role (`flag`: its control word). A
   * load is enough: roles are only ever claimed on this (the JS) thread, by
   * the native calls that attach a ring to a stream, so no claim can start
   * while this synchronous call runs.
   * @throws RangeError `ERR_INVALID_ARG` when another party holds it.
   */
  claim(flag: number, role: 'read' | 'written'): void {
    // Unshared, only this thread changes the role words (natively, inside
    // calls made from here), so a plain load sees the last change.
    const holder = this.token === 0 ? this.ctl[flag] : Atomics.load(this.ctl, flag);
    if (holder === 0) {
      // A ring shared with other threads: the first JS side to use a role
      // keeps it (until its RingBuffer is collected), so that two threads
      // never write (or read) at once.
      if (this.token !== 0 && Atomics.compareExchange(this.ctl, flag, 0, this.token) !== 0) throw busy(role);
      return;
    }
    if (holder !== this.token) throw busy(role);
  }

  /**
   * Marks this side as one of a ring shared across threads; the roles it
   * takes are given back once `owner` (its RingBuffer) is collected.
   */
  share(owner: object): void {
    if (this.token !== 0) return;
    // A JS holder writes its own token into the role words, above the native holder's value.
    this.token = RING_NATIVE_HOLDER + 1 + Math.floor(Math.random() * 0x7ffffff0);
    releaseRoles.register(owner, { ctl: this.ctl, token: this.token });
  }
}
