/**
 * Waiting for a closed stream's device to be released. The release runs on
 * a native thread (a device's own close can block, e.g. on a frozen JACK
 * server), so the JS thread never waits on it: it looks on timers.
 */

/** What the wait reads: the native stream's `released` (true once the device let go, or once waiting is no use). */
interface Releasing {
  readonly released: boolean;
}

/** Resolves once `native` reports its release settled (looking every 1 ms, backing off to 16 ms). */
export async function untilReleased(native: Releasing): Promise<void> {
  let ms = 1;
  while (!native.released) {
    await new Promise((r) => setTimeout(r, ms));
    ms = Math.min(2 * ms, 16);
  }
}
