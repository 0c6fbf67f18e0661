import { describe } from './bytes.js';
import { invalidArg, invalidType } from './errors.js';

/** Edit distance between two short names (case-insensitive), for "did you mean". */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
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

/** The known name closest to `name`. */
export function nearest(name: string, known: readonly string[]): string {
  let best = known[0];
  let bestD = Infinity;
  for (const k of known) {
    // A prefix or a containment ('bufsize' / 'bufferSize') beats raw distance.
    const lk = k.toLowerCase();
    const ln = name.toLowerCase();
    const d = lk.startsWith(ln) || ln.startsWith(lk) ? 0.5 : distance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

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
      throw invalidArg(`unknown option '${k}' in ${what}; did you mean '${nearest(k, known)}'? (known: ${known.join(', ')})`);
    }
  }
  return o;
}
