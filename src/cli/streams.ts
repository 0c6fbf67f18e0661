// Streams that can play a ring fed from a pipe until the pipe ends.
import { queuePlay } from '../jobs.js';
import type { Source } from '../options.js';
import type { RingBuffer } from '../ring.js';
import { DuplexStream, OutputStream } from '../streams.js';

/**
 * A ring that JS keeps feeding from a pipe is a source that ends when its
 * producer says so (stdin's end), not whenever it runs empty as a RingBuffer
 * given to play() does: a slow pipe is an underflow, not the end.
 */
function queueFed(s: OutputStream | DuplexStream, fed: RingBuffer | undefined, source: Source, frames: number, pad: number): boolean {
  if (source !== fed) return false;
  queuePlay(s, fed, { frames, pad, untilDone: true, notifyEvery: Math.max(1, fed.size / 4) });
  return true;
}

/** An OutputStream that can play a pipe-fed ring. */
export class CliOutputStream extends OutputStream {
  /** The ring fed from a pipe, if any. */
  fed: RingBuffer | undefined;
  protected override queueSource(source: Source, frames: number, pad: number, loop: boolean): void {
    if (!queueFed(this, this.fed, source, frames, pad)) super.queueSource(source, frames, pad, loop);
  }
}

/** A DuplexStream that can play a pipe-fed ring. */
export class CliDuplexStream extends DuplexStream {
  /** The ring fed from a pipe, if any. */
  fed: RingBuffer | undefined;
  protected override queueSource(source: Source, frames: number, pad: number, loop: boolean): void {
    if (!queueFed(this, this.fed, source, frames, pad)) super.queueSource(source, frames, pad, loop);
  }
}
