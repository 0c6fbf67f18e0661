/**
 * SVG drawings of signals, spectra and spectrograms. The reductions (min /
 * max per pixel column, the spectrogram's picture) run in the Rust core;
 * this module only lays out a few thousand numbers as SVG.
 * @packageDocumentation
 */
import { dspMinMax } from '../native/addon.js';
import { describe } from '../common/bytes.js';
import { invalidArg } from '../common/errors.js';
import { checkBoolean, checkInteger, checkOptions, checkString } from '../common/validate.js';
import { finite, positive } from './signal/args.js';

/** Options of every drawing. */
export interface PlotOptions {
  /** Width in pixels; default 800. */
  width?: number;
  /** Height in pixels; default 120 per channel plus the margins (at most 600). */
  height?: number;
  /** A title above the drawing; default the signal's label. */
  title?: string;
}

/** Options of a waveform drawing (pya's `plot` options). */
export interface WaveformPlotOptions extends PlotOptions {
  /** The seconds `[start, end]` drawn (pya's `xlim`); default the whole signal. */
  xlim?: readonly [number, number];
  /** The amplitudes `[bottom, top]` of each channel's lane (pya's `ylim`); default plus and minus the peak. */
  ylim?: readonly [number, number];
  /** A factor on the amplitudes drawn (pya's `scale`); default 1. */
  scale?: number;
  /**
   * pya's stacked view: every channel in one lane, channel `c` raised by
   * `c * offset` (in amplitude units, after `scale`); default: one lane
   * per channel.
   */
  offset?: number;
  /** pya's `fn='db'`: each sample drawn as `sign(x) * 20 log10(|x| 2^16 + 1)`. */
  db?: boolean;
  /** `[startFrame, endFrame]` pairs marked by lines, starts blue and ends red (pya's `plot_events`). */
  events?: readonly (readonly [number, number])[];
}

/** Options of a spectrum drawing. */
export interface SpectrumPlotOptions extends PlotOptions {
  /** `'log'` (the default: 20 Hz, or the first bin above 0, to Nyquist) or `'linear'` (0 Hz to Nyquist). */
  xScale?: 'log' | 'linear';
  /** dB below amplitude 1 at the bottom; default 100. */
  rangeDb?: number;
  /** The frequencies `[low, high]` drawn, Hz (pya's `xlim`); default 0 (20 on a log axis) to Nyquist. */
  xlim?: readonly [number, number];
  /** A factor on the magnitudes drawn (pya's `scale`): `20 log10(scale)` dB; default 1. */
  scale?: number;
  /** pya's stacked view: channel `c` drawn `c * offset` dB higher (the axis grows to fit); default 0. */
  offset?: number;
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
  columnPeaks(c: number, columns: number, log?: readonly [number, number], xlim?: readonly [number, number]): Float32Array;
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
const PALETTE = [COLORS.wave, '#cf222e', '#1a7f37', '#8250df'];
const WAVE_KEYS = ['width', 'height', 'title'] as const;
const WAVEFORM_KEYS = [...WAVE_KEYS, 'xlim', 'ylim', 'scale', 'offset', 'db', 'events'];

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

/** Time ticks at round values over `[0, span]` seconds (labelled from `from` seconds on). */
function timeTicks(width: number, y: number, span: number, from = 0): string[] {
  if (!(span > 0)) return [tick(M.left, y, timeLabel(from, 1), 'start')];
  const pw = width - M.left - M.right;
  const step = span >= 120 ? Math.max(60, niceStep(span / 60) * 60) : niceStep(span);
  const out: string[] = [];
  for (let t = 0; t <= span + step * 1e-9; t += step) out.push(tick(M.left + (pw * t) / span, y, timeLabel(from + t, step)));
  return out;
}

/** pya's `fn='db'`, monotonic: applied to each column's min and max it gives the min and max of the mapped samples. */
const dbOf = (x: number) => Math.sign(x) * 20 * Math.log10(Math.abs(x) * 2 ** 16 + 1);

/** A pair of finite numbers, lower first. */
function range(v: unknown, what: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x)) || !(v[0] < v[1])) {
    throw invalidArg(`${what} must be [low, high] with low < high, got ${describe(v)}`);
  }
  return [v[0], v[1]];
}

/** Frequency ticks at round values over `[low, high]` Hz (linear axis). */
function linearFreqTicks(width: number, y: number, low: number, high: number): string[] {
  const pw = width - M.left - M.right;
  const span = high - low;
  const step = niceStep(span);
  const out: string[] = [];
  for (let f = Math.ceil(low / step - 1e-9) * step; f <= high + step * 1e-9; f += step) {
    out.push(tick(M.left + (pw * (f - low)) / span, y, freqLabel(f)));
  }
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
 * audio draws as fast as a second), full scale ±1 (or the peak, if louder);
 * `from` is the time of the first frame (for a part drawn with `xlim`).
 */
export function waveformSvg(s: WaveSource, options?: WaveformPlotOptions, from = 0): string {
  const o = checkOptions(options, WAVEFORM_KEYS, 'the plot options');
  const stacked = o.offset !== undefined;
  const offset = stacked ? finite(o.offset, 'offset') : 0;
  const lanes = stacked ? 1 : s.channels;
  const { width, height } = size(o, lanes);
  const title = o.title === undefined ? s.label : checkString(o.title, 'title');
  const factor = o.scale === undefined ? 1 : positive(o.scale, 'scale');
  const db = checkBoolean(o.db ?? false, 'db');
  const columns = width - M.left - M.right;
  const frames = s.sig.length / s.channels;
  const mm = frames > 0 ? dspMinMax(s.sig, { channels: s.channels, samplerate: s.samplerate }, columns) : new Float32Array(0);
  const shown = Array.from(mm, (v) => (db ? dbOf(v) : v) * factor);
  let full = db ? dbOf(1) : 1;
  for (const v of shown) full = Math.max(full, Math.abs(v));
  const raised = (s.channels - 1) * offset;
  const [lo, hi] = o.ylim === undefined ? [Math.min(-full, raised - full), Math.max(full, raised + full)] : range(o.ylim, 'ylim');
  const lane = (height - M.top - M.bottom) / lanes;
  const out = open(width, height, title);
  for (let c = 0; c < s.channels; c++) {
    const top = M.top + (stacked ? 0 : c * lane);
    const base = c * offset;
    // Value v sits at y(v): hi at the lane's top, lo at its bottom (2 px margins).
    const y = (v: number) => top + 2 + ((hi - Math.min(hi, Math.max(lo, v + base))) * (lane - 4)) / (hi - lo);
    if (!stacked || c === 0) {
      out.push(`<rect x="${M.left}" y="${fmt(top + 1)}" width="${columns}" height="${fmt(lane - 2)}" fill="${COLORS.lane}"/>`);
    }
    out.push(`<line x1="${M.left}" x2="${M.left + columns}" y1="${fmt(y(0))}" y2="${fmt(y(0))}" stroke="${COLORS.grid}"/>`);
    const name = s.channelNames?.[c] ?? `ch ${c}`;
    out.push(`<text x="${M.left - 6}" y="${fmt(y(0) + 4)}" fill="${COLORS.text}" text-anchor="end">${escapeXml(name)}</text>`);
    const d: string[] = [];
    for (let i = 0; i < (frames > 0 ? columns : 0); i++) {
      const at = (c * columns + i) * 2;
      // Whole pixels: crisp strokes, and silence still draws one pixel row.
      const y1 = Math.floor(y(shown[at + 1]!));
      const y2 = Math.max(y1 + 1, Math.ceil(y(shown[at]!)));
      d.push(`M${M.left + i + 0.5} ${fmt(y1)}V${fmt(y2)}`);
    }
    const color = stacked ? PALETTE[c % PALETTE.length] : COLORS.wave;
    if (d.length) out.push(`<path d="${d.join('')}" stroke="${color}" stroke-width="1" fill="none"/>`);
  }
  out.push(...eventLines(o.events, frames, columns, height));
  out.push(...timeTicks(width, height - M.bottom, frames / s.samplerate, from));
  out.push('</svg>');
  return out.join('');
}

/** A vertical line at each event's start (blue) and end (red). */
function eventLines(events: unknown, frames: number, columns: number, height: number): string[] {
  if (events === undefined) return [];
  if (!Array.isArray(events)) throw invalidArg(`events must be [startFrame, endFrame] pairs, got ${describe(events)}`);
  const x = (f: number) => fmt(M.left + (frames > 0 ? (columns * f) / frames : 0));
  return events.flatMap((e: unknown, i) => {
    const [a, b] = range(e, `events[${i}]`);
    return [a, b].map(
      (f, k) => `<line x1="${x(f)}" x2="${x(f)}" y1="${M.top}" y2="${height - M.bottom}" stroke="${k === 0 ? '#1f6feb' : '#cf222e'}"/>`,
    );
  });
}

/**
 * A spectrum: magnitude in dB (0 dB = amplitude 1, down to -`rangeDb`) over
 * frequency in Hz, logarithmic by default; each column shows its loudest bin.
 */
export function spectrumSvg(s: SpectrumSource, options?: SpectrumPlotOptions): string {
  const o = checkOptions(options, [...WAVE_KEYS, 'rangeDb', 'xScale', 'xlim', 'scale', 'offset'], 'the plot options');
  const { width, height } = size({ height: 300, ...o }, 1);
  const range = positive(o.rangeDb ?? 100, 'rangeDb');
  const scale = checkString(o.xScale ?? 'log', 'xScale');
  if (scale !== 'log' && scale !== 'linear') throw invalidArg(`xScale must be 'log' or 'linear', got ${describe(scale)}`);
  const gainDb = 20 * Math.log10(o.scale === undefined ? 1 : positive(o.scale, 'scale'));
  const offset = o.offset === undefined ? 0 : finite(o.offset, 'offset');
  const nyquist = (s.bins - 1) * s.resolution;
  const [from, to] = o.xlim === undefined ? [0, nyquist] : freqRange(o.xlim, nyquist);
  const low = Math.max(20, s.resolution, from);
  const log = scale === 'log' && to > low ? ([low, to] as const) : undefined;
  const columns = width - M.left - M.right;
  const ph = height - M.top - M.bottom;
  // The axis runs from topDb (0 dB, or higher for raised channels) down `range` dB.
  const topDb = Math.max(0, (s.channels - 1) * offset);
  const out = open(width, height, o.title === undefined ? 'spectrum' : checkString(o.title, 'title'));
  out.push(`<rect x="${M.left}" y="${M.top}" width="${columns}" height="${ph}" fill="${COLORS.lane}"/>`);
  const dbStep = niceStep(range, 5);
  for (let db = 0; db <= range + 1e-9; db += dbStep) {
    const y = M.top + (db / range) * ph;
    out.push(`<line x1="${M.left}" x2="${M.left + columns}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${M.left - 6}" y="${fmt(y + 4)}" fill="${COLORS.text}" text-anchor="end">${topDb - db} dB</text>`);
  }
  for (let c = 0; c < s.channels; c++) {
    const peaks = s.columnPeaks(c, columns, log, log ? undefined : [from, to]);
    const pts: string[] = [];
    peaks.forEach((m, i) => {
      const db = Math.max(topDb - range, 20 * Math.log10(Math.max(m, 1e-30)) + gainDb + c * offset);
      pts.push(`${M.left + i + 0.5},${fmt(M.top + ((topDb - db) / range) * ph)}`);
    });
    out.push(`<polyline points="${pts.join(' ')}" stroke="${PALETTE[c % PALETTE.length]}" stroke-width="1" fill="none"/>`);
  }
  const y = height - M.bottom;
  out.push(...(log ? logFreqTicks(width, y, log[0], log[1]) : linearFreqTicks(width, y, from, to)));
  out.push(`<text x="${width - M.right}" y="15" fill="${COLORS.text}" text-anchor="end">Hz</text>`);
  out.push('</svg>');
  return out.join('');
}

/** A spectrum's `xlim`: `[low, high]` Hz within 0 to Nyquist. */
function freqRange(v: unknown, nyquist: number): [number, number] {
  const [a, b] = range(v, 'xlim');
  if (a < 0 || b > nyquist) throw invalidArg(`xlim must lie within 0 to ${nyquist} Hz (Nyquist), got [${a}, ${b}]`);
  return [a, b];
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
