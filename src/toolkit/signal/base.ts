import { checkWholeFrames, dspInterleave, dspTimes, type DspLayout } from '../../native/addon.js';
import { asFloat32, describe } from '../../common/bytes.js';
import { invalidArg } from '../../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../../common/validate.js';
import { defaults } from '../../device/defaults.js';
import { numbers, positive } from './args.js';

/** Options of `new Signal`. */
export interface SignalOptions {
  /** Frames per second; default `defaults.samplerate`. */
  samplerate?: number;
  /** Interleaved channels; default 1 (or the number of channel arrays given). */
  channels?: number;
  /** A name per channel, for selection by name (`signal.channel('left')`). */
  channelNames?: readonly string[];
  /** A label for the signal; default `''`. */
  label?: string;
}

/** What `new Signal` takes: interleaved samples, or one array per channel. */
export type SignalData = Float32Array | readonly number[] | readonly (readonly number[] | Float32Array)[];

/** A channel by zero-based index or by name. */
export type ChannelRef = number | string;

/** The constructor of a Signal class (what {@link SignalBase.derive} calls to keep the caller's class). */
type SignalClass<T> = new (data: Float32Array, options: SignalOptions) => T;

const SIGNAL_KEYS = ['samplerate', 'channels', 'channelNames', 'label'];

/**
 * The fields every {@link Signal} has and what the rest of it builds on:
 * its samples, layout, names, label and time axis. Use {@link Signal}; this
 * base only keeps each part of it in a file of its own.
 * @example
 * ```ts
 * import { Signal, SignalBase } from 'ringstream';
 *
 * const s = new Signal([[0, 1], [2, 3]], { samplerate: 4, channelNames: ['l', 'r'] });
 * console.log(s instanceof SignalBase, s.channels, s.getTimes()); // true 2 Float64Array [0, 0.25]
 * ```
 */
export class SignalBase {
  /** Interleaved samples (a Float32Array given to the constructor is kept, not copied). */
  readonly sig: Float32Array;
  /** Frames per second. */
  readonly samplerate: number;
  /** Channels per frame. */
  readonly channels: number;
  /** Channel names, when given. */
  readonly channelNames: readonly string[] | undefined;
  /** The signal's label. */
  readonly label: string;

  /**
   * A signal over `data`: interleaved samples (a Float32Array is kept as
   * is, an array of numbers converted), or one array per channel (pya's 2-D
   * form, channels as the outer index), with the rate defaulting to
   * `defaults.samplerate`. Signals are immutable: every operation,
   * {@link SignalSelect.set} included, returns a new one.
   */
  constructor(data: SignalData, options: SignalOptions = {}) {
    const o = checkOptions(options, SIGNAL_KEYS, 'the Signal options');
    const perChannel = isChannelList(data);
    this.sig = perChannel ? fromChannels(data) : Array.isArray(data) ? Float32Array.from(numbers(data, 'data')) : asFloat32(data, 'data');
    this.samplerate = positive(o.samplerate === undefined ? defaults.samplerate : o.samplerate, 'samplerate');
    const given = o.channels === undefined ? undefined : checkInteger(o.channels, 'channels', 1, 65535);
    if (perChannel && given !== undefined && given !== data.length) {
      throw invalidArg(`channels is ${given} but ${data.length} channel arrays were given`);
    }
    this.channels = perChannel ? data.length : (given ?? 1);
    checkWholeFrames(this.sig.length, this.channels, 'data');
    this.label = checkString(o.label ?? '', 'label');
    if (o.channelNames !== undefined) {
      if (!Array.isArray(o.channelNames) || o.channelNames.length !== this.channels) {
        throw invalidArg(`channelNames must be an array of ${this.channels} names, got ${describe(o.channelNames)}`);
      }
      this.channelNames = Object.freeze(o.channelNames.map((n, i) => checkString(n, `channelNames[${i}]`)));
    }
  }

  /** Frames in the signal. */
  get samples(): number {
    return this.sig.length / this.channels;
  }

  /** Duration in seconds. */
  get duration(): number {
    return this.samples / this.samplerate;
  }

  /** OsSom's `Audio.samplesize`: bytes per sample, 4 (samples are float32). */
  get samplesize(): number {
    return this.sig.BYTES_PER_ELEMENT;
  }

  /** OsSom's `Audio.dtype`: always `'float32'`. */
  get dtype(): 'float32' {
    return 'float32';
  }

  /** OsSom's `Audio.bytesize`: bytes of all samples, `samplesize * samples * channels`. */
  get bytesize(): number {
    return this.sig.byteLength;
  }

  /** pya's `get_times()`: the time of each frame in seconds, `k / samplerate`. */
  getTimes(): Float64Array {
    return dspTimes(this.samples, this.samplerate);
  }

  /** A one-line summary, like pya's repr: label, channels, rate, duration. */
  toString(): string {
    const names = this.channelNames ? ` (${this.channelNames.join(', ')})` : '';
    return `Signal${this.label ? ` '${this.label}'` : ''}: ${this.channels} ch${names}, ${this.samplerate} Hz, ${this.samples} frames, ${this.duration.toFixed(3)} s`;
  }

  /** The zero-based index of channel `ref`. */
  index(ref: ChannelRef): number {
    if (typeof ref === 'string') {
      const i = this.channelNames?.indexOf(ref) ?? -1;
      if (i < 0) {
        const known = this.channelNames
          ? `its channels are ${this.channelNames.map((n) => `'${n}'`).join(', ')}`
          : 'its channels have no names';
        throw invalidArg(`the signal has no channel named '${ref}': ${known}`);
      }
      return i;
    }
    return checkInteger(ref, 'channel', 0, this.channels - 1);
  }

  /** @internal */
  protected get layout(): DspLayout {
    return { channels: this.channels, samplerate: this.samplerate };
  }

  /**
   * @internal A new signal of this class over `data`, keeping the rate, the
   * label (unless `label` is given) and (when the count holds, unless
   * `names` are given) the names.
   */
  protected derive(
    data: Float32Array,
    channels = this.channels,
    samplerate = this.samplerate,
    names?: readonly string[],
    label = this.label,
  ): this {
    const channelNames = names ?? (channels === this.channels ? this.channelNames : undefined);
    const make = this.constructor as SignalClass<this>;
    return new make(data, { samplerate, channels, channelNames, label });
  }
}

/** Whether `data` is pya's 2-D form: a non-empty array of channel arrays. */
function isChannelList(data: SignalData): data is readonly (readonly number[] | Float32Array)[] {
  return Array.isArray(data) && data.length > 0 && data.every((c) => Array.isArray(c) || ArrayBuffer.isView(c));
}

/** Channel arrays (all of one length) as interleaved samples. */
function fromChannels(data: readonly (readonly number[] | Float32Array)[]): Float32Array {
  const n = data[0]!.length;
  const planar = new Float32Array(n * data.length);
  data.forEach((c, i) => {
    if (c.length !== n) throw invalidArg(`every channel array must have ${n} samples (as data[0]), data[${i}] has ${c.length}`);
    planar.set(c instanceof Float32Array ? c : numbers(c, `data[${i}]`), i * n);
  });
  return dspInterleave(planar, data.length);
}
