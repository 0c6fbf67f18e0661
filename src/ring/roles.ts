import { invalidArg } from '../common/errors.js';

function busy(role: 'read' | 'written'): RangeError {
  return invalidArg(`the ring cannot be ${role} here: it is being ${role} elsewhere (is it attached to a stream?)`);
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
   * end or a stream it lends the ring to (a native call on this thread)
   * takes it back, so a plain read that sees it is never stale.
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
   * Marks this side as one of a ring shared across threads, holding roles
   * as `token` (from its native ring, whose finalizer gives them back: when
   * this side is collected, or its thread ends or is terminated).
   */
  share(token: number): void {
    if (this.token === 0) this.token = token;
  }
}
