import { Worker } from 'node:worker_threads';
import { describe } from '../common/bytes.js';
import { invalidType } from '../common/errors.js';
import type { RingBuffer } from '../ring/ring.js';
import type { Stream } from '../stream/stream.js';
import { isMonitorMessage, type MonitorReport, type MonitorStop, SHARED_DROPPED, SHARED_SLOTS, SHARED_TIME } from './monitor-protocol.js';
import { MonitorRun, type MonitorRunOptions } from './monitor-run.js';

/** Options of {@link WorkerMonitor}. */
export interface WorkerMonitorOptions extends MonitorRunOptions {
  /** Anything structured-cloneable, for the Worker's own use: `workerData.data` there. */
  workerData?: unknown;
}

/**
 * OsSom's Monitor in another process, the JavaScript way: a
 * `worker_threads` Worker (`worker`, a file path or URL) whose script calls
 * {@link serveMonitor}. The audio callback copies the stream's output (or
 * input) into a ring that the Worker opens by its handle, so the monitor's
 * function, however slow, never runs on the main thread: a stalled Worker
 * drops frames of its own (counted, `dropped`), never the stream's, and
 * the main thread never waits for it.
 *
 * The lifecycle is {@link Monitor}'s: `start()` (autostart by default), a
 * Worker per run (its `setup` runs there), `stop()`, `wait()` (resolves
 * once the Worker's `tearDown` ran and the Worker ended; rejects with the
 * error that ended it). The main thread's part is a timer every `interval`
 * that tells the Worker the stream's time and the frames dropped, so those
 * two figures lag by up to one interval.
 * @example
 * ```ts
 * import { OutputStream, serveMonitor, WorkerMonitor } from 'ringstream';
 * import { isMainThread, parentPort } from 'node:worker_threads';
 *
 * if (isMainThread) {
 *   const stream = new OutputStream({ device: 'virtual:null', channels: 1 });
 *   const mon = new WorkerMonitor(stream, new URL(import.meta.url), { interval: 0.05, untilFinished: true });
 *   let peak = 0;
 *   await stream.play(new Float32Array(12000).fill(0.5));
 *   mon.worker?.on('message', (m) => (peak = Math.max(peak, m.peak ?? 0)));
 *   await mon.wait();                               // the Worker's tearDown ran, the Worker ended
 *   await stream.close();
 * } else {
 *   // The Worker's side (this same file): any slowness here stays here.
 *   serveMonitor(({ frames }) => parentPort?.postMessage({ peak: Math.max(...frames) }));
 * }
 * ```
 */
export class WorkerMonitor extends MonitorRun {
  private readonly file: string | URL;
  private readonly data: unknown;
  private current: WorkerRun | undefined;

  constructor(stream: Stream, worker: string | URL, opts: WorkerMonitorOptions = {}) {
    super(stream, opts, ['workerData']);
    if (typeof worker !== 'string' && !(worker instanceof URL)) {
      throw invalidType(`WorkerMonitor needs the Worker's script, a path or a URL, got ${describe(worker)}`);
    }
    this.file = worker;
    this.data = opts.workerData;
    if (opts.autostart !== false) this.start();
  }

  /**
   * The current run's Worker (undefined before start() and after the
   * end): listen to it for messages of your own (the monitor's own carry
   * a `ringstreamMonitor` key).
   */
  get worker(): Worker | undefined {
    return this.current?.worker;
  }

  /** @internal */
  protected async begin(ring: RingBuffer): Promise<void> {
    const shared = new SharedArrayBuffer(SHARED_SLOTS * 8);
    const ringstreamMonitor = {
      handle: ring.handle,
      channels: this.channels,
      frames: this.frames,
      samplerate: this.stream.samplerate,
      interval: this.interval,
      shared,
    };
    const w = new Worker(this.file, { workerData: { ringstreamMonitor, data: this.data } });
    // Its events reach this run alone: a Worker of an ended run may still exit while the next one sets up.
    const run = new WorkerRun(w, new Float64Array(shared));
    this.current = run;
    w.unref(); // a monitor alone does not keep the process alive
    w.on('message', (m: unknown) => {
      if (isMonitorMessage(m) && m.ringstreamMonitor !== 'stop') run.report(m);
    });
    w.on('error', (e) => run.report(e));
    w.on('exit', (code) => run.report({ ringstreamMonitor: 'error', error: new Error(`the monitor's Worker exited (code ${code})`) }));
    const r = await run.next();
    if (!this.isCurrent(ring)) return; // ended during setup (finish() ends the Worker)
    if (r.ringstreamMonitor !== 'ready') throw r.error;
    run.served = true;
    // An error or exit from here on ends the run.
    run.reports.push((late) => void (this.current === run && this.end(late instanceof Error ? late : late.error)));
    run.timer = setInterval(() => this.tell(run), this.interval * 1000);
    run.timer.unref?.();
  }

  /** @internal */
  protected async finish(tail: boolean): Promise<void> {
    const run = this.current;
    if (run === undefined) return;
    clearInterval(run.timer);
    // A begin() still awaiting setup learns that its run ended; the run's error handler is done.
    run.settle();
    try {
      // A Worker still in setup, or one that never served, is ended without asking.
      if (!run.served) return;
      this.tell(run);
      const done = run.next();
      run.worker.postMessage({ ringstreamMonitor: 'stop', tail } satisfies MonitorStop);
      const r = await done;
      if (r.ringstreamMonitor === 'error') throw r.error;
    } finally {
      if (this.current === run) this.current = undefined;
      run.settle();
      await run.worker.terminate();
    }
  }

  /** @internal Ends the Worker whose tearDown outlived `tearDownTimeout`. */
  protected override abandon(): void {
    const run = this.current;
    if (run === undefined) return;
    this.current = undefined;
    void run.worker.terminate();
  }

  /** Keeps the Worker's view of the stream current: frames dropped, time. */
  private tell(run: WorkerRun): void {
    if (this.stream.closed) return void this.end();
    run.shared[SHARED_DROPPED] += this.dropped();
    run.shared[SHARED_TIME] = this.stream.time;
  }
}

/** One Worker of a WorkerMonitor, from its start to its end, and the replies it owes. */
class WorkerRun {
  /** Whether the Worker's serveMonitor has set up (and so answers a stop). */
  served = false;
  timer: ReturnType<typeof setInterval> | undefined;
  reports: ((r: MonitorReport | Error) => void)[] = [];

  constructor(
    readonly worker: Worker,
    readonly shared: Float64Array,
  ) {}

  /** The Worker's next report (an error it raised, or its exit, as an error report). */
  next(): Promise<MonitorReport> {
    return new Promise((resolve) => this.reports.push((r) => resolve(r instanceof Error ? { ringstreamMonitor: 'error', error: r } : r)));
  }

  report(r: MonitorReport | Error): void {
    const take = this.reports.shift();
    take?.(r);
  }

  /** Answers whatever still waits for a report: the run is over. */
  settle(): void {
    for (const take of this.reports.splice(0)) take({ ringstreamMonitor: 'done' });
  }
}
