import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { ringMaxSize, type NativeAction } from '../native/addon.js';
import { RingBuffer } from '../ring/ring.js';
import { Stream } from '../stream/stream.js';
import { checkBoolean, checkOptions } from '../common/validate.js';

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

/** Options of {@link Monitor}. */
export interface MonitorOptions {
  /** Seconds between calls, and the span of frames each call gets (default 0.1). */
  interval?: number;
  /** Watch the device's input instead of its output (default: output when the stream has one). */
  input?: boolean;
}

/**
 * OsSom's Monitor: every `interval` seconds, hands `fn` the newest
 * `interval * samplerate` frames the stream played (its output; an
 * InputStream's input), copied in the audio callback into a ring and read
 * here, on the JS thread. The stream is never disturbed: a monitor that
 * falls behind drops frames of its own (reported as `dropped`), never the
 * stream's. Works over any stream, Mixer included; survives stop()/start().
 */
export class Monitor {
  private readonly ring: RingBuffer;
  private readonly tap: NativeAction;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly window: Float32Array;
  private held = 0;
  private lastDone = 0;
  private stopped = false;

  constructor(
    private readonly stream: Stream,
    private readonly fn: (m: MonitorFrames) => void,
    opts: MonitorOptions = {},
  ) {
    if (!(stream instanceof Stream))
      throw invalidType(`Monitor watches a stream (an InputStream, OutputStream, DuplexStream or mixer), got ${describe(stream)}`);
    const o = checkOptions(opts, ['interval', 'input'], 'monitor options');
    if (typeof fn !== 'function') throw invalidType('Monitor needs a function to call');
    const interval = o.interval ?? 0.1;
    if (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval)) {
      throw invalidArg(`interval must be seconds > 0, got ${String(interval)}`);
    }
    if (o.input !== undefined) checkBoolean(o.input, 'input');
    stream.checkOpen();
    const [inCh, outCh] = stream.native.deviceChannels;
    const output = o.input === true ? false : outCh > 0;
    const ch = output ? outCh : inCh;
    const n = Math.max(1, Math.round(interval * stream.samplerate));
    // The ring behind it holds four windows of float32.
    const most = ringMaxSize(4 * ch) / 4;
    if (n > most) {
      throw invalidArg(
        `interval must be at most ${most / stream.samplerate} seconds at ${stream.samplerate} Hz with ${ch} channels, got ${interval}`,
      );
    }
    this.window = new Float32Array(n * ch);
    this.ring = RingBuffer.forFrames(ch, 4 * n);
    this.tap = stream.native.tap(this.ring.native, output);
    this.timer = setInterval(() => this.tick(ch), interval * 1000);
    this.timer.unref?.(); // a monitor alone does not keep the process alive
  }

  /** Stops calling the function and removes the tap from the stream. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (!this.stream.closed) this.stream.native.mixCancel(this.tap, 0, true);
  }

  private tick(ch: number): void {
    if (this.stream.closed) return this.stop();
    const n = this.window.length / ch;
    const avail = this.ring.readAvailable;
    if (avail > n) {
      // Only the newest n frames matter: skip the rest without copying them.
      this.ring.advanceReadIndex(avail - n);
      this.held = 0;
    }
    const take = Math.min(this.ring.readAvailable, n);
    // Slide the window and append what arrived.
    const keep = Math.min(this.held, n - take);
    this.window.copyWithin(0, (this.held - keep) * ch, this.held * ch);
    this.ring.readInto(this.window.subarray(keep * ch, (keep + take) * ch));
    this.held = keep + take;
    const stats = this.tap.stats();
    const dropped = stats.inputOverflows - this.lastDone;
    this.lastDone = stats.inputOverflows;
    this.fn({
      frames: this.window.subarray(0, this.held * ch),
      channels: ch,
      samplerate: this.stream.samplerate,
      time: this.stream.time,
      dropped,
    });
  }
}
