import { parentPort, workerData } from 'node:worker_threads';
import { invalidArg, invalidType } from '../common/errors.js';
import { RingBuffer } from '../ring/ring.js';
import type { MonitorHook } from './monitor.js';
import { isMonitorMessage, type MonitorReport, type MonitorWorkerData, SHARED_DROPPED, SHARED_TIME } from './monitor-protocol.js';
import { type MonitorFrames, MonitorWindow } from './monitor-window.js';

/** The hooks of {@link serveMonitor}: OsSom's `setup` / `tear_down`, run in the Worker. */
export interface ServeMonitorHooks {
  /** Runs before the first call. */
  setup?: MonitorHook;
  /** Runs after the last call. */
  tearDown?: MonitorHook;
}

/**
 * The Worker's side of a {@link WorkerMonitor}: call it once in the
 * Worker's script. Opens the ring the stream's tap fills, runs `setup`,
 * calls `fn` every `interval` with the newest frames (as {@link Monitor}
 * does on the main thread), and on the monitor's end makes any last call,
 * runs `tearDown` and lets the Worker end. An error that `fn` or a hook
 * throws ends the monitor: its `wait()` rejects with it.
 * @throws TypeError `ERR_INVALID_ARG` outside a Worker that a WorkerMonitor started, or when `fn` or a hook is not a function
 * @example
 * ```ts
 * import { serveMonitor } from 'ringstream';
 * import { parentPort, isMainThread } from 'node:worker_threads';
 *
 * // The Worker's script (here guarded, so that it does nothing on the main thread).
 * if (!isMainThread) serveMonitor(({ frames, dropped }) => parentPort?.postMessage({ peak: Math.max(...frames), dropped }));
 * ```
 */
export function serveMonitor(fn: (m: MonitorFrames) => void, hooks: ServeMonitorHooks = {}): void {
  const port = parentPort;
  const d = (workerData as { ringstreamMonitor?: MonitorWorkerData } | null)?.ringstreamMonitor;
  if (port === null || d === undefined)
    throw invalidType("serveMonitor must be called in the Worker that a WorkerMonitor started (the Worker's script), not here");
  if (typeof fn !== 'function') throw invalidType('serveMonitor needs a function to call');
  for (const k of Object.keys(hooks))
    if (k !== 'setup' && k !== 'tearDown') throw invalidArg(`unknown hook '${k}' (known: setup, tearDown)`);
  for (const h of [hooks.setup, hooks.tearDown])
    if (h !== undefined && typeof h !== 'function') throw invalidType('setup and tearDown must be functions');
  const ring = RingBuffer.fromHandle(d.handle);
  const window = new MonitorWindow(ring, d.channels, d.frames);
  const shared = new Float64Array(d.shared);
  let seen = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const call = () => {
    const all = shared[SHARED_DROPPED];
    const frames = window.take();
    fn({ frames, channels: d.channels, samplerate: d.samplerate, time: shared[SHARED_TIME], dropped: all - seen });
    seen = all;
  };
  const send = (r: MonitorReport) => port.postMessage(r);
  const fail = async (error: unknown) => {
    clearInterval(timer);
    try {
      await hooks.tearDown?.();
    } catch {
      // The first error is the one that ended the monitor.
    }
    send({ ringstreamMonitor: 'error', error });
    port.close();
  };
  port.on('message', async (m: unknown) => {
    if (!isMonitorMessage(m) || m.ringstreamMonitor !== 'stop') return;
    clearInterval(timer);
    try {
      if (m.tail) call();
      await hooks.tearDown?.();
      send({ ringstreamMonitor: 'done' });
      port.close();
    } catch (e) {
      send({ ringstreamMonitor: 'error', error: e });
      port.close();
    }
  });
  void (async () => {
    try {
      await hooks.setup?.();
    } catch (e) {
      return fail(e);
    }
    send({ ringstreamMonitor: 'ready' });
    timer = setInterval(() => {
      try {
        call();
      } catch (e) {
        void fail(e);
      }
    }, d.interval * 1000);
  })();
}
