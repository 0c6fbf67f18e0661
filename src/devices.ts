import * as native from '../index.js';
import { check, defaults } from './defaults.js';

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
}

/** The hosts available in this build and on this machine, e.g. `['virtual']`. */
export function hosts(): string[] {
  return native.hosts();
}

/** The devices of a host (default: `defaults.host`, else the system's default host). */
export function devices(opts: { host?: string } = {}): DeviceInfo[] {
  const host = opts.host ?? defaults.host;
  return native.devices(host === undefined ? native.defaultHost() : check.host(host));
}
