import type { Dtype, SampleArrayOf } from '../device/defaults.js';
import { checkOffset, nativeCheckRecordPath } from '../native/addon.js';
import { CHUNKS_KEYS, iterateChunks, type ChunksOptions } from './chunks.js';
import { checkData, checkRecordFile, recordInto } from './jobs.js';
import { playJob, queueSource, recordJob } from './play-record.js';
import {
  intArg,
  KNOWN,
  type DuplexStreamOptions,
  type InputStreamOptions,
  type OutputStreamOptions,
  type PlayOptions,
  type PlayrecOptions,
  type RecordOptions,
  type Recorded,
  type Sink,
  type Source,
  type StreamOptions,
} from './options.js';
import { RingBuffer } from '../ring/ring.js';
import { Stream } from './stream.js';
import { checkOptions } from '../common/validate.js';
import type { WavFormat } from '../files/wav.js';
import { type AudioEncoding, type AudioFormat, AudioReader } from '../files/audio.js';
import { AudioWriter } from '../files/audio-writer.js';

/** Stream options matching an audio file's rate and channels (any format `readAudio` reads). */
function fileOptions<O extends StreamOptions>(path: string, options: O): O {
  const r = AudioReader.open(path);
  try {
    return { samplerate: r.samplerate, channels: r.channels, ...options };
  } finally {
    r.close();
  }
}

/** Options of {@link InputStream.toFile}. */
export interface ToFileOptions {
  /**
   * Sample encoding of the file, as `record({ out, format })` takes it
   * (default: what a recording writes, float where the format holds it,
   * 24-bit for FLAC and AIFF).
   */
  format?: WavFormat | AudioEncoding;
  /** The file's format, as `record({ out, fileFormat })` takes it (default: the path's extension, WAV when it names none). */
  fileFormat?: AudioFormat;
}

/** An AudioWriter at the stream's rate and input channels (pastream's `to_file`), writing what `record({ out: path })` would. */
function writerFor(s: Stream, path: string, opts: ToFileOptions | undefined): AudioWriter {
  const o = checkOptions(opts, ['format', 'fileFormat'], 'toFile options');
  // The core's recording rule names the format and encoding; the writer is made with what it named.
  const { format, encoding } = nativeCheckRecordPath(checkRecordFile(path, o.format, o.fileFormat, 'path'), o.format, o.fileFormat);
  return AudioWriter.create(path, {
    samplerate: s.samplerate,
    channels: s.opts.inChannels,
    format: format as AudioFormat,
    encoding: encoding as AudioEncoding,
  });
}

/** A stream that plays to a device's output; `D` is its dtype (`'float32'` unless the options say otherwise). */
export class OutputStream<D extends Dtype = 'float32'> extends Stream<D> {
  /** Opens the device; options default to {@link defaults}. */
  constructor(options: OutputStreamOptions<D> = {}) {
    super('output', options);
  }

  /** An OutputStream at the sample rate and channel count of the audio file at `path` (any format `readAudio` reads). */
  static fromFile<D extends Dtype = 'float32'>(path: string, options: OutputStreamOptions<D> = {}): OutputStream<D> {
    return new OutputStream(fileOptions(path, options));
  }

  /** Channels of the data. */
  override get channels(): number {
    return this.opts.outChannels;
  }

  /**
   * Plays `source` (pastream's rules): `frames` frames from it (< 0, the
   * default: until it ends), then `pad` zero frames (< 0: pad up to
   * `frames`); resolves when played. Rejects with `ERR_BUFFER_EMPTY` if the
   * source runs dry while frames are owed (frames >= 0, pad >= 0).
   * @example
   * ```ts
   * import { OutputStream } from 'ringstream';
   *
   * const out = new OutputStream({ device: 'virtual:null', channels: 1, samplerate: 48000, speed: 10 });
   * const tone = new Float32Array(4800).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 440 * i) / 48000));
   * try {
   *   await out.play(tone);                              // resolves once the device has played it
   *   await out.play(tone, { loop: true, frames: 9600 }); // twice over
   *   await out.play(tone, { gain: 0.5 });               // at -6 dB
   * } finally {
   *   await out.close();
   * }
   * ```
   */
  async play(source: Source<D>, opts: PlayOptions = {}): Promise<void> {
    await playJob(this, source, opts);
  }
}

/** A stream that records from a device's input; `D` is its dtype (`'float32'` unless the options say otherwise). */
export class InputStream<D extends Dtype = 'float32'> extends Stream<D> {
  /** Opens the device; options default to {@link defaults}. */
  constructor(options: InputStreamOptions<D> = {}) {
    super('input', options);
  }

  /** An InputStream at the sample rate and channel count of the audio file at `path` (any format `readAudio` reads). */
  static fromFile<D extends Dtype = 'float32'>(path: string, options: InputStreamOptions<D> = {}): InputStream<D> {
    return new InputStream(fileOptions(path, options));
  }

  /** Channels of the data. */
  override get channels(): number {
    return this.opts.inChannels;
  }

  /**
   * An {@link AudioWriter} at this stream's sample rate and input channels
   * (pastream's `to_file`): a file to write recorded chunks into, in any
   * format `record({ out: path })` writes (the same rules: the extension or
   * `fileFormat`, WAV for a path that names none; `format` the encoding).
   * Close it when done. `record({ out: path })` records straight to a file
   * without JS in the loop.
   * @example
   * ```ts
   * import { InputStream } from 'ringstream';
   *
   * const inp = new InputStream({ device: 'virtual:loopback', channels: 1, speed: 10 });
   * const file = inp.toFile('/tmp/ringstream-tofile.wav');
   * try {
   *   for await (const chunk of inp.chunks({ chunksize: 1024, frames: 4800 })) file.write(chunk);
   * } finally {
   *   file.close();
   *   await inp.close();
   * }
   * ```
   */
  toFile(path: string, opts?: ToFileOptions): AudioWriter {
    return writerFor(this, path, opts);
  }

  /**
   * Records `frames` frames and drops the first `offset`; resolves to the
   * `frames - offset` frames recorded: a new typed array of the stream's
   * dtype, or `out` itself. With a typed array `out`, `frames` may be left
   * out (`out.length / channels` frames are recorded). After stop() or
   * abort() it resolves with what was recorded so far: a shorter new array,
   * or `out.subarray()` of the filled part. Rejects with `ERR_BUFFER_FULL`
   * if a RingBuffer `out` fills up.
   * @example
   * ```ts
   * import { InputStream } from 'ringstream';
   *
   * const inp = new InputStream({ device: 'virtual:null', channels: 2, samplerate: 48000, speed: 10 });
   * try {
   *   const take = await inp.record({ frames: 4800, offset: 480 }); // 4320 frames, interleaved
   *   await inp.record({ frames: 4800, out: 'take.wav', format: 'i24' }); // straight to a file, on a native thread
   *   console.log(take.length / 2);                                // 4320
   * } finally {
   *   await inp.close();
   * }
   * ```
   */
  async record<O extends Sink<D> | undefined = undefined>(
    opts: number | (RecordOptions<D> & { out?: O }),
  ): Promise<Recorded<NoInfer<O>, D>> {
    return (await recordJob(this, opts)) as Recorded<O, D>;
  }
}

/** A stream that plays and records at once, sample-synchronously; `D` is its dtype (`'float32'` unless the options say otherwise). */
export class DuplexStream<D extends Dtype = 'float32'> extends Stream<D> {
  /** Opens the device; options default to {@link defaults}. */
  constructor(options: DuplexStreamOptions<D> = {}) {
    super('duplex', options);
  }

  /** A DuplexStream at the sample rate and channel count of the audio file at `path` (any format `readAudio` reads) (both directions). */
  static fromFile<D extends Dtype = 'float32'>(path: string, options: DuplexStreamOptions<D> = {}): DuplexStream<D> {
    return new DuplexStream(fileOptions(path, options));
  }

  /** Channels of the data: `[input, output]`. */
  override get channels(): [number, number] {
    return [this.opts.inChannels, this.opts.outChannels];
  }

  /** An {@link AudioWriter} at this stream's rate and input channels (see {@link InputStream.toFile}). */
  toFile(path: string, opts?: ToFileOptions): AudioWriter {
    return writerFor(this, path, opts);
  }

  /**
   * Plays `source` while recording (pastream's rules): `frames` defaults to
   * the source's length; resolves to `frames - offset + max(pad, 0)` frames.
   * @example
   * ```ts
   * import { DuplexStream } from 'ringstream';
   *
   * const dup = new DuplexStream({ device: 'virtual:loopback', channels: 1, samplerate: 48000, speed: 10 });
   * try {
   *   const click = new Float32Array(4800);
   *   click[0] = 1;
   *   const back = await dup.playrec(click, { pad: 4800 });         // 9600 frames
   *   const delay = back.findIndex((x) => x !== 0);                 // the round trip, in frames
   *   console.log(delay, Math.round((dup.latency[0] + dup.latency[1]) * 48000)); // equal
   * } finally {
   *   await dup.close();
   * }
   * ```
   */
  async playrec<O extends Sink<D> | undefined = undefined>(
    source: Source<D>,
    options: PlayrecOptions<D> & { out?: O } = {},
  ): Promise<Recorded<NoInfer<O>, D>> {
    const opts = checkOptions(options, KNOWN.playrec, 'playrec options');
    const pad = intArg(opts.pad ?? 0, 'pad');
    const offset = intArg(opts.offset ?? 0, 'offset', 0);
    let frames = opts.frames === undefined ? -1 : intArg(opts.frames, 'frames');
    if (frames < 0 && typeof source !== 'string' && !(source instanceof RingBuffer) && !opts.loop) {
      frames = checkData(this, source, this.opts.outChannels, 'source').length / this.opts.outChannels;
    }
    checkOffset(frames, offset);
    const recordFrames = frames < 0 ? -1 : frames + Math.max(pad, 0);
    let finish!: () => Sink;
    await this.runJob(() => {
      queueSource(this, source, { frames, pad, loop: opts.loop, untilDone: opts.untilDone, gain: opts.gain });
      finish = recordInto(this, opts.out, {
        frames: recordFrames,
        offset,
        follow: recordFrames < 0,
        format: opts.format,
        fileFormat: opts.fileFormat,
      });
    });
    return finish() as Recorded<O, D>;
  }

  /** Plays `source` only (see {@link OutputStream.play}). */
  async play(source: Source<D>, opts: PlayOptions = {}): Promise<void> {
    await playJob(this, source, opts);
  }

  /** Records only (see {@link InputStream.record}). */
  async record<O extends Sink<D> | undefined = undefined>(
    opts: number | (RecordOptions<D> & { out?: O }),
  ): Promise<Recorded<NoInfer<O>, D>> {
    return (await recordJob(this, opts)) as Recorded<O, D>;
  }
}

/**
 * Opens a stream for the loop and closes it when the loop ends:
 * an InputStream, or a DuplexStream when `playback` is given. Module form of
 * {@link Stream.chunks}; `pad` defaults to 0 here, as in pastream. It takes
 * every stream option, `loopback: true` too (see
 * {@link InputStreamOptions.loopback}: the loop then yields what `device`, an
 * output, plays).
 * @example
 * ```ts
 * import { chunks } from 'ringstream';
 *
 * const opts = { device: 'virtual:loopback', channels: 1, speed: 10, chunksize: 480, frames: 48000 };
 * let frames = 0;
 * for await (const chunk of chunks(opts)) frames += chunk.length; // 480 frames each
 * console.log(frames);                                             // 48000; the stream closed with the loop
 * ```
 */
export function chunks<D extends Dtype = 'float32'>(
  opts: ChunksOptions<D> & StreamOptions<D> & Pick<InputStreamOptions<D>, 'loopback'> = {},
): AsyncGenerator<SampleArrayOf<D>, void, undefined> {
  checkOptions(opts, [...CHUNKS_KEYS, ...KNOWN.stream], 'chunks options');
  const { chunksize, overlap, frames, pad, offset, playback, loop, out, signal, dropOnOverflow, ...streamOpts } = opts;
  // An InputStream refuses `[input, output]` channels at run time.
  const s =
    playback !== undefined ? new DuplexStream(streamOpts as DuplexStreamOptions<D>) : new InputStream(streamOpts as InputStreamOptions<D>);
  const o: ChunksOptions<D> = { chunksize, overlap, frames, pad: pad ?? 0, offset, playback, loop, out, signal, dropOnOverflow };
  // Only the options given: the iterator refuses unknown names, not undefined ones.
  for (const k of Object.keys(o) as (keyof ChunksOptions)[]) if (o[k] === undefined) delete o[k];
  return iterateChunks(s, o, true) as AsyncGenerator<SampleArrayOf<D>, void, undefined>;
}
