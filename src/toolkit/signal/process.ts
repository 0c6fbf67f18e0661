import { dspConvolve, dspEqual, dspOverlapAdd } from '../../native/addon.js';
import { describe } from '../../common/bytes.js';
import { invalidType } from '../../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../../common/validate.js';
import { SignalArith } from './arith.js';
import { SignalBase } from './base.js';
import { notASignal } from './edit.js';
import { designIir, type IirFilter, type IirFilterOptions } from './filter.js';
import { operand } from './operand.js';
import { windowed, windowOpArgs, windowOpBy, windowRms, type WindowFn, type WindowName } from './window.js';

/** Options of {@link SignalProcess.convolve} (pya's, same defaults). */
export interface ConvolveOptions {
  /** scipy's `mode`: `'full'` (default, every frame of the sum), `'same'` (the signal's length, centred) or `'valid'`. */
  mode?: 'full' | 'same' | 'valid';
  /** scipy's `method`: `'fft'` (default), `'direct'` or `'auto'`; the results agree to rounding. */
  method?: 'auto' | 'direct' | 'fft';
  /** pya's `norm`: `'amp'` (default) scales the result to the signal's peak; `'none'` leaves it. */
  norm?: 'amp' | 'none';
}

const CONVOLVE_KEYS = ['mode', 'method', 'norm'] as const;

/** Options of {@link SignalProcess.overlapAdd}: pya's arguments, same defaults, and a `seed` for the jitter. */
export interface OverlapAddOptions {
  /** Frames per segment; default 64. */
  nperseg?: number;
  /** Frames between segments read; default 32. */
  strideIn?: number;
  /** Frames between segments written; default 32 (`strideOut / strideIn` stretches time). */
  strideOut?: number;
  /** Each read position moves by a random 0 to `jitterIn - 1` frames; default none. */
  jitterIn?: number;
  /** Each write position moves by a random 0 to `jitterOut - 1` frames; default none. */
  jitterOut?: number;
  /** The window over each segment (scipy's name); default none. */
  win?: WindowName;
  /** pya's `pad`: only `'mirror'` (pya's only value; segments are cut at the ends as pya cuts them). */
  pad?: 'mirror';
  /** Fixes the jitter (an integer); default: from the clock, as pya's numpy draws. */
  seed?: number;
}

const OLA_KEYS = ['nperseg', 'strideIn', 'strideOut', 'jitterIn', 'jitterOut', 'win', 'pad', 'seed'] as const;

/** pya's `get_size()`: the sample array's shape and the duration. */
export interface SignalSize {
  /** `[frames, channels]` (pya's `sig.shape`; a mono signal keeps its 1). */
  shape: [number, number];
  /** Seconds. */
  duration: number;
}

/**
 * pya's signal processing on a {@link Signal}: filters, windows,
 * convolution, overlap-add, and pya's `==` and `get_size`. Every method
 * returns a new signal of the caller's class.
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const s = Signal.sine({ freq: 440, samplerate: 8000, dur: 0.5 });
 * const wet = s.convolve(Signal.noise({ samplerate: 8000, dur: 0.1, seed: 1 }).fadeOut(0.1));
 * const slow = s.overlapAdd({ nperseg: 256, strideIn: 64, strideOut: 128, win: 'hann' });
 * console.log(wet.samples, slow.samples, s.equals(s.add(0)), s.getSize()); // 7999 7936 true { shape: [4000, 1], duration: 0.5 }
 * ```
 */
export class SignalProcess extends SignalArith {
  /**
   * pya's `iirfilter`: the signal through scipy's `iirfilter` design (in
   * second-order sections) for `cutoffFreqs` Hz, one pass (`'lfilter'`) or
   * zero phase (`'filtfilt'`, scipy's `sosfiltfilt`); label `label + '_iir'`.
   */
  iirfilter(cutoffFreqs: number | readonly number[], options?: IirFilterOptions): this {
    const data = this.iirDesign(cutoffFreqs, options).apply(this.sig, this.layout);
    return this.derive(data, this.channels, this.samplerate, undefined, `${this.label}_iir`);
  }

  /** The filter {@link SignalProcess.iirfilter} applies, with its response (`freqz`, `plotFreqz`). */
  iirDesign(cutoffFreqs: number | readonly number[], options?: IirFilterOptions): IirFilter {
    return designIir(cutoffFreqs, this.samplerate, options);
  }

  /** pya's `window`: every channel times scipy's `get_window(win, samples)` (periodic); label `label + '_' + win`. */
  window(win: WindowName = 'triang'): this {
    const data = windowed(this.sig, this.layout, win);
    return this.derive(data, this.channels, this.samplerate, undefined, `${this.label}_${win}`);
  }

  /**
   * pya's `window_op`: `fn` (`'rms'` or a function of the segment) of the
   * segment around every `stride`-th frame (`nperseg` frames, cut at the
   * ends as pya cuts them), windowed by `win`; one frame per segment at
   * rate `floor(samplerate / stride)`, label `'window_oped'`.
   */
  windowOp(nperseg = 64, stride = 32, win?: WindowName, fn: WindowFn<this> = 'rms', pad = 'mirror'): this {
    const a = windowOpArgs(nperseg, stride, pad);
    const data =
      fn === 'rms'
        ? windowRms(this.sig, this.layout, { ...a, win })
        : windowOpBy<this>(this, { ...a, win: win && ((seg) => seg.window(win)) }, fn);
    return this.derive(data, this.channels, Math.floor(this.samplerate / a.stride), undefined, 'window_oped');
  }

  /**
   * pya's `convolve`: every channel convolved with `ir` (a Signal,
   * resampled to this rate first as pya does, or samples: one array, or one
   * per channel), as scipy's `convolve`. As in pya, an `ir` shorter than the
   * signal is zero-padded to its length first (so `'full'` gives `2n - 1`
   * frames), and `'amp'` gives the result the signal's peak.
   */
  convolve(
    ir: SignalBase | readonly number[] | Float32Array | readonly (readonly number[] | Float32Array)[],
    options?: ConvolveOptions,
  ): this {
    const o = checkOptions(options, CONVOLVE_KEYS, 'the convolve options');
    if (typeof ir === 'number') throw invalidType(`ir must be a Signal or an array of samples, got ${describe(ir)}`);
    const h = operand(ir, 1, this.samplerate);
    const data = dspConvolve(this.sig, this.layout, h.data, h.channels, {
      mode: checkString(o.mode ?? 'full', 'mode'),
      method: checkString(o.method ?? 'fft', 'method'),
      norm: checkString(o.norm ?? 'amp', 'norm'),
    });
    return this.derive(data);
  }

  /**
   * pya's `overlap_add`: a segment of `nperseg` frames read around every
   * `strideIn`-th frame, windowed by `win`, added every `strideOut` frames
   * (cut at the ends as pya cuts them); `floor(samples / strideIn) *
   * strideOut` frames on every channel (pya's result is mono), label
   * `label + '_ola'`.
   */
  overlapAdd(options?: OverlapAddOptions): this {
    const o = checkOptions(options, OLA_KEYS, 'the overlapAdd options');
    const { nperseg } = windowOpArgs(o.nperseg ?? 64, 1, o.pad ?? 'mirror');
    const data = dspOverlapAdd(this.sig, this.layout, {
      nperseg,
      strideIn: checkInteger(o.strideIn ?? 32, 'strideIn', 1, 1 << 24),
      strideOut: checkInteger(o.strideOut ?? 32, 'strideOut', 1, 1 << 24),
      jitterIn: checkInteger(o.jitterIn ?? 0, 'jitterIn', 0, 1 << 24),
      jitterOut: checkInteger(o.jitterOut ?? 0, 'jitterOut', 0, 1 << 24),
      win: o.win === undefined ? undefined : checkString(o.win, 'win'),
      seed: o.seed === undefined ? undefined : checkInteger(o.seed, 'seed'),
    });
    return this.derive(data, this.channels, this.samplerate, undefined, `${this.label}_ola`);
  }

  /** pya's `==`: the same samplerate, channels, frames and samples (NaN equals nothing); labels and names do not count. */
  equals(other: SignalBase): boolean {
    if (!(other instanceof SignalBase)) notASignal('other', other);
    return dspEqual(this.sig, this.layout, other.sig, { channels: other.channels, samplerate: other.samplerate });
  }

  /** pya's `get_size()`: `{ shape: [frames, channels], duration }`. */
  getSize(): SignalSize {
    return { shape: [this.samples, this.channels], duration: this.duration };
  }
}
