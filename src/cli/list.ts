// `ringstream -l`: the devices of every host (or of --host) as a numbered
// table, the numbers `-D N` takes; and `-D N` itself, counted the same way.
import { defaultHost } from '../native/addon.js';
import { devices, hosts, type DeviceInfo } from '../device/devices.js';
import { codedError, ErrorCode } from '../common/errors.js';
import { describeError } from './errors.js';

/** The devices `-l` lists, in its order, and the hosts that failed to list. */
interface Listing {
  rows: DeviceInfo[];
  notes: string[];
}

function listing(host: string | undefined): Listing {
  const names = host === undefined ? hosts() : [host];
  const rows: DeviceInfo[] = [];
  const notes: string[] = [];
  for (const h of names) {
    try {
      rows.push(...devices({ host: h }));
    } catch (e) {
      if (host !== undefined) throw e;
      notes.push(`(${h}: ${describeError(e)})`);
    }
  }
  return { rows, notes };
}

/** sounddevice's marks: `>` default input, `<` default output, `*` both; each direction once per host. */
function marks(rows: DeviceInfo[]): string[] {
  const seen = new Set<string>();
  return rows.map((d) => {
    const input = d.isDefaultInput && !seen.has(`${d.host}>`);
    const output = d.isDefaultOutput && !seen.has(`${d.host}<`);
    if (input) seen.add(`${d.host}>`);
    if (output) seen.add(`${d.host}<`);
    return input && output ? '*' : input ? '>' : output ? '<' : ' ';
  });
}

/** The device list as text; hosts that fail to list are noted, not fatal. */
export function deviceList(host: string | undefined): string {
  const { rows: devs, notes } = listing(host);
  const mark = marks(devs);
  const rows = [
    ['', '#', 'ID', 'NAME', 'HOST', 'IN', 'OUT', 'RATE'],
    ...devs.map((d, i) => [
      mark[i],
      String(i),
      d.id,
      d.name,
      d.host,
      String(d.maxInputChannels),
      String(d.maxOutputChannels),
      `${d.defaultSamplerate} Hz`,
    ]),
  ];
  const widths = rows.reduce((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), [] as number[]);
  const right = (i: number) => i === 1 || i >= 5;
  const lines = rows.map((r) =>
    r
      .map((c, i) => (right(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  lines.push(...notes);
  if (host === undefined) lines.push(`> default input, < default output, * both (once per host); default host: ${defaultHost()}`);
  return lines.join('\n');
}

/**
 * The device `-D N` names: row N of `ringstream -l` (with `--host`, the
 * host's own index, which is the same row).
 * @throws `ERR_DEVICE_NOT_FOUND` when the list has no row N.
 */
export function deviceAt(n: number, host: string | undefined): string | number {
  if (host !== undefined) return n;
  const { rows } = listing(undefined);
  const d = rows[n];
  if (d === undefined) {
    throw codedError(ErrorCode.DEVICE_NOT_FOUND, `no device number ${n}; there are ${rows.length}, numbered 0 to ${rows.length - 1}`);
  }
  return d.id;
}
