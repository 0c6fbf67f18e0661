import { devices } from '../device/devices.js';
import type { DeviceChangeEvent } from './options.js';

/**
 * What a `'devicechange'` event says: the device of `host` the desktop
 * made the default output, which a stream on `<host>:default` now plays
 * to (read from a fresh listing: the event comes from the host, which
 * names no device). `<host>:default` when the host lists no named default.
 *
 * @internal Called by {@link Stream} on the host's event; for example,
 * `deviceChangeEvent('pipewire')` is `{ device: 'pipewire:<the new default sink>' }`.
 */
export function deviceChangeEvent(host: string): DeviceChangeEvent {
  const follower = `${host}:default`;
  const named = devices({ host, refresh: true }).find((d) => d.isDefaultOutput && d.id !== follower);
  return { device: named?.id ?? follower };
}
