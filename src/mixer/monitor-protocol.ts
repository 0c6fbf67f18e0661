import type { RingHandle } from '../ring/shared.js';

/**
 * @internal What a {@link WorkerMonitor} hands its Worker (in
 * `workerData.ringstreamMonitor`): the ring the tap fills, the window's
 * shape, and `shared`, a Float64Array's memory the main thread keeps
 * current: [frames dropped in all, stream time].
 */
export interface MonitorWorkerData {
  handle: RingHandle;
  channels: number;
  frames: number;
  samplerate: number;
  interval: number;
  shared: SharedArrayBuffer;
}

/** @internal Main thread to Worker: end now (`tail`: one last call first). */
export interface MonitorStop {
  ringstreamMonitor: 'stop';
  tail: boolean;
}

/** @internal Worker to main thread: setup done, ended (tearDown done), or the error that ended it. */
export interface MonitorReport {
  ringstreamMonitor: 'ready' | 'done' | 'error';
  error?: unknown;
}

/** @internal Slots of {@link MonitorWorkerData.shared}. */
export const SHARED_DROPPED = 0;
/** @internal */
export const SHARED_TIME = 1;
/** @internal */
export const SHARED_SLOTS = 2;

/** @internal Whether a message is one of the monitor's own (the rest are the user's). */
export function isMonitorMessage(msg: unknown): msg is MonitorReport | MonitorStop {
  return typeof msg === 'object' && msg !== null && 'ringstreamMonitor' in msg;
}
