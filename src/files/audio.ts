import {
  checkWholeFrames,
  NativeAudioReader,
  type NativeAudioInfo,
  type NativeAudioWriteSpec,
  type NativeRawSpec,
  nativeReadAudio,
  nativeWriteAudio,
} from '../native/addon.js';
import { asFloat32, describe } from '../common/bytes.js';
import { invalidType } from '../common/errors.js';
import { checkBoolean, checkInteger, checkOptions, checkString } from '../common/validate.js';
import { BlockReader } from './block-reader.js';
import { checkPath } from './wav.js';

/**
 * A file format: a container (and for FLAC, MP3 and Vorbis its codec). All
 * are read; `wav`, `flac`, `aiff`, `au` and `raw` are written. Extensions
 * (`aif`, `snd`, `oga`, ...) are accepted wherever a name is.
 */
export type AudioFormat = 'wav' | 'flac' | 'ogg' | 'mp3' | 'aiff' | 'au' | 'caf' | 'raw' | 'w64';

/**
 * A sample encoding, by the names sox and pastream use: `pcm_u8`, `pcm_s8`,
 * `pcm_16`, `pcm_24`, `pcm_32`, `float`, `double`, `ulaw`, `alaw` (aliases
 * such as `int16`, `f32`, `mu-law` are accepted too). Integers map to floats
 * as in WAV files (`v / 2^(n-1)`).
 */
export type AudioEncoding = 'pcm_u8' | 'pcm_s8' | 'pcm_16' | 'pcm_24' | 'pcm_32' | 'float' | 'double' | 'ulaw' | 'alaw';

/** What a readable file holds. */
export interface AudioFileInfo {
  /** The container (`'wav'`, `'flac'`, `'mp3'`, ...). */
  format: AudioFormat;
  /** The encoding of uncompressed files ({@link AudioEncoding}), else the codec (`'flac'`, `'vorbis'`, `'mp3'`, ...), in every container. */
  encoding: string;
  /** Frames per second. */
  samplerate: number;
  /** Interleaved channels per frame. */
  channels: number;
  /** Frames in the file, when it says. */
  frames?: number;
  /** Seconds of audio, when the frame count is known. */
  duration?: number;
  /** The title tag, where the file has one. */
  title?: string;
  /** The artist tag, where the file has one. */
  artist?: string;
}

/** A whole file, decoded: its samples and what it holds. */
export interface AudioData extends AudioFileInfo {
  /** Interleaved samples, `frames * channels` of them. */
  data: Float32Array;
  /** Frames in `data`. */
  frames: number;
}

/** How a headerless (RAW) file is laid out. */
export interface RawSpec {
  /** Frames per second. */
  samplerate: number;
  /** Interleaved channels per frame. */
  channels: number;
  /** The sample encoding. */
  encoding: AudioEncoding;
  /** Most significant byte first; default `false`. */
  bigEndian?: boolean;
}

/** What to write: the shape, and optionally format and encoding. */
export interface AudioWriteSpec {
  /** Frames per second (1 to 2^32 - 1). */
  samplerate: number;
  /** Interleaved channels per frame (1 to 65535). */
  channels: number;
  /** The format; default: what the path's extension names (it must name one, and agree). */
  format?: AudioFormat;
  /** The encoding; default `'pcm_16'` (soundfile's default, as pastream writes). */
  encoding?: AudioEncoding;
  /** RAW only: most significant byte first; default `false`. */
  bigEndian?: boolean;
}

/** Options of {@link readAudio} and {@link AudioReader.open}. */
export interface ReadAudioOptions {
  /** Read the file as headerless samples laid out so, rather than by its content. */
  raw?: RawSpec;
}

const RAW_KEYS: readonly (keyof RawSpec)[] = ['samplerate', 'channels', 'encoding', 'bigEndian'];
const WRITE_KEYS: readonly (keyof AudioWriteSpec)[] = ['samplerate', 'channels', 'format', 'encoding', 'bigEndian'];

function checkObject<T extends object>(value: T | undefined, shape: string, what: string): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidType(`${what} must be an object ${shape}, got ${describe(value)}`);
  }
  return value;
}

function checkRaw(raw: RawSpec | undefined): NativeRawSpec | undefined {
  if (raw === undefined) return undefined;
  const r = checkOptions(checkObject(raw, '{ samplerate, channels, encoding, bigEndian? }', 'raw'), RAW_KEYS, 'the raw spec');
  return {
    samplerate: checkInteger(r.samplerate, 'samplerate', 1, 2 ** 32 - 1),
    channels: checkInteger(r.channels, 'channels', 1, 65535),
    encoding: checkString(r.encoding, 'encoding'),
    bigEndian: r.bigEndian === undefined ? undefined : checkBoolean(r.bigEndian, 'bigEndian'),
  };
}

function checkReadOptions(options: ReadAudioOptions | undefined): NativeRawSpec | undefined {
  if (options === undefined) return undefined;
  return checkRaw(checkOptions(checkObject(options, '{ raw? }', 'options'), ['raw'], 'the read options').raw);
}

function toInfo(i: NativeAudioInfo): AudioFileInfo {
  const info: AudioFileInfo = { format: i.format as AudioFormat, encoding: i.encoding, samplerate: i.samplerate, channels: i.channels };
  if (i.frames != null) info.frames = i.frames;
  if (i.duration != null) info.duration = i.duration;
  if (i.title != null) info.title = i.title;
  if (i.artist != null) info.artist = i.artist;
  return info;
}

/**
 * Reads and decodes a whole audio file off the JS thread, in the format its
 * content announces (never its name): WAV and Wave64 in every encoding
 * (ADPCM too), FLAC, Ogg Vorbis, MP3, AIFF/AIFF-C, AU and CAF; RAW with
 * `options.raw`.
 * `readWav` stays the fastest way to read a PCM WAV file.
 * @throws (rejects) `ERR_INVALID_ARG` for a bad path or options;
 * `ERR_IO` when the file cannot be read; `ERR_UNSUPPORTED_FORMAT` when it is
 * not an audio file ringstream reads (or an encoding it does not know);
 * `ERR_WAV_FORMAT` for a broken WAV or Wave64 file.
 * @example
 * ```ts
 * import { readAudio, writeAudio } from 'ringstream';
 *
 * await writeAudio('tone.flac', new Float32Array(4800).fill(0.25), { samplerate: 48000, channels: 1 });
 * const { data, format, encoding, samplerate, frames, duration } = await readAudio('tone.flac');
 * console.log(format, encoding, samplerate, frames, duration, data[0]); // flac flac 48000 4800 0.1 0.25
 * ```
 */
export async function readAudio(path: string, options?: ReadAudioOptions): Promise<AudioData> {
  const { data, info } = await nativeReadAudio(checkPath(path), checkReadOptions(options));
  return { ...toInfo(info), data, frames: data.length / info.channels };
}

/**
 * Encodes interleaved samples and writes them as an audio file, off the JS
 * thread (`data` is copied first, so it may be reused at once). The format
 * is `spec.format` or what the path's extension names; they must agree.
 * Written: WAV (`pcm_u8`, `pcm_16`, `pcm_24`, `pcm_32`, `float`), FLAC
 * (`pcm_s8`, `pcm_16`, `pcm_24`), AIFF (`pcm_s8` to `pcm_32`), AU (every
 * encoding but `pcm_u8`), Wave64 (every encoding but `pcm_s8`) and RAW
 * (every encoding). Lossy formats are not written.
 * @throws (rejects) `ERR_INVALID_ARG` for a bad path, spec or a
 * `data.length` that is not a multiple of `channels`;
 * `ERR_UNSUPPORTED_FORMAT` for a format that cannot be written (MP3, Ogg),
 * an encoding the format cannot hold, an unknown extension without a
 * `format`, or an extension naming another format; `ERR_IO` when the file
 * cannot be written.
 * @example
 * ```ts
 * import { writeAudio } from 'ringstream';
 *
 * const sine = new Float32Array(48000).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000));
 * await writeAudio('a4.flac', sine, { samplerate: 48000, channels: 1, encoding: 'pcm_24' });
 * await writeAudio('a4.au', sine, { samplerate: 48000, channels: 1, encoding: 'ulaw' });
 * await writeAudio('a4.pcm', sine, { samplerate: 48000, channels: 1, format: 'raw', encoding: 'float' });
 * ```
 */
export async function writeAudio(path: string, data: Float32Array, spec: AudioWriteSpec): Promise<void> {
  checkPath(path);
  asFloat32(data, 'data');
  const native = checkWriteSpec(spec);
  checkWholeFrames(data.length, native.channels, 'data');
  await nativeWriteAudio(path, data, native);
}

/** @internal `spec` checked for {@link writeAudio} and {@link AudioWriter} (the core names formats and encodings). */
export function checkWriteSpec(spec: AudioWriteSpec): NativeAudioWriteSpec {
  const s = checkOptions(
    checkObject(spec, '{ samplerate, channels, format?, encoding?, bigEndian? }', 'spec'),
    WRITE_KEYS,
    'the audio spec',
  );
  return {
    samplerate: checkInteger(s.samplerate, 'samplerate', 1, 2 ** 32 - 1),
    channels: checkInteger(s.channels, 'channels', 1, 65535),
    format: s.format === undefined ? undefined : checkString(s.format, 'format'),
    encoding: s.encoding === undefined ? undefined : checkString(s.encoding, 'encoding'),
    bigEndian: s.bigEndian === undefined ? undefined : checkBoolean(s.bigEndian, 'bigEndian'),
  };
}

/**
 * Any readable audio file open for blockwise reading, decoded as it is read
 * (a long compressed file is never loaded whole). Seeks are exact to the
 * frame in every format. Calls are synchronous: keep blocks small on
 * latency-sensitive threads.
 * @example
 * ```ts
 * import { AudioReader, writeAudio } from 'ringstream';
 *
 * await writeAudio('ramp.flac', new Float32Array(1000).map((_, i) => i / 1000), { samplerate: 8000, channels: 1 });
 * const r = AudioReader.open('ramp.flac');
 * r.seek(500);
 * const block = r.read(100);
 * console.log(r.spec.format, block.length, Math.round(block[0] * 1000)); // flac 100 500
 * r.close();
 * ```
 */
export class AudioReader extends BlockReader {
  private readonly info: AudioFileInfo;

  private constructor(native: NativeAudioReader) {
    const info = toInfo(native.info);
    super(native, info);
    this.info = info;
  }

  /**
   * Opens `path` in the format its content announces (or as RAW with
   * `options.raw`) and reads its header.
   * @throws `ERR_INVALID_ARG` for a bad path or options; `ERR_IO` when the
   * file cannot be read; `ERR_UNSUPPORTED_FORMAT` when it is not an audio
   * file ringstream reads; `ERR_WAV_FORMAT` for a broken WAV file.
   */
  static open(path: string, options?: ReadAudioOptions): AudioReader {
    checkPath(path);
    const raw = checkReadOptions(options);
    return new AudioReader(raw ? NativeAudioReader.openRaw(path, raw) : NativeAudioReader.open(path));
  }

  /** What the file holds: format, encoding, shape, duration and tags. */
  get spec(): AudioFileInfo {
    return { ...this.info };
  }
}
