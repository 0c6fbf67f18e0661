// The command line's options: one table that both the parser (node:util
// parseArgs) and the help text are made from.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nearest } from '../common/validate.js';
import { UsageError } from './errors.js';
import { BUFFER_SIZE_DEFAULT } from '../native/protocol.js';

/** One option of the command line. */
interface OptionSpec {
  long: string;
  short?: string;
  /** Placeholder of the value; none for a flag. */
  value?: string;
  /** Other long spellings (pastream's `--file_type`). */
  aliases?: string[];
  /** May be given more than once. */
  multiple?: boolean;
  default: string;
  help: string;
}

/** Every option, in help order. */
export const OPTIONS: readonly OptionSpec[] = [
  { long: 'list', short: 'l', default: '', help: 'list the audio devices (> default input, < default output, * both) and exit' },
  { long: 'quiet', short: 'q', default: 'off', help: 'no status line, meters or summary (errors are still printed)' },
  { long: 'version', default: '', help: 'print the version and exit' },
  { long: 'help', short: 'h', default: '', help: 'print this help and exit' },
  {
    long: 'duration',
    short: 'd',
    value: 'TIME',
    default: '-1 (until the input ends, or Ctrl-C)',
    help: 'frames to play / record, offset included',
  },
  { long: 'offset', short: 'o', value: 'TIME', default: '0', help: 'drop this much of the start of the recording' },
  {
    long: 'pad',
    short: 'p',
    value: '[TIME]',
    default: '0; bare -p = -1',
    help: 'silence after the input; -1 pads automatically up to --duration (or forever)',
  },
  { long: 'loop', default: 'off', help: 'loop the input file' },
  {
    long: 'volume',
    short: 'v',
    value: 'FACTOR',
    default: '1',
    help: "play the input at this volume, as sox's -v: a linear factor (0.5; negative also inverts) or dB (-6dB)",
  },
  {
    long: 'loopback',
    default: 'off',
    help: 'record what the device plays (an output listed with loopback; default: the default output): ringstream --loopback [-D SINK] OUTPUT',
  },
  { long: 'fatal-xruns', default: 'off', help: 'stop at the first xrun and exit with status 3' },
  { long: 'exact', default: 'off', help: 'refuse a rate or channel count the device lacks instead of converting' },
  {
    long: 'buffersize',
    value: 'SIZE',
    default: String(BUFFER_SIZE_DEFAULT),
    help: 'frames of the ring buffers between files and the audio thread (a power of 2)',
  },
  { long: 'blocksize', short: 'b', value: 'SIZE', default: '512', help: 'frames per audio callback (0: the host chooses)' },
  { long: 'channels', short: 'c', value: 'N[,N]', default: "the input file's, else 2", help: 'channels (playback,record)' },
  {
    long: 'device',
    short: 'D',
    value: 'DEVICE',
    multiple: true,
    default: "the host's default",
    help: 'device id (alsa:loopback), index or name; PLAYBACK,RECORD (or -D twice) for two, which is refused until two devices can share a clock',
  },
  {
    long: 'host',
    short: 'H',
    value: 'HOST',
    default: 'the system default (virtual where there is no sound card)',
    help: 'host: pipewire, pulseaudio, alsa, jack, virtual',
  },
  { long: 'format', short: 'f', value: 'DTYPE[,DTYPE]', default: 'float32', help: 'sample type of the stream: float32, int16, int32' },
  {
    long: 'map',
    short: 'm',
    value: 'CHMAP [CHMAP]',
    multiple: true,
    default: 'none',
    help: "pastream's CHIN[:CHOUT],... (one-based; e.g. 2,1 or 2:1,1:2): one map is the recording's when there is an OUTPUT, else the playback's; two are playback then recording",
  },
  { long: 'rate', short: 'r', value: 'RATE', default: "the input file's, else 48000", help: 'sample rate in Hz (48k = 48000)' },
  {
    long: 'file-type',
    short: 't',
    value: 'TYPE[,TYPE]',
    aliases: ['file_type'],
    default: 'input files: by content (.raw: raw); output files: by extension, else wav; stdin: by its first bytes; stdout: wav',
    help: 'wav, w64, flac, au, aiff, ogg, mp3, caf or raw (raw needs --rate, --channels, --encoding); an output file is written in it; stdout takes wav, au, flac, raw',
  },
  {
    long: 'encoding',
    short: 'e',
    value: 'ENC[,ENC]',
    default: "input: the file's; output: -f's integer type, else float (FLAC, AIFF: pcm_24)",
    help: 'pcm_u8, pcm_s8, pcm_16, pcm_24, pcm_32, float, double, ulaw, alaw (or i16, f32, u-law, a-law, ...)',
  },
  { long: 'endian', value: 'E[,E]', default: 'file (little)', help: 'byte order of raw data: file, little, big' },
];

/** The parsed command line: option values by long name, and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

const byShort = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));
const byLong = new Map(OPTIONS.flatMap((o) => [o.long, ...(o.aliases ?? [])].map((n) => [n, o] as const)));

/** Expands `@file` arguments (one argument per line), as pastream / argparse do. */
function expandFiles(args: string[], depth = 0): string[] {
  if (depth > 8) throw new UsageError('@file: argument files nest too deeply');
  return args.flatMap((a) => {
    if (!a.startsWith('@') || a.length === 1) return [a];
    let text: string;
    try {
      text = readFileSync(a.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(`${a}: cannot read the argument file (${(e as Error).message})`);
    }
    return expandFiles(
      text.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1),
      depth + 1,
    );
  });
}

const TIME_LIKE = /^-?(\d|\.\d)[\d.:]*[kKmM]?s?$/;

/**
 * Rewrites what parseArgs cannot read as pastream's argparse does: a bare
 * `-p` (pad = -1), values that start with a dash (`-d -1`), `-e=pcm_16`.
 */
function normalize(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const eq = /^-([a-zA-Z])=(.*)$/.exec(a);
    const spec = eq ? byShort.get(eq[1]) : a.startsWith('--') ? byLong.get(a.slice(2)) : a.length === 2 ? byShort.get(a[1]) : undefined;
    if (eq && spec) {
      out.push(`--${spec.long}=${eq[2]}`);
      continue;
    }
    if (!spec?.value || a.includes('=')) {
      out.push(a);
      continue;
    }
    const next = args[i + 1];
    if (spec.long === 'pad') {
      // pad's value is optional: take the next argument only if it is a time.
      if (next !== undefined && TIME_LIKE.test(next)) out.push(`--pad=${next}`), i++;
      else out.push('--pad=-1');
    } else if (spec.long === 'map' && next !== undefined) {
      // pastream's `-m CHMAP [CHMAP]`: a second map-like argument is the recording's map.
      out.push(`--map=${next}`);
      i++;
      if (args[i + 1] !== undefined && /^\d+(:\d+)?(,\d+(:\d+)?)*$/.test(args[i + 1])) out.push(`--map=${args[++i]}`);
    } else if (next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`--${spec.long}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * pastream / sox options that ringstream refuses with a reason rather than
 * as unknown: what they are and what to use instead.
 */
const REFUSED: Record<string, string> = {
  s: "is ASIO-only (pastream passes it to PortAudio's ASIO host, which ringstream does not have); use -m CHMAP to pick channels",
  'channel-select':
    "is ASIO-only (pastream passes it to PortAudio's ASIO host, which ringstream does not have); use -m CHMAP to pick channels",
};

/** The known option nearest to `name`, when it is near enough to be a likely typo. */
function suggestion(name: string): string | undefined {
  if (name.length === 1) {
    // One letter is near every other: only the other case of a known letter (-L for -l).
    const other = byShort.has(name.toLowerCase()) ? name.toLowerCase() : byShort.has(name.toUpperCase()) ? name.toUpperCase() : undefined;
    return other === undefined ? undefined : `-${other}`;
  }
  const known = [...byLong.keys()];
  const best = nearest(name, known);
  const f = (x: string) => x.toLowerCase().replace(/[-_]/g, '');
  const close =
    f(best).includes(f(name)) || f(name).includes(f(best)) || editDistance(f(name), f(best)) <= Math.max(1, Math.floor(name.length / 2));
  return close ? `--${best}` : undefined;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The parseArgs error as a usage error that names the option (and the nearest known one). */
function usage(e: Error & { code?: string }): UsageError {
  const m = /'(-[^' ,]+)/.exec(e.message);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m) {
    const name = m[1].replace(/^-+/, '');
    if (REFUSED[name]) return new UsageError(`${m[1]} ${REFUSED[name]}`);
    const near = suggestion(name);
    return new UsageError(`unknown option ${m[1]}${near ? `; did you mean ${near}?` : ''}`);
  }
  // "Option '-d, --duration <value>' argument missing": ours, with what the value would be.
  const missing = /'(?:-\w, )?--([\w-]+) <value>' argument missing/.exec(e.message);
  const spec = missing && byLong.get(missing[1]);
  if (spec) return new UsageError(`--${spec.long}`, undefined, `${spec.value} after it (${spec.help})`);
  return new UsageError(e.message.replace(/\.\s*$/, ''));
}

/** Parses the command line (after `@file` expansion). */
export function parse(argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of OPTIONS) {
    const type = o.value ? 'string' : 'boolean';
    options[o.long] = { type, ...(o.short && { short: o.short }), ...(o.multiple && { multiple: true }) };
    for (const a of o.aliases ?? []) options[a] = { type, ...(o.multiple && { multiple: true }) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: normalize(expandFiles(argv)), options, allowPositionals: true, strict: true });
  } catch (e) {
    throw e instanceof UsageError ? e : usage(e as Error & { code?: string });
  }
  const values: ParsedArgs['values'] = {};
  for (const [k, v] of Object.entries(parsed.values)) values[byLong.get(k)!.long] ??= v as ParsedArgs['values'][string];
  return { values, positionals: parsed.positionals };
}

/** The help text: every option with its default. */
export function helpText(): string {
  const rows = OPTIONS.map((o) => {
    const names = [o.short ? `-${o.short}` : '  ', `--${o.long}${o.value ? ` ${o.value}` : ''}`].join(o.short ? ', ' : '  ');
    return [names, `${o.help}${o.default ? ` [default: ${o.default}]` : ''}`];
  });
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  return [
    'usage: ringstream [options] INPUT [OUTPUT]',
    '       ringstream -l | --version | -h',
    '       ringstream demo [DIR]',
    '',
    'Plays INPUT and records OUTPUT on an audio device (both: play and record',
    'at once, sample-synchronously). `-` is stdin / stdout (WAV unless -t raw),',
    '`null` or an empty string means none; @FILE reads arguments from FILE,',
    'one per line. `demo` plays and records a test signal on the virtual',
    'loopback device (no sound card needed) and checks what came back.',
    '',
    'TIME is [[H:]M:]S[.frac] seconds, or samples with a trailing s (1Ks = 1024',
    'frames). SIZE takes k (x1000), K (x1024), m (x10^6), M (x1024^2).',
    'Pairs are playback,record; one value serves both.',
    '',
    'options:',
    ...rows.map(([n, h]) => `  ${n.padEnd(width)}${h}`),
    '',
    'exit status: 0 done, 1 file/device/stream error, 2 bad arguments,',
    '3 an xrun with --fatal-xruns, 130 stopped by Ctrl-C (SIGINT), 143 by SIGTERM (recordings kept).',
    'RINGSTREAM_FAULTS (tests only): JSON fault injection for the virtual device,',
    `e.g. '{"skipBlocks":[3]}'.`,
  ].join('\n');
}
