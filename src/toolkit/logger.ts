import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { checkOptions, checkString } from '../common/validate.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * OsSom's `Now`: the wall-clock instant it was made, readable
 * (`2026-12-07 04:05:15 GMT+01:00`), with its parts as fields.
 * @example
 * ```ts
 * import { Now } from 'ringstream';
 *
 * const t = new Now(new Date(2026, 11, 7, 4, 5, 15));
 * console.log(t.year, t.month, t.day, t.hour, t.min, t.sec); // 2026 12 7 4 5 15
 * ```
 */
export class Now {
  /** Year. */
  readonly year: number;
  /** Month, 1 to 12. */
  readonly month: number;
  /** Day of the month. */
  readonly day: number;
  /** Day of the week, 0 (Monday) to 6, as Python's `tm_wday`. */
  readonly wday: number;
  /** Wall-clock hours. */
  readonly hour: number;
  /** Wall-clock minutes. */
  readonly min: number;
  /** Wall-clock seconds. */
  readonly sec: number;
  /** The time zone as an offset from GMT, e.g. `GMT+01:00`. */
  readonly GMT: string;

  /** The instant `date` (default now), in local time. */
  constructor(date: Date = new Date()) {
    this.year = date.getFullYear();
    this.month = date.getMonth() + 1;
    this.day = date.getDate();
    this.wday = (date.getDay() + 6) % 7;
    this.hour = date.getHours();
    this.min = date.getMinutes();
    this.sec = date.getSeconds();
    const off = -date.getTimezoneOffset();
    this.GMT = `GMT${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  }

  /** `YYYY-MM-DD hh:mm:ss GMT+hh:mm`. */
  toString(): string {
    return `${this.year}-${pad(this.month)}-${pad(this.day)} ${pad(this.hour)}:${pad(this.min)}:${pad(this.sec)} ${this.GMT}`;
  }
}

/** Options of {@link Logger} (OsSom's, with its defaults). */
export interface LoggerOptions {
  /** File name without extension; default `'common'`. */
  name?: string;
  /** File extension; default `'log'`. */
  ext?: string;
  /** A title written at the top of the log; default `'title'`. */
  title?: string;
  /** The line that ends a logging session; default `'end.'`. */
  logend?: string;
}

/**
 * OsSom's `Logger`: a plain-text log file (`name.ext`) with a header
 * (title and creation time), one line per `log(message)` stamped with
 * {@link Now}, and an end tag. Writes go straight to the file (append), so
 * a log survives a crash; call it from a {@link Monitor}'s function, never
 * from the audio callback.
 * @example
 * ```ts
 * import { Logger, Monitor, OutputStream, util } from 'ringstream';
 *
 * const log = new Logger({ name: 'levels', title: 'RMS and dB per block' }); // OsSom's chapter 4 example
 * log.startLog();
 * const stream = new OutputStream({ device: 'virtual:null', channels: 2 });
 * const mon = new Monitor(stream, ({ frames, channels }) => {
 *   const rms = util.rms(frames, channels);
 *   log.log(`frames=${frames.length / channels}\tRMS=${rms.map((x) => x.toFixed(4))}\tdB=${util.dB(rms).map((x) => x.toFixed(1))}`);
 * }, { interval: 0.125 });
 * await stream.play(util.noise(0.5, 48000, 0.5, 2));
 * mon.stop();
 * await stream.close();
 * log.endLog();
 * console.log(log.read());
 * ```
 */
export class Logger {
  /** The file name without extension. */
  readonly name: string;
  /** The file extension. */
  readonly ext: string;
  /** The log's title. */
  readonly title: string;
  /** The end tag. */
  readonly logend: string;
  /** When the logger was made. */
  readonly time: Now;

  /** A logger of `name.ext` (nothing is written before {@link Logger.startLog}). */
  constructor(options?: LoggerOptions) {
    const o = checkOptions(options, ['name', 'ext', 'title', 'logend'], 'the Logger options');
    this.name = checkString(o.name ?? 'common', 'name');
    this.ext = checkString(o.ext ?? 'log', 'ext');
    this.title = checkString(o.title ?? 'title', 'title');
    this.logend = checkString(o.logend ?? 'end.', 'logend');
    this.time = new Now();
  }

  /** The file written: `name.ext`. */
  get path(): string {
    return `${this.name}.${this.ext}`;
  }

  /** The header written by {@link Logger.startLog}: the title and the creation time. */
  get header(): string {
    return `${this.title}\n${this.time}\n`;
  }

  /** Starts the file anew with the header. */
  startLog(): void {
    writeFileSync(this.path, this.header);
  }

  /** Appends `message` after the current time and a tab; returns the bytes written. */
  log(message: string): number {
    const line = `${new Now()}\t${checkString(message, 'message')}\n`;
    appendFileSync(this.path, line);
    return Buffer.byteLength(line);
  }

  /** Appends the end tag. */
  endLog(): void {
    appendFileSync(this.path, `${this.logend}\n`);
  }

  /** The file's content (OsSom's `print_log`, as a string). */
  read(): string {
    return readFileSync(this.path, 'utf8');
  }
}
