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

/**
 * A stream time that actions scheduled now reach the callback ahead of, however loaded the
 * machine: `wall` seconds of wall clock on a device running `speed` times real time. `s.time`
 * runs on from the last callback by the wall clock, so a lead of a few milliseconds is already
 * past when this thread or the device's clock thread is held back for that long.
 */
export function ahead(s: Stream, speed: number, wall = 0.5): number {
  return s.time + wall * speed;
}

/** Resolves once `cond` holds, looking every 5 ms: waits for evidence rather than for a time. */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}
