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
  return db === '-0.0' ? '0.0' : db;
}

const BAR = 8;

/** A meter for one channel: a bar from -60 to 0 dBFS on a terminal, and the number. */
function meter(peak: number, tty: boolean): string {
  const db = dbfs(peak);
  if (!tty) return db;
  const fill = peak > 0 ? Math.max(0, Math.min(BAR, Math.round(((20 * Math.log10(peak) + 60) / 60) * BAR))) : 0;
  return `${'#'.repeat(fill)}${'.'.repeat(BAR - fill)} ${db.padStart(5)}`;
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
    const parts = [clock(frames / s.samplerate)];
    if (this.total !== undefined && this.total > 0) {
      const f = Math.min(1, frames / this.total);
      parts.push(
        this.tty ? `[${'='.repeat(Math.round(f * 20)).padEnd(20)}] ${(f * 100).toFixed(0).padStart(3)}%` : `${(f * 100).toFixed(0)}%`,
      );
    }
    const ch = (xs: number[]) =>
      xs
        .slice(0, 8)
        .map((p) => meter(p, this.tty))
        .join(this.tty ? ' | ' : ' ');
    if (levels.output.length) parts.push(`out ${ch(levels.output)} dBFS`);
    if (levels.input.length) parts.push(`in ${ch(levels.input)} dBFS`);
    parts.push(`xruns ${s.xruns}`, `cpu ${(s.cpuLoad * 100).toFixed(1)}%`);
    const line = parts.join('  ');
    if (this.tty) {
      const width = this.err.columns ?? 120;
      this.err.write(`\r${line.slice(0, width - 1)}\x1b[K`);
      this.drawn = true;
    } else {
      this.err.write(`${line}\n`);
    }
  }

  /** Stops reporting; takes the last levels. */
  stop(): void {
    clearInterval(this.timer);
    this.gather();
    if (this.drawn) this.err.write('\r\x1b[K');
  }
}

/** The summary at the end: frames processed, xruns, underflows and overflows. */
export function summary(s: Stream, peaks: Levels): string {
  const st = s.status;
  const kinds = (under: boolean, over: boolean) => [under && 'underflow', over && 'overflow'].filter(Boolean).join(' + ') || 'none';
  const lines = [
    `frames processed: ${s.frameCount} (${(s.frameCount / s.samplerate).toFixed(3)} s), xruns: ${s.xruns}, frames lost: ${s.framesLost}`,
    `  output: ${kinds(st.outputUnderflow, st.outputOverflow)}; input: ${kinds(st.inputUnderflow, st.inputOverflow)}`,
  ];
  const lv = (xs: number[]) => xs.map(dbfs).join(' ');
  if (peaks.output.length || peaks.input.length) {
    lines.push(
      `  peak levels (dBFS): ${[peaks.output.length && `out ${lv(peaks.output)}`, peaks.input.length && `in ${lv(peaks.input)}`].filter(Boolean).join('; ')}`,
    );
  }
  return lines.join('\n');
}
