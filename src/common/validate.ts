import { describe } from './bytes.js';
import { invalidArg, invalidType } from './errors.js';

/** Edit distance between two names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Whether the letters of `short` appear in `long` in order ('bufsize' in 'buffersize'). */
function subsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/** Case, `_`, `-` and spaces do not tell option names apart for a human: `sample_rate` is `samplerate`. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * The known name closest to `name`, for "did you mean". Ranked by kind of
 * likeness first, then by edit distance: the same name but for case and
 * separators (`sampleRate`, `sample_rate`), then one name inside the other
 * (`buffer` / `bufferSize`), then an abbreviation whose letters come in order
 * (`bufsize` / `bufferSize`), then plain edit distance (typos).
 */
export function nearest(name: string, known: readonly string[]): string {
  const n = fold(name);
  let best = known[0];
  let bestRank = Infinity;
  let bestD = Infinity;
  for (const k of known) {
    const f = fold(k);
    const d = distance(n, f);
    const rank = d === 0 ? 0 : f.includes(n) || n.includes(f) ? 1 : subsequence(n, f) || subsequence(f, n) ? 2 : 3;
    // Abbreviations and containment on one or two letters match nearly anything.
    const r = rank > 0 && rank < 3 && Math.min(n.length, f.length) < 3 ? 3 : rank;
    if (r < bestRank || (r === bestRank && d < bestD)) {
      bestRank = r;
      bestD = d;
      best = k;
    }
  }
  return best;
}

/**
 * Option names of the Python seeds that ringstream does not take, with what
 * a port uses instead: a close-but-wrong "did you mean" would mislead there.
 */
const SEED_NAMES: Readonly<Record<string, string>> = {
  blocking: 'every call returns a Promise: await it to block (pastream blocking=True)',
  buffersize: "the ring size is the stream option bufferSize: new XStream({ bufferSize }) (pastream's per-call buffersize)",
  atleast_2d: 'chunks are always interleaved typed arrays of frames x channels: sample c of frame f is chunk[f * channels + c]',
  qsize: "the Mixer's action queue has no size to set: actions beyond its 1024 slots wait for a free one instead of failing",
  txmapping: "use map (pastream's txmapping / rxmapping)",
  rxmapping: "use map (pastream's txmapping / rxmapping)",
};

/**
 * @internal Checks that `o` is an options object (or undefined) whose every
 * own key is one of `known`; an unknown key is `ERR_INVALID_ARG` naming it
 * and the nearest known name. Returns `o` (or `{}` for undefined).
 */
export function checkOptions<T extends object>(o: T | undefined, known: readonly string[], what: string): T {
  if (o === undefined) return {} as T;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw invalidType(`${what} must be an object, got ${describe(o)}`);
  }
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      const seed = Object.hasOwn(SEED_NAMES, k) && !known.some((n) => fold(n) === fold(k)) ? SEED_NAMES[k] : undefined;
      if (seed) throw invalidArg(`unknown option '${k}' in ${what}: ${seed} (known: ${known.join(', ')})`);
      throw invalidArg(`unknown option '${k}' in ${what}; did you mean '${nearest(k, known)}'? (known: ${known.join(', ')})`);
    }
  }
  return o;
}

/**
 * @internal `value` if it is a number; a string, a BigInt or anything else
 * is a TypeError `ERR_INVALID_ARG` (JS would coerce `'16'`, `10n` throws
 * deep inside native code: neither is what the caller meant).
 */
export function checkNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') throw invalidType(`${what} must be a number, got ${describe(value)}`);
  return value;
}

/**
 * @internal `value` if it is an integer from `min` to `max`: TypeError
 * `ERR_INVALID_ARG` for a non-number, RangeError for NaN, fractions and
 * values out of range.
 */
export function checkInteger(value: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = checkNumber(value, what);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range =
      max !== Number.MAX_SAFE_INTEGER
        ? `an integer from ${min} to ${max}`
        : min === 0
          ? 'a non-negative integer'
          : min <= Number.MIN_SAFE_INTEGER
            ? 'an integer'
            : `an integer >= ${min}`;
    throw invalidArg(`${what} must be ${range}, got ${describe(n)}`);
  }
  return n;
}

/** @internal `value` if it is a string (TypeError `ERR_INVALID_ARG` otherwise). */
export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalidType(`${what} must be a string, got ${describe(value)}`);
  return value;
}

/** @internal `value` if it is a boolean (TypeError `ERR_INVALID_ARG` otherwise). */
export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalidType(`${what} must be a boolean, got ${describe(value)}`);
  return value;
}
