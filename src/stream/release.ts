/**
 * Waiting for a closed stream's device to be released. The release runs on
 * a native thread (a device's own close can block, e.g. on a frozen JACK
 * server), so the JS thread never waits on it: the release thread sends the
 * `RELEASED` event when the device lets go, and one timer ends the wait at
 * the native deadline when it does not.
 */

/** What the wait reads: the native stream's release after close(). */
interface Releasing {
  /** True once the device let go, or once waiting is no use. */
  readonly released: boolean;
  /** Milliseconds until waiting is no use (0 once released). */
  readonly releaseWaitMs: number;
}

/**
 * Resolves once `native` let go of its device (`released`, the promise
 * that the `RELEASED` event resolves) or its release deadline passed.
 */
export async function untilReleased(native: Releasing, released: Promise<void>): Promise<void> {
  if (native.released) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.ceil(native.releaseWaitMs));
  });
  try {
    await Promise.race([released, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A stream's closing: `closing` resolves when close() is called (ending
 * waits that only JS could end, such as prebuffering), `released` once the
 * device is released after it.
 */
export class Closer {
  /** Resolves when close() is called. */
  readonly closing: Promise<void>;
  /** Resolves once close() released the device; undefined before close(). */
  released: Promise<void> | undefined;
  private markClosed!: () => void;
  private markReleased!: () => void;
  private readonly releasedEvent = new Promise<void>((res) => (this.markReleased = res));

  constructor() {
    this.closing = new Promise<void>((res) => (this.markClosed = res));
  }

  /** close() was called on `native` (closed already): resolves once its device is released. */
  close(native: Releasing): Promise<void> {
    this.released = untilReleased(native, this.releasedEvent);
    this.markClosed();
    return this.released;
  }

  /** The native stream's `RELEASED` event. */
  onReleased(): void {
    this.markReleased();
  }
}
