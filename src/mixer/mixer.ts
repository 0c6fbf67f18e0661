import { checkWholeFrames, ringSizeFor, type NativeAction } from '../native/addon.js';
import { asFloat32, describe, isDetached } from '../common/bytes.js';
import { Action, toStats, type MixerStats } from './action.js';
import { ErrorCode, invalidArg, invalidType } from '../common/errors.js';
import {
  KNOWN,
  type Direction,
  type DuplexStreamOptions,
  type InputStreamOptions,
  type OutputStreamOptions,
  type StreamOptions,
} from '../stream/options.js';
import { RingBuffer } from '../ring/ring.js';
import { OUTCOME_PENDING } from '../native/protocol.js';
import { Stream } from '../stream/stream.js';
import { checkBoolean, checkNumber, checkOptions } from '../common/validate.js';

/** Options of every action call: when it starts. */
export interface ActionOptions {
  /** Stream time (see {@link Stream.time}) to start at, in seconds; 0 (default): now. */
  start?: number;
  /**
   * When `start` has already passed: start at once (true, the default) or
   * drop the action (`actualTime` stays 0, outcome `'dropped'`).
   */
  allowBelated?: boolean;
}

/** Options of {@link Mixer.playRingbuffer}. */
export interface RingPlayOptions extends ActionOptions {
  /**
   * false (default, as rtmixer): the action ends when the ring runs empty.
   * true: an empty ring plays silence (counted as an output underflow, in the
   * action's and the stream's stats) and the action goes on, until the ring
   * is empty and its producer called `setProducerDone(true)`, or a cancel.
   */
  untilDone?: boolean;
}

/** Options of {@link Mixer.cancel}. */
export interface CancelOptions {
  /** Stream time to stop the action at; 0 (default): now. */
  time?: number;
  /**
   * When `time` has already passed: stop at once (true, the default) or
   * ignore the cancel (its outcome is then `'dropped'` and its `actualTime` 0).
   */
  allowBelated?: boolean;
}

/** Options of {@link MixerBase.fetchAndResetStats}. */
export interface FetchStatsOptions {
  /** Stream time to take the statistics at; 0 (default): now. */
  time?: number;
  /** When `time` has already passed: take them at once (true, the default) or drop the fetch (outcome `'dropped'`). */
  allowBelated?: boolean;
}

/** How many actions the engine of a mixer runs at once; more wait in order for a slot. */
const ACTION_SLOTS = 1024;

/** A stream time in seconds. */
function streamTime(v: unknown, what: string): number {
  const t = checkNumber(v, what);
  if (!Number.isFinite(t) || t < 0) throw invalidArg(`${what} must be a stream time in seconds >= 0, got ${t}`);
  return t;
}

/** rtmixer's `channels`: a count (1..n) or one-based device channels, one per buffer channel. */
function channelList(channels: unknown, what = 'channels'): number[] {
  if (typeof channels === 'number') {
    if (!Number.isInteger(channels) || channels < 1)
      throw invalidArg(`${what} must be a channel count >= 1 or a list of device channels, got ${channels}`);
    return Array.from({ length: channels }, (_, i) => i + 1);
  }
  if (!Array.isArray(channels) || !channels.every((c) => Number.isInteger(c))) {
    throw invalidType(`${what} must be a channel count or an array of one-based device channels, got ${String(channels)}`);
  }
  return channels as number[];
}

function timing(opts: ActionOptions | undefined, extra: string[] = []): { start: number; allowBelated: boolean } {
  const o = checkOptions(opts, ['start', 'allowBelated', ...extra], 'action options');
  return {
    start: o.start === undefined ? 0 : streamTime(o.start, 'start'),
    allowBelated: o.allowBelated === undefined ? true : checkBoolean(o.allowBelated, 'allowBelated'),
  };
}

/** `{ time, allowBelated }` of a cancel or a stats fetch. */
function when(opts: CancelOptions | FetchStatsOptions | undefined, what: string): { time: number; allowBelated: boolean } {
  const o = checkOptions(opts, ['time', 'allowBelated'], what);
  return {
    time: o.time === undefined ? 0 : streamTime(o.time, 'time'),
    allowBelated: o.allowBelated === undefined ? true : checkBoolean(o.allowBelated, 'allowBelated'),
  };
}

/**
 * What the three mixers share: python-rtmixer's actions on a stream whose
 * callback mixes them, at exact stream times. The stream lifecycle
 * (`start`, `stop`, `abort`, `close`, `time`, `latency`, `xruns`, events,
 * `await using`) is {@link Stream}'s; data is always float32.
 */
export abstract class MixerBase extends Stream<'float32'> {
  /** The actions not ended yet. */
  readonly actions = new Set<Action>();
  /** Every action this mixer made, ended or not: cancel() takes no other. */
  private readonly own = new WeakSet<Action>();

  /** @internal */
  protected constructor(dir: Direction, options: StreamOptions) {
    const o = checkOptions(options, KNOWN.stream, 'mixer options'); // the streams' own list: a mixer takes every stream option
    if (o.dtype !== undefined && o.dtype !== 'float32') throw invalidArg(`a mixer's dtype is always 'float32', got '${String(o.dtype)}'`);
    super(dir, { ...o, dtype: 'float32' }, ACTION_SLOTS);
  }

  /**
   * The stream's statistics since start or the last
   * {@link MixerBase.fetchAndResetStats}. As in rtmixer, readable only
   * while the stream is inactive (the callback writes them); use
   * `fetchAndResetStats()` while it runs.
   */
  get stats(): MixerStats {
    if (this.active) throw invalidArg('stats can be read only while the stream is inactive; use fetchAndResetStats() while it runs');
    return toStats(this.native.mixStats());
  }

  /**
   * Takes the stream's statistics and resets them at stream time `time`
   * (0: now): inside the callback while the stream runs (so they are
   * consistent), at once while it does not (as rtmixer's, whose callback
   * then does not write them). Resolves to the action, whose `stats` hold
   * them; with `allowBelated: false` and a time already past, its outcome is
   * `'dropped'` and nothing is taken. On a stopped stream a time ahead of
   * its clock is `ERR_INVALID_ARG` (that clock does not move).
   */
  async fetchAndResetStats(opts?: FetchStatsOptions): Promise<Action> {
    this.checkOpen();
    const o = when(opts, 'fetchAndResetStats options');
    const a = this.track(new Action(this.native.mixFetchStats(o.time, o.allowBelated)));
    // Taken already (a stopped stream): no callback will report it.
    if (a.native.outcome !== OUTCOME_PENDING) this.settleEnded();
    return a.done;
  }

  /**
   * Stops `action` at stream time `time` (0: now), or removes it before it
   * starts. Returns the cancel's own action.
   */
  cancel(action: Action, opts?: CancelOptions): Action {
    this.checkOpen();
    if (!(action instanceof Action)) throw invalidType(`cancel() takes an Action returned by this mixer, got ${describe(action)}`);
    // Another mixer's action is not in this engine: the cancel would do nothing and still report 'done'.
    if (!this.own.has(action)) throw invalidArg('cancel() takes an Action returned by this mixer, not by another one');
    const o = when(opts, 'cancel options');
    return this.track(new Action(this.native.mixCancel(action.native, o.time, o.allowBelated), action));
  }

  /**
   * Resolves once `action` has ended, or (no argument) once every action
   * not ended now has. A number waits as {@link Stream.wait} does. Rejects
   * with the error that ended the run (`ERR_DEVICE_NOT_FOUND`, `ERR_PANIC`)
   * when that error stopped the action(s) waited for, or closed the mixer.
   */
  override async wait(action?: Action | number): Promise<boolean> {
    if (typeof action === 'number') return super.wait(action);
    if (this.lost) throw this.lost;
    this.checkOpen();
    if (action !== undefined && !(action instanceof Action)) {
      throw invalidType(`wait() takes an Action of this mixer, a timeout in milliseconds or nothing, got ${describe(action)}`);
    }
    const list = action !== undefined ? [action] : [...this.actions];
    await Promise.all(list.map((a) => a.done.catch(() => undefined)));
    const failed = this.failure();
    if (failed && (this.lost || list.some((a) => a.outcome === 'stopped'))) throw failed;
    return true;
  }

  /** @internal */
  protected playBufferAction(buf: Float32Array, channels: number | number[], opts?: ActionOptions): Action {
    this.checkOpen();
    const data = asFloat32(buf, 'buffer');
    const t = timing(opts);
    // Copied: the caller may reuse or transfer `buf` at once.
    const list = channelList(channels);
    return this.track(new Action(this.native.mixPlayBuffer(data, { channels: list, ...t }), undefined, list));
  }

  /** @internal */
  protected playRingAction(rb: RingBuffer, channels?: number | number[], opts?: RingPlayOptions): Action {
    const t = timing(opts, ['untilDone']);
    const untilDone = opts?.untilDone === undefined ? false : checkBoolean(opts.untilDone, 'untilDone');
    return this.ringAction('playRingbuffer', rb, channels, (spec) => this.native.mixPlayRing(rb.native, { ...spec, ...t, untilDone }));
  }

  /** @internal */
  protected recordBufferAction(buf: Float32Array, channels: number | number[], opts?: ActionOptions): Action {
    this.checkOpen();
    const out = asFloat32(buf, 'buffer');
    const list = channelList(channels);
    checkWholeFrames(out.length, list.length, 'the buffer');
    const frames = out.length / list.length;
    const ring = new RingBuffer(4 * list.length, ringSizeFor(4 * list.length, frames, 'frames'));
    const action = new Action(this.native.mixRecordBuffer(ring.native, { channels: list, frames, ...timing(opts) }), undefined, list);
    // The buffer and its ring stay referenced by the action until it ends;
    // the recorded frames land in `buf` on this thread, then `done` resolves.
    action.finishing = () => {
      if (isDetached(out.buffer)) {
        throw invalidArg('the buffer given to recordBuffer() was detached (transferred) while recording; keep it until the action is done');
      }
      ring.readInto(out.subarray(0, Math.min(ring.readAvailable, frames) * list.length));
    };
    return this.track(action);
  }

  /** @internal */
  protected recordRingAction(rb: RingBuffer, channels?: number | number[], opts?: ActionOptions): Action {
    return this.ringAction('recordRingbuffer', rb, channels, (spec) => this.native.mixRecordRing(rb.native, { ...spec, ...timing(opts) }));
  }

  /** A ring action: `channels` default to the ring's frame width; the ring stays referenced while the action lives. */
  private ringAction(
    what: string,
    rb: RingBuffer,
    channels: number | number[] | undefined,
    submit: (spec: { channels: number[] }) => NativeAction,
  ): Action {
    this.checkOpen();
    if (!(rb instanceof RingBuffer)) throw invalidType(`${what}() takes a RingBuffer`);
    const list = channelList(channels ?? rb.elementSize / 4);
    const action = new Action(submit({ channels: list }), undefined, list);
    (action as { ring?: RingBuffer }).ring = rb;
    return this.track(action);
  }

  /** Releases the device; actions not ended resolve as they stand (outcome `'pending'`). */
  override async close(): Promise<void> {
    await super.close();
    for (const a of this.actions) a.settle();
    this.actions.clear();
  }

  private track(a: Action): Action {
    this.actions.add(a);
    this.own.add(a);
    return a;
  }

  /** @internal Settles every action the engine has ended. */
  protected override onActionsDone(): void {
    if (this.closed) return;
    this.native.collect();
    this.settleEnded();
  }

  /**
   * @internal A run that failed (a panic, a lost device) ended every action
   * of it as `'stopped'`: they settle now. After a panic the engine cannot
   * be trusted: the mixer closes itself, as after a lost device.
   */
  protected override onRunEnded(err: Error | null): void {
    this.settleEnded();
    if ((err as { code?: string } | null)?.code === ErrorCode.PANIC) {
      this.lost = err;
      void this.close();
    }
  }

  /** Settles every action whose outcome is known. */
  private settleEnded(): void {
    for (const a of this.actions) {
      if (a.native.outcome === OUTCOME_PENDING) continue;
      this.actions.delete(a);
      try {
        a.finishing?.();
        a.settle();
      } catch (e) {
        a.settle(e as Error);
      }
    }
  }
}

/** python-rtmixer's Mixer: plays buffers and rings at exact stream times, mixed in the callback. */
export class Mixer extends MixerBase {
  /** Opens the device for output; options as {@link OutputStream}'s (dtype is always float32). */
  constructor(options: OutputStreamOptions<'float32'> = {}) {
    super('output', options);
  }

  /** Channels of the device the actions address. */
  override get channels(): number {
    return this.opts.outChannels;
  }

  /**
   * Plays `buf` (interleaved float32, copied at once) on device `channels`
   * (a count, or one-based device channels, one per buffer channel) from
   * stream time `start`, at its exact frame.
   * @example
   * ```ts
   * import { Mixer } from 'ringstream';
   *
   * const m = new Mixer({ device: 'virtual:null', channels: 2 });
   * await m.start();                                     // m.time is live from here
   * const click = new Float32Array([0.5, 0.5, 0, 0]);    // two frames of stereo
   * const t = m.time + 0.1;
   * for (let i = 0; i < 4; i++) m.playBuffer(click, 2, { start: t + i * 0.05 }); // four clicks 50 ms apart
   * const last = m.playBuffer(click, [2, 1], { start: t + 0.2 }); // channels swapped
   * await last.done;
   * console.log(last.outcome, (last.actualTime - t).toFixed(3)); // 'done' '0.200'
   * await m.close();
   * ```
   */
  playBuffer(buf: Float32Array, channels: number | number[], opts?: ActionOptions): Action {
    return this.playBufferAction(buf, channels, opts);
  }

  /**
   * Plays what is written into `rb` (float32 frames). As in rtmixer, the
   * action ends when the ring runs empty (`doneFrames`: the frames played;
   * unless the producer called `setProducerDone(true)` first, the rest of
   * that block counts in `stats.framesLost`). With `untilDone: true` an
   * empty ring plays silence instead (an output underflow) and the action
   * goes on until the ring is empty and its producer called
   * `setProducerDone(true)`. Either way {@link MixerBase.cancel} ends it.
   */
  playRingbuffer(rb: RingBuffer, channels?: number | number[], opts?: RingPlayOptions): Action {
    return this.playRingAction(rb, channels, opts);
  }
}

/** python-rtmixer's Recorder: records buffers and rings from exact stream times. */
export class Recorder extends MixerBase {
  /**
   * Opens the device for input; options as {@link InputStream}'s (dtype is always float32).
   * With `loopback: true`, `device` is an output and the actions record what it plays.
   */
  constructor(options: InputStreamOptions<'float32'> = {}) {
    super('input', options);
  }

  /** Channels of the device the actions address. */
  override get channels(): number {
    return this.opts.inChannels;
  }

  /**
   * Records `buf.length / channels` frames of device `channels` into `buf`
   * from stream time `start` (the input ADC time), at its exact frame. The
   * frames are in `buf` when `done` resolves.
   */
  recordBuffer(buf: Float32Array, channels: number | number[], opts?: ActionOptions): Action {
    return this.recordBufferAction(buf, channels, opts);
  }

  /**
   * Records into `rb` (float32 frames) from `start` until cancelled or the
   * stream stops. As in rtmixer, a full ring ends this action only (the
   * stream and other actions go on): the frames of that block that did not
   * fit are dropped and counted in its `stats.framesLost`.
   */
  recordRingbuffer(rb: RingBuffer, channels?: number | number[], opts?: ActionOptions): Action {
    return this.recordRingAction(rb, channels, opts);
  }
}

/** python-rtmixer's MixerAndRecorder: both, on one duplex stream and one clock. */
export class MixerAndRecorder extends MixerBase {
  /** Opens the device for input and output (dtype is always float32). */
  constructor(options: DuplexStreamOptions<'float32'> = {}) {
    super('duplex', options);
  }

  /** Channels: `[input, output]`. */
  override get channels(): [number, number] {
    return [this.opts.inChannels, this.opts.outChannels];
  }

  /** See {@link Mixer.playBuffer}. */
  playBuffer(buf: Float32Array, channels: number | number[], opts?: ActionOptions): Action {
    return this.playBufferAction(buf, channels, opts);
  }

  /** See {@link Mixer.playRingbuffer}. */
  playRingbuffer(rb: RingBuffer, channels?: number | number[], opts?: RingPlayOptions): Action {
    return this.playRingAction(rb, channels, opts);
  }

  /** See {@link Recorder.recordBuffer}. */
  recordBuffer(buf: Float32Array, channels: number | number[], opts?: ActionOptions): Action {
    return this.recordBufferAction(buf, channels, opts);
  }

  /** See {@link Recorder.recordRingbuffer}. */
  recordRingbuffer(rb: RingBuffer, channels?: number | number[], opts?: ActionOptions): Action {
    return this.recordRingAction(rb, channels, opts);
  }
}
