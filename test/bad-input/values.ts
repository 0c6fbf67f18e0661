// The bad values the bad-input table tries, and the shape of its rows.
import type { ErrorCode } from '../../src/index';

/** One row of the "Bad input" table (docs/bad-input.md), with the calls that try it. */
export interface Row {
  /** The call, as in the table's first column (without backticks). */
  call: string;
  /** What is wrong with the input (second column). */
  input: string;
  /** The `code` (third column), or `'accepted'` for inputs that work. */
  code: ErrorCode | 'accepted';
  /** The class thrown (fourth column); none for accepted inputs. */
  error?: 'TypeError' | 'RangeError' | 'Error';
  /** What the message must say, beyond naming what was expected. */
  says?: RegExp;
  /** Each makes one bad call (or, for accepted rows, one that must work). */
  tries: (() => unknown)[];
}

/** A value passed where the types forbid it. */
export const bad = (v: unknown): never => v as never;

/** Each of `values` given to `call`. */
export const each = (values: unknown[], call: (v: never) => unknown): (() => unknown)[] => values.map((v) => () => call(bad(v)));

/** An ArrayBuffer that was transferred away (as postMessage does). */
export function detachedBuffer(): ArrayBuffer {
  const b = new ArrayBuffer(16);
  structuredClone(b, { transfer: [b] });
  return b;
}

/** A Float32Array whose buffer was transferred away after it was made. */
export function detachedFloat32(): Float32Array {
  const b = new ArrayBuffer(16);
  const v = new Float32Array(b);
  structuredClone(b, { transfer: [b] });
  return v;
}

/** A Float32Array of `n` samples over a SharedArrayBuffer. */
export const sharedFloat32 = (n: number): Float32Array => new Float32Array(new SharedArrayBuffer(4 * n));

/** Values that are no number at all. */
export const NOT_NUMBERS = ['16', 10n, null, {}, true, Symbol('n')];
/** Numbers that are no count of things. */
export const BAD_COUNTS = [NaN, 1.5, Infinity, -1];
/** Values that are no path. */
export const NOT_PATHS = [5, 10n, null, undefined, {}, Buffer.from('x.wav')];
/** Binary data of the wrong kind, or detached. */
export const NOT_BINARY = ['abcd', 16, 10n, null, undefined, [1, 2, 3, 4], detachedBuffer(), detachedFloat32()];
/** No Float32Array of samples. */
export const NOT_SAMPLES = [new Float64Array(4), [0, 0], 'abcd', 10n, null, new ArrayBuffer(16), detachedFloat32()];
/** No options object. */
export const NOT_OPTIONS = ['fast', 5, 10n, null, ['a']];
