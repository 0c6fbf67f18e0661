import { invalidType } from './errors.js';

/** Binary data the package accepts: any typed array, DataView, Buffer, ArrayBuffer or SharedArrayBuffer. */
export type BinaryData = ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

/**
 * @internal The bytes of `data` as a Uint8Array over the same memory (no copy).
 */
export function asBytes(data: BinaryData, what = 'data'): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data instanceof SharedArrayBuffer) return new Uint8Array(data);
  throw invalidType(`${what} must be a typed array, DataView or ArrayBuffer, got ${describe(data)}`);
}

/** @internal A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  return `${typeof value} ${String(value)}`;
}
