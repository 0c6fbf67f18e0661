// The status line while a stream runs (elapsed time, progress, level
// meters, xruns, callback load) and the summary at the end. Levels come from
// the audio callback (takeLevels): no loop over samples runs here.
import type { Stream } from '../stream/stream.js';
import { clock } from './units.js';

/** Peak levels per device channel. */
export interface Levels {
  input: number[];
  output: number[];
}

/** dBFS of a peak level (`-inf` for silence). */
export function dbfs(peak: number): string {
  if (!(peak > 0)) return '-inf';
  const db = (20 * Math.log10(peak)).toFixed(1);
  if (db === '-0.0') return '0.0';
  return peak > 1 ? `+${db}` : db;
}

const BAR = 8;

/** A meter for one channel: a bar from -60 to 0 dBFS (when `bar`), and the number. */
function meter(peak: number, bar: boolean): string {
  const db = dbfs(peak);
  if (!bar) return db;
  const fill = peak > 0 ? Math.max(0, Math.min(BAR, Math.round(((20 * Math.log10(peak) + 60) / 60) * BAR))) : 0;
  return `${'#'.repeat(fill)}${'.'.repeat(BAR - fill)} ${db.padStart(5)}`;
}

/** What one status line shows. */
export interface StatusInfo {
  /** Seconds played / recorded so far. */
  elapsed: number;
  /** Seconds left, when the length is known. */
  remaining: number | undefined;
  /** Share done (0..1), when the length is known. */
  progress: number | undefined;
  /** Frames written so far: to the device when playing, to the file when only recording (sox's `Out:`). */
  written: number;
  /** The peaks since the previous line. */
  levels: Levels;
  /** Samples past full scale so far, per direction. */
  clipped: { input: number; output: number };
  xruns: number;
  /** Callback load (1 = the whole block period). */
  cpu: number;
}

/** A count with three significant figures and a k / M / G suffix, as sox shows its `Out:` count (`49.2k`). */
export function count(n: number): string {
  if (n < 1000) return String(Math.round(n));
  const [div, unit] = n < 1e6 ? [1e3, 'k'] : n < 1e9 ? [1e6, 'M'] : [1e9, 'G'];
  const v = n / div;
  // toPrecision(3) of 999.96 is "1.00e+3": keep the digits, not the exponent.
  return `${v >= 999.5 ? Math.floor(v) : v.toPrecision(3)}${unit}`;
}

/**
 * The levels of detail of the status line, fullest first. As the terminal
 * narrows, fields shrink or go in this fixed order: the progress bar becomes a
 * percentage, the meters lose their bars, the callback load goes, each
 * direction's meters become its loudest channel, labels shorten, the
 * percentage goes. Time, remaining time, meters, clips and xruns stay.
 */
const DETAIL = [
  { bar: true, meterBar: true, cpu: true, perChannel: true, short: false, pct: true },
  { bar: false, meterBar: true, cpu: true, perChannel: true, short: false, pct: true },
  { bar: false, meterBar: false, cpu: true, perChannel: true, short: false, pct: true },
  { bar: false, meterBar: false, cpu: false, perChannel: true, short: false, pct: true },
  { bar: false, meterBar: false, cpu: false, perChannel: false, short: false, pct: true },
  { bar: false, meterBar: false, cpu: false, perChannel: false, short: true, pct: true },
  { bar: false, meterBar: false, cpu: false, perChannel: false, short: true, pct: false },
] as const;

function render(info: StatusInfo, d: (typeof DETAIL)[number]): string {
  const parts = [clock(info.elapsed)];
  if (info.remaining !== undefined)
    parts.push(d.short ? `-${clock(Math.max(0, info.remaining))}` : `left ${clock(Math.max(0, info.remaining))}`);
  if (info.progress !== undefined && d.pct) {
    const f = Math.min(1, Math.max(0, info.progress));
    const pct = `${(f * 100).toFixed(0).padStart(3)}%`;
    parts.push(d.bar ? `[${'='.repeat(Math.round(f * 20)).padEnd(20)}] ${pct}` : pct);
  }
  parts.push(d.short ? `w ${count(info.written)}` : `written ${count(info.written)}`);
  const ch = (xs: number[]) =>
    d.perChannel
      ? xs
          .slice(0, 8)
          .map((p) => meter(p, d.meterBar))
          .join(d.meterBar ? ' | ' : ' ')
      : meter(Math.max(...xs), false);
  const clip = (n: number) => (n > 0 ? ` CLIP ${n}` : '');
  if (info.levels.output.length) parts.push(`out ${ch(info.levels.output)}${d.short ? '' : ' dBFS'}${clip(info.clipped.output)}`);
  if (info.levels.input.length) parts.push(`in ${ch(info.levels.input)}${d.short ? '' : ' dBFS'}${clip(info.clipped.input)}`);
  parts.push(d.short ? `xr ${info.xruns}` : `xruns ${info.xruns}`);
  if (d.cpu) parts.push(`cpu ${(info.cpu * 100).toFixed(1)}%`);
  return parts.join(d.short ? ' ' : '  ');
}

/**
 * The status line for a terminal of `columns` columns: the fullest level of
 * detail that leaves the last column free (so the line never wraps), cut as
 * a last resort.
 */
export function fitStatus(info: StatusInfo, columns: number): string {
  const room = Math.max(1, columns - 1);
  for (const d of DETAIL) {
    const line = render(info, d);
    if (line.length <= room) return line;
  }
  return render(info, DETAIL[DETAIL.length - 1]).slice(0, room);
}

/**
 * The header's latency field from a stream's `[input, output]` latency in
 * seconds: each direction whose latency is known (above 0), and no field at
 * all when neither is (never a bare "latency").
 */
export function latencyField([li, lo]: readonly [number, number]): [sep: string, text: string][] {
  const ms = (x: number) => `${(x * 1000).toFixed(1)} ms`;
  const known = [lo > 0 && `out ${ms(lo)}`, li > 0 && `in ${ms(li)}`].filter(Boolean);
  return known.length ? [[', ', `latency ${known.join(', ')}`]] : [];
}

/**
 * The header's fields (each with the separator that goes before it) as
 * lines of at most `columns - 1` characters after `prefix` (the first
 * line's) or an indent of two (the others): they break between fields, a
 * field too long alone is cut in its middle. Without `columns` (not a
 * terminal): one line.
 */
export function fitHeader(fields: [sep: string, text: string][], prefix: string, columns: number | undefined): string[] {
  if (columns === undefined) return [prefix + fields.map(([sep, t], i) => (i ? sep : '') + t).join('')];
  const room = Math.max(8, columns - 1);
  const cut = (t: string, w: number) => {
    if (t.length <= w) return t;
    if (w < 5) return t.slice(0, Math.max(0, w));
    return `${t.slice(0, Math.ceil((w - 3) / 2))}...${t.slice(t.length - Math.floor((w - 3) / 2))}`;
  };
  const lines: string[] = [];
  let line = '';
  for (const [sep, text] of fields) {
    if (line === '') {
      line = prefix + cut(text, room - prefix.length);
    } else if (line.length + sep.length + text.length <= room) {
      line += sep + text;
    } else {
      // The separator's comma ends the broken line when it fits.
      const mark = sep.trimEnd();
      lines.push(line.length + mark.length <= room ? line + mark : line);
      line = `  ${cut(text, room - 2)}`;
    }
  }
  lines.push(line);
  return lines;
}

/** The status line for a log (not a terminal): every field, numbers only. */
function logStatus(info: StatusInfo): string {
  return render(info, DETAIL[2]);
}

/** Reports a running stream on stderr: on a terminal a line redrawn every 0.12 s, else a line every second. */
export class StatusLine {
  /** The highest peak of each channel over the run. */
  readonly peaks: Levels = { input: [], output: [] };
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly tty: boolean;
  private drawn = false;

  constructor(
    private readonly stream: Stream,
    private readonly total: number | undefined,
    private readonly err: NodeJS.WriteStream,
    private readonly show: boolean,
    /** Frames the stream runs that are not written (a recording's dropped offset). */
    private readonly unwritten = 0,
  ) {
    this.tty = Boolean(err.isTTY);
  }

  /** Starts reporting (levels are gathered even when nothing is shown). */
  start(): void {
    this.stream.takeLevels();
    this.timer = setInterval(() => this.tick(), this.tty ? 120 : 1000);
    this.timer.unref();
  }

  private gather(): Levels {
    const l = this.stream.takeLevels();
    for (const k of ['input', 'output'] as const) l[k].forEach((p, i) => (this.peaks[k][i] = Math.max(this.peaks[k][i] ?? 0, p)));
    return l;
  }

  private tick(): void {
    const levels = this.gather();
    if (!this.show) return;
    const s = this.stream;
    const frames = s.frameCount;
    const known = this.total !== undefined && this.total > 0;
    const info: StatusInfo = {
      elapsed: frames / s.samplerate,
      // The device runs whole blocks, and on while the last ones play out: not written.
      written: Math.min(Math.max(0, frames - this.unwritten), this.total ?? Number.POSITIVE_INFINITY),
      remaining: known ? (this.total! - Math.min(frames, this.total!)) / s.samplerate : undefined,
      progress: known ? frames / this.total! : undefined,
      levels,
      clipped: { input: s.clippedSamples[0], output: s.clippedSamples[1] },
      xruns: s.xruns,
      cpu: s.cpuLoad,
    };
    if (this.tty) {
      this.err.write(`\r${fitStatus(info, this.err.columns || 80)}\x1b[K`);
      this.drawn = true;
    } else {
      this.err.write(`${logStatus(info)}\n`);
    }
  }

  /** Stops reporting; takes the last levels. */
  stop(): void {
    clearInterval(this.timer);
    this.gather();
    if (this.drawn) this.err.write('\r\x1b[K');
  }
}

/** What a run moved: frames played from the input and written to the output (undefined: that side is unused). */
export interface Moved {
  played: number | undefined;
  recorded: number | undefined;
}

const KINDS = [
  ['outputUnderflow', 'output underflow'],
  ['outputOverflow', 'output overflow'],
  ['inputUnderflow', 'input underflow'],
  ['inputOverflow', 'input overflow'],
] as const;

/**
 * The summary at the end: the frames played / written (those of the files,
 * not of the device's blocks), the xruns by kind, the peaks and the clips.
 */
export function summary(s: Stream, moved: Moved, peaks: Levels, columns?: number): string {
  const counts = s.xrunCounts;
  const secs = (n: number) => `${n} (${(n / s.samplerate).toFixed(3)} s)`;
  const frames = [
    moved.played !== undefined && `frames played: ${secs(moved.played)}`,
    moved.recorded !== undefined && `frames recorded: ${secs(moved.recorded)}`,
  ].filter(Boolean);
  const kinds = KINDS.filter(([k]) => counts[k] > 0).map(([k, label]) => `${counts[k]} ${label}${counts[k] === 1 ? '' : 's'}`);
  const lines = [
    `${frames.join(', ')}`,
    `  xruns: ${s.xruns}${kinds.length ? ` (${kinds.join(', ')})` : ''}, frames lost: ${s.framesLost}`,
  ];
  const lv = (xs: number[]) => xs.map(dbfs).join(' ');
  if (peaks.output.length || peaks.input.length) {
    lines.push(
      `  peak levels (dBFS): ${[peaks.output.length && `out ${lv(peaks.output)}`, peaks.input.length && `in ${lv(peaks.input)}`].filter(Boolean).join('; ')}`,
    );
  }
  const [cin, cout] = s.clippedSamples;
  const clips = [
    cout > 0 && `out ${cout} samples (peak ${dbfs(Math.max(...peaks.output))} dBFS)`,
    cin > 0 && `in ${cin} samples (peak ${dbfs(Math.max(...peaks.input))} dBFS)`,
  ].filter(Boolean);
  if (clips.length) {
    const one = `  clipped: ${clips.join(', ')}`;
    // On a narrow terminal each direction gets its own line rather than wrapping.
    const fits = columns === undefined || one.length < columns;
    lines.push(...(fits ? [one] : clips.map((c, i) => `${i ? '           ' : '  clipped: '}${c}${i < clips.length - 1 ? ',' : ''}`)));
  }
  return lines.join('\n');
}
