import { dspAmplitudes, dspIrfft, dspRfft, dspWeight } from '../../native/addon.js';
import type { SpectrumPlotOptions } from '../svg.js';
import { Spectrum } from './analysis.js';
import { describe } from '../../common/bytes.js';
import { invalidType } from '../../common/errors.js';
import { checkString } from '../../common/validate.js';
import { finite, numbers } from './args.js';
import type { InterpKind } from './edit.js';
import type { SignalMaker, StftSource } from './stft.js';

/** @internal The complex bins, their signal's layout and what makes a signal of them. */
interface SpecParts<S> {
  re: Float64Array;
  im: Float64Array;
  frames: number;
  samplerate: number;
  channels: number;
  channelNames: readonly string[] | undefined;
  label: string;
  make: SignalMaker<S>;
}

/**
 * The complex one-sided spectrum of a whole signal (pya's Aspec: numpy's
 * `rfft`, unnormalised), with its inverse ({@link ComplexSpectrum.toSignal})
 * and pya's spectral weighting ({@link ComplexSpectrum.weight}).
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const noise = Signal.noise({ samplerate: 8000, dur: 1, seed: 1 });
 * const dark = noise.toSpec().weight([1, 0.1], [500, 2000]).toSignal(); // a lowpass by hand
 * console.log(dark.label); // '_spec_weighted_2sig' after the noise's label
 * ```
 */
export class ComplexSpectrum<S = unknown> {
  /** Real parts: channel `c`'s bin `k` at `c * bins + k`. */
  readonly re: Float64Array;
  /** Imaginary parts, same layout. */
  readonly im: Float64Array;
  /** Bins per channel (`frames / 2 + 1`). */
  readonly bins: number;
  /** Frames of the analysed signal. */
  readonly frames: number;
  /** Its sample rate. */
  readonly samplerate: number;
  /** Channels. */
  readonly channels: number;
  /** Channel names, when the signal had them. */
  readonly channelNames: readonly string[] | undefined;
  /** The signal's label plus `'_spec'` (as pya). */
  readonly label: string;
  readonly #make: SignalMaker<S>;

  /**
   * @internal Made by `signal.toSpec()`; pya's `Aspec(array, sr)` is
   * `new Signal(array, { samplerate }).toSpec()`, and anything else given
   * here is refused (a TypeError, `ERR_INVALID_ARG`).
   */
  constructor(parts: SpecParts<S>) {
    if (parts === null || typeof parts !== 'object' || !(parts.re instanceof Float64Array) || typeof parts.make !== 'function') {
      throw invalidType(
        `a ComplexSpectrum is made by signal.toSpec() (pya's Aspec(array, sr): new Signal(array, { samplerate }).toSpec()), got ${describe(parts)}`,
      );
    }
    this.re = parts.re;
    this.im = parts.im;
    this.frames = parts.frames;
    this.bins = Math.floor(parts.frames / 2) + 1;
    this.samplerate = parts.samplerate;
    this.channels = parts.channels;
    this.channelNames = parts.channelNames;
    this.label = parts.label;
    this.#make = parts.make;
  }

  /** @internal numpy's `rfft` of `source`. */
  static of<S>(source: StftSource, make: SignalMaker<S>): ComplexSpectrum<S> {
    const layout = { channels: source.channels, samplerate: source.samplerate };
    const b = dspRfft(source.sig, layout);
    const frames = source.sig.length / source.channels;
    return new ComplexSpectrum({ ...source, re: b.re, im: b.im, frames, label: `${source.label}_spec`, make });
  }

  /** The frequency of each bin, Hz (`k * samplerate / frames`). */
  get freqs(): Float64Array {
    return Float64Array.from({ length: this.bins }, (_, k) => (k * this.samplerate) / this.frames);
  }

  /** `|X|` of every bin, same layout as {@link ComplexSpectrum.re}. */
  magnitude(): Float64Array {
    return this.re.map((re, i) => Math.hypot(re, this.im[i]));
  }

  /** numpy's `irfft`: the signal again, its length, rate and names; label `label + '_2sig'`. */
  toSignal(): S {
    const data = dspIrfft(this.re, this.im, this.spec());
    return this.#make(data, {
      samplerate: this.samplerate,
      channels: this.channels,
      channelNames: this.channelNames,
      label: `${this.label}_2sig`,
    });
  }

  /**
   * pya's `weight`: every bin times the gain interpolated (scipy's
   * `interp1d` of `kind`) through `weights` at `freqs` Hz (default evenly
   * from 0 Hz to Nyquist), raised to `curve`; the outer gains hold to 0 Hz
   * and to Nyquist. Label `label + '_weighted'`.
   */
  weight(weights: readonly number[], freqs?: readonly number[], curve = 1, kind: InterpKind = 'linear'): ComplexSpectrum<S> {
    const w = {
      weights: numbers(weights, 'weights'),
      freqs: freqs === undefined ? undefined : numbers(freqs, 'freqs'),
      curve: finite(curve, 'curve'),
      kind: checkString(kind, 'kind'),
    };
    const [re, im] = dspWeight(this.re, this.im, this.spec(), w);
    return new ComplexSpectrum({ ...this, re: re!, im: im!, label: `${this.label}_weighted`, make: this.#make });
  }

  /**
   * pya's `Aspec.plot`: an SVG of each channel's magnitude in dB over
   * frequency, scaled as `signal.spectrum()` (a sine of amplitude `A`
   * reads `A`), with `xlim`, `scale` and `offset` as pya's; the title
   * defaults to the label.
   */
  toSvg(options?: SpectrumPlotOptions): string {
    const mags = dspAmplitudes(this.re, this.im, this.frames);
    return new Spectrum(mags, this.bins, this.channels, this.frames, this.samplerate).toSvg({ title: this.label, ...options });
  }

  private spec(): { channels: number; frames: number; samplerate: number } {
    return { channels: this.channels, frames: this.frames, samplerate: this.samplerate };
  }
}
