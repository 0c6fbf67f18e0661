import { type DeviceInfo, devices } from '../device/devices.js';
import type { DeviceChangeEvent } from './options.js';

/**
 * What a `'devicechange'` event says: the device the host moved the stream
 * to. PulseAudio names it (`movedTo`, the plugin watches the server's
 * streams); PipeWire only follows the default, so it is read from a fresh
 * listing: the device of `host` the desktop made the default output (or
 * input, for a recording that `follows` it), which a stream on
 * `<host>:default` now plays to. `<host>:default` when the host lists no
 * named default.
 *
 * @internal Called by {@link Stream} on the host's event; for example,
 * `deviceChangeEvent('pipewire', null, 'output')` is `{ device: 'pipewire:<the new default sink>' }`.
 */
export function deviceChangeEvent(host: string, movedTo: string | null, follows: 'input' | 'output'): DeviceChangeEvent {
  if (movedTo !== null) return { device: movedTo };
  const follower = `${host}:default`;
  const isDefault = (d: DeviceInfo) => (follows === 'input' ? d.isDefaultInput : d.isDefaultOutput);
  const named = devices({ host, refresh: true }).find((d) => isDefault(d) && d.id !== follower);
  return { device: named?.id ?? follower };
}
