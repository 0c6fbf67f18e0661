// From parsed arguments to what to run: endpoints, stream options, times.
import type { Dtype } from '../device/defaults.js';
import type { VirtualFaults } from '../stream/options.js';
import type { ParsedArgs } from './args.js';
import type { AudioEncoding } from '../files/audio.js';
import { UsageError } from './errors.js';
import { checkBufferSize, nativeEncodingName } from '../native/addon.js';
import { BUFFER_SIZE_DEFAULT, BUFFER_SIZE_MAX } from '../native/protocol.js';
import { pair, parseSize, parseTime, parseVolume, type Time, type Volume } from './units.js';

/**
 * How audio bytes are laid out in a file or pipe: a format's name, or
 * `auto` for stdin without `-t` (the core names it by its first bytes) and
 * for a file without `-t` (read: its content; written: its extension, WAV
 * when it names none).
 */
export type FileType = 'wav' | 'raw' | 'au' | 'flac' | 'aiff' | 'w64' | 'ogg' | 'mp3' | 'caf' | 'auto';

/** Where audio comes from or goes to. */
export type Endpoint = { kind: 'none' } | { kind: 'file'; path: string; type: FileType } | { kind: 'std'; type: FileType };

/** A sample encoding of files, by the core's canonical name (`pcm_16`, `float`, `ulaw`, ...). */
export type Encoding = AudioEncoding;

/** One direction's file options. */
export interface Side {
  endpoint: Endpoint;
  channels: number | undefined;
  encoding: Encoding | undefined;
  bigEndian: boolean;
  dtype: Dtype | undefined;
  map: number[] | undefined;
  device: string | number | undefined;
}

/** Everything a run needs, checked. */
export interface Plan {
  playback: Side;
  record: Side;
  samplerate: number | undefined;
  blocksize: number | undefined;
  bufferSize: number;
  host: string | undefined;
  duration: Time;
  offset: Time;
  pad: Time;
  loop: boolean;
  /** What the input is played at (sox's `-v`); none: unchanged. */
  volume: Volume | undefined;
  /** Record what the device plays (`--loopback`): the one positional is OUTPUT. */
  loopback: boolean;
  fatalXruns: boolean;
  /** `--exact`: no conversion in the engine. */
  exact: boolean;
  quiet: boolean;
  faults: VirtualFaults | undefined;
}

const DTYPES: readonly Dtype[] = ['float32', 'int16', 'int32'];

function str(v: ParsedArgs['values'][string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `-t` names of the formats files are read in (by their content) and written in (by their extension). */
const FILE_TYPES: Record<string, FileType> = {
  wav: 'wav',
  flac: 'flac',
  aiff: 'aiff',
  aif: 'aiff',
  w64: 'w64',
  au: 'au',
  snd: 'au',
  ogg: 'ogg',
  mp3: 'mp3',
  caf: 'caf',
};

function endpoint(arg: string | undefined, type: string | undefined, option: string, input: boolean): Endpoint {
  const lower = type?.toLowerCase();
  if (lower !== undefined && lower !== 'raw' && !FILE_TYPES[lower])
    throw new UsageError(option, type!, `raw or ${Object.keys(FILE_TYPES).join(', ')}`);
  if (arg === undefined || arg === '' || arg === 'null') return { kind: 'none' };
  if (arg === '-') {
    // Stdin is named by its first bytes unless -t says; stdout is WAV unless -t says.
    const named: FileType | undefined = lower === 'raw' ? 'raw' : lower !== undefined ? FILE_TYPES[lower] : undefined;
    return { kind: 'std', type: named ?? (input ? 'auto' : 'wav') };
  }
  if (lower !== undefined && lower !== 'raw') {
    // A file's format is its content (reading) or its extension (writing): -t may only agree.
    const ext = /\.([^./]+)$/.exec(arg)?.[1]?.toLowerCase();
    if (ext !== undefined && FILE_TYPES[ext] !== undefined && FILE_TYPES[ext] !== FILE_TYPES[lower]) {
      throw new UsageError(`${option} ${type} contradicts the file name ${arg}; name the file .${lower}`);
    }
  }
  // -t names a file's format (an output is written in it: `-t flac out` writes FLAC); else its content or extension does.
  const t: FileType = lower === 'raw' ? 'raw' : lower !== undefined ? FILE_TYPES[lower]! : /\.(raw|pcm)$/i.test(arg) ? 'raw' : 'auto';
  return { kind: 'file', path: arg, type: t };
}

function encoding(v: string | undefined): Encoding | undefined {
  if (v === undefined) return undefined;
  try {
    // The core knows every encoding and its aliases (sox's, pastream's, numpy's).
    return nativeEncodingName(v).name as Encoding;
  } catch (e) {
    throw new UsageError('--encoding', v, `a sample encoding (${(e as Error).message})`);
  }
}

function endian(v: string | undefined): boolean {
  if (v === undefined || v === 'file' || v === 'little') return false;
  if (v === 'big') return true;
  throw new UsageError('--endian', v, 'file, little or big');
}

function channels(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\s*\d+\s*$/.test(v) || Number(v) < 1) {
    throw new UsageError('--channels', v, 'a whole number of channels, 1 or more (e.g. 2, or 2,1 for playback,record)');
  }
  return Number(v);
}

const MAP_SYNTAX = 'CHIN[:CHOUT],... with one-based channels (CHIN 0 = none; CHOUT defaults to the position), e.g. 2,1 or 2:1,1:2';

/**
 * pastream's CHMAP: `CHIN[:CHOUT],...`; entry `CHIN:CHOUT` feeds stream
 * channel CHOUT from file (or device) channel CHIN, a bare `CHIN` goes to
 * its position. `null`, `^` or empty: no map. The result is the library's
 * map (entry `k` feeds channel `k + 1`; 0 = none).
 */
export function parseMap(v: string): number[] | undefined {
  if (v === '' || v === '^' || v.toLowerCase() === 'null') return undefined;
  const out: number[] = [];
  v.split(',').forEach((entry, i) => {
    const m = /^(\d+)(?::(\d+))?$/.exec(entry);
    if (!m) throw new UsageError('--map', v, MAP_SYNTAX);
    const chout = m[2] === undefined ? i + 1 : Number(m[2]);
    if (chout < 1) throw new UsageError('--map', v, `${MAP_SYNTAX}; CHOUT must be 1 or more`);
    if (out[chout - 1] !== undefined) throw new UsageError('--map', v, `${MAP_SYNTAX}; channel ${chout} is mapped twice`);
    out[chout - 1] = Number(m[1]);
  });
  return Array.from(out, (x) => x ?? 0);
}

/**
 * pastream's `-m CHMAP [CHMAP]`: two maps are playback then recording; one
 * applies to the recording when there is an OUTPUT, else to the playback.
 */
function maps(v: string[] | undefined, recording: boolean): [number[] | undefined, number[] | undefined] {
  const given = v ?? [];
  if (given.length > 2) throw new UsageError('--map', given[2], 'at most two maps: playback, then recording');
  const [a, b] = given.map(parseMap);
  if (given.length === 2) return [a, b];
  return recording ? [undefined, a] : [a, undefined];
}

/**
 * pastream's `-D IN,OUT`... as ringstream orders its pairs, playback then
 * record. A comma before `KEY=` belongs to an ALSA name
 * (`hw:CARD=Loopback,DEV=0`) and does not split it.
 */
function devicePair(v: string): string[] {
  const parts = v.split(/,(?![A-Za-z_]+=)/);
  if (parts.length > 1 && parts.some((x) => x.trim() === '')) {
    throw new UsageError('--device', v, 'PLAYBACK,RECORD: a device on each side of the comma (an id, index or name)');
  }
  return parts.map((x) => x.trim());
}

function device(v: string | undefined): string | number | undefined {
  return v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v;
}

function faults(env: string | undefined): VirtualFaults | undefined {
  if (!env) return undefined;
  try {
    return JSON.parse(env) as VirtualFaults;
  } catch {
    throw new UsageError('RINGSTREAM_FAULTS', env, 'a JSON object such as {"skipBlocks":[3]}');
  }
}

/** Checks the parsed arguments of a play / record / playrec run. */
export function plan(args: ParsedArgs, env: NodeJS.ProcessEnv): Plan {
  const v = args.values;
  const loopback = v.loopback === true;
  if (loopback && args.positionals.length !== 1) {
    throw new UsageError('--loopback records only: give one OUTPUT file (ringstream --loopback [-D SINK] OUTPUT)');
  }
  const positionals = loopback ? ['null', ...args.positionals] : args.positionals;
  if (positionals.length === 0) throw new UsageError('missing INPUT: give a file to play, - for stdin, or null to record only');
  if (positionals.length > 2) throw new UsageError(`too many arguments: ${positionals.slice(2).join(' ')} (INPUT [OUTPUT] only)`);
  const [inArg, outArg] = positionals;
  const devs = ((v.device as string[] | undefined) ?? []).flatMap(devicePair);
  if (devs.length > 2) throw new UsageError('--device', devs[2], 'at most two devices (playback, then record)');
  // Index 0 is the playback side, 1 the record side, of every pair.
  const pairs = {
    type: pair(str(v['file-type']), '--file-type'),
    encoding: pair(str(v.encoding), '--encoding'),
    endian: pair(str(v.endian), '--endian'),
    channels: pair(str(v.channels), '--channels'),
    format: pair(str(v.format), '--format'),
  };
  const outputGiven = outArg !== undefined && outArg !== '' && outArg !== 'null';
  const chmaps = maps(v.map as string[] | undefined, outputGiven);
  const side = (arg: string | undefined, k: 0 | 1): Side => {
    const f = pairs.format[k];
    if (f !== undefined && !DTYPES.includes(f as Dtype)) throw new UsageError('--format', f, DTYPES.join(', '));
    const ep = endpoint(arg, pairs.type[k], '--file-type', k === 0);
    return {
      endpoint: ep,
      channels: channels(pairs.channels[k]),
      encoding: encoding(pairs.encoding[k]),
      bigEndian: endian(pairs.endian[k]),
      dtype: f as Dtype | undefined,
      map: chmaps[k],
      device: device(devs[k] ?? devs[0]),
    };
  };
  const playback = side(inArg, 0);
  const record = side(outArg, 1);
  if (playback.endpoint.kind === 'none' && record.endpoint.kind === 'none') {
    throw new UsageError('nothing to do: INPUT and OUTPUT are both null');
  }
  if (devs.length === 2 && devs[0] !== devs[1]) {
    // A device for a direction that does not run would be ignored: said instead.
    const [unused, used, what] =
      playback.endpoint.kind === 'none' ? [devs[0], devs[1], 'INPUT'] : record.endpoint.kind === 'none' ? [devs[1], devs[0], 'OUTPUT'] : [];
    if (unused !== undefined) {
      throw new UsageError(
        `--device ${unused} is for ${what === 'INPUT' ? 'playback' : 'recording'}, and ${what} is null: give -D ${used} alone`,
      );
    }
  }
  const rate = str(v.rate);
  const buffer = parseSize(str(v.buffersize) ?? String(BUFFER_SIZE_DEFAULT), '--buffersize', 1);
  try {
    checkBufferSize(buffer);
  } catch {
    throw new UsageError('--buffersize', str(v.buffersize), `a power of 2 up to ${BUFFER_SIZE_MAX} (e.g. ${BUFFER_SIZE_DEFAULT} or 64K)`);
  }
  const loop = v.loop === true;
  if (loop && playback.endpoint.kind !== 'file') throw new UsageError('--loop needs an input file to rewind (not stdin or null)');
  const volume = str(v.volume) === undefined ? undefined : parseVolume(str(v.volume)!, '--volume');
  if (volume && playback.endpoint.kind === 'none') {
    throw new UsageError('--volume scales what is played, and INPUT is null (nothing is played)');
  }
  const host = str(v.host);
  if (host === '') throw new UsageError('--host', host, 'a host name: alsa, jack, virtual');
  return {
    playback,
    record,
    samplerate: rate === undefined ? undefined : parseSize(rate, '--rate', 1),
    blocksize: v.blocksize === undefined ? undefined : parseSize(str(v.blocksize)!, '--blocksize', 0),
    bufferSize: buffer,
    host,
    duration: parseTime(str(v.duration) ?? '-1', '--duration', true),
    offset: parseTime(str(v.offset) ?? '0', '--offset'),
    pad: parseTime(str(v.pad) ?? '0', '--pad', true),
    loop,
    volume,
    loopback,
    fatalXruns: v['fatal-xruns'] === true,
    exact: v.exact === true,
    quiet: v.quiet === true,
    faults: faults(env.RINGSTREAM_FAULTS),
  };
}
