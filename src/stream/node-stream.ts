/**
 * `node:stream`, loaded on first use: only the stream adapters need it, and
 * loading it with the package cost ~6 ms of `require('ringstream')` under Bun.
 * @internal
 * @packageDocumentation
 */
import type * as NodeStream from 'node:stream';

let loaded: typeof NodeStream | undefined;

/** The `node:stream` module. */
export function nodeStream(): typeof NodeStream {
  return (loaded ??= require('node:stream') as typeof NodeStream);
}
