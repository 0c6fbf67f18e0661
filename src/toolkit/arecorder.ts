import type { Action } from '../mixer/action.js';
import { invalidArg } from '../common/errors.js';
import { Recorder } from '../mixer/mixer.js';
import { RingBuffer } from '../ring/ring.js';
import { SERVER_KEYS, type ServerOptions } from './server.js';
import { Signal } from './signal/signal.js';
import { checkOptions, checkString } from '../common/validate.js';

/**
 * pya's Arecorder: takes of the input, each kept as a {@link Signal} in
 * `recordings`. `await boot()`, `record()`, `pause()`, `await stop()`,
 * `setTracks(tracks, gainsDb)`, `await quit()`. Recording runs on a
 * {@link Recorder}: frames land in a ring in the audio callback and are
 * collected here, off the audio thread.
 */
export class Arecorder {
  /** The takes so far, oldest first. */
  readonly recordings: Signal[] = [];
  private options: ServerOptions;
  private r: Recorder | undefined;
  /** One ring per stretch between record() and pause() (a paused action may still hold its ring for a block). */
  private rings: RingBuffer[] = [];
  private action: Action | undefined;
  private parts: Float32Array[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private tracks: number[] | undefined;
  private gains: number[] | undefined;

  constructor(options: ServerOptions = {}) {
    this.options = checkOptions(options, SERVER_KEYS, 'recorder options');
  }

  /** The Recorder under it (once booted). */
  get recorder(): Recorder | undefined {
    return this.r;
  }

  /** Opens and starts the device. */
  async boot(): Promise<this> {
    if (this.r && !this.r.closed) return this;
    const r = new Recorder(this.options);
    await r.start();
    this.r = r;
    return this;
  }

  /**
   * Which input channels (zero-based) the takes keep, and their gains in
   * dB (one per track; default 0). Applies to takes stopped from now on.
   */
  setTracks(tracks: number[], gainsDb?: number[]): void {
    if (!Array.isArray(tracks) || tracks.length === 0 || !tracks.every((t) => Number.isInteger(t) && t >= 0)) {
      throw invalidArg(`tracks must be a non-empty array of zero-based input channels, got ${String(tracks)}`);
    }
    const gains = gainsDb ?? tracks.map(() => 0);
    if (!Array.isArray(gains) || gains.length !== tracks.length || !gains.every((g) => typeof g === 'number' && Number.isFinite(g))) {
      throw invalidArg(`gainsDb must hold one finite number of dB per track (${tracks.length}), got ${String(gainsDb)}`);
    }
    this.tracks = [...tracks];
    this.gains = [...gains];
  }

  /**
   * pya's `reset`: takes keep every input channel at 0 dB again (what
   * {@link Arecorder.setTracks} chose is forgotten); `recordings` stay.
   */
  reset(): void {
    this.tracks = undefined;
    this.gains = undefined;
  }

  /** Starts (or resumes) a take now. */
  record(): void {
    const r = this.booted();
    if (this.action) return;
    const ch = r.native.deviceChannels[0];
    const ring = RingBuffer.forFrames(ch, Math.max(1 << 16, r.samplerate));
    this.rings.push(ring);
    this.action = r.recordRingbuffer(ring, ch);
    this.timer ??= setInterval(() => this.drain(), 50);
  }

  /** Pauses the take (what was recorded is kept; record() resumes it). */
  pause(): void {
    const a = this.action;
    if (!a || !this.r) return;
    this.action = undefined;
    this.r.cancel(a);
  }

  /** Ends the take and appends it to `recordings` as a Signal; resolves to it. */
  async stop(): Promise<Signal> {
    const r = this.booted();
    const a = this.action;
    this.pause();
    if (a) await r.wait(a);
    this.drain();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const ch = r.native.deviceChannels[0];
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const data = new Float32Array(total);
    this.parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
    this.parts = [];
    this.rings = [];
    let take = new Signal(data, { samplerate: r.samplerate, channels: ch, label: `take ${this.recordings.length + 1}` });
    if (this.tracks) {
      take = take.channel(this.tracks);
      if (this.gains!.some((g) => g !== 0)) take = take.gain({ db: this.gains! });
    }
    this.recordings.push(take);
    return take;
  }

  /**
   * pya's `set_device`: records from device `id` from now on (a booted
   * recorder is rebooted on it; a take in progress is stopped and kept first).
   */
  async setDevice(id: string): Promise<void> {
    const device = checkString(id, 'device');
    const was = this.r !== undefined && !this.r.closed;
    if (was && this.action) await this.stop();
    if (was) await this.quit();
    this.options = { ...this.options, device };
    if (was) await this.boot();
  }

  /** A one-line summary, like pya's repr: device, rate, channels, takes. */
  toString(): string {
    const r = this.r;
    const where = r && !r.closed ? `${r.device}, ${r.samplerate} Hz, ${r.native.deviceChannels[0]} ch, booted` : 'not booted';
    return `Arecorder(${where}, ${this.recordings.length} take(s)${this.action ? ', recording' : ''})`;
  }

  /** Stops recording and releases the device. */
  async quit(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.action = undefined;
    const r = this.r;
    this.r = undefined;
    if (r) await r.close();
  }

  private booted(): Recorder {
    if (!this.r || this.r.closed) throw invalidArg('the recorder is not booted: await recorder.boot() first');
    return this.r;
  }

  /** Moves what the callback recorded out of the ring (no JS loop over samples). */
  private drain(): void {
    for (const ring of this.rings) {
      const n = ring.readAvailable;
      if (n === 0) continue;
      const part = new Float32Array((n * ring.elementSize) / 4);
      ring.readInto(part);
      this.parts.push(part);
    }
  }
}
