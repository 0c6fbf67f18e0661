import type { RingBuffer } from '../ring/ring.js';

/** What a {@link Monitor} hands its function each time. */
export interface MonitorFrames {
  /** The newest frames, interleaved float32 (at most `interval * samplerate`; fewer at first). */
  frames: Float32Array;
  /** Channels per frame (the device's). */
  channels: number;
  /** Frames per second. */
  samplerate: number;
  /** The stream time when the newest frame was taken, roughly (the stream's clock now). */
  time: number;
  /** Frames the monitor's ring dropped since the previous call (the function was slow). */
  dropped: number;
}

/**
 * @internal The newest `frames` frames of a monitor's ring, as a sliding
 * window: what arrived since the last look is appended, older frames slide
 * out. The same on the main thread and in a monitor's Worker.
 */
export class MonitorWindow {
  private readonly window: Float32Array;
  private held = 0;

  constructor(
    private readonly ring: RingBuffer,
    private readonly channels: number,
    frames: number,
  ) {
    this.window = new Float32Array(frames * channels);
  }

  /** Takes what the ring holds; returns the window's frames (a view, reused). */
  take(): Float32Array {
    const ch = this.channels;
    const n = this.window.length / ch;
    const avail = this.ring.readAvailable;
    if (avail > n) {
      // Only the newest n frames matter: skip the rest without copying them.
      this.ring.advanceReadIndex(avail - n);
      this.held = 0;
    }
    const take = Math.min(this.ring.readAvailable, n);
    const keep = Math.min(this.held, n - take);
    this.window.copyWithin(0, (this.held - keep) * ch, this.held * ch);
    this.ring.readInto(this.window.subarray(keep * ch, (keep + take) * ch));
    this.held = keep + take;
    return this.window.subarray(0, this.held * ch);
  }
}
