import * as native from '../native/addon.js';
import { check, defaults } from './defaults.js';
import { checkBoolean, checkOptions, checkString } from '../common/validate.js';

/**
 * An inclusive range of values; `min === max` is one value.
 * @example
 * ```ts
 * import { devices } from 'ringstream';
 * const [rate] = devices({ host: 'virtual' })[0].native.output.samplerates;
 * console.log(`${rate.min}..${rate.max} Hz`);
 * ```
 */
export interface ValueRange {
  /** The least value. */
  min: number;
  /** The greatest value. */
  max: number;
}

/**
 * What one direction of a device takes natively, i.e. without the engine
 * converting: sorted, disjoint ranges. Both lists are empty for a direction
 * the device lacks. A sound server's host (PipeWire, PulseAudio) lists what
 * its server converts; ALSA lists what the PCM's hardware parameters allow
 * (a discrete clock as one range per rate); JACK the server's one rate.
 * @example
 * ```ts
 * import { devices } from 'ringstream';
 * const d = devices({ host: 'virtual' }).find((x) => x.id === 'virtual:stereo48');
 * console.log(d?.native.input); // { samplerates: [{ min: 48000, max: 48000 }], channels: [{ min: 2, max: 2 }] }
 * ```
 */
export interface NativeOffers {
  /** Sample-rate ranges in Hz. */
  samplerates: ValueRange[];
  /** Channel-count ranges. */
  channels: ValueRange[];
}

/** A device as {@link devices} lists it. */
export interface DeviceInfo {
  /** `host:name`, stable across calls; accepted by every stream's `device` option. */
  id: string;
  /** The device's name. */
  name: string;
  /** The host it belongs to. */
  host: string;
  /** Most input channels. */
  maxInputChannels: number;
  /** Most output channels. */
  maxOutputChannels: number;
  /** Preferred sample rate in Hz. */
  defaultSamplerate: number;
  /** The host's default input device. */
  isDefaultInput: boolean;
  /** The host's default output device. */
  isDefaultOutput: boolean;
  /**
   * An output whose playback can be recorded: `new InputStream({ device: id, loopback: true })`
   * (PipeWire sinks, PulseAudio sinks with a `.monitor` source).
   */
  loopback: boolean;
  /**
   * The sample rates and channel counts each direction opens natively; a
   * stream asking for others is converted by the engine (or, with
   * `convert: false`, refused).
   */
  native: { input: NativeOffers; output: NativeOffers };
}

/** The hosts available in this build and on this machine, e.g. `['virtual']`. */
export function hosts(): string[] {
  return native.hosts();
}

/** Options of {@link devices}. */
export interface DevicesOptions {
  /** The host to list, e.g. `'virtual'` or `'alsa'`; default `defaults.host`. */
  host?: string;
  /**
   * List the devices anew. A real host's list is made once (probing every
   * device takes a while) and kept; a stream that asks for a device missing
   * from it has it made again. Pass `true` after plugging a card in.
   */
  refresh?: boolean;
}

const DEVICES_KEYS: readonly (keyof DevicesOptions)[] = ['host', 'refresh'];

/**
 * The devices of a host (default: `defaults.host`, else the system's default host).
 * @throws `ERR_INVALID_ARG` for options that are not an object, unknown
 * option names, or a host that is not a non-empty string;
 * `ERR_DEVICE_NOT_FOUND` for a host this build or machine does not have.
 */
export function devices(opts?: DevicesOptions): DeviceInfo[] {
  const { host, refresh } = checkOptions(opts, DEVICES_KEYS, 'devices() options');
  const name = host === undefined ? defaults.host : checkString(host, 'host');
  const fresh = refresh === undefined ? false : checkBoolean(refresh, 'refresh');
  return native.devices(name === undefined ? native.defaultHost() : check.host(name), fresh);
}

let warnedFallback = false;

/**
 * @internal Warns once per process that streams without a host fell back to
 * the virtual device (`why`: the native reason; null when they did not).
 */
export function warnVirtualFallback(why: string | null | undefined): void {
  if (why == null || warnedFallback) return;
  warnedFallback = true;
  process.emitWarning(
    `ringstream: no real audio device (${why}); streams without a host use virtual:loopback, which plays nothing audible`,
    { code: 'RINGSTREAM_VIRTUAL_FALLBACK' },
  );
}
