import { dspHeatmapPng, dspLogPeaks, dspMinMax } from '../../native/addon.js';
import { checkInteger, checkOptions } from '../../common/validate.js';
import { invalidArg } from '../../common/errors.js';
import { finite, nonNegative, numbers, positive, seconds } from './args.js';
import { spectrogramSvg, spectrumSvg, type SpectrumPlotOptions, type SpectrogramPlotOptions } from '../svg.js';

/**
 * The amplitude spectrum of each channel of a whole signal
 * ({@link Signal.spectrum}): a sine of amplitude `A` reads `A` at its bin.
 */
export class Spectrum {
  /** Bins per channel (`frames / 2 + 1`). */
  readonly bins: number;
  /** Channels. */
  readonly channels: number;
  /** Hz between bins (`samplerate / frames`). */
  readonly resolution: number;
  /** Planar magnitudes: channel `c`'s bin `k` is `mags[c * bins + k]`. */
  readonly mags: Float32Array;
  /** The analysed signal's sample rate. */
  readonly samplerate: number;

  /** @internal */
  constructor(mags: Float32Array, bins: number, channels: number, frames: number, samplerate: number) {
    this.mags = mags;
    this.bins = bins;
    this.channels = channels;
    this.samplerate = samplerate;
    this.resolution = samplerate / frames;
  }

  /** The frequency of each bin, Hz. */
  get freqs(): Float64Array {
    return Float64Array.from({ length: this.bins }, (_, k) => k * this.resolution);
  }

  /** The magnitudes of channel `c` (a view, no copy). */
  channel(c = 0): Float32Array {
    checkInteger(c, 'channel', 0, this.channels - 1);
    return this.mags.subarray(c * this.bins, (c + 1) * this.bins);
  }

  /**
   * The loudest magnitude of channel `c` in each of `columns` plot columns:
   * evenly spread over the bins (those from `xlim[0]` to `xlim[1]` Hz when
   * given), or, with `log: [low, high]`, over a logarithmic frequency axis
   * from `low` to `high` Hz.
   */
  columnPeaks(c: number, columns: number, log?: readonly [number, number], xlim?: readonly [number, number]): Float32Array {
    const n = checkInteger(columns, 'columns', 1, 1 << 20);
    if (log) {
      return dspLogPeaks(this.channel(c), {
        resolution: this.resolution,
        low: positive(log[0], 'low'),
        high: positive(log[1], 'high'),
        columns: n,
      });
    }
    let bins = this.channel(c);
    if (xlim) {
      const first = Math.min(bins.length - 1, Math.max(0, Math.ceil(finite(xlim[0], 'xlim[0]') / this.resolution - 1e-9)));
      bins = bins.subarray(first, Math.max(first + 1, Math.floor(finite(xlim[1], 'xlim[1]') / this.resolution + 1e-9) + 1));
    }
    const mm = dspMinMax(bins, { channels: 1, samplerate: 1 }, n);
    return Float32Array.from({ length: n }, (_, i) => mm[i * 2 + 1]);
  }

  /** An SVG drawing: magnitude in dB over frequency (logarithmic by default), one line per channel. */
  toSvg(options?: SpectrumPlotOptions): string {
    return spectrumSvg(this, options);
  }
}

/** Options of {@link Signal.spectrogram}. */
export interface SpectrogramOptions {
  /** Frames per transform; default 1024. */
  nfft?: number;
  /** Frames between transforms; default `nfft / 4`. */
  hop?: number;
  /** Window; default `'hann'`. */
  window?: 'hann' | 'hamming' | 'blackman' | 'rect';
}

/** @internal The option names of {@link SpectrogramOptions}. */
export const SPECTROGRAM_KEYS = ['nfft', 'hop', 'window'] as const;

/**
 * A short-time Fourier transform ({@link Signal.spectrogram}): amplitude
 * magnitudes per channel, per time slice, per bin.
 */
export class Spectrogram {
  /** Bins per slice (`nfft / 2 + 1`). */
  readonly bins: number;
  /** Time slices per channel. */
  readonly slices: number;
  /** Channels. */
  readonly channels: number;
  /** Frames per transform. */
  readonly nfft: number;
  /** Frames between slices. */
  readonly hop: number;
  /** The analysed signal's sample rate. */
  readonly samplerate: number;
  /** Planar magnitudes: `mags[(c * slices + s) * bins + k]`. */
  readonly mags: Float32Array;

  /** @internal */
  constructor(
    mags: Float32Array,
    shape: { bins: number; slices: number; channels: number },
    framing: { nfft: number; hop: number; samplerate: number },
  ) {
    this.mags = mags;
    this.bins = shape.bins;
    this.slices = shape.slices;
    this.channels = shape.channels;
    this.nfft = framing.nfft;
    this.hop = framing.hop;
    this.samplerate = framing.samplerate;
  }

  /** The frequency of each bin, Hz. */
  get freqs(): Float64Array {
    return Float64Array.from({ length: this.bins }, (_, k) => (k * this.samplerate) / this.nfft);
  }

  /** The start time of each slice, seconds. */
  get times(): Float64Array {
    return Float64Array.from({ length: this.slices }, (_, s) => (s * this.hop) / this.samplerate);
  }

  /** Slice `s` of channel `c` (a view, no copy). */
  slice(s: number, c = 0): Float32Array {
    checkInteger(c, 'channel', 0, this.channels - 1);
    checkInteger(s, 'slice', 0, this.slices - 1);
    const at = (c * this.slices + s) * this.bins;
    return this.mags.subarray(at, at + this.bins);
  }

  /**
   * A PNG picture of channel `channel`: time across, frequency up, dB
   * below the loudest cell as colour (`rangeDb` to black).
   */
  toPng(options?: { channel?: number; width?: number; height?: number; rangeDb?: number }): {
    png: Uint8Array;
    width: number;
    height: number;
  } {
    const o = checkOptions(options, ['channel', 'width', 'height', 'rangeDb'], 'the picture options');
    return dspHeatmapPng(this.mags, {
      bins: this.bins,
      slices: this.slices,
      channel: checkInteger(o.channel ?? 0, 'channel', 0, this.channels - 1),
      width: checkInteger(o.width ?? 800, 'width', 1, 1 << 15),
      height: checkInteger(o.height ?? 300, 'height', 1, 1 << 15),
      rangeDb: positive(o.rangeDb ?? 90, 'rangeDb'),
    });
  }

  /** An SVG drawing: the picture of one channel with time and frequency axes. */
  toSvg(options?: SpectrogramPlotOptions): string {
    return spectrogramSvg(this, options);
  }
}

/** Options of {@link Signal.findEvents} (pya's `find_events`, same defaults). */
export interface FindEventsOptions {
  /** Seconds per analysis step; default 0.001. */
  stepDur?: number;
  /** A step whose RMS is above this (dB) is sound; default -20. */
  silThr?: number;
  /** Shorter events are dropped (seconds); default 0. */
  evtMinDur?: number;
  /** Silence longer than this ends an event (seconds); default 0.1. */
  silMinDur?: number;
  /** Seconds added before and after each event; default [0.001, 0.1]. */
  silPad?: number | readonly [number, number];
}

/** @internal {@link FindEventsOptions} checked, with pya's defaults, as the core takes them. */
export function eventSpec(o: FindEventsOptions): {
  stepDur: number;
  silThr: number;
  evtMinDur: number;
  silMinDur: number;
  silPad: number[];
} {
  const pad = typeof o.silPad === 'number' ? [o.silPad, o.silPad] : numbers(o.silPad ?? [0.001, 0.1], 'silPad');
  if (pad.length !== 2) throw invalidArg(`silPad must be a number or [before, after], got ${pad.length} values`);
  return {
    stepDur: positive(o.stepDur ?? 0.001, 'stepDur'),
    silThr: finite(o.silThr ?? -20, 'silThr'),
    evtMinDur: seconds(o.evtMinDur ?? 0, 'evtMinDur'),
    silMinDur: seconds(o.silMinDur ?? 0.1, 'silMinDur'),
    silPad: pad.map((p, i) => nonNegative(p, `silPad[${i}]`)),
  };
}
