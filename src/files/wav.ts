import { checkWholeFrames, NativeWavReader, NativeWavWriter, nativeOpenWav, nativeWriteWav, type NativeWavSpec } from '../native/addon.js';
import { asFloat32, describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { checkInteger, checkOptions, checkString } from '../common/validate.js';
import { BlockReader } from './block-reader.js';
import { BlockWriter } from './block-writer.js';

/**
 * How samples are stored in a WAV file: 32-bit float, 16/24/32-bit signed
 * integer, or 8-bit unsigned integer.
 *
 * Integers map to floats as sox does: an n-bit value `v` reads as
 * `v / 2^(n-1)` (so i16 divides by 32768), and writing multiplies by
 * `2^(n-1)`, rounds to nearest and clips to the integer range (`1.0` becomes
 * 32767 in i16). Every value `k / 2^(n-1)` in range round-trips exactly.
 */
export type WavFormat = 'f32' | 'i16' | 'i24' | 'i32' | 'u8';

/** The formats a WAV file can be written in. */
const FORMATS: readonly WavFormat[] = ['f32', 'i16', 'i24', 'i32', 'u8'];

/**
 * The format written when a spec gives none: 16-bit PCM, the most widely
 * read WAV encoding (and soundfile's default for WAV).
 */
export const DEFAULT_WAV_FORMAT: WavFormat = 'i16';

/** The format of a WAV file. */
export interface WavSpec {
  /** Frames per second. */
  samplerate: number;
  /** Interleaved channels per frame. */
  channels: number;
  /** Sample encoding in the file. */
  format: WavFormat;
}

/**
 * The format to write a WAV file in: {@link WavSpec} with `format` optional,
 * {@link DEFAULT_WAV_FORMAT} (`'i16'`) when left out.
 */
export interface WavWriteSpec {
  /** Frames per second (1 to 2^32 - 1). */
  samplerate: number;
  /** Interleaved channels per frame (1 to 65535). */
  channels: number;
  /** Sample encoding in the file; default `'i16'`. */
  format?: WavFormat;
}

const SPEC_KEYS: readonly (keyof WavWriteSpec)[] = ['samplerate', 'channels', 'format'];

/** A whole WAV file, decoded. */
export interface WavData extends WavSpec {
  /** Interleaved samples, `frames * channels` of them, in [-1, 1) for integer files. */
  data: Float32Array;
  /** Frames in `data`. */
  frames: number;
}

function toSpec(s: NativeWavSpec): WavSpec {
  return { samplerate: s.samplerate, channels: s.channels, format: s.format as WavFormat };
}

/** @internal `path` if it can name a file: a non-empty string without NUL (`ERR_INVALID_ARG` otherwise). */
export function checkPath(value: unknown, what = 'path'): string {
  const path = checkString(value, what);
  if (path === '') throw invalidArg(`${what} must name a file, got an empty string`);
  if (path.includes('\0')) throw invalidArg(`${what} must not contain NUL characters, got ${describe(path)}`);
  return path;
}

/** @internal `format` if it is a {@link WavFormat} (`ERR_INVALID_ARG` otherwise). */
export function checkWavFormat(format: unknown): WavFormat {
  if (!FORMATS.includes(checkString(format, 'format') as WavFormat)) {
    throw invalidArg(`format must be one of ${FORMATS.map((f) => `'${f}'`).join(', ')}, got ${describe(format)}`);
  }
  return format as WavFormat;
}

function checkSpec(spec: WavWriteSpec): WavSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw invalidType(`spec must be an object { samplerate, channels, format? }, got ${describe(spec)}`);
  }
  const { samplerate, channels, format = DEFAULT_WAV_FORMAT } = checkOptions(spec, SPEC_KEYS, 'the WAV spec');
  const s: WavSpec = {
    samplerate: checkInteger(samplerate, 'samplerate', 1, 2 ** 32 - 1),
    channels: checkInteger(channels, 'channels', 1, 65535),
    format: checkWavFormat(format),
  };
  return s;
}

function checkFrames(data: Float32Array, channels: number): Float32Array {
  checkWholeFrames(data.length, channels, 'data');
  return data;
}

/**
 * Reads and decodes a whole WAV file, off the JS thread, straight into the
 * returned array (whose memory the JS engine allocates, as for
 * `fs.readFileSync`).
 *
 * Reads PCM 8/16/24/32-bit integer and 32-bit float files, plain or
 * WAVE_FORMAT_EXTENSIBLE, with any number of channels.
 * @throws (rejects) `ERR_INVALID_ARG` for a path that is not a non-empty
 * string; `ERR_IO` when the file cannot be read; `ERR_WAV_FORMAT` when it is
 * not a WAV file, is truncated, or uses an unsupported encoding.
 * @example
 * ```ts
 * import { readWav, writeWav } from 'ringstream';
 *
 * await writeWav('tone.wav', new Float32Array(2 * 480).fill(0.25), { samplerate: 48000, channels: 2, format: 'f32' });
 * const { data, samplerate, channels, frames } = await readWav('tone.wav');
 * console.log(samplerate, channels, frames, data[0]); // 48000 2 480 0.25
 * ```
 */
export async function readWav(path: string): Promise<WavData> {
  // Two steps because the array is sized from the header (see crates/node/src/wav_read.rs).
  const file = await nativeOpenWav(checkPath(path));
  const data = await file.readAll();
  return { data, ...toSpec(file.spec), frames: file.frames };
}

/**
 * Encodes interleaved samples and writes them as a WAV file. The encoding
 * runs before this returns (one pass from `data` into the file's bytes, so
 * `data` may be reused at once); the file is written off the JS thread, by a
 * pool thread that writes each piece as soon as it is encoded.
 *
 * `spec.format` defaults to {@link DEFAULT_WAV_FORMAT}, 16-bit PCM (`'i16'`):
 * pass `format: 'f32'` to keep float samples exactly.
 * @throws (rejects) `ERR_INVALID_ARG`: a TypeError for arguments of the
 * wrong kind, a RangeError for bad values, unknown spec keys, or a
 * `data.length` that is not a multiple of `channels`; `ERR_IO` when the
 * file cannot be written.
 * @example
 * ```ts
 * import { writeWav } from 'ringstream';
 *
 * const sine = new Float32Array(48000).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000));
 * await writeWav('a4.wav', sine, { samplerate: 48000, channels: 1 });                // 16-bit PCM
 * await writeWav('a4-f32.wav', sine, { samplerate: 48000, channels: 1, format: 'f32' }); // exact floats
 * ```
 */
export async function writeWav(path: string, data: Float32Array, spec: WavWriteSpec): Promise<void> {
  checkPath(path);
  asFloat32(data, 'data');
  const { samplerate, channels, format } = checkSpec(spec);
  await nativeWriteWav(path, checkFrames(data, channels), samplerate, channels, format);
}

/**
 * A WAV file open for blockwise reading. Calls are synchronous: each moves
 * one block, so keep blocks small on latency-sensitive threads.
 */
export class WavReader extends BlockReader {
  private readonly native: NativeWavReader;
  private readonly fileSpec: WavSpec;

  private constructor(native: NativeWavReader) {
    const spec = toSpec(native.spec);
    super(native, spec);
    this.native = native;
    this.fileSpec = spec;
  }

  /**
   * Opens `path` and reads its header.
   * @throws `ERR_INVALID_ARG` for a path that is not a non-empty string;
   * `ERR_IO` when the file cannot be read; `ERR_WAV_FORMAT` when it is not a
   * supported WAV file.
   */
  static open(path: string): WavReader {
    return new WavReader(NativeWavReader.open(checkPath(path)));
  }

  /** The format of the file. */
  get spec(): WavSpec {
    return { ...this.fileSpec };
  }

  /** Sample encoding in the file. */
  get format(): WavFormat {
    return this.fileSpec.format;
  }

  /** Frames in the file. */
  get frames(): number {
    return this.native.frames;
  }
}

/**
 * A WAV file being written blockwise. The header's sizes are refreshed after
 * every half second of audio and on {@link BlockWriter.flush}; the exit hook
 * and what SIGKILL loses are {@link BlockWriter}'s. Call
 * {@link BlockWriter.close} to finish the file. Any writable format:
 * {@link AudioWriter}.
 * @example
 * ```ts
 * import { WavWriter } from 'ringstream';
 *
 * const w = WavWriter.create('take.wav', { samplerate: 48000, channels: 2, format: 'f32' });
 * w.write(new Float32Array(2 * 480).fill(0.25));
 * console.log(w.spec.format, w.frames); // f32 480
 * w.close();
 * ```
 */
export class WavWriter extends BlockWriter {
  private readonly native: NativeWavWriter;

  /**
   * Creates (or truncates) `path` for `spec`; `spec.format` defaults to
   * {@link DEFAULT_WAV_FORMAT} (`'i16'`).
   * @throws `ERR_INVALID_ARG` (TypeError or RangeError) for a bad path or
   * spec; `ERR_IO` when the file cannot be created.
   */
  constructor(path: string, spec: WavWriteSpec) {
    checkPath(path);
    const { samplerate, channels, format } = checkSpec(spec);
    const native = new NativeWavWriter(path, samplerate, channels, format);
    super(native);
    this.native = native;
  }

  /** Same as `new WavWriter(path, spec)`. */
  static create(path: string, spec: WavWriteSpec): WavWriter {
    return new WavWriter(path, spec);
  }

  /** The format being written. */
  get spec(): WavSpec {
    return toSpec(this.native.spec);
  }
}
