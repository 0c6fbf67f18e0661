// `ringstream -l`: the devices of every host (or of --host), one per line.
import { defaultHost } from '../native/addon.js';
import { devices, hosts, type DeviceInfo } from '../device/devices.js';
import { describeError } from './errors.js';

function mark(d: DeviceInfo): string {
  return d.isDefaultInput && d.isDefaultOutput ? '*' : d.isDefaultInput ? '>' : d.isDefaultOutput ? '<' : ' ';
}

/** The device list as text; hosts that fail to list are noted, not fatal. */
export function deviceList(host: string | undefined): string {
  const names = host === undefined ? hosts() : [host];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const h of names) {
    try {
      for (const d of devices({ host: h })) {
        rows.push([mark(d), d.id, d.name, d.host, `${d.maxInputChannels} in`, `${d.maxOutputChannels} out`, `${d.defaultSamplerate} Hz`]);
      }
    } catch (e) {
      if (host !== undefined) throw e;
      notes.push(`(${h}: ${describeError(e)})`);
    }
  }
  const widths = rows.reduce((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), [] as number[]);
  const lines = rows.map((r) =>
    r
      .map((c, i) => (i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  lines.push(...notes);
  if (host === undefined) lines.push(`> default input, < default output, * both; default host: ${defaultHost()}`);
  return lines.join('\n');
}
