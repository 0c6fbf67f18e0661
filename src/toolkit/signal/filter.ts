import { dspFreqz, dspIirDesign, dspSosFilter, type DspLayout } from '../../native/addon.js';
import { invalidArg } from '../../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../../common/validate.js';
import type { SpectrumPlotOptions } from '../svg.js';
import { Spectrum } from './analysis.js';
import { numberOrList, positive } from './args.js';

/** Options of {@link Signal.iirfilter} (pya's, same defaults). */
export interface IirFilterOptions {
  /** The band passed; default `'bandpass'` (pya's and scipy's default). */
  btype?: 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';
  /** The prototype; default `'butter'`. */
  ftype?: 'butter' | 'cheby1' | 'cheby2' | 'ellip' | 'bessel';
  /** The prototype's order; default 4 (band filters have twice as many poles). */
  order?: number;
  /** `'lfilter'` (one causal pass, the default) or `'filtfilt'` (forward and backward: zero phase). */
  filter?: 'lfilter' | 'filtfilt';
  /** Passband ripple in dB (`cheby1`, `ellip`). */
  rp?: number;
  /** Stopband attenuation in dB (`cheby2`, `ellip`). */
  rs?: number;
}

const IIR_KEYS = ['btype', 'ftype', 'order', 'filter', 'rp', 'rs'] as const;

/** A filter's complex response (scipy's `sosfreqz`), from 0 Hz up to, not including, Nyquist. */
export interface FrequencyResponse {
  /** The frequencies, Hz. */
  freqs: Float64Array;
  /** Real parts of the response. */
  re: Float64Array;
  /** Imaginary parts of the response. */
  im: Float64Array;
  /** `|H|` at each frequency. */
  magnitude: Float64Array;
}

/**
 * An IIR filter designed as scipy's `iirfilter(..., output='sos')`
 * ({@link Signal.iirDesign}): its second-order sections, its response as
 * data and as a drawing.
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const f = Signal.sine({ samplerate: 8000 }).iirDesign(1000, { btype: 'lowpass', order: 4 });
 * const { freqs, magnitude } = f.freqz(512);
 * console.log(f.sections, freqs[256], magnitude[256]); // 2 sections; 2000 Hz, well below 1
 * const svg = f.plotFreqz({ title: 'lowpass 1 kHz' });
 * ```
 */
export class IirFilter {
  /** The sections, six coefficients each: `[b0, b1, b2, a0, a1, a2, ...]`, as scipy's `sos` flattened. */
  readonly sos: Float64Array;
  /** The sample rate the cutoffs were given for. */
  readonly samplerate: number;
  /** How {@link Signal.iirfilter} runs the sections. */
  readonly filter: 'lfilter' | 'filtfilt';

  /** @internal */
  constructor(sos: Float64Array, samplerate: number, filter: 'lfilter' | 'filtfilt') {
    this.sos = sos;
    this.samplerate = samplerate;
    this.filter = filter;
  }

  /** The number of second-order sections. */
  get sections(): number {
    return this.sos.length / 6;
  }

  /**
   * The response of one pass of the sections at `worN` frequencies `k *
   * samplerate / (2 worN)` (scipy's `sosfreqz(sos, worN, fs)`); a
   * `'filtfilt'` filter's magnitude is the square of this, its phase zero.
   */
  freqz(worN = 512): FrequencyResponse {
    const r = dspFreqz(this.sos, checkInteger(worN, 'worN', 1, 1 << 24), this.samplerate);
    const magnitude = r.re.map((re, i) => Math.hypot(re, r.im[i]));
    return { freqs: r.freqs, re: r.re, im: r.im, magnitude };
  }

  /** An SVG drawing of the magnitude response in dB over frequency (`worN` points, default 512). */
  plotFreqz(options?: SpectrumPlotOptions & { worN?: number }): string {
    const { worN, ...plot } = checkOptions(options, ['worN', 'width', 'height', 'title', 'rangeDb', 'xScale'], 'the plotFreqz options');
    const n = checkInteger(worN ?? 512, 'worN', 2, 1 << 24);
    const mags = Float32Array.from(this.freqz(n).magnitude);
    // The response as a one-channel spectrum: n bins, samplerate / (2 n) apart.
    return new Spectrum(mags, n, 1, 2 * n, this.samplerate).toSvg({ title: 'frequency response', rangeDb: 80, ...plot });
  }

  /** @internal Interleaved samples through the sections. */
  apply(data: Float32Array, layout: DspLayout): Float32Array {
    return dspSosFilter(data, layout, this.sos, this.filter);
  }
}

/** @internal The filter `iirfilter(cutoffFreqs, options)` designs for a signal at `samplerate`. */
export function designIir(cutoffFreqs: number | readonly number[], samplerate: number, options?: IirFilterOptions): IirFilter {
  const o = checkOptions(options, IIR_KEYS, 'the iirfilter options');
  const filter = checkString(o.filter ?? 'lfilter', 'filter');
  if (filter !== 'lfilter' && filter !== 'filtfilt') throw invalidArg(`filter must be 'lfilter' or 'filtfilt', got '${filter}'`);
  const sos = dspIirDesign({
    order: checkInteger(o.order ?? 4, 'order', 1, 32),
    cutoffs: numberOrList(cutoffFreqs, 'cutoffFreqs'),
    samplerate,
    btype: checkString(o.btype ?? 'bandpass', 'btype'),
    ftype: checkString(o.ftype ?? 'butter', 'ftype'),
    rp: o.rp === undefined ? undefined : positive(o.rp, 'rp'),
    rs: o.rs === undefined ? undefined : positive(o.rs, 'rs'),
  });
  return new IirFilter(sos, samplerate, filter);
}
