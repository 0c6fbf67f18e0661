import { dspGenerate, type DspGenSpec } from '../../native/addon.js';
import { defaults } from '../../device/defaults.js';
import { describe } from '../../common/bytes.js';
import { invalidArg } from '../../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../../common/validate.js';
import { finite, positive, seconds } from './args.js';

/** Options of every generator (pya's Ugen), with pya's defaults (but the rate, `defaults.samplerate`). */
export interface GenOptions {
  /** Frequency in Hz; default 440. */
  freq?: number;
  /** Peak amplitude; default 1. */
  amp?: number;
  /** Duration in seconds; default 1 (give `dur` or `samples`, not both). */
  dur?: number;
  /** Length in frames. */
  samples?: number;
  /** Frames per second; default `defaults.samplerate` (48000 unless changed), so that a generated signal plays on the default server as it is. */
  samplerate?: number;
  /** Channels, each the same signal; default 1. */
  channels?: number;
  /** The new signal's label; default the wave's name. */
  label?: string;
  /** A name per channel (pya's `cn`). */
  channelNames?: readonly string[];
}

/** Options of `Signal.square`. */
export interface SquareOptions extends GenOptions {
  /** Fraction of each period at `+amp`; default 0.5. */
  duty?: number;
  /**
   * pya's `sample_shift`: each sample is taken `sampleShift / frames`
   * seconds late; default 0.5, as pya's, which keeps samples off the edges.
   */
  sampleShift?: number;
}

/** Options of `Signal.sawtooth`. */
export interface SawtoothOptions extends GenOptions {
  /** Fraction of each period spent rising; default 1 (a rising ramp). */
  width?: number;
}

/** Options of `Signal.noise`. */
export interface NoiseOptions extends Omit<GenOptions, 'freq'> {
  /** `'white'` (uniform in ±amp, the default) or `'pink'` (1/f, zero-mean, peak `amp`). */
  type?: 'white' | 'pink';
  /** Seed for a reproducible noise; default a fresh one each call. */
  seed?: number;
}

const BASE = ['freq', 'amp', 'dur', 'samples', 'samplerate', 'channels', 'label', 'channelNames'] as const;

/** @internal A generated signal's samples and layout. */
export interface Generated {
  data: Float32Array;
  samplerate: number;
  channels: number;
  label: string;
  channelNames: readonly string[] | undefined;
}

/** @internal Generates `wave` from checked options. */
export function generate(wave: DspGenSpec['wave'], options: object | undefined, extra: readonly string[]): Generated {
  const keys = [...BASE, ...extra].filter((k) => !(wave === 'white' && k === 'freq'));
  const o = checkOptions(options as Record<string, unknown> | undefined, keys, `the ${wave} options`);
  const samplerate = positive(o.samplerate ?? defaults.samplerate, 'samplerate');
  const channels = checkInteger(o.channels ?? 1, 'channels', 1, 65535);
  if (o.dur !== undefined && o.samples !== undefined) {
    throw invalidArg(`give dur or samples, not both (got dur ${describe(o.dur)} and samples ${describe(o.samples)})`);
  }
  const frames = o.samples !== undefined ? checkInteger(o.samples, 'samples') : Math.floor(seconds(o.dur ?? 1, 'dur') * samplerate + 1e-9);
  let kind: DspGenSpec['wave'] = wave;
  if (wave === 'white') {
    const type = checkString(o.type ?? 'white', 'type');
    if (type !== 'white' && type !== 'pink') throw invalidArg(`type must be 'white' or 'pink', got ${describe(type)}`);
    kind = type;
  }
  const data = dspGenerate(
    {
      wave: kind,
      freq: finite(o.freq ?? 440, 'freq'),
      amp: finite(o.amp ?? 1, 'amp'),
      frames,
      duty: o.duty === undefined ? undefined : finite(o.duty, 'duty'),
      sampleShift: wave === 'square' ? finite(o.sampleShift ?? 0.5, 'sampleShift') : undefined,
      width: o.width === undefined ? undefined : finite(o.width, 'width'),
      seed: o.seed === undefined ? undefined : checkInteger(o.seed, 'seed'),
    },
    { channels, samplerate },
  );
  const label = o.label === undefined ? (wave === 'white' ? `${kind} noise` : kind) : checkString(o.label, 'label');
  return { data, samplerate, channels, label, channelNames: o.channelNames as readonly string[] | undefined };
}
