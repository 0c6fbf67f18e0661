/**
 * SVG drawings of signals, spectra and spectrograms. The reductions (min /
 * max per pixel column, the spectrogram's picture) run in the Rust core;
 * this module only lays out a few thousand numbers as SVG.
 * @packageDocumentation
 */
import { dspMinMax } from '../native/addon.js';
import { describe } from '../common/bytes.js';
import { invalidArg } from '../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../common/validate.js';
import { positive } from './signal/args.js';

/** Options of every drawing. */
export interface PlotOptions {
  /** Width in pixels; default 800. */
  width?: number;
  /** Height in pixels; default 120 per channel plus the margins (at most 600). */
  height?: number;
  /** A title above the drawing; default the signal's label. */
  title?: string;
}

/** Options of a spectrum drawing. */
export interface SpectrumPlotOptions extends PlotOptions {
  /** `'log'` (the default: 20 Hz, or the first bin above 0, to Nyquist) or `'linear'` (0 Hz to Nyquist). */
  xScale?: 'log' | 'linear';
  /** dB below amplitude 1 at the bottom; default 100. */
  rangeDb?: number;
}

/** Options of a spectrogram drawing. */
export interface SpectrogramPlotOptions extends PlotOptions {
  /** The channel drawn; default 0. */
  channel?: number;
  /** dB below the loudest cell drawn as black; default 90. */
  rangeDb?: number;
}

/** What a waveform drawing needs of a signal. */
interface WaveSource {
  sig: Float32Array;
  channels: number;
  samplerate: number;
  channelNames?: readonly string[];
  label: string;
}

/** What a spectrum drawing needs. */
interface SpectrumSource {
  bins: number;
  channels: number;
  resolution: number;
  columnPeaks(c: number, columns: number, log?: readonly [number, number]): Float32Array;
}

/** What a spectrogram drawing needs. */
interface SpectrogramSource {
  channels: number;
  slices: number;
  hop: number;
  samplerate: number;
  toPng(o: { channel: number; width: number; height: number; rangeDb: number }): { png: Uint8Array; width: number; height: number };
}

const M = { left: 52, right: 12, top: 22, bottom: 22 };
const COLORS = { bg: '#ffffff', lane: '#f6f8fa', grid: '#d0d7de', text: '#57606a', wave: '#1f6feb' };
const WAVE_KEYS = ['width', 'height', 'title'] as const;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function size(o: PlotOptions, lanes: number): { width: number; height: number } {
  const width = checkInteger(o.width ?? 800, 'width', M.left + M.right + 1, 1 << 15);
  const height = checkInteger(o.height ?? Math.min(600, M.top + M.bottom + 120 * lanes), 'height', M.top + M.bottom + lanes, 1 << 15);
  return { width, height };
}

function fmt(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function timeLabel(t: number, step: number): string {
  if (step < 60) {
    const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return `${t.toFixed(digits)} s`;
  }
  const h = Math.floor(t / 3600);
  const m = Math.round((t - h * 3600) / 60);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:00` : `${m} min`;
}

function freqLabel(f: number): string {
  return f >= 1000 ? `${Number((f / 1000).toPrecision(3))}k` : `${Number(f.toPrecision(3))}`;
}

function open(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="${COLORS.bg}"/>`,
    title ? `<text x="${M.left}" y="15" fill="${COLORS.text}" font-weight="bold">${escapeXml(title)}</text>` : '',
  ];
}

/** A round step (1, 2 or 5 times a power of ten) giving at most about `n` ticks over `span`. */
function niceStep(span: number, n = 6): number {
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

function tick(x: number, y: number, text: string, anchor = 'middle'): string {
  return `<line x1="${fmt(x)}" x2="${fmt(x)}" y1="${y}" y2="${y + 3}" stroke="${COLORS.grid}"/><text x="${fmt(x)}" y="${y + 14}" fill="${COLORS.text}" text-anchor="${anchor}">${escapeXml(text)}</text>`;
}

/** Time ticks at round values over `[0, span]` seconds. */
function timeTicks(width: number, y: number, span: number): string[] {
  if (!(span > 0)) return [tick(M.left, y, '0 s', 'start')];
  const pw = width - M.left - M.right;
  const step = span >= 120 ? Math.max(60, niceStep(span / 60) * 60) : niceStep(span);
  const out: string[] = [];
  for (let t = 0; t <= span + step * 1e-9; t += step) out.push(tick(M.left + (pw * t) / span, y, timeLabel(t, step)));
  return out;
}

/** Frequency ticks at round values over `[0, span]` Hz (linear axis). */
function linearFreqTicks(width: number, y: number, span: number): string[] {
  const pw = width - M.left - M.right;
  const step = niceStep(span);
  const out: string[] = [];
  for (let f = 0; f <= span + step * 1e-9; f += step) out.push(tick(M.left + (pw * f) / span, y, freqLabel(f)));
  return out;
}

/** Frequency ticks at 1, 2, 5 x 10^k Hz over `[low, high]` (log axis). */
function logFreqTicks(width: number, y: number, low: number, high: number): string[] {
  const pw = width - M.left - M.right;
  const out: string[] = [];
  for (let p = 10 ** Math.floor(Math.log10(low)); p <= high; p *= 10) {
    for (const m of [1, 2, 5]) {
      const f = m * p;
      if (f >= low && f <= high) out.push(tick(M.left + (pw * Math.log(f / low)) / Math.log(high / low), y, freqLabel(f)));
    }
  }
  return out;
}

/**
 * The waveform of each channel, one lane each: a vertical stroke per pixel
 * column from the column's minimum to its maximum (so that an hour of
 * audio draws as fast as a second), full scale ±1 (or the peak, if louder).
 */
export function waveformSvg(s: WaveSource, options?: PlotOptions): string {
  const o = checkOptions(options, WAVE_KEYS, 'the plot options');
  const { width, height } = size(o, s.channels);
  const title = o.title === undefined ? s.label : checkString(o.title, 'title');
  const columns = width - M.left - M.right;
  const frames = s.sig.length / s.channels;
  const mm = frames > 0 ? dspMinMax(s.sig, { channels: s.channels, samplerate: s.samplerate }, columns) : new Float32Array(0);
  let full = 1;
  for (const v of mm) full = Math.max(full, Math.abs(v));
  const lane = (height - M.top - M.bottom) / s.channels;
  const out = open(width, height, title);
  for (let c = 0; c < s.channels; c++) {
    const top = M.top + c * lane;
    const mid = top + lane / 2;
    const scale = (lane / 2 - 2) / full;
    out.push(`<rect x="${M.left}" y="${fmt(top + 1)}" width="${columns}" height="${fmt(lane - 2)}" fill="${COLORS.lane}"/>`);
    out.push(`<line x1="${M.left}" x2="${M.left + columns}" y1="${fmt(mid)}" y2="${fmt(mid)}" stroke="${COLORS.grid}"/>`);
    const name = s.channelNames?.[c] ?? `ch ${c}`;
    out.push(`<text x="${M.left - 6}" y="${fmt(mid + 4)}" fill="${COLORS.text}" text-anchor="end">${escapeXml(name)}</text>`);
    const d: string[] = [];
    for (let i = 0; i < (frames > 0 ? columns : 0); i++) {
      const at = (c * columns + i) * 2;
      // Whole pixels: crisp strokes, and silence still draws one pixel row.
      const y1 = Math.floor(mid - mm[at + 1] * scale);
      const y2 = Math.max(y1 + 1, Math.ceil(mid - mm[at] * scale));
      d.push(`M${M.left + i + 0.5} ${fmt(y1)}V${fmt(y2)}`);
    }
    if (d.length) out.push(`<path d="${d.join('')}" stroke="${COLORS.wave}" stroke-width="1" fill="none"/>`);
  }
  out.push(...timeTicks(width, height - M.bottom, frames / s.samplerate));
  out.push('</svg>');
  return out.join('');
}

/**
 * A spectrum: magnitude in dB (0 dB = amplitude 1, down to -`rangeDb`) over
 * frequency in Hz, logarithmic by default; each column shows its loudest bin.
 */
export function spectrumSvg(s: SpectrumSource, options?: SpectrumPlotOptions): string {
  const o = checkOptions(options, [...WAVE_KEYS, 'rangeDb', 'xScale'], 'the plot options');
  const { width, height } = size({ height: 300, ...o }, 1);
  const range = positive(o.rangeDb ?? 100, 'rangeDb');
  const scale = checkString(o.xScale ?? 'log', 'xScale');
  if (scale !== 'log' && scale !== 'linear') throw invalidArg(`xScale must be 'log' or 'linear', got ${describe(scale)}`);
  const nyquist = (s.bins - 1) * s.resolution;
  const low = Math.max(20, s.resolution);
  const log = scale === 'log' && nyquist > low ? ([low, nyquist] as const) : undefined;
  const columns = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const out = open(width, height, o.title === undefined ? 'spectrum' : checkString(o.title, 'title'));
  out.push(`<rect x="${M.left}" y="${M.top}" width="${columns}" height="${ph}" fill="${COLORS.lane}"/>`);
  const dbStep = niceStep(range, 5);
  for (let db = 0; db <= range + 1e-9; db += dbStep) {
    const y = M.top + (db / range) * ph;
    out.push(`<line x1="${M.left}" x2="${M.left + columns}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${M.left - 6}" y="${fmt(y + 4)}" fill="${COLORS.text}" text-anchor="end">${-db} dB</text>`);
  }
  const palette = [COLORS.wave, '#cf222e', '#1a7f37', '#8250df'];
  for (let c = 0; c < s.channels; c++) {
    const peaks = s.columnPeaks(c, columns, log);
    const pts: string[] = [];
    peaks.forEach((m, i) => {
      const db = Math.max(-range, 20 * Math.log10(Math.max(m, 1e-30)));
      pts.push(`${M.left + i + 0.5},${fmt(M.top + (-db / range) * ph)}`);
    });
    out.push(`<polyline points="${pts.join(' ')}" stroke="${palette[c % palette.length]}" stroke-width="1" fill="none"/>`);
  }
  const y = height - M.bottom;
  out.push(...(log ? logFreqTicks(width, y, log[0], log[1]) : linearFreqTicks(width, y, nyquist)));
  out.push(`<text x="${width - M.right}" y="15" fill="${COLORS.text}" text-anchor="end">Hz</text>`);
  out.push('</svg>');
  return out.join('');
}

/** A spectrogram: the core's picture of one channel, stretched over the plot area, with axes. */
export function spectrogramSvg(s: SpectrogramSource, options?: SpectrogramPlotOptions): string {
  const o = checkOptions(options, [...WAVE_KEYS, 'channel', 'rangeDb'], 'the plot options');
  const { width, height } = size({ height: 300, ...o }, 1);
  const channel = checkInteger(o.channel ?? 0, 'channel', 0, s.channels - 1);
  const rangeDb = positive(o.rangeDb ?? 90, 'rangeDb');
  const pw = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  const pic = s.toPng({ channel, width: pw, height: ph, rangeDb });
  const href = `data:image/png;base64,${Buffer.from(pic.png.buffer, pic.png.byteOffset, pic.png.byteLength).toString('base64')}`;
  const out = open(width, height, o.title === undefined ? `spectrogram, channel ${channel}` : checkString(o.title, 'title'));
  out.push(
    `<image x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${href}"/>`,
  );
  const nyquist = s.samplerate / 2;
  const fstep = niceStep(nyquist, 5);
  for (let f = 0; f <= nyquist + 1e-9; f += fstep) {
    const y = M.top + ph - (ph * f) / nyquist;
    out.push(`<text x="${M.left - 6}" y="${fmt(y + 4)}" fill="${COLORS.text}" text-anchor="end">${freqLabel(f)}</text>`);
  }
  out.push(`<text x="${M.left - 6}" y="15" fill="${COLORS.text}" text-anchor="end">Hz</text>`);
  out.push(...timeTicks(width, height - M.bottom, (s.slices * s.hop) / s.samplerate));
  out.push('</svg>');
  return out.join('');
}
