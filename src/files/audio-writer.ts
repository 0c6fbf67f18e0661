import { NativeAudioWriter, type NativeAudioWriterSpec } from '../native/addon.js';
import { type AudioEncoding, type AudioFormat, type AudioWriteSpec, checkWriteSpec } from './audio.js';
import { BlockWriter } from './block-writer.js';
import { checkPath } from './wav.js';

/** What an {@link AudioWriter} writes: the spec with its format and encoding decided. */
export interface AudioWriterSpec {
  /** Frames per second. */
  samplerate: number;
  /** Interleaved channels per frame. */
  channels: number;
  /** The format (the spec's, or what the path's extension names). */
  format: AudioFormat;
  /** The encoding (the spec's, or `'pcm_16'`). */
  encoding: AudioEncoding;
  /** Most significant byte first (RAW only). */
  bigEndian: boolean;
}

function toSpec(s: NativeAudioWriterSpec): AudioWriterSpec {
  return {
    samplerate: s.samplerate,
    channels: s.channels,
    format: s.format as AudioFormat,
    encoding: s.encoding as AudioEncoding,
    bigEndian: s.bigEndian,
  };
}

/**
 * An audio file in any writable format (WAV, Wave64, FLAC, AIFF, AU, RAW)
 * being written blockwise, encoded as it is written: a long take never
 * sits whole in memory. The format and encoding follow {@link writeAudio}'s
 * rules (the spec's `format` or the path's extension; `'pcm_16'` by
 * default). Headers that count the data (WAV, AU, AIFF, Wave64) are
 * refreshed after every half second of audio and on
 * {@link BlockWriter.flush}; FLAC writes its frames as each block of 4096
 * frames fills, and its STREAMINFO (length, MD5) on close. The exit hook is
 * {@link BlockWriter}'s; what SIGKILL loses per format is in
 * docs/guide/audio-files.md.
 * @example
 * ```ts
 * import { AudioWriter, readAudio } from 'ringstream';
 *
 * const w = AudioWriter.create('take.flac', { samplerate: 48000, channels: 2, encoding: 'pcm_24' });
 * for (let i = 0; i < 10; i++) w.write(new Float32Array(2 * 480).fill(0.25));
 * console.log(w.spec.format, w.spec.encoding, w.frames); // flac pcm_24 4800
 * w.close();
 * console.log((await readAudio('take.flac')).frames); // 4800
 * ```
 */
export class AudioWriter extends BlockWriter {
  private readonly native: NativeAudioWriter;

  /**
   * Creates (or truncates) `path` as `spec` says; nothing is created when
   * the format cannot be written.
   * @throws `ERR_INVALID_ARG` (TypeError or RangeError) for a bad path or
   * spec; `ERR_UNSUPPORTED_FORMAT` for a format that cannot be written
   * (MP3, Ogg, CAF), an encoding the format cannot hold, an unknown
   * extension without a `format`, or an extension naming another format;
   * `ERR_IO` when the file cannot be created.
   */
  constructor(path: string, spec: AudioWriteSpec) {
    checkPath(path);
    const native = new NativeAudioWriter(path, checkWriteSpec(spec));
    super(native);
    this.native = native;
  }

  /** Same as `new AudioWriter(path, spec)`. */
  static create(path: string, spec: AudioWriteSpec): AudioWriter {
    return new AudioWriter(path, spec);
  }

  /** What is being written, its format and encoding decided. */
  get spec(): AudioWriterSpec {
    return toSpec(this.native.spec);
  }
}
