import { EventEmitter } from 'node:events';
import type { NativeStream } from '../native/addon.js';
import { arrayFor, type Dtype } from '../device/defaults.js';
import type { DeviceChangeEvent, Resolved, StreamStatus, XrunEvent } from './options.js';
import {
  STATE_ABORTED as ABORTED,
  STATE_FINISHED as FINISHED,
  STATE_RUNNING as RUNNING,
  STATUS_INPUT_OVERFLOW,
  STATUS_INPUT_UNDERFLOW,
  STATUS_OUTPUT_OVERFLOW,
  STATUS_OUTPUT_UNDERFLOW,
} from '../native/protocol.js';

/** The events every stream emits, by name: the arguments each listener gets. */
export interface StreamEvents {
  /**
   * Under/overflows were counted: each event carries the xruns and frames
   * lost since the previous one, so a listener accounts for every one.
   */
  xrun: [event: XrunEvent];
  /**
   * The host moved a stream that follows the desktop's default output
   * (`pipewire:default`) to the new default, where it keeps playing.
   */
  devicechange: [event: DeviceChangeEvent];
  /** The stream ended: all its work done, stopped or aborted. */
  finished: [];
  /** An error ended the stream (emitted only when there is a listener). */
  error: [error: Error];
}

/** A listener of the stream event `K`. */
export type StreamListener<K extends keyof StreamEvents> = (...args: StreamEvents[K]) => void;

/**
 * The EventEmitter methods of a stream, typed by {@link StreamEvents}: a
 * misspelt event name or a listener of the wrong shape is a type error.
 */
// biome-ignore lint/correctness/noUnusedVariables: D must repeat the type parameters of the class it merges with
export interface StreamState<D extends Dtype = Dtype> {
  /** Adds `listener` for `event`. */
  on<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Same as {@link StreamState.on}. */
  addListener<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Adds `listener` for the next `event` only. */
  once<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Adds `listener` for `event`, before the others. */
  prependListener<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Adds `listener` for the next `event` only, before the others. */
  prependOnceListener<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Removes `listener` from `event`. */
  off<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Same as {@link StreamState.off}. */
  removeListener<K extends keyof StreamEvents>(event: K, listener: StreamListener<K>): this;
  /** Removes every listener (of `event`, if given). */
  removeAllListeners(event?: keyof StreamEvents): this;
  /** The listeners of `event`. */
  listeners<K extends keyof StreamEvents>(event: K): StreamListener<K>[];
  /** How many listeners `event` has. */
  listenerCount(event: keyof StreamEvents): number;
  /** Calls the listeners of `event` with `args`. */
  emit<K extends keyof StreamEvents>(event: K, ...args: StreamEvents[K]): boolean;
}

/**
 * What a stream is and how it stands: its configuration, clock, latency,
 * state and counters (read-only). {@link Stream} adds the lifecycle.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above only types the methods EventEmitter implements
export abstract class StreamState<D extends Dtype = Dtype> extends EventEmitter {
  /** @internal */
  readonly native: NativeStream;
  /** @internal */
  readonly opts: Resolved;
  /** @internal Set by close(). */
  protected isClosed = false;
  /** @internal The error of a lost device, kept once the stream closed itself. */
  protected lost: Error | null = null;

  /** @internal */
  protected constructor(opts: Resolved, native: NativeStream) {
    super();
    this.opts = opts;
    this.native = native;
  }

  /** The host the stream runs on (`'alsa'`, `'jack'`, `'virtual'`). */
  get host(): string {
    return this.native.host;
  }

  /** Frames per second. */
  get samplerate(): number {
    return this.opts.samplerate;
  }

  /** Channels of the data: a number, or `[input, output]` for a DuplexStream. */
  get channels(): number | [number, number] {
    return this.opts.inChannels && this.opts.outChannels
      ? [this.opts.inChannels, this.opts.outChannels]
      : this.opts.inChannels || this.opts.outChannels;
  }

  /** Frames per callback. */
  get blocksize(): number {
    return this.opts.blocksize;
  }

  /** Sample type of the data exchanged with JS. */
  get dtype(): D {
    return this.opts.dtype as D;
  }

  /**
   * Bytes per sample of the data exchanged with JS (sounddevice's and
   * pastream's `samplesize`): 4 for float32 and int32, 2 for int16.
   * @example
   * ```ts
   * import { OutputStream } from 'ringstream';
   *
   * const out = new OutputStream({ device: 'virtual:null', channels: 2, dtype: 'int16' });
   * console.log(out.samplesize * out.channels); // 4 bytes per frame
   * await out.close();
   * ```
   */
  get samplesize(): number {
    return arrayFor(this.opts.dtype as Dtype).BYTES_PER_ELEMENT;
  }

  /** Whether the stream both records and plays (pastream's `isduplex`). */
  get isDuplex(): boolean {
    return this.opts.inChannels > 0 && this.opts.outChannels > 0;
  }

  /** The device's id. */
  get device(): string {
    return this.native.deviceId;
  }

  /**
   * What the device runs at: its samplerate and channels (a number, or
   * `[input, output]` for a duplex stream, as {@link channels}). They differ
   * from the stream's own when the engine converts (see the `convert`
   * option): a 16 kHz mono input on a 48 kHz stereo device says
   * `{ samplerate: 48000, channels: 2 }`.
   *
   * @example
   * ```ts
   * import { InputStream } from 'ringstream';
   * const s = new InputStream({ device: 'virtual:stereo48', samplerate: 16000, channels: 1 });
   * console.log(s.deviceFormat); // { samplerate: 48000, channels: 2 }
   * await s.close();
   * ```
   */
  get deviceFormat(): { samplerate: number; channels: number | [number, number] } {
    const f = this.native.deviceFormat;
    const [i = 0, o = 0] = f?.channels ?? [];
    return { samplerate: f?.samplerate ?? 0, channels: i && o ? [i, o] : i || o };
  }

  /**
   * The drift correction's estimate of how far the device's clock runs from
   * the clock that paces the stream's data, in parts per million (positive:
   * the device runs fast); `null` when the stream was opened without
   * `driftCorrection`. It is 0 until a RingBuffer plays or records, the
   * correction loop's own estimate while too little has run to fit, then a
   * line fitted to the frames the other clock moved through the ring
   * against the device's over the last several minutes (a few ppm once a
   * few minutes have run, however bursty the producer), from the other
   * side's first move on (a reader that lets its ring fill first is not on
   * its clock yet). The core's drift fit sets how long each stage lasts.
   *
   * @example
   * ```ts
   * import { OutputStream } from 'ringstream';
   * const out = new OutputStream({ device: 'virtual:null', channels: 1, driftCorrection: true });
   * console.log(out.driftPpm); // 0: nothing measured yet
   * await out.close();
   * ```
   */
  get driftPpm(): number | null {
    return this.native.driftPpm ?? null;
  }

  /**
   * `[input, output]` latency in seconds, in effect on the device (0 for a
   * direction the stream does not have). On the virtual loopback the round
   * trip is exactly their sum.
   */
  get latency(): [number, number] {
    const [i, o] = this.native.latency;
    return [i ?? 0, o ?? 0];
  }

  /**
   * The stream clock now, in seconds (`Pa_GetStreamTime`): the device time,
   * monotonic, moving between callbacks (interpolated from the host's
   * timestamps on a monotonic clock; sub-millisecond). Output DAC times and
   * Mixer start times are on this clock.
   */
  get time(): number {
    return this.native.time;
  }

  /** Whether callbacks are running. */
  get active(): boolean {
    return !this.isClosed && this.native.state === RUNNING;
  }

  /** Whether callbacks are not running. */
  get stopped(): boolean {
    return !this.active;
  }

  /** Whether the last run has ended (done, stopped, aborted or failed). */
  get finished(): boolean {
    return !this.isClosed && this.native.state >= FINISHED;
  }

  /** Whether the last run was aborted. */
  get aborted(): boolean {
    return !this.isClosed && this.native.state === ABORTED;
  }

  /** @internal The error that ended the last run, or null. */
  failure(): Error | null {
    return this.lost ?? (this.isClosed ? null : this.native.error());
  }

  /** Whether {@link Stream.close} was called (or the stream closed itself: its device was lost). */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Frames processed since start. */
  get frameCount(): number {
    return this.native.frameCount;
  }

  /** Callbacks that carried an under/overflow since start. */
  get xruns(): number {
    return this.native.xruns;
  }

  /**
   * The share of each block's duration the audio callback spends working,
   * smoothed over recent blocks (0.01 = 1%; at 1 it cannot keep up).
   */
  get cpuLoad(): number {
    return this.native.cpuLoad;
  }

  /**
   * The peak level (|sample|, 1 = full scale) of each device input and
   * output channel since the previous call, measured in the audio callback;
   * each call resets them. For level meters.
   */
  takeLevels(): { input: number[]; output: number[] } {
    return this.native.takeLevels();
  }

  /**
   * Callbacks that carried each kind of under/overflow since start (one
   * callback may count under two kinds); their total is at least {@link xruns}'s share.
   */
  get xrunCounts(): { inputUnderflow: number; inputOverflow: number; outputUnderflow: number; outputOverflow: number } {
    const [inputUnderflow, inputOverflow, outputUnderflow, outputOverflow] = this.native.xrunCounts;
    return { inputUnderflow, inputOverflow, outputUnderflow, outputOverflow };
  }

  /**
   * Samples past full scale (|sample| > 1) since start, `[input, output]`,
   * counted in the audio callback: what sox reports as clipped samples.
   */
  get clippedSamples(): [number, number] {
    const [i, o] = this.native.clippedSamples;
    return [i, o];
  }

  /** Frames lost to under/overflows since start. */
  get framesLost(): number {
    return this.native.framesLost;
  }

  /** Under/overflow flags seen since start. */
  get status(): StreamStatus {
    const s = this.native.status;
    return {
      inputUnderflow: (s & STATUS_INPUT_UNDERFLOW) !== 0,
      inputOverflow: (s & STATUS_INPUT_OVERFLOW) !== 0,
      outputUnderflow: (s & STATUS_OUTPUT_UNDERFLOW) !== 0,
      outputOverflow: (s & STATUS_OUTPUT_OVERFLOW) !== 0,
    };
  }
}
