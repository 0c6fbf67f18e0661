/**
 * The stable error codes. Every error this package throws or rejects with
 * carries one of these as `error.code`.
 */
export const ErrorCode = {
  INVALID_ARG: 'ERR_INVALID_ARG',
  DEVICE_NOT_FOUND: 'ERR_DEVICE_NOT_FOUND',
  DEVICE_BUSY: 'ERR_DEVICE_BUSY',
  UNSUPPORTED_CONFIG: 'ERR_UNSUPPORTED_CONFIG',
  STREAM_CLOSED: 'ERR_STREAM_CLOSED',
  BUFFER_EMPTY: 'ERR_BUFFER_EMPTY',
  BUFFER_FULL: 'ERR_BUFFER_FULL',
  WAV_FORMAT: 'ERR_WAV_FORMAT',
  IO: 'ERR_IO',
  ACTION_QUEUE_FULL: 'ERR_ACTION_QUEUE_FULL',
  PANIC: 'ERR_PANIC',
  UNSUPPORTED_FORMAT: 'ERR_UNSUPPORTED_FORMAT',
  /** Something did not finish within the time it was given (a monitor's `tearDownTimeout`). */
  TIMEOUT: 'ERR_TIMEOUT',
  /** No native binary loads on this platform (thrown by `require('ringstream')`; the only code the Rust core never raises). */
  NATIVE_BINDING: 'ERR_NATIVE_BINDING',
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error raised by ringstream: a normal `Error` with a stable `code`. */
export interface RingstreamError extends Error {
  code: ErrorCode;
}

/** Whether `e` is an error from ringstream (optionally with the given `code`). */
export function isRingstreamError(e: unknown, code?: ErrorCode): e is RingstreamError {
  if (!(e instanceof Error)) return false;
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' && c.startsWith('ERR_') && (code === undefined || c === code);
}

/** @internal A `RangeError` with `code: 'ERR_INVALID_ARG'`. */
export function invalidArg(message: string): RangeError & RingstreamError {
  return Object.assign(new RangeError(message), { code: ErrorCode.INVALID_ARG });
}

/** @internal A `TypeError` with `code: 'ERR_INVALID_ARG'` (wrong kind of value). */
export function invalidType(message: string): TypeError & RingstreamError {
  return Object.assign(new TypeError(message), { code: ErrorCode.INVALID_ARG });
}

/** @internal An `Error` with the given code. */
export function codedError(code: ErrorCode, message: string): Error & RingstreamError {
  return Object.assign(new Error(message), { code });
}
