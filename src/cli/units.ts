// Sizes, rates and times as the command line writes them (pastream / sox).
import { UsageError } from './errors.js';

const MULTIPLIERS: Record<string, number> = { '': 1, k: 1000, K: 1024, m: 1_000_000, M: 1024 * 1024 };

/** A length in time: seconds, or samples (frames) when written with a trailing `s`. */
export type Time = { seconds: number } | { samples: number };

/**
 * A size with an optional suffix: `k` = x1000, `K` = x1024, `m` = x10^6,
 * `M` = x1024^2 (`64K` = 65536, `44.1k` = 44100). The result must be a whole
 * number from `min` up.
 */
export function parseSize(text: string, option: string, min = 0): number {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([kKmM]?)$/.exec(text.trim());
  const n = m ? Number(m[1]) * MULTIPLIERS[m[2]] : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new UsageError(
      option,
      text,
      `a whole number${min > 0 ? ` >= ${min}` : ''}, with an optional k, K, m or M suffix (e.g. 512, 64K, 48k)`,
    );
  }
  return n;
}

/**
 * A time: `[[H:]M:]S[.frac]` seconds (`1:30`, `0.5`, `1:02:03.25`), or
 * samples with a trailing `s` and an optional size suffix (`1024s`, `1Ks`).
 * `-1` passes through where `allowMinusOne` (no limit / automatic).
 */
export function parseTime(text: string, option: string, allowMinusOne = false): Time {
  const t = text.trim();
  if (allowMinusOne && /^-1(\.0*)?$/.test(t)) return { samples: -1 };
  const expected = `a time as [[H:]M:]S[.frac] seconds or samples with a trailing s (e.g. 0.5, 1:30, 1Ks)${allowMinusOne ? ', or -1' : ''}`;
  if (t.endsWith('s')) {
    try {
      return { samples: parseSize(t.slice(0, -1), option) };
    } catch {
      throw new UsageError(option, text, expected);
    }
  }
  const parts = t.split(':');
  const field = /^(\d+(?:\.\d*)?|\.\d+)$/;
  if (parts.length > 3 || !parts.every((p) => field.test(p))) throw new UsageError(option, text, expected);
  const nums = parts.map(Number);
  // Minutes and seconds after the first field are clock fields: below 60.
  if (nums.slice(1).some((n) => n >= 60) || nums.slice(0, -1).some((n) => !Number.isInteger(n))) {
    throw new UsageError(option, text, expected);
  }
  return { seconds: nums.reduce((acc, n) => acc * 60 + n, 0) };
}

/** A volume as the command line gives it: a linear factor, or decibels. */
export type Volume = { factor: number } | { db: number };

/**
 * sox's `-v FACTOR`: a linear factor (`0.5`; a negative one also inverts),
 * or, as sox's `vol` effect writes it, decibels with a `dB` suffix (`-6dB`,
 * `+3dB`; any case).
 */
export function parseVolume(text: string, option: string): Volume {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(db)?$/i.exec(text.trim());
  if (!m) throw new UsageError(option, text, 'a linear factor such as 0.5 (negative also inverts), or decibels such as -6dB');
  return m[2] === undefined ? { factor: Number(m[1]) } : { db: Number(m[1]) };
}

/** A time in frames at `samplerate` (seconds rounded to the nearest frame). */
export function toFrames(t: Time, samplerate: number): number {
  return 'samples' in t ? t.samples : Math.round(t.seconds * samplerate);
}

/**
 * `value` of `option` split at a comma into a playback and a record part
 * (one value serves both; one side may be left empty, not both).
 */
export function pair(value: string | undefined, option: string): [string | undefined, string | undefined] {
  if (value === undefined) return [undefined, undefined];
  const i = value.indexOf(',');
  if (i < 0) {
    if (value === '') throw new UsageError(option, value, 'a value, or playback,record values');
    return [value, value];
  }
  const both: [string | undefined, string | undefined] = [value.slice(0, i) || undefined, value.slice(i + 1) || undefined];
  if (both[0] === undefined && both[1] === undefined)
    throw new UsageError(option, value, 'a value on at least one side of the comma (playback,record)');
  return both;
}

/** Seconds as `M:SS.s` (or `H:MM:SS.s`). */
export function clock(seconds: number): string {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
