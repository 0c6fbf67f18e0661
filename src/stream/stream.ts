import { checkBufferHoldsBlock, NativeStream } from '../native/addon.js';
import { codedError, ErrorCode, invalidArg } from '../common/errors.js';
import type { RingBuffer } from '../ring/ring.js';
import { Configured } from './configured.js';
import type { Drainer, Feeder, FeedOptions, SinkFunction, SourceFunction } from './feed.js';
import { prebuffer } from './prebuffer.js';
import type { Dtype } from '../device/defaults.js';
import {
  intArg,
  KNOWN,
  nativeOptions,
  resolve,
  type DeviceChangeEvent,
  type Direction,
  type Sink,
  type Source,
  type StartOptions,
  type StreamOptions,
} from './options.js';
import {
  EV_ACTION_DONE,
  EV_DATA,
  EV_DEVICE_CHANGE,
  EV_ERROR,
  EV_FINISHED,
  EV_RELEASED,
  EV_STARTED,
  EV_XRUN,
  STATE_RUNNING as RUNNING,
} from '../native/protocol.js';
import { Closer } from './release.js';
import { FilePumps } from './pumps.js';
import { warnVirtualFallback } from '../device/devices.js';
import { Runs } from './runs.js';
import { deviceChangeEvent } from './devicechange.js';
import { StreamIo } from './io.js';
import { checkOptions } from '../common/validate.js';

/**
 * What every stream has: lifecycle, counters and events. Use
 * {@link InputStream}, {@link OutputStream} or {@link DuplexStream}.
 *
 * The audio callback runs on a native thread and never waits for
 * JavaScript. JavaScript hears about the stream through events:
 * - `'xrun'` `(event: XrunEvent)`: under/overflows were counted; each
 *   event carries the xruns and frames lost since the previous event, the
 *   running total and the stream time, so a listener can account for every
 *   one even when a stall makes events coalesce;
 * - `'devicechange'` `(event: DeviceChangeEvent)`: the host moved a stream
 *   on `pipewire:default` to the output the desktop made the default
 *   (`pactl set-default-sink`); it keeps playing there;
 * - `'finished'` `()`: the stream ended (all its work done, stopped or aborted);
 * - `'error'` `(err)`: an error ended the stream (emitted only when there is a
 *   listener; the pending play/record Promise rejects with it either way).
 *
 * A device that disappears, or stops calling back for longer than the
 * watchdog allows (see docs/guide/faults.md), ends the run
 * with `ERR_DEVICE_NOT_FOUND`: pending calls reject with it, `'error'` is
 * emitted, and the stream closes itself (its device and threads are released).
 */
export abstract class Stream<D extends Dtype = Dtype> extends StreamIo<D> implements AsyncDisposable {
  private readonly runs = new Runs();
  private readonly pumps = new FilePumps();
  private readonly configured = new Configured();
  private readonly closer = new Closer();
  /** Rings JS writes into that the next run plays (for `prebuffer`). */
  private jsSources: RingBuffer[] = [];
  /** Resolves start() at the run's first block (or its end). */
  private onStarted: (() => void) | undefined;
  /** start() is under way (prebuffering, or waiting for the first block): a second one must not run. */
  private starting = false;
  /** @internal Set by stop(): JS feeders stop adding audio. */
  draining = false;

  /** @internal */
  protected constructor(dir: Direction, options: StreamOptions, actionSlots?: number) {
    const opts = resolve(dir, options);
    // The event function is called from the bridge thread later, never during construction.
    let self: Stream | undefined;
    const native = new NativeStream({ ...nativeOptions(opts, options), actionSlots }, (bits: number) => self?.onEvents(bits));
    // blocksize 0 asks the host to choose: the stream has what it opened with.
    super({ ...opts, blocksize: native.blocksize }, native);
    self = this;
    if (opts.blocksize === 0) {
      try {
        checkBufferHoldsBlock(opts.bufferSize, native.blocksize);
      } catch (e) {
        native.close();
        throw e;
      }
    }
    warnVirtualFallback(this.native.fallback);
  }

  /**
   * Starts the stream (counters reset). Whatever was queued by play/record
   * starts with the first block.
   */
  async start(opts: StartOptions = {}): Promise<void> {
    this.checkOpen();
    checkOptions(opts, KNOWN.start, 'start options');
    if (this.active || this.starting) throw invalidArg('the stream is already active (or starting): await start() once');
    const pre = opts.prebuffer ?? true;
    if (typeof pre !== 'boolean') intArg(pre, 'prebuffer', 0);
    // With nothing queued by play/record/chunks, the stream runs what
    // setSource / setSink configured.
    let tasks: (Feeder | Drainer)[] = [];
    if (this.native.pendingActions === 0 && this.configured.any) {
      try {
        const q = this.configured.queue(this);
        tasks = q.tasks;
        this.jsSources.push(...q.jsSources);
        this.pumps.takeRun(this.native);
      } catch (e) {
        this.native.discard();
        throw e;
      }
    }
    // The run exists from here on, so that wait() right after play() waits for it.
    this.draining = false;
    this.runs.begin();
    // A pending run holds the event loop open (its events are on their way).
    this.native.keepAlive(true);
    this.starting = true;
    try {
      const { jsSources, closer, opts } = this;
      await prebuffer(pre, { files: this.pumps.current, tasks, jsSources, closing: closer.closing, bufferSize: opts.bufferSize });
      const live = new Promise<void>((res) => (this.onStarted = res));
      this.native.start();
      // Resolve once the first block ran: `time` is then the device's clock.
      await live;
      // The device may have been lost before (or at) its first block. Other
      // run errors (a ring that overflowed) reach the calls that read the
      // run's data, after that data: start() itself did start.
      const failed = this.native.state === RUNNING ? null : this.failure();
      if (failed && (failed as { code?: string }).code === ErrorCode.DEVICE_NOT_FOUND) throw failed;
    } catch (e) {
      if (!this.isClosed) this.native.discard();
      this.endRun(e as Error);
      throw e;
    } finally {
      this.starting = false;
    }
    this.jsSources = [];
    for (const t of tasks) void t.run();
  }

  /**
   * Sets what {@link Stream.start} plays when no play/playrec/chunks call
   * queued anything: a typed array, an audio file's path (any format
   * {@link readAudio} reads, decoded on a native thread), a RingBuffer (played until
   * stop(), silence and an xrun whenever it runs empty), or a JS function
   * (see {@link SourceFunction}) run on the JS thread with a ring of
   * `bufferSize` frames absorbing its jitter. Returns the RingBuffer in use
   * (null for typed arrays and files, which need none in JS).
   */
  setSource(src: Source<D> | SourceFunction<D>, opts: FeedOptions = {}): RingBuffer | null {
    this.checkOpen();
    return this.configured.setSource(this, src as Source | SourceFunction, opts);
  }

  /**
   * Sets where {@link Stream.start} records when no record/playrec/chunks
   * call queued anything: a typed array (filled from the start, up to its
   * length), an audio file's path (any format a recording writes, see
   * {@link RecordOptions.fileFormat}), a RingBuffer, or a JS function called with each
   * recorded block (a copy). With a source that ends, recording ends with
   * it; otherwise at stop(). Returns the RingBuffer in use (null for files).
   */
  setSink(dst: Sink<D> | SinkFunction<D>, opts: FeedOptions = {}): RingBuffer | null {
    this.checkOpen();
    return this.configured.setSink(this, dst as Sink | SinkFunction, opts);
  }

  /**
   * Stops as PortAudio's `Pa_StopStream`: no more data is taken from any
   * source, and the stream ends once the device has played what it already
   * holds (within the output latency plus about two blocks). A pending
   * play() then resolves; a pending record() / playrec() resolves with the
   * frames recorded so far (a shorter array, or the filled part of `out`).
   * Resolves once stopped.
   */
  async stop(): Promise<void> {
    this.checkOpen();
    this.draining = true;
    this.runs.wake(); // feeders see `draining` and end their source
    if (this.native.stop()) await this.runs.promise?.catch(() => undefined);
    this.native.settle();
  }

  /**
   * Stops at once, without letting the device play what it holds
   * (`Pa_AbortStream`); pending calls resolve as after {@link Stream.stop}.
   */
  async abort(): Promise<void> {
    this.checkOpen();
    this.native.abort();
    this.endRun();
  }

  /**
   * Releases the device. Idempotent; any other call afterwards throws
   * `ERR_STREAM_CLOSED`. What is pending settles: play() resolves,
   * record() / playrec() resolve with the frames recorded so far, a chunks()
   * loop ends after the chunks recorded, a Readable ends, a Writable with
   * data not yet played and a start() still prebuffering reject with
   * `ERR_STREAM_CLOSED`. The device is released on a native thread (never
   * blocking the event loop); resolves once it is, or after the output
   * latency plus 2 s if the device does not let go (a frozen server): its
   * release then ends in the background.
   */
  async close(): Promise<void> {
    if (this.isClosed) return this.closer.released;
    if (this.native.state === RUNNING) this.native.abort();
    this.endRun();
    this.native.close();
    const released = this.closer.close(this.native);
    this.isClosed = true;
    this.onStarted?.();
    this.runs.wake();
    await released;
  }

  /** Same as {@link Stream.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Resolves `true` when the current run has finished, `false` on timeout.
   * Rejects with the error that ended the run, if one did.
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    this.checkOpen();
    return this.runs.wait(timeoutMs);
  }

  /**
   * @internal Whether a job (play, record, playrec, chunks) owns the
   * stream: other jobs and the adapters are refused.
   */
  get busy(): boolean {
    return this.runs.busy;
  }

  /** @internal Marks a job as owning the stream until the returned function is called (once). */
  claim(): () => void {
    return this.runs.claim();
  }

  /** @internal Takes the file pumps queued so far as the current job's: start() prebuffers them. */
  holdFiles(): void {
    this.pumps.takeJob(this.native, false);
  }

  /** @internal Finishes the job's file pumps; rejects with a reader's or writer's error. */
  async releaseFiles(): Promise<void> {
    await this.pumps.finishJob();
  }

  /** @internal Queues work and runs the stream until it finishes. */
  async runJob(queue: () => void): Promise<void> {
    this.checkOpen();
    if (this.active || this.starting || this.busy)
      throw invalidArg('the stream is busy (already active): wait for it, stop() or abort() first');
    const release = this.claim();
    let runError: unknown;
    try {
      try {
        queue();
        this.native.finishWhenIdle();
        this.pumps.takeJob(this.native, true);
        await this.start();
        await this.runs.promise;
      } catch (e) {
        if (!this.isClosed) this.native.discard();
        this.jsSources = [];
        runError = e;
      }
      // A reader or writer thread's error is the cause of whatever the run
      // reported (a source that ran dry after a read error): it wins.
      await this.pumps.finishJob();
    } finally {
      release();
    }
    if (runError !== undefined) throw runError;
  }

  /** @internal A ring JS writes into that the next run plays (start() prebuffers it). */
  addJsSource(ring: RingBuffer): void {
    this.jsSources.push(ring);
  }

  /** @internal */
  checkOpen(): void {
    if (this.isClosed) throw codedError(ErrorCode.STREAM_CLOSED, 'the stream is closed');
  }

  /**
   * @internal Resolves once the device has played every frame handed to it
   * so far (its DAC time has passed on the stream clock), or the stream stopped.
   */
  async playedOut(): Promise<void> {
    for (;;) {
      if (!this.active) return;
      const left = this.native.playedUntil - this.time;
      if (left <= 0) return;
      // Wall time is at most device time (the virtual device may run faster).
      await Promise.race([this.nextEvent(), new Promise((r) => setTimeout(r, Math.max(1, left * 1000)))]);
    }
  }

  /** @internal Resolves once the current run has finished (errors are the run's, not this promise's). */
  finishedRun(): Promise<void> {
    return this.runs.promise?.catch(() => undefined) ?? Promise.resolve();
  }

  /** @internal */
  endRun(failure?: Error): void {
    if (!this.isClosed) this.native.keepAlive(false);
    this.runs.end(failure ?? this.failure());
  }

  /**
   * @internal Resolves at the next data, finish or error event of the
   * stream (or at once if it is closed or not running).
   */
  nextEvent(): Promise<void> {
    if (this.isClosed || this.native.state !== RUNNING) return Promise.resolve();
    return this.runs.next();
  }

  /** @internal Called when the engine handed actions back (the Mixer settles its Actions here). */
  protected onActionsDone(): void {}

  /** @internal Called once a run has ended, with the error that ended it (the Mixer settles its Actions here). */
  protected onRunEnded(_err: Error | null): void {}

  /** One 'xrun' event for every xrun not reported yet (none when events coalesced). */
  private emitXruns(): void {
    const event = this.runs.xrunEvent(this.native.xruns, this.native.framesLost, this.time, this.status);
    if (event) this.emit('xrun', event);
  }

  /** Where the host moved the stream: the new default input for a recording of an input device. */
  private deviceChangeEvent(): DeviceChangeEvent {
    const follows = this.opts.outChannels === 0 && !this.opts.loopback ? 'input' : 'output';
    return deviceChangeEvent(this.host, this.native.movedTo(), follows);
  }

  private onEvents(bits: number): void {
    if (bits & EV_RELEASED) this.closer.onReleased();
    if (this.isClosed) return;
    if (bits & (EV_DATA | EV_ACTION_DONE | EV_STARTED | EV_FINISHED | EV_ERROR)) queueMicrotask(() => this.runs.wake());
    if (bits & (EV_STARTED | EV_FINISHED | EV_ERROR) && this.onStarted) {
      const started = this.onStarted;
      this.onStarted = undefined;
      started();
    }
    if (bits & EV_XRUN) this.emitXruns();
    if (bits & EV_DEVICE_CHANGE) this.emit('devicechange', this.deviceChangeEvent());
    if (bits & EV_ACTION_DONE) this.onActionsDone();
    if (bits & (EV_FINISHED | EV_ERROR) && this.native.state !== RUNNING) {
      this.native.settle();
      const err = this.native.error();
      const files = this.pumps.endRun();
      const done = () => {
        this.endRun();
        if (err && this.listenerCount('error') > 0) this.emit('error', err);
        this.emit('finished');
        this.onRunEnded(err);
        // The device is gone: release it and the stream's threads.
        if ((err as { code?: string } | null)?.code === ErrorCode.DEVICE_NOT_FOUND) {
          this.lost = err;
          void this.close();
        }
      };
      // Files written by a start()-run are complete before the run resolves;
      // a writer's error is the run's error.
      if (files?.any) files.finish().then(done, (e: Error) => (this.endRun(e), this.emit('finished')));
      else done();
    }
  }
}
