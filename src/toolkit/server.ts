import type { Action } from '../mixer/action.js';
import { dspResample } from '../native/addon.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { Mixer } from '../mixer/mixer.js';
import type { OutputStreamOptions } from '../stream/options.js';
import { checkInteger, checkNumber, checkOptions, checkString } from '../common/validate.js';
import { devices, type DeviceInfo } from '../device/devices.js';

/** Options of {@link Server} and {@link Arecorder} (pya's Aserver / Arecorder). */
export type ServerOptions = Pick<OutputStreamOptions, 'host' | 'device' | 'samplerate' | 'blocksize' | 'channels' | 'latency' | 'speed'>;

/** @internal The option names of {@link ServerOptions}. */
export const SERVER_KEYS = ['host', 'device', 'samplerate', 'blocksize', 'channels', 'latency', 'speed'] as const;

/** What {@link Server.play} can play: a Signal, or anything with its three fields. */
export interface Playable {
  /** Interleaved samples. */
  sig: Float32Array;
  /** Channels per frame. */
  channels: number;
  /** Frames per second (another rate than the server's is resampled, as pya's Aserver does). */
  samplerate: number;
}

/** Options of {@link Server.play}. */
export interface ServerPlayOptions {
  /**
   * Seconds from now (the server's stream clock, read once per run of
   * synchronous code: plays issued together keep their spacing exactly) to
   * start at, to the exact sample. Default 0.
   */
  onset?: number;
  /** The first (zero-based) output channel: the sound plays on `out`, `out + 1`, ... Default 0. */
  out?: number;
}

let defaultServer: Server | undefined;

/**
 * The sound's samples at `samplerate`: as they are, or resampled as pya's
 * Aserver does (band-limited between whole rates, else linear).
 */
function atRate(s: Playable, samplerate: number): Float32Array {
  if (s.samplerate === samplerate) return s.sig;
  const layout = { channels: s.channels, samplerate: s.samplerate };
  return dspResample(s.sig, layout, samplerate, 1, Number.isInteger(s.samplerate) ? undefined : 'linear');
}

/**
 * pya's Aserver: an output that mixes sounds into its channels at exact
 * times, on a {@link Mixer}. `await boot()`, `play(signal, { onset, out })`,
 * `await quit()`.
 */
export class Server {
  private options: ServerOptions;
  /** Sounds playing or waiting for their onset (for `stop()`). */
  private readonly playing = new Set<Action>();
  private m: Mixer | undefined;
  private turnTime: number | undefined;
  /** Sounds not played to their end yet: while there are any, the server holds the process open. */
  private pending = 0;

  constructor(options: ServerOptions = {}) {
    this.options = checkOptions(options, SERVER_KEYS, 'server options');
  }

  /**
   * The process-wide default server (default device, 2 channels), created
   * on first use; `signal.play()` boots it when it needs to.
   */
  static get default(): Server {
    return (defaultServer ??= new Server({ channels: 2 }));
  }

  /**
   * pya's `startup_default_server`: a new default server with `options`
   * (the old one quit first), booted.
   */
  static async startupDefault(options: ServerOptions = { channels: 2 }): Promise<Server> {
    const fresh = new Server(options);
    await Server.shutdownDefault();
    defaultServer = fresh;
    return fresh.boot();
  }

  /** pya's `shutdown_default_server`: quits the default server, if there is one. */
  static async shutdownDefault(): Promise<void> {
    await defaultServer?.quit();
    defaultServer = undefined;
  }

  /** pya's `get_devices`: the devices of this server's host (`host` option, else `defaults.host`). */
  getDevices(): DeviceInfo[] {
    return devices(this.options.host === undefined ? undefined : { host: this.options.host });
  }

  /** pya's `set_device`: plays on device `id` from now on (a booted server is rebooted on it). */
  async setDevice(id: string): Promise<void> {
    const device = checkString(id, 'device');
    const was = this.booted;
    if (was) await this.quit();
    this.options = { ...this.options, device };
    if (was) await this.boot();
  }

  /** pya's `stop`: cancels every sound playing or waiting for its onset; the server stays booted. */
  stop(): void {
    const m = this.m;
    if (!m || m.closed) return;
    for (const a of this.playing) if (a.outcome === 'pending') m.cancel(a);
  }

  /** `await using server = await new Server().boot()` quits it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.quit();
  }

  /** A one-line summary, like pya's repr: device, rate, channels, whether booted. */
  toString(): string {
    const m = this.m;
    const where = m && !m.closed ? `${m.device}, ${m.samplerate} Hz, ${m.native.deviceChannels[1]} ch, booted` : 'not booted';
    const o = this.options;
    const asked = [o.host && `host ${o.host}`, o.device && `device ${o.device}`, o.samplerate && `${o.samplerate} Hz`]
      .filter(Boolean)
      .join(', ');
    return `Server(${asked ? `${asked}: ` : ''}${where})`;
  }

  /** Whether it is booted. */
  get booted(): boolean {
    return this.m !== undefined && !this.m.closed;
  }

  /** The Mixer under it (once booted). */
  get mixer(): Mixer | undefined {
    return this.m;
  }

  /**
   * Opens and starts the device; resolves once its clock runs. Booting twice
   * does nothing. A booted server holds the process open only while a sound
   * it plays has not ended (so a script exits by itself once its sounds
   * have played, as with pya); `quit()` releases the device.
   */
  async boot(): Promise<this> {
    if (this.booted) return this;
    const m = new Mixer(this.options);
    await m.start();
    this.m = m;
    this.hold(m);
    return this;
  }

  /** Holds the event loop open while a sound is pending, not otherwise. */
  private hold(m: Mixer): void {
    if (!m.closed) m.native.keepAlive(this.pending > 0);
  }

  /**
   * Mixes `sound` into output channels `out`.. at `onset` seconds from now,
   * at the exact sample; returns the Mixer's Action (its `done` resolves
   * when it has played).
   */
  play(sound: Playable | Float32Array, opts: ServerPlayOptions = {}): Action {
    const m = this.m;
    if (!m || m.closed) throw invalidArg('the server is not booted: await server.boot() first');
    const o = checkOptions(opts, ['onset', 'out'], 'play options');
    const onset = checkNumber(o.onset ?? 0, 'onset');
    if (!(onset >= 0) || !Number.isFinite(onset)) throw invalidArg(`onset must be seconds >= 0, got ${onset}`);
    const out = checkInteger(o.out ?? 0, 'out (a zero-based channel)');
    const s = sound instanceof Float32Array ? { sig: sound, channels: 1, samplerate: m.samplerate } : sound;
    if (!s || !(s.sig instanceof Float32Array)) throw invalidType('play() takes a Signal or a Float32Array');
    const outs = m.native.deviceChannels[1];
    if (out + s.channels > outs) {
      throw invalidArg(
        `out must leave room for the sound's ${s.channels} channel(s) on the ${outs} outputs (at most ${outs - s.channels}), got ${out}`,
      );
    }
    const channels = Array.from({ length: s.channels }, (_, c) => out + c + 1);
    const action = m.playBuffer(atRate(s, m.samplerate), channels, { start: onset === 0 ? 0 : this.now(m) + onset });
    this.pending++;
    this.playing.add(action);
    this.hold(m);
    const ended = () => {
      this.playing.delete(action);
      this.pending--;
      this.hold(m);
    };
    action.done.then(ended, ended);
    return action;
  }

  /**
   * "Now" for onsets: read once per run of synchronous code, so that plays
   * issued together keep their onsets' spacing to the sample.
   */
  private now(m: Mixer): number {
    if (this.turnTime === undefined) {
      this.turnTime = m.time;
      queueMicrotask(() => (this.turnTime = undefined));
    }
    return this.turnTime;
  }

  /** Stops and releases the device. */
  async quit(): Promise<void> {
    const m = this.m;
    this.m = undefined;
    if (m) await m.close();
    if (defaultServer === this) defaultServer = undefined;
  }
}

/** pya's module `startup`: {@link Server.startupDefault}. */
export function startup(options?: ServerOptions): Promise<Server> {
  return Server.startupDefault(options);
}

/** pya's module `shutdown`: {@link Server.shutdownDefault}. */
export function shutdown(): Promise<void> {
  return Server.shutdownDefault();
}
