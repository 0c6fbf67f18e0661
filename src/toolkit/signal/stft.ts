import { dspAmplitudes, dspIstft, dspStft, type DspLayout } from '../../native/addon.js';
import type { SpectrogramPlotOptions } from '../svg.js';
import { Spectrogram } from './analysis.js';
import { describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../../common/validate.js';

/** Options of {@link Signal.toStft} (scipy's `stft`, same defaults). */
export interface StftOptions {
  /** Window; default `'hann'` (periodic, as scipy's `get_window`). */
  window?: 'hann' | 'hamming' | 'blackman' | 'rect';
  /** Frames per segment (the FFT size); default 256, or the signal's length when shorter (as scipy). */
  nperseg?: number;
  /** Frames shared by neighbouring segments; default `floor(nperseg / 2)`. */
  noverlap?: number;
}

const STFT_KEYS = ['window', 'nperseg', 'noverlap'] as const;

/** @internal What an {@link Stft} needs to make a signal of its inverse. */
export type SignalMaker<S> = (
  data: Float32Array,
  o: { samplerate: number; channels: number; channelNames?: readonly string[]; label: string },
) => S;

/** @internal The analysed signal's layout and names. */
export interface StftSource {
  sig: Float32Array;
  samplerate: number;
  channels: number;
  channelNames: readonly string[] | undefined;
  label: string;
}

/**
 * A complex short-time Fourier transform (pya's Astft, scipy's `stft`):
 * bins divided by the window's sum (scipy's `'spectrum'` scaling), segment
 * `s` centred on frame `s * (nperseg - noverlap)`; {@link Stft.toSignal}
 * inverts it (scipy's `istft`).
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const s = Signal.sine({ freq: 1000, samplerate: 8000, dur: 0.5 });
 * const st = s.toStft();
 * console.log(st.bins, st.segments, st.freqs[32]); // 129 bins; bin 32 is 1000 Hz
 * const back = st.toSignal(); // s again, within 1e-6
 * ```
 */
export class Stft<S = unknown> {
  /** Real parts: channel `c`, segment `s`, bin `k` at `(c * segments + s) * bins + k`. */
  readonly re: Float64Array;
  /** Imaginary parts, same layout as {@link Stft.re}. */
  readonly im: Float64Array;
  /** Bins per segment (`nperseg / 2 + 1`). */
  readonly bins: number;
  /** Segments per channel. */
  readonly segments: number;
  /** Channels. */
  readonly channels: number;
  /** Channel names of the analysed signal, when it had them. */
  readonly channelNames: readonly string[] | undefined;
  /** The analysed signal's label plus `'_stft'` (as pya). */
  readonly label: string;
  /** The analysed signal's sample rate. */
  readonly samplerate: number;
  /** Frames in the analysed signal (the length {@link Stft.toSignal} restores). */
  readonly frames: number;
  /** Frames per segment. */
  readonly nperseg: number;
  /** Frames shared by neighbouring segments. */
  readonly noverlap: number;
  /** The window. */
  readonly window: NonNullable<StftOptions['window']>;
  readonly #make: SignalMaker<S>;

  /**
   * @internal Made by `signal.toStft(options)`; pya's `Astft(array, sr)` is
   * `new Signal(array, { samplerate }).toStft()`, and anything else given
   * here is refused (a TypeError, `ERR_INVALID_ARG`).
   */
  constructor(source: StftSource, options: StftOptions | undefined, make: SignalMaker<S>) {
    if (source === null || typeof source !== 'object' || !(source.sig instanceof Float32Array) || typeof make !== 'function') {
      throw invalidType(
        `an Stft is made by signal.toStft() (pya's Astft(array, sr): new Signal(array, { samplerate }).toStft()), got ${describe(source)}`,
      );
    }
    const o = checkOptions(options, STFT_KEYS, 'the STFT options');
    this.frames = source.sig.length / source.channels;
    if (this.frames < 2) throw invalidArg(`the STFT needs a signal of at least 2 frames, got ${this.frames}`);
    // As scipy: a segment longer than the signal shrinks to it, before noverlap's default.
    this.nperseg = Math.min(checkInteger(o.nperseg ?? 256, 'nperseg', 2, 1 << 24), this.frames);
    this.noverlap = checkInteger(o.noverlap ?? Math.floor(this.nperseg / 2), 'noverlap', 0, this.nperseg - 1);
    const window = checkString(o.window ?? 'hann', 'window');
    const s = dspStft(source.sig, layoutOf(source), [this.nperseg, this.noverlap], window);
    this.window = window as NonNullable<StftOptions['window']>;
    this.re = s.re;
    this.im = s.im;
    this.bins = s.bins;
    this.segments = s.segments;
    this.channels = source.channels;
    this.channelNames = source.channelNames;
    this.samplerate = source.samplerate;
    this.label = `${source.label}_stft`;
    this.#make = make;
  }

  /** The frequency of each bin, Hz (scipy's `f`). */
  get freqs(): Float64Array {
    return Float64Array.from({ length: this.bins }, (_, k) => (k * this.samplerate) / this.nperseg);
  }

  /** The centre time of each segment, seconds (scipy's `t`). */
  get times(): Float64Array {
    const hop = this.nperseg - this.noverlap;
    return Float64Array.from({ length: this.segments }, (_, s) => (s * hop) / this.samplerate);
  }

  /** `|Z|` of every bin, same layout as {@link Stft.re}. */
  magnitude(): Float64Array {
    return this.re.map((re, i) => Math.hypot(re, this.im[i]));
  }

  /**
   * pya's `Astft.plot`: an SVG of one channel (`channel`, default 0), time
   * across, frequency up, dB below the loudest cell as colour; the title
   * defaults to the label.
   */
  toSvg(options?: SpectrogramPlotOptions): string {
    const mags = dspAmplitudes(this.re, this.im, this.nperseg);
    const shape = { bins: this.bins, slices: this.segments, channels: this.channels };
    const framing = { nfft: this.nperseg, hop: this.nperseg - this.noverlap, samplerate: this.samplerate };
    return new Spectrogram(mags, shape, framing).toSvg({ title: this.label, ...options });
  }

  /**
   * scipy's `istft`: the signal again (within 1e-6 where the window and
   * overlap satisfy COLA), the analysed length, rate and channel names;
   * label `label + '_2sig'` (as pya).
   */
  toSignal(): S {
    const data = dspIstft(this.re, this.im, {
      channels: this.channels,
      bins: this.bins,
      segments: this.segments,
      frames: this.frames,
      framing: [this.nperseg, this.noverlap],
      window: this.window,
    });
    return this.#make(data, {
      samplerate: this.samplerate,
      channels: this.channels,
      channelNames: this.channelNames,
      label: `${this.label}_2sig`,
    });
  }
}

function layoutOf(s: StftSource): DspLayout {
  return { channels: s.channels, samplerate: s.samplerate };
}
