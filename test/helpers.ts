import { afterEach } from 'vitest';
import type { Stream } from '../src/index';

/** A seeded pseudo-random signal in [-1, 1): the same seed gives the same samples. */
export function noise(samples: number, seed = 1): Float32Array {
  const out = new Float32Array(samples);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < samples; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x / 2 ** 31 - 1;
  }
  return out;
}

/** Calls `fn` and returns what it threw (fails if it did not throw). */
export async function caught(fn: () => unknown): Promise<Error & { code?: string }> {
  try {
    await fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected an error');
}

/** Where `needle` (its first `probe` samples) starts in `hay`, in frames; -1 if nowhere. */
export function findDelay(hay: Float32Array, needle: Float32Array, channels: number, probe = 64): number {
  const frames = hay.length / channels;
  outer: for (let d = 0; d < frames; d++) {
    for (let i = 0; i < probe * channels; i++) if (hay[d * channels + i] !== needle[i]) continue outer;
    return d;
  }
  return -1;
}

/**
 * Registers an afterEach hook in the calling test file and returns `track`:
 * every stream passed to it is closed after each test.
 */
export function closeAfterEach(): <T extends Stream>(s: T) => T {
  const open: Stream[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return (s) => {
    open.push(s);
    return s;
  };
}
