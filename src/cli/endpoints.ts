// Opening what a run plays from and records to: audio files of any format
// (read and written on native threads by the library), and pipes / RAW
// files (moved by JS through a ring, converted in Rust).
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Dtype } from '../device/defaults.js';
import { RingBuffer } from '../ring/ring.js';
import { AudioReader, type AudioFormat } from '../files/audio.js';
import { nativeCheckRecordPath, nativePipeSpec } from '../native/addon.js';
import type { Plan, Side } from './config.js';
import { UsageError } from './errors.js';
import { PcmReader, PcmWriter, sampleBytes, type PcmSpec } from './pcm.js';

const DTYPE_BYTES: Record<Dtype, number> = { float32: 4, int16: 2, int32: 4 };

/** What is played: a WAV path, or a reader of a pipe / RAW file. */
export interface Playback {
  path: string | undefined;
  reader: PcmReader | undefined;
  spec: PcmSpec;
}

/** Opens the input (reads a WAV header, from stdin too); checks a RAW input's layout. */
export async function openPlayback(p: Plan, stdin: Readable): Promise<Playback | undefined> {
  const side = p.playback;
  const ep = side.endpoint;
  if (ep.kind === 'none') return undefined;
  if (ep.kind === 'file' && ep.type !== 'raw') {
    // --encoding / --endian do not apply: the file says its own (one value may serve the output).
    // The library decodes it to float on its reader thread, whatever its format.
    const r = AudioReader.open(ep.path);
    try {
      return {
        path: ep.path,
        reader: undefined,
        spec: { samplerate: r.samplerate, channels: r.channels, encoding: 'f32', bigEndian: false, frames: r.spec.frames },
      };
    } finally {
      r.close();
    }
  }
  let raw: Omit<PcmSpec, 'frames'> | undefined;
  if (ep.type === 'raw') {
    const missing = [
      p.samplerate === undefined && '--rate',
      side.channels === undefined && '--channels',
      side.encoding === undefined && '--encoding',
    ].filter(Boolean);
    if (missing.length) throw new UsageError(`RAW input needs ${missing.join(', ')} (its layout is not in the data)`);
    raw = { samplerate: p.samplerate, channels: side.channels!, encoding: side.encoding!, bigEndian: side.bigEndian };
  }
  let readable = stdin;
  if (ep.kind === 'file') {
    const file = createReadStream(ep.path);
    // A missing RAW file fails here, before any device opens.
    await new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
    readable = file;
  }
  const reader = new PcmReader(readable);
  const spec = await reader.open(ep.type, raw);
  if (ep.kind === 'file' && ep.type === 'raw') {
    // A RAW file's length is its size: for the progress bar.
    spec.frames = Math.floor(statSync(ep.path).size / (spec.channels * sampleBytes(spec.encoding)));
  }
  return { path: undefined, reader, spec };
}

/** A pipe-fed ring of `bufferSize` frames in the stream's dtype. */
export function feedRing(dtype: Dtype, channels: number, bufferSize: number): RingBuffer {
  return new RingBuffer(DTYPE_BYTES[dtype] * channels, bufferSize);
}

/** Where the recording goes: a WAV path, or a ring that a writer drains to a pipe / RAW file. */
export interface Recording {
  path: string | undefined;
  ring: RingBuffer | undefined;
  writer: PcmWriter | undefined;
  format: Side['encoding'];
  /** The file format `-t` named for a file output (else its extension decides). */
  fileFormat: AudioFormat | undefined;
}

/** The format `-t` named for a file output, if any. */
function fileFormatOf(side: Side): AudioFormat | undefined {
  const ep = side.endpoint;
  return ep.kind === 'file' && ep.type !== 'auto' ? ep.type : undefined;
}

/** As pastream: the output holds -e's encoding, else the stream's integer -f, else the format's default. */
function recordEncoding(side: Side, dtype: Dtype | undefined): Side['encoding'] {
  return side.encoding ?? (dtype === 'int16' ? 'pcm_16' : dtype === 'int32' ? 'pcm_32' : undefined);
}

/**
 * Refuses, before any device opens, an output the writer would refuse once
 * the stream runs: a file whose name says a format that is not written
 * (`out.mp3`, `.ogg`, `.caf`; WAV, FLAC, AIFF, AU and RAW are), or an
 * encoding its format cannot hold (`-e pcm_s8` into a WAV file or pipe).
 * The core decides both; `dtype` is the stream's (its integer formats
 * choose the encoding when -e does not).
 */
export function checkRecordPath(side: Side, dtype: Dtype | undefined): void {
  const ep = side.endpoint;
  if (ep.kind === 'none' || ep.type === 'raw') return;
  const encoding = recordEncoding(side, dtype);
  try {
    // The core's rules: a pipe's also refuses what a pipe cannot carry (AIFF, Wave64).
    if (ep.kind === 'file') nativeCheckRecordPath(ep.path, encoding, fileFormatOf(side));
    else nativePipeSpec(ep.type, encoding);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Prepares the output for `channels` channels of `dtype` at `samplerate`. */
export function openRecording(
  side: Side,
  o: { samplerate: number; channels: number; dtype: Dtype; bufferSize: number },
): Recording | undefined {
  const ep = side.endpoint;
  if (ep.kind === 'none') return undefined;
  if (ep.type !== 'raw' && side.bigEndian)
    throw new UsageError('--endian', 'big', 'little or file for a WAV, AU, FLAC or AIFF output (the format fixes its byte order)');
  const format = recordEncoding(side, o.dtype);
  if (ep.kind === 'file' && ep.type !== 'raw')
    return { path: ep.path, ring: undefined, writer: undefined, format, fileFormat: fileFormatOf(side) };
  if (ep.type === 'raw' && side.encoding === undefined) throw new UsageError('RAW output needs --encoding (e.g. -e i16 or -e f32)');
  const out = ep.kind === 'std' ? createWriteStream('/dev/stdout', { fd: 1, autoClose: false }) : createWriteStream(ep.path);
  const writer = new PcmWriter(out, ep.kind === 'std' ? 1 : undefined, {
    type: ep.type,
    samplerate: o.samplerate,
    channels: o.channels,
    encoding: format,
    bigEndian: side.bigEndian,
    dtype: o.dtype,
  });
  return {
    path: undefined,
    ring: new RingBuffer(DTYPE_BYTES[o.dtype] * o.channels, o.bufferSize),
    writer,
    format: undefined,
    fileFormat: undefined,
  };
}
