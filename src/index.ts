/**
 * ringstream: realtime audio I/O for Node.js and Bun with a Rust core.
 * @packageDocumentation
 */
export { RingBuffer, type RingRegions } from './ring.js';
export { ErrorCode, isRingstreamError, type RingstreamError } from './errors.js';
export type { BinaryData } from './bytes.js';
export { readWav, writeWav, WavReader, WavWriter, type WavData, type WavFormat, type WavSpec } from './wav.js';
