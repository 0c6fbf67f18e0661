import { Server, type ServerPlayOptions } from '../server.js';
import type { Action } from '../../mixer/action.js';
import {
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
  dspSpectrogram,
  dspSpectrum,
  type DspMixOp,
} from '../../native/addon.js';
import { describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { checkBoolean, checkInteger, checkOptions, checkString } from '../../common/validate.js';
import { readAudio } from '../../files/audio.js';
import { saveSignal, type SaveOptions } from './save.js';
import { waveformSvg, type WaveformPlotOptions } from '../svg.js';
import { finite, numberOrList, numbers, positive, seconds } from './args.js';
import { eventSpec, Spectrogram, SPECTROGRAM_KEYS, Spectrum, type FindEventsOptions, type SpectrogramOptions } from './analysis.js';
import { generate, type Generated, type GenOptions, type NoiseOptions, type SawtoothOptions, type SquareOptions } from './generate.js';
import { checkKind, notASignal, resampled, type InterpKind, type ResampleKind } from './edit.js';
import { SignalProcess } from './process.js';
import { type ChannelRef, SignalBase, type SignalOptions } from './base.js';
import { operand } from './operand.js';
import { SignalBlocks } from './blocks.js';
import { Stft, type StftOptions } from './stft.js';
import { ComplexSpectrum } from './spectrum.js';

export type { FindEventsOptions } from './analysis.js';
export type { SignalOptions, ChannelRef } from './base.js';

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
export class Signal extends SignalProcess {
  /**
   * Plays the signal on `server` (default: {@link Server.default}, booted
   * here on first use) into output channels `out`.. at `onset` seconds from
   * now, `rate` times as fast (pya's `play(rate)`: resampled by linear
   * interpolation, as pya's); resolves to the Mixer's Action.
   */
  async play(options: ServerPlayOptions & { server?: Server; rate?: number } = {}): Promise<Action> {
    const { server, rate = 1, ...rest } = checkOptions(options, ['onset', 'out', 'server', 'rate'], 'play options');
    const s = server ?? Server.default;
    const sound = positive(rate, 'rate') === 1 ? this : this.resample(this.samplerate, rate, 'linear');
    await s.boot();
    return s.play(sound, rest);
  }

  /** Reads an audio file: WAV, FLAC, Ogg Vorbis, MP3, AIFF, AU or CAF (see `readAudio`). */
  static async load(path: string): Promise<Signal> {
    const w = await readAudio(path);
    return new Signal(w.data, { samplerate: w.samplerate, channels: w.channels, label: path });
  }

  /**
   * Writes the signal to an audio file in any writable format (WAV, FLAC,
   * AIFF, AU, RAW), chosen by `format` or the extension as `writeAudio`
   * chooses; the encoding defaults to float where the format holds it
   * (pya's `save_wavfile`), else 24-bit.
   */
  async save(path: string, options?: SaveOptions): Promise<void> {
    await saveSignal(path, this.sig, { samplerate: this.samplerate, channels: this.channels }, options);
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
    return fromGen(generate('square', options, ['duty', 'sampleShift']));
  }

  /** A sawtooth: rising over the first `width` of each period, falling after. */
  static sawtooth(options?: SawtoothOptions): Signal {
    return fromGen(generate('sawtooth', options, ['width']));
  }

  /** White (uniform) or pink (Kellet's filter, zero-mean, peak `amp`) noise. */
  static noise(options?: NoiseOptions): Signal {
    return fromGen(generate('white', options, ['type', 'seed']));
  }

  /**
   * The signal times `amp` or `dbamp(db)`, a number or one per channel (not
   * both); with neither, amp 1: an unchanged copy, as pya's `gain()`.
   */
  gain(options: { amp?: number | readonly number[]; db?: number | readonly number[] } = {}): Signal {
    const o = checkOptions(options, ['amp', 'db'], 'the gain options');
    if (o.amp !== undefined && o.db !== undefined) {
      throw invalidArg('gain takes { amp } or { db }: not both');
    }
    const amp = o.amp === undefined ? (o.db === undefined ? [1] : undefined) : numberOrList(o.amp, 'amp');
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
    if (!(other instanceof SignalBase)) notASignal('other', other);
    const o = operand(other, other.channels, this.samplerate);
    if (o.channels !== this.channels) throw invalidArg(`append needs the same number of channels: ${this.channels} and ${o.channels}`);
    return this.derive(dspAppend(this.sig, o.data, this.layout, finite(amp, 'amp')));
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

  /**
   * pya's `select_event`: the frames of one event of `events` (default
   * `findEvents()` with its defaults), the one at `index` or the one whose
   * start is nearest `onset` seconds (one or the other).
   */
  selectEvent(which: { index?: number; onset?: number }, events: readonly (readonly [number, number])[] = this.findEvents()): Signal {
    const w = checkOptions(which, ['index', 'onset'], 'selectEvent');
    if ((w.index === undefined) === (w.onset === undefined))
      throw invalidArg('selectEvent takes { index } or { onset }: exactly one of them');
    if (!Array.isArray(events) || events.length === 0) throw invalidArg('selectEvent needs events: the signal has none (see findEvents)');
    let i: number;
    if (w.onset !== undefined) {
      const at = finite(w.onset, 'onset') * this.samplerate;
      i = events.reduce((best, e, k) => (Math.abs(e[0] - at) < Math.abs(events[best]![0] - at) ? k : best), 0);
    } else {
      i = checkInteger(w.index, 'index', 0, events.length - 1);
    }
    const [beg, end] = events[i]!;
    return this.sliceSamples(beg, end);
  }

  /**
   * pya's `custom`: `fn(this, ...args)`, for a step of one's own in a chain;
   * its result when it returns a Signal, else this signal.
   */
  custom<A extends unknown[]>(fn: (s: Signal, ...args: A) => unknown, ...args: A): Signal {
    if (typeof fn !== 'function') throw invalidType(`custom takes a function, got ${describe(fn)}`);
    const r = fn(this, ...args);
    return r instanceof Signal ? r : this;
  }

  /** OsSom's blockwise reading: a reader of `blocksize` frames at a time (views, no copy) with its read index. */
  blocks(blocksize = 512): SignalBlocks {
    return new SignalBlocks(this.sig, this.channels, blocksize);
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

  /**
   * An SVG drawing of each channel's waveform (min / max per pixel column),
   * with pya's `plot` options: `xlim` (seconds), `ylim`, `scale`, `db`.
   */
  toSvg(options?: WaveformPlotOptions): string {
    const xlim = options?.xlim;
    if (xlim === undefined) return waveformSvg(this, options);
    if (!Array.isArray(xlim) || xlim.length !== 2) throw invalidArg(`xlim must be [start, end] in seconds, got ${describe(xlim)}`);
    const part = this.slice({ start: xlim[0], end: xlim[1] });
    const at = Math.round(finite(xlim[0], 'xlim[0]') * this.samplerate);
    const first = Math.min(this.samples, at < 0 ? Math.max(0, this.samples + at) : at);
    const from = first / this.samplerate;
    // Events are frames of the whole signal: move them to the part's.
    const events = options?.events?.map(([a, b]) => [a - first, b - first] as const);
    return waveformSvg(part, { ...options, events }, from);
  }

  /** pya's `plot_events`: the waveform with each event's start (blue) and end (red) marked; default `findEvents()`. */
  plotEvents(events: readonly (readonly [number, number])[] = this.findEvents(), options?: WaveformPlotOptions): string {
    return this.toSvg({ ...options, events });
  }

  // pya's inverse transforms: the logic lives in stft.ts and spectrum.ts.

  /** pya's `to_stft`: the complex STFT with scipy's defaults (hann, nperseg 256, noverlap nperseg / 2); `toSignal()` inverts it. */
  toStft(options?: StftOptions): Stft<Signal> {
    return new Stft(this, options, makeSignal);
  }

  /** pya's `to_spec`: the complex spectrum of the whole signal (numpy's `rfft`); `toSignal()` inverts it, `weight()` shapes it. */
  toSpec(): ComplexSpectrum<Signal> {
    return ComplexSpectrum.of(this, makeSignal);
  }
}

function makeSignal(data: Float32Array, o: SignalOptions): Signal {
  return new Signal(data, o);
}

function fromGen(g: Generated): Signal {
  return new Signal(g.data, { samplerate: g.samplerate, channels: g.channels, label: g.label, channelNames: g.channelNames });
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
