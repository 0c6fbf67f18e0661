import { Server, type ServerPlayOptions } from '../server.js';
import type { Action } from '../../mixer/action.js';
import {
  dspAdd,
  dspAdsr,
  dspAppend,
  dspEnvelope,
  dspFade,
  dspFindEvents,
  dspGain,
  dspMeasure,
  dspMix,
  dspNorm,
  dspRemoveDc,
  dspSlice,
  dspSpectrogram,
  dspSpectrum,
  type DspLayout,
  type DspMixOp,
  checkWholeFrames,
} from '../../native/addon.js';
import { asFloat32, describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { checkBoolean, checkInteger, checkOptions, checkString } from '../../common/validate.js';
import { readWav, writeWav, type WavFormat } from '../../files/wav.js';
import { waveformSvg, type PlotOptions } from '../svg.js';
import { finite, numberOrList, numbers, positive, seconds } from './args.js';
import { eventSpec, Spectrogram, SPECTROGRAM_KEYS, Spectrum, type FindEventsOptions, type SpectrogramOptions } from './analysis.js';
import { generate, type GenOptions, type NoiseOptions, type SawtoothOptions, type SquareOptions } from './generate.js';
import { designIir, type IirFilter, type IirFilterOptions } from './filter.js';
import { Stft, type StftOptions } from './stft.js';
import { ComplexSpectrum } from './spectrum.js';
import { windowed, windowOpArgs, windowOpBy, windowRms, type WindowFn, type WindowName } from './window.js';
import { checkKind, notASignal, resampled, sliceArgs, steppedRate, type InterpKind, type ResampleKind } from './edit.js';

export type { FindEventsOptions } from './analysis.js';

/** Options of `new Signal`. */
export interface SignalOptions {
  /** Frames per second. */
  samplerate: number;
  /** Interleaved channels; default 1. */
  channels?: number;
  /** A name per channel, for selection by name (`signal.channel('left')`). */
  channelNames?: readonly string[];
  /** A label for the signal; default `''`. */
  label?: string;
}

/** A channel by zero-based index or by name. */
export type ChannelRef = number | string;

/**
 * An audio signal: interleaved samples with a sample rate (pya's Asig).
 * Every operation returns a new Signal; every loop over samples runs in
 * the Rust core, one native call per operation.
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const chord = Signal.sine({ freq: 440, samplerate: 48000 }).add(Signal.sine({ freq: 550, samplerate: 48000 }));
 * await chord.norm({ value: -3, inDb: true }).fadeOut(0.2).pan2(0.5).save('chord.wav');
 * ```
 */
export class Signal {
  /** Interleaved samples (the array given to the constructor, not a copy). */
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
   * A signal over `data` (interleaved; a Float32Array is kept as is, other
   * arrays of numbers are converted).
   */
  constructor(data: Float32Array | readonly number[], options: SignalOptions) {
    const o = checkOptions(options, ['samplerate', 'channels', 'channelNames', 'label'], 'the Signal options');
    if (options === undefined) throw invalidType('new Signal(data, { samplerate }) needs its options, got undefined');
    this.sig = Array.isArray(data) ? Float32Array.from(numbers(data, 'data')) : asFloat32(data, 'data');
    this.samplerate = positive(o.samplerate, 'samplerate');
    this.channels = checkInteger(o.channels ?? 1, 'channels', 1, 65535);
    checkWholeFrames(this.sig.length, this.channels, 'data');
    this.label = checkString(o.label ?? '', 'label');
    if (o.channelNames !== undefined) {
      if (!Array.isArray(o.channelNames) || o.channelNames.length !== this.channels) {
        throw invalidArg(`channelNames must be an array of ${this.channels} names, got ${describe(o.channelNames)}`);
      }
      this.channelNames = Object.freeze(o.channelNames.map((n, i) => checkString(n, `channelNames[${i}]`)));
    }
  }

  /**
   * Plays the signal on `server` (default: {@link Server.default}, booted
   * here on first use) into output channels `out`.. at `onset` seconds from
   * now; resolves to the Mixer's Action.
   */
  async play(options: ServerPlayOptions & { server?: Server } = {}): Promise<Action> {
    const { server, ...rest } = checkOptions(options, ['onset', 'out', 'server'], 'play options');
    const s = server ?? Server.default;
    await s.boot();
    return s.play(this, rest);
  }

  /** Frames in the signal. */
  get samples(): number {
    return this.sig.length / this.channels;
  }

  /** Duration in seconds. */
  get duration(): number {
    return this.samples / this.samplerate;
  }

  /** A one-line summary, like pya's repr: label, channels, rate, duration. */
  toString(): string {
    const names = this.channelNames ? ` (${this.channelNames.join(', ')})` : '';
    return `Signal${this.label ? ` '${this.label}'` : ''}: ${this.channels} ch${names}, ${this.samplerate} Hz, ${this.samples} frames, ${this.duration.toFixed(3)} s`;
  }

  /** @internal */
  private get layout(): DspLayout {
    return { channels: this.channels, samplerate: this.samplerate };
  }

  /** @internal A new signal over `data`, keeping the rate, label and (when the count holds) names. */
  private derive(data: Float32Array, channels = this.channels, samplerate = this.samplerate): Signal {
    const channelNames = channels === this.channels ? this.channelNames : undefined;
    return new Signal(data, { samplerate, channels, channelNames, label: this.label });
  }

  /** Reads a WAV file. */
  static async load(path: string): Promise<Signal> {
    const w = await readWav(path);
    return new Signal(w.data, { samplerate: w.samplerate, channels: w.channels, label: path });
  }

  /** Writes the signal to a WAV file (`format` default `'f32'`, as pya's `save_wavfile`). */
  async save(path: string, options?: { format?: WavFormat }): Promise<void> {
    const { format = 'f32' } = checkOptions(options, ['format'], 'the save options');
    if (!Number.isInteger(this.samplerate)) throw invalidArg(`a WAV file needs a whole samplerate, this signal has ${this.samplerate}`);
    await writeWav(path, this.sig, { samplerate: this.samplerate, channels: this.channels, format });
  }

  /** `amp * sin(2 pi freq t)`. */
  static sine(options?: GenOptions): Signal {
    return fromGen(generate('sine', options, []));
  }

  /** `amp * cos(2 pi freq t)`. */
  static cos(options?: GenOptions): Signal {
    return fromGen(generate('cos', options, []));
  }

  /** A square wave: `+amp` for the first `duty` of each period, `-amp` after. */
  static square(options?: SquareOptions): Signal {
    return fromGen(generate('square', options, ['duty']));
  }

  /** A sawtooth: rising over the first `width` of each period, falling after. */
  static sawtooth(options?: SawtoothOptions): Signal {
    return fromGen(generate('sawtooth', options, ['width']));
  }

  /** White (uniform) or pink (Kellet's filter, zero-mean, peak `amp`) noise. */
  static noise(options?: NoiseOptions): Signal {
    return fromGen(generate('white', options, ['type', 'seed']));
  }

  /** The signal times `amp` or `dbamp(db)`, a number or one per channel (one or the other). */
  gain(options: { amp?: number | readonly number[]; db?: number | readonly number[] }): Signal {
    const o = checkOptions(options, ['amp', 'db'], 'the gain options');
    if ((o.amp === undefined) === (o.db === undefined)) {
      throw invalidArg('gain takes { amp } or { db }: exactly one of them');
    }
    const amp = o.amp === undefined ? undefined : numberOrList(o.amp, 'amp');
    const db = o.db === undefined ? undefined : numberOrList(o.db, 'db');
    return this.derive(dspGain(this.sig, this.layout, amp, db));
  }

  /** pya's `norm`: each channel scaled to peak at `value` (dB when `inDb`), after removing DC when `removeDc`. */
  norm(options?: { value?: number; inDb?: boolean; removeDc?: boolean }): Signal {
    const o = checkOptions(options, ['value', 'inDb', 'removeDc'], 'the norm options');
    const norm = {
      value: finite(o.value ?? 1, 'value'),
      inDb: checkBoolean(o.inDb ?? false, 'inDb'),
      removeDc: checkBoolean(o.removeDc ?? false, 'removeDc'),
    };
    return this.derive(dspNorm(this.sig, this.layout, norm));
  }

  /** Each channel minus its mean. */
  removeDc(): Signal {
    return this.derive(dspRemoveDc(this.sig, this.layout));
  }

  private mix(op: DspMixOp, names?: readonly string[]): Signal {
    const data = dspMix(this.sig, this.layout, op);
    const channels = this.samples === 0 ? outputsOf(op, this.channels) : data.length / this.samples;
    return new Signal(data, { samplerate: this.samplerate, channels, channelNames: names, label: this.label });
  }

  /** One channel: the sum of the channels times `blend` (default `1 / channels` each). */
  mono(blend?: readonly number[]): Signal {
    return this.mix({ kind: 'mono', blend: blend === undefined ? undefined : numbers(blend, 'blend') });
  }

  /**
   * Two channels. Mono: to both sides times `[left, right]` (default `[1,
   * 1]`); stereo: each side times its gain; more: `[leftGains, rightGains]`
   * with one gain per channel (default `1 / channels` to each side).
   */
  stereo(blend?: readonly [number, number] | readonly [readonly number[], readonly number[]]): Signal {
    let flat: number[] | undefined;
    if (blend !== undefined) {
      const b: unknown = blend;
      if (!Array.isArray(b)) throw invalidType(`blend must be an array, got ${describe(b)}`);
      flat = b.every((x) => typeof x === 'number') ? numbers(b, 'blend') : b.flatMap((x: unknown, i) => numbers(x, `blend[${i}]`));
    }
    return this.mix({ kind: 'stereo', blend: flat });
  }

  /** Constant-power panning to stereo, `pan` from -1 (left) to 1 (right); beyond two channels only the first two are kept. */
  pan2(pan = 0): Signal {
    return this.mix({ kind: 'pan2', pan: finite(pan, 'pan') });
  }

  /**
   * Weighted channel routing: each `[from, to, gain]` adds channel `from`
   * (index or name) times `gain` into channel `to`; a destination named by
   * any route is the sum of its routes, the other channels stay.
   */
  rewire(routes: readonly (readonly [ChannelRef, number, number])[]): Signal {
    if (!Array.isArray(routes)) throw invalidType(`routes must be an array of [from, to, gain], got ${describe(routes)}`);
    const flat = routes.flatMap((r, i) => {
      if (!Array.isArray(r) || r.length !== 3) throw invalidType(`routes[${i}] must be [from, to, gain], got ${describe(r)}`);
      return [this.index(r[0]), checkInteger(r[1], `routes[${i}][1]`, 0, 65534), finite(r[2], `routes[${i}][2]`)];
    });
    return this.mix({ kind: 'rewire', routes: flat });
  }

  /** The channels `refs` (indices or names), in that order. */
  channel(refs: ChannelRef | readonly ChannelRef[]): Signal {
    const list = Array.isArray(refs) ? refs : [refs];
    const idx = list.map((r) => this.index(r));
    const names = this.channelNames && idx.map((i) => this.channelNames![i]);
    return this.mix({ kind: 'select', channels: idx }, names);
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

  /** pya's `fade_in`: the first `dur` seconds times `linspace(0, 1)^curve`. */
  fadeIn(dur = 0.1, curve = 1): Signal {
    return this.derive(dspFade(this.sig, this.layout, 'in', [seconds(dur, 'dur'), positive(curve, 'curve')]));
  }

  /** pya's `fade_out`: the last `dur` seconds times `linspace(1, 0)^curve`. */
  fadeOut(dur = 0.1, curve = 1): Signal {
    return this.derive(dspFade(this.sig, this.layout, 'out', [seconds(dur, 'dur'), positive(curve, 'curve')]));
  }

  /**
   * The signal times the envelope through `amps` at `times` (seconds;
   * default evenly spread), raised to `curve`; between breakpoints as
   * scipy's `interp1d` of `kind` (default `'linear'`), as pya's.
   */
  envelope(amps: readonly number[], times?: readonly number[], curve = 1, kind: InterpKind = 'linear'): Signal {
    const e = {
      amps: numbers(amps, 'amps'),
      times: times === undefined ? undefined : numbers(times, 'times'),
      curve: positive(curve, 'curve'),
      kind: checkKind(kind, false),
    };
    return this.derive(dspEnvelope(this.sig, this.layout, e));
  }

  /** pya's `adsr`: attack, decay (seconds), sustain level, release (seconds), curve. */
  adsr(attack = 0, decay = 0.1, sustain = 0.7, release = 0.1, curve = 1): Signal {
    const stages = [
      seconds(attack, 'attack'),
      seconds(decay, 'decay'),
      finite(sustain, 'sustain'),
      seconds(release, 'release'),
      positive(curve, 'curve'),
    ];
    return this.derive(dspAdsr(this.sig, this.layout, stages));
  }

  /**
   * The signal at `samplerate`, played `rate` times as fast (pya's `rate`:
   * frame `k` is the source at `k * rate / samplerate` seconds). `kind`
   * `'sinc'` (the default) is band-limited (rubato's FFT resampler; whole
   * rates); scipy's `interp1d` kinds (`'linear'`, `'cubic'`, ...) give
   * pya's numbers.
   */
  resample(samplerate: number, rate = 1, kind: ResampleKind = 'sinc'): Signal {
    const data = resampled(this.sig, this.layout, { samplerate, rate, kind });
    return this.derive(data, this.channels, samplerate);
  }

  /** This signal then `amp` times `other` (same channel count; resampled to this rate if needed). */
  append(other: Signal, amp = 1): Signal {
    const o = this.conform(other, 'other');
    if (o.channels !== this.channels) throw invalidArg(`append needs the same number of channels: ${this.channels} and ${o.channels}`);
    return this.derive(dspAppend(this.sig, o.sig, this.layout, finite(amp, 'amp')));
  }

  /** This signal plus `amp * other` from frame `pos` or from `onset` seconds (one or neither), extended if `other` runs past the end. */
  add(other: Signal, options?: { pos?: number; onset?: number; amp?: number }): Signal {
    const o = checkOptions(options, ['pos', 'onset', 'amp'], 'the add options');
    if (o.pos !== undefined && o.onset !== undefined) throw invalidArg('add takes { pos } or { onset }, not both');
    const pos = o.onset !== undefined ? Math.floor(seconds(o.onset, 'onset') * this.samplerate + 1e-9) : checkInteger(o.pos ?? 0, 'pos');
    const src = this.conform(other, 'other');
    return this.derive(dspAdd(this.sig, this.layout, src.sig, [src.channels, pos, finite(o.amp ?? 1, 'amp')]));
  }

  private conform(other: Signal, what: string): Signal {
    if (!(other instanceof Signal)) notASignal(what, other);
    return other.samplerate === this.samplerate ? other : other.resample(this.samplerate);
  }

  /** The part from `start` to `end` seconds (negative counts from the end; default the whole signal). */
  slice(options?: { start?: number; end?: number }): Signal {
    const o = checkOptions(options, ['start', 'end'], 'the slice options');
    const at = (t: unknown, what: string) => Math.round(finite(t, what) * this.samplerate);
    return this.sliceSamples(at(o.start ?? 0, 'start'), o.end === undefined ? undefined : at(o.end, 'end'));
  }

  /**
   * Frames `start` to `end` (exclusive) every `step` frames: Python's
   * `[start:end:step]` on the frames (negative indices count from the end,
   * a negative step walks backwards, `undefined` is the open end). As in
   * pya, a step other than 1 makes the rate `int(samplerate / |step|)`.
   */
  sliceSamples(start?: number, end?: number, step = 1): Signal {
    const [s, e, st] = sliceArgs(start, end, step);
    const rate = steppedRate(this.samplerate, st);
    return this.derive(dspSlice(this.sig, this.layout, s, e, st), this.channels, rate);
  }

  /** pya's `find_events`: `[startFrame, endFrame]` of each stretch of sound between silences. */
  findEvents(options?: FindEventsOptions): [number, number][] {
    const o = checkOptions(options, ['stepDur', 'silThr', 'evtMinDur', 'silMinDur', 'silPad'], 'the findEvents options');
    const spec = eventSpec(o);
    const flat = dspFindEvents(this.sig, this.layout, spec);
    const out: [number, number][] = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
    return out;
  }

  /** `sqrt(mean(x^2))` of each channel (an array for a mono signal too: `rms()[0]`). */
  rms(): number[] {
    return dspMeasure(this.sig, this.layout, 'rms');
  }

  /** `max |x|` of each channel (an array for a mono signal too: `peak()[0]`). */
  peak(): number[] {
    return dspMeasure(this.sig, this.layout, 'peak');
  }

  /** The amplitude spectrum of the whole signal (realfft), per channel. */
  spectrum(): Spectrum {
    const s = dspSpectrum(this.sig, this.layout);
    return new Spectrum(s.mags, s.bins, this.channels, this.samples, this.samplerate);
  }

  /** A short-time Fourier transform: `nfft` (default 1024) frames every `hop` (default `nfft / 4`). */
  spectrogram(options?: SpectrogramOptions): Spectrogram {
    const o = checkOptions(options, SPECTROGRAM_KEYS, 'the spectrogram options');
    const nfft = checkInteger(o.nfft ?? 1024, 'nfft', 2, 1 << 24);
    const hop = checkInteger(o.hop ?? Math.max(1, nfft >> 2), 'hop', 1, 1 << 24);
    const s = dspSpectrogram(this.sig, this.layout, [nfft, hop], checkString(o.window ?? 'hann', 'window'));
    return new Spectrogram(s.mags, { bins: s.bins, slices: s.slices, channels: this.channels }, { nfft, hop, samplerate: this.samplerate });
  }

  /** An SVG drawing of each channel's waveform (min / max per pixel column). */
  toSvg(options?: PlotOptions): string {
    return waveformSvg(this, options);
  }

  // pya's filters and inverse transforms: the logic lives in filter.ts, stft.ts and spectrum.ts.

  /**
   * pya's `iirfilter`: the signal through scipy's `iirfilter` design (in
   * second-order sections) for `cutoffFreqs` Hz, one pass (`'lfilter'`) or
   * zero phase (`'filtfilt'`, scipy's `sosfiltfilt`); label `label + '_iir'`.
   */
  iirfilter(cutoffFreqs: number | readonly number[], options?: IirFilterOptions): Signal {
    const data = this.iirDesign(cutoffFreqs, options).apply(this.sig, this.layout);
    return new Signal(data, {
      samplerate: this.samplerate,
      channels: this.channels,
      channelNames: this.channelNames,
      label: `${this.label}_iir`,
    });
  }

  /** The filter {@link Signal.iirfilter} applies, with its response (`freqz`, `plotFreqz`). */
  iirDesign(cutoffFreqs: number | readonly number[], options?: IirFilterOptions): IirFilter {
    return designIir(cutoffFreqs, this.samplerate, options);
  }

  /** pya's `to_stft`: the complex STFT with scipy's defaults (hann, nperseg 256, noverlap nperseg / 2); `toSignal()` inverts it. */
  toStft(options?: StftOptions): Stft<Signal> {
    return new Stft(this, options, makeSignal);
  }

  /** pya's `to_spec`: the complex spectrum of the whole signal (numpy's `rfft`); `toSignal()` inverts it, `weight()` shapes it. */
  toSpec(): ComplexSpectrum<Signal> {
    return ComplexSpectrum.of(this, makeSignal);
  }

  /** pya's `window`: every channel times scipy's `get_window(win, samples)` (periodic); label `label + '_' + win`. */
  window(win: WindowName = 'triang'): Signal {
    const data = windowed(this.sig, this.layout, win);
    return new Signal(data, {
      samplerate: this.samplerate,
      channels: this.channels,
      channelNames: this.channelNames,
      label: `${this.label}_${win}`,
    });
  }

  /**
   * pya's `window_op`: `fn` (`'rms'` or a function of the segment) of the
   * segment around every `stride`-th frame (`nperseg` frames, cut at the
   * ends as pya cuts them), windowed by `win`; one frame per segment at
   * rate `floor(samplerate / stride)`, label `'window_oped'`.
   */
  windowOp(nperseg = 64, stride = 32, win?: WindowName, fn: WindowFn<Signal> = 'rms', pad = 'mirror'): Signal {
    const a = windowOpArgs(nperseg, stride, pad);
    const data =
      fn === 'rms'
        ? windowRms(this.sig, this.layout, { ...a, win })
        : windowOpBy<Signal>(this, { ...a, win: win && ((seg) => seg.window(win)) }, fn);
    const samplerate = Math.floor(this.samplerate / a.stride);
    return new Signal(data, { samplerate, channels: this.channels, channelNames: this.channelNames, label: 'window_oped' });
  }
}

function makeSignal(data: Float32Array, o: SignalOptions): Signal {
  return new Signal(data, o);
}

function fromGen(g: { data: Float32Array; samplerate: number; channels: number; label: string }): Signal {
  return new Signal(g.data, { samplerate: g.samplerate, channels: g.channels, label: g.label });
}

/** The output channel count of a channel operation (for empty signals, where the data cannot tell). */
function outputsOf(op: DspMixOp, channels: number): number {
  if (op.kind === 'mono') return 1;
  if (op.kind === 'select') return op.channels?.length ?? 0;
  if (op.kind === 'rewire') {
    const r = op.routes ?? [];
    let n = channels;
    for (let i = 1; i < r.length; i += 3) n = Math.max(n, r[i] + 1);
    return n;
  }
  return 2;
}
