import { describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { checkNumber } from '../../common/validate.js';

/** @internal `value` if it is a finite number (NaN and infinities are RangeError `ERR_INVALID_ARG`). */
export function finite(value: unknown, what: string): number {
  const n = checkNumber(value, what);
  if (!Number.isFinite(n)) throw invalidArg(`${what} must be a finite number, got ${describe(n)}`);
  return n;
}

/** @internal `value` if it is a finite number >= 0. */
export function nonNegative(value: unknown, what: string): number {
  const n = finite(value, what);
  if (n < 0) throw invalidArg(`${what} must be 0 or more, got ${n}`);
  return n;
}

/** @internal `value` if it is a finite number > 0. */
export function positive(value: unknown, what: string): number {
  const n = finite(value, what);
  if (n <= 0) throw invalidArg(`${what} must be above 0, got ${n}`);
  return n;
}

/** @internal A duration in seconds: finite and >= 0. */
export function seconds(value: unknown, what: string): number {
  const n = finite(value, what);
  if (n < 0) throw invalidArg(`${what} must be a duration of 0 seconds or more, got ${n}`);
  return n;
}

/** @internal An array of finite numbers (a readonly array or a typed array). */
export function numbers(value: unknown, what: string): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw invalidType(`${what} must be an array of numbers, got ${describe(value)}`);
  }
  return Array.from(value as ArrayLike<unknown>, (v, i) => finite(v, `${what}[${i}]`));
}

/** @internal One number or an array of them, as an array. */
export function numberOrList(value: unknown, what: string): number[] {
  return typeof value === 'number' ? [finite(value, what)] : numbers(value, what);
}
