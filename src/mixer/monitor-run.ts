import { describe } from '../common/bytes.js';
import { codedError, ErrorCode, invalidArg, invalidType } from '../common/errors.js';
import { checkBoolean, checkNumber, checkOptions } from '../common/validate.js';
import { ringMaxSize, type NativeAction } from '../native/addon.js';
import { RingBuffer } from '../ring/ring.js';
import { Stream } from '../stream/stream.js';

/** Options every monitor takes ({@link Monitor}, {@link WorkerMonitor}). */
export interface MonitorRunOptions {
  /** Seconds between calls, and the span of frames each call gets (default 0.1). */
  interval?: number;
  /** Watch the device's input instead of its output (default: output when the stream has one). */
  input?: boolean;
  /**
   * Start at once (default `true`); `false` makes a stopped monitor that
   * {@link MonitorRun.start} starts, as OsSom's `Monitor.start()`.
   */
  autostart?: boolean;
  /**
   * End the monitor when the stream's current run finishes (its `'finished'`
   * event: a play or record done), after one last call with the tail, as
   * OsSom's Monitor ends with the Recorder or Player it watches. Default
   * `false`: it ends on stop() or when the stream is closed.
   */
  untilFinished?: boolean;
  /**
   * Seconds the end may take (the last call and `tearDown`; a
   * WorkerMonitor's Worker ending) before wait() rejects with `ERR_TIMEOUT`
   * naming tearDown (a WorkerMonitor's Worker is then terminated). Default
   * 10; `Infinity` waits as long as tearDown takes.
   */
  tearDownTimeout?: number;
}

/** One start() to end of a monitor: its ring, the stream's tap feeding it, and its end. */
interface MonitorTapRun {
  ring: RingBuffer;
  tap: NativeAction;
  ending: boolean;
  seen: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const RUN_KEYS = ['interval', 'input', 'autostart', 'untilFinished', 'tearDownTimeout'] as const;

/**
 * The lifecycle both monitors share (OsSom's `start()` /
 * `wait()`): each start() taps the stream into a new ring (copied in the
 * audio callback), begins the reader, and ends on stop(), on the stream's
 * close, or (with `untilFinished`) at the end of its run; wait() resolves
 * when it ended, or rejects with the error that ended it.
 * @example
 * ```ts
 * import { Monitor, MonitorRun, OutputStream } from 'ringstream';
 *
 * const stream = new OutputStream({ device: 'virtual:null', channels: 1 });
 * const mon: MonitorRun = new Monitor(stream, () => {}, { autostart: false });
 * mon.start();
 * console.log(mon.running);                  // true
 * mon.stop();
 * await mon.wait();
 * await stream.close();
 * ```
 */
export abstract class MonitorRun {
  /** Channels per frame. */
  readonly channels: number;
  /** Frames each call gets at most (`interval * samplerate`). */
  readonly frames: number;
  /** Seconds between calls. */
  readonly interval: number;
  private readonly output: boolean;
  private readonly untilFinished: boolean;
  private readonly tearDownTimeout: number;
  private run: MonitorTapRun | undefined;
  private last: Promise<void> = Promise.resolve();
  private readonly onFinished = () => this.finishedRun();

  /** @internal */
  protected constructor(
    /** @internal */
    protected readonly stream: Stream,
    opts: MonitorRunOptions & object,
    more: readonly string[],
  ) {
    if (!(stream instanceof Stream))
      throw invalidType(`Monitor watches a stream (an InputStream, OutputStream, DuplexStream or mixer), got ${describe(stream)}`);
    const o = checkOptions(opts, [...RUN_KEYS, ...more], 'monitor options');
    const interval = o.interval ?? 0.1;
    if (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval)) {
      throw invalidArg(`interval must be seconds > 0, got ${String(interval)}`);
    }
    if (o.input !== undefined) checkBoolean(o.input, 'input');
    if (o.autostart !== undefined) checkBoolean(o.autostart, 'autostart');
    this.untilFinished = o.untilFinished === undefined ? false : checkBoolean(o.untilFinished, 'untilFinished');
    const limit = o.tearDownTimeout === undefined ? 10 : checkNumber(o.tearDownTimeout, 'tearDownTimeout');
    if (!(limit > 0)) throw invalidArg(`tearDownTimeout must be seconds > 0 (Infinity: no limit), got ${limit}`);
    this.tearDownTimeout = limit;
    stream.checkOpen();
    const [inCh, outCh] = stream.native.deviceChannels;
    this.output = o.input === true ? false : outCh > 0;
    this.channels = this.output ? outCh : inCh;
    this.interval = interval;
    this.frames = Math.max(1, Math.round(interval * stream.samplerate));
    // The ring behind it holds four windows of float32.
    const most = ringMaxSize(4 * this.channels) / 4;
    if (this.frames > most) {
      throw invalidArg(
        `interval must be at most ${most / stream.samplerate} seconds at ${stream.samplerate} Hz with ${this.channels} channels, got ${interval}`,
      );
    }
  }

  /** Whether the monitor runs (started, not yet ended). */
  get running(): boolean {
    return this.run !== undefined && !this.run.ending;
  }

  /**
   * Starts the monitor: taps the stream and runs `setup`, then calls the
   * function every `interval`. Does nothing while it runs; after it ended,
   * starts it again (setup, calls, tearDown once more), as OsSom's monitor
   * is started again for the next recording.
   * @throws `ERR_STREAM_CLOSED` once the stream is closed.
   */
  start(): void {
    if (this.run !== undefined) return;
    this.stream.checkOpen();
    const ring = RingBuffer.forFrames(this.channels, 4 * this.frames);
    const tap = this.stream.native.tap(ring.native, this.output);
    const run = { ring, tap, ending: false, seen: 0 } as MonitorTapRun;
    this.last = new Promise<void>((resolve, reject) => Object.assign(run, { resolve, reject }));
    this.run = run;
    if (this.untilFinished) this.stream.once('finished', this.onFinished);
    // On a later tick: a subclass's fields exist by then (autostart runs in the base constructor).
    queueMicrotask(() => {
      // A begin that fails after its run ended (stop() during setup) must not end the next run.
      if (this.isCurrent(ring)) this.begin(ring).catch((e: unknown) => void (this.run === run && this.end(e)));
    });
  }

  /**
   * Ends the monitor: no call after this one returns; `tearDown` runs next
   * ({@link MonitorRun.wait} resolves once it has).
   */
  stop(): void {
    void this.end();
  }

  /**
   * Resolves when the monitor has ended (stop(), the stream closed, or its
   * run finished with `untilFinished`) and `tearDown` has run; rejects with
   * the error a hook or the function threw (which ended it). Resolves at
   * once when the monitor never started. A rejection nobody awaits is an
   * unhandled rejection, never silent.
   */
  wait(): Promise<void> {
    return this.last;
  }

  /**
   * @internal Whether `ring` is the running run's: a begin() that awaited
   * (setup) checks it before it starts reading, since stop() then start()
   * may have replaced its run meanwhile.
   */
  protected isCurrent(ring: RingBuffer): boolean {
    return this.run !== undefined && this.run.ring === ring && !this.run.ending;
  }

  /** @internal Gives up on a finish() that outlived `tearDownTimeout` (a WorkerMonitor terminates its Worker). */
  protected abandon(): void {}

  /** @internal Begins reading `ring` (after the hooks' setup); rejects to end the run with an error. */
  protected abstract begin(ring: RingBuffer): Promise<void>;

  /**
   * @internal Stops reading, at once (no call after it returns synchronously), then
   * runs the teardown. `tail`: make one last call first (the run finished).
   */
  protected abstract finish(tail: boolean): Promise<void>;

  /** @internal Frames the tap dropped since the last look (the reader was slow). */
  protected dropped(): number {
    const run = this.run;
    if (run === undefined || this.stream.closed) return 0;
    const all = run.tap.stats().framesLost;
    const d = all - run.seen;
    run.seen = all;
    return d;
  }

  /** @internal Ends the run (once): the tap leaves the stream, the reader stops, the teardown runs. */
  protected async end(err?: unknown, tail = false): Promise<void> {
    const run = this.run;
    if (run === undefined || run.ending) return;
    run.ending = true;
    this.stream.off('finished', this.onFinished);
    let error = err;
    try {
      await this.within(this.finish(tail && err === undefined));
    } catch (e) {
      error ??= e;
    }
    if (!this.stream.closed) this.stream.native.mixCancel(run.tap, 0, true);
    this.run = undefined;
    if (error === undefined) run.resolve();
    else run.reject(error);
  }

  /** `finishing`, or `ERR_TIMEOUT` once it took longer than `tearDownTimeout`. */
  private async within(finishing: Promise<void>): Promise<void> {
    const seconds = this.tearDownTimeout;
    if (seconds === Number.POSITIVE_INFINITY) return finishing;
    // setTimeout keeps at most 2^31 - 1 ms (24.8 days): a longer finite limit waits that long.
    const ms = Math.min(seconds * 1000, 2 ** 31 - 1);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((res) => (timer = setTimeout(() => res('late'), ms)));
    try {
      if ((await Promise.race([finishing, late])) !== 'late') return;
    } finally {
      clearTimeout(timer);
    }
    // The finish still running may settle later: nobody waits for it now.
    finishing.catch(() => undefined);
    this.abandon();
    throw codedError(ErrorCode.TIMEOUT, `the monitor's tearDown did not settle within tearDownTimeout (${seconds} s)`);
  }

  private finishedRun(): void {
    void this.end(undefined, true);
  }
}
