import type { RingBuffer } from '../ring/ring.js';
import { Feeder, type Drainer } from './feed.js';
import type { NativeFiles } from '../native/addon.js';

/** @internal What start() fills before the device's first block. */
export interface PrebufferRun {
  /** The run's file readers (none: no file is played). */
  files: NativeFiles | undefined;
  /** The JS tasks that feed and drain the run's rings. */
  tasks: readonly (Feeder | Drainer)[];
  /** Rings JS writes into that the run plays. */
  jsSources: readonly RingBuffer[];
  /** Settles when the stream closes: no wait outlives it. */
  closing: Promise<unknown>;
  /** The stream's ring size in frames (what `prebuffer: true` fills files to). */
  bufferSize: number;
}

/**
 * @internal start()'s `prebuffer`: `true` fills file readers to the ring
 * size and waits for a frame in each JS-fed ring, a number waits for that
 * many frames in each, `false` waits for nothing (JS feeders still fill
 * what they can at once).
 */
export async function prebuffer(pre: boolean | number, run: PrebufferRun): Promise<void> {
  const fileFrames = pre === false ? 0 : pre === true ? run.bufferSize : pre;
  // close() ends the wait (a FIFO's reader may wait for a writer that never comes).
  if (fileFrames > 0 && run.files?.any) await Promise.race([run.files.prebuffer(fileFrames), run.closing]);
  // A source function that never yields must not keep start() past close().
  for (const t of run.tasks) if (t instanceof Feeder) await Promise.race([t.fill(), run.closing]);
  if (pre !== false) await jsRings(run, pre === true ? 1 : pre);
}

/**
 * Waits until every JS-fed source ring holds `frames` frames (or is full,
 * or its producer is done: it holds all it will), or the stream closes.
 */
async function jsRings(run: PrebufferRun, frames: number): Promise<void> {
  for (const r of run.jsSources) {
    // An empty ring whose producer is done (a pipe that ended) would wait forever.
    if (r.producerDone) continue;
    await Promise.race([r.whenReadable(frames), run.closing]);
  }
}
