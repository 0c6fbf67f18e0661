import { types } from 'node:util';
import { invalidType } from './errors.js';

/** Binary data the package accepts: any typed array, DataView, Buffer, ArrayBuffer or SharedArrayBuffer. */
export type BinaryData = ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

const hasDetachedGetter = 'detached' in ArrayBuffer.prototype;

/**
 * @internal Whether `buffer` is a detached ArrayBuffer (transferred with
 * `structuredClone(b, { transfer: [b] })` or `postMessage`). Views over it
 * read as empty, and a DataView over it throws on any access, so a detached
 * buffer is refused up front rather than taken for empty data.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  // Only a zero-length ArrayBuffer can be detached; SharedArrayBuffers never are.
  if (buffer.byteLength !== 0 || !types.isArrayBuffer(buffer)) return false;
  if (hasDetachedGetter) return (buffer as ArrayBuffer & { detached: boolean }).detached;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function detached(what: string): TypeError {
  return invalidType(`${what} is a detached ArrayBuffer (it was transferred); pass a buffer that is still usable`);
}

/**
 * @internal The bytes of `data` as a Uint8Array over the same memory (no copy).
 * @throws TypeError `ERR_INVALID_ARG` for anything else, or a detached buffer.
 */
export function asBytes(data: BinaryData, what = 'data'): Uint8Array {
  if (data instanceof Uint8Array) {
    // `length`, not `byteLength` (the same number here): V8 inlines it, and
    // this is the RingBuffer copy API's path (`byteLength` cost a third of it).
    if (data.length === 0 && isDetached(data.buffer)) throw detached(what);
    return data;
  }
  if (ArrayBuffer.isView(data)) {
    // Checked before any length is read: a DataView over a detached buffer throws on access.
    if (isDetached(data.buffer)) throw detached(what);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (types.isAnyArrayBuffer(data)) {
    if (isDetached(data)) throw detached(what);
    return new Uint8Array(data);
  }
  throw invalidType(`${what} must be a typed array, DataView or ArrayBuffer, got ${describe(data)}`);
}

/**
 * @internal `data` itself if it is a usable Float32Array.
 * @throws TypeError `ERR_INVALID_ARG` for anything else, or one over a detached buffer.
 */
export function asFloat32(data: unknown, what: string): Float32Array {
  if (!(data instanceof Float32Array)) {
    throw invalidType(`${what} must be a Float32Array of interleaved samples, got ${describe(data)}`);
  }
  if (data.length === 0 && isDetached(data.buffer)) throw detached(what);
  return data;
}

/** @internal A short description of a value for error messages: `3.5`, `10n (a BigInt)`, `"16" (a string)`. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n (a BigInt)`;
    case 'string':
      return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}" (a string)`;
    case 'symbol':
      return `${String(value)} (a symbol)`;
    case 'function':
      return `a function${value.name ? ` (${value.name})` : ''}`;
    default:
      if (value === null) return 'null';
      if (types.isAnyArrayBuffer(value) && isDetached(value)) return 'a detached ArrayBuffer';
      return (value as object).constructor?.name ?? 'object';
  }
}
