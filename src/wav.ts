import { NativeWavReader, NativeWavWriter, nativeReadWav, nativeWriteWav, type NativeWavSpec } from '../index.js';
import { describe } from './bytes.js';
import { invalidType } from './errors.js';

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

/** The format of a WAV file. */
export interface WavSpec {
  /** Frames per second. */
  samplerate: number;
  /** Interleaved channels per frame. */
  channels: number;
  /** Sample encoding in the file. */
  format: WavFormat;
}

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

function checkPath(path: string): string {
  if (typeof path !== 'string') throw invalidType(`path must be a string, got ${describe(path)}`);
  return path;
}

function checkSamples(data: Float32Array): Float32Array {
  if (!(data instanceof Float32Array)) {
    throw invalidType(`data must be a Float32Array of interleaved samples, got ${describe(data)}`);
  }
  return data;
}

function checkSpec(spec: WavSpec): WavSpec {
  if (spec === null || typeof spec !== 'object') {
    throw invalidType(`spec must be an object { samplerate, channels, format }, got ${describe(spec)}`);
  }
  return spec;
}

/**
 * Reads and decodes a whole WAV file, off the JS thread.
 *
 * Reads PCM 8/16/24/32-bit integer and 32-bit float files, plain or
 * WAVE_FORMAT_EXTENSIBLE, with any number of channels.
 * @throws (rejects) `ERR_IO` when the file cannot be read, `ERR_WAV_FORMAT`
 * when it is not a WAV file, is truncated, or uses an unsupported encoding.
 */
export async function readWav(path: string): Promise<WavData> {
  const d = await nativeReadWav(checkPath(path));
  return {
    data: d.data,
    samplerate: d.samplerate,
    channels: d.channels,
    format: d.format as WavFormat,
    frames: d.frames,
  };
}

/**
 * Encodes interleaved samples and writes them as a WAV file, off the JS
 * thread. `data` is copied first, so it may be reused at once.
 * @throws (rejects) `ERR_INVALID_ARG` (a RangeError) for a bad spec or when
 * `data.length` is not a multiple of `channels`; `ERR_IO` when the file
 * cannot be written.
 */
export async function writeWav(path: string, data: Float32Array, spec: WavSpec): Promise<void> {
  const { samplerate, channels, format } = checkSpec(spec);
  await nativeWriteWav(checkPath(path), checkSamples(data), samplerate, channels, format);
}

/**
 * A WAV file open for blockwise reading. Calls are synchronous: each moves
 * one block, so keep blocks small on latency-sensitive threads.
 */
export class WavReader {
  private readonly native: NativeWavReader;
  private readonly fileSpec: WavSpec;

  private constructor(native: NativeWavReader) {
    this.native = native;
    this.fileSpec = toSpec(native.spec);
  }

  /**
   * Opens `path` and reads its header.
   * @throws `ERR_IO` when the file cannot be read; `ERR_WAV_FORMAT` when it
   * is not a supported WAV file.
   */
  static open(path: string): WavReader {
    return new WavReader(NativeWavReader.open(checkPath(path)));
  }

  /** The format of the file. */
  get spec(): WavSpec {
    return { ...this.fileSpec };
  }

  /** Frames per second. */
  get samplerate(): number {
    return this.fileSpec.samplerate;
  }

  /** Channels per frame. */
  get channels(): number {
    return this.fileSpec.channels;
  }

  /** Sample encoding in the file. */
  get format(): WavFormat {
    return this.fileSpec.format;
  }

  /** Frames in the file. */
  get frames(): number {
    return this.native.frames;
  }

  /** The frame the next {@link WavReader.read} starts at. */
  get position(): number {
    return this.native.position;
  }

  /**
   * Reads up to `frames` frames as interleaved samples: fewer at the end of
   * the file, an empty array after it.
   * @throws RangeError `ERR_INVALID_ARG` if `frames` is not a non-negative
   * integer or the reader is closed.
   */
  read(frames: number): Float32Array {
    return this.native.read(frames);
  }

  /**
   * Moves to `frame`, from 0 to {@link WavReader.frames}.
   * @throws RangeError `ERR_INVALID_ARG` for a frame outside that range.
   */
  seek(frame: number): void {
    this.native.seek(frame);
  }

  /** Closes the file. Closing again does nothing. */
  close(): void {
    this.native.close();
  }
}

/**
 * A WAV file being written blockwise. The header's sizes are refreshed after
 * every second of audio and on {@link WavWriter.flush}, so if the process
 * dies the file stays readable, missing at most about the last second.
 * Call {@link WavWriter.close} to finish the file.
 */
export class WavWriter {
  private readonly native: NativeWavWriter;

  /**
   * Creates (or truncates) `path` for `spec`.
   * @throws RangeError `ERR_INVALID_ARG` for a bad spec; `ERR_IO` when the
   * file cannot be created.
   */
  constructor(path: string, spec: WavSpec) {
    const { samplerate, channels, format } = checkSpec(spec);
    this.native = new NativeWavWriter(checkPath(path), samplerate, channels, format);
  }

  /** Same as `new WavWriter(path, spec)`. */
  static create(path: string, spec: WavSpec): WavWriter {
    return new WavWriter(path, spec);
  }

  /** The format being written. */
  get spec(): WavSpec {
    return toSpec(this.native.spec);
  }

  /** Frames written so far. */
  get frames(): number {
    return this.native.frames;
  }

  /**
   * Appends interleaved samples. Integer formats clip to [-1, 1].
   * @throws RangeError `ERR_INVALID_ARG` if `data.length` is not a multiple
   * of `channels` or the writer is closed; `ERR_IO` on a write error.
   */
  write(data: Float32Array): void {
    this.native.write(checkSamples(data));
  }

  /** Writes buffered samples and updates the header, so the file is complete as of now. */
  flush(): void {
    this.native.flush();
  }

  /** Finishes the file. Closing again does nothing. */
  close(): void {
    this.native.close();
  }
}
