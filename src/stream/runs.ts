import { invalidArg } from '../common/errors.js';
import type { StreamStatus, XrunEvent } from './options.js';
import { checkNumber } from '../common/validate.js';

/** The longest delay `setTimeout` keeps (longer ones fire at once): beyond it, wait() waits for the end. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * @internal The bookkeeping of a stream's runs: the current run's Promise,
 * the waiters for its next event, and what its `'xrun'` events reported so
 * far (so that coalesced events still add up).
 */
export class Runs {
  private current: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  private waiters: (() => void)[] = [];
  private xrunsSeen = 0;
  private lostSeen = 0;
  /** Jobs (play, record, playrec, chunks) that own the stream now. */
  private jobs = 0;

  /** Whether a job owns the stream. */
  get busy(): boolean {
    return this.jobs > 0;
  }

  /** Marks a job as owning the stream until the returned function is called (once). */
  claim(): () => void {
    this.jobs++;
    let held = true;
    return () => {
      if (held) this.jobs--;
      held = false;
    };
  }

  /** The current run's Promise (undefined before the first run). */
  get promise(): Promise<void> | undefined {
    return this.current?.promise;
  }

  /** A new run: a fresh Promise, and xrun accounting from zero. */
  begin(): void {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A run nobody awaits must not become an unhandled rejection.
    promise.catch(() => undefined);
    this.current = { promise, resolve, reject };
    this.xrunsSeen = 0;
    this.lostSeen = 0;
  }

  /** Settles the current run (rejects it with `error`, if given). */
  end(error: Error | null): void {
    const run = this.current;
    if (!run) return;
    if (error) run.reject(error);
    else run.resolve();
  }

  /**
   * Resolves `true` when the current run has finished (at once when there is
   * none), `false` after `timeoutMs` milliseconds; rejects with the error
   * that ended the run. Infinity, or no timeout, waits for the end.
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    const t = timeoutMs === undefined ? Infinity : checkNumber(timeoutMs, 'timeoutMs');
    if (!(t >= 0)) throw invalidArg(`timeoutMs must be milliseconds >= 0 (or left out to wait for the end), got ${t}`);
    const run = this.promise;
    if (!run) return true;
    if (t > MAX_TIMEOUT_MS) {
      await run;
      return true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((res) => (timer = setTimeout(() => res(false), t)));
    try {
      return await Promise.race([run.then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves at the next {@link Runs.wake}. */
  next(): Promise<void> {
    return new Promise((res) => this.waiters.push(res));
  }

  /** Wakes everything waiting for the next event. */
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The xrun event for the counters now, or undefined when nothing is new. */
  xrunEvent(total: number, lost: number, time: number, status: StreamStatus): XrunEvent | undefined {
    if (total <= this.xrunsSeen) return undefined;
    const event: XrunEvent = { xruns: total - this.xrunsSeen, total, framesLost: lost - this.lostSeen, time, status };
    this.xrunsSeen = total;
    this.lostSeen = lost;
    return event;
  }
}
