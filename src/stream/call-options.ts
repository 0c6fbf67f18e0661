// What the calls that play and record take: sources, sinks and the options
// of play / record / playrec / start (the stream's own options are in
// options.ts).
import type { Dtype, SampleArrayOf } from '../device/defaults.js';
import type { RingBuffer } from '../ring/ring.js';
import type { WavFormat } from '../files/wav.js';
import type { AudioEncoding, AudioFormat } from '../files/audio.js';

/**
 * What {@link OutputStream.play} and {@link DuplexStream.playrec} can play:
 * interleaved samples of the stream's dtype, a RingBuffer of whole frames
 * that JS keeps filling, or the path of an audio file in any format
 * {@link readAudio} reads (decoded on a native thread, never loaded whole).
 */
export type Source<D extends Dtype = Dtype> = SampleArrayOf<D> | RingBuffer | string;

/**
 * Where {@link InputStream.record} and {@link DuplexStream.playrec} can
 * record to: a typed array, a RingBuffer that JS reads while recording, or
 * the path of an audio file to create in any format {@link writeAudio}
 * writes (WAV, W64, FLAC, AIFF, AU, RAW; encoded on a native thread).
 */
export type Sink<D extends Dtype = Dtype> = SampleArrayOf<D> | RingBuffer | string;

/** What record() / playrec() resolve to: `out` itself when given, else a new typed array of the stream's dtype. */
export type Recorded<O extends Sink | undefined, D extends Dtype = Dtype> = O extends Sink ? O : SampleArrayOf<D>;

/** Options of {@link OutputStream.play}. */
export interface PlayOptions {
  /** Frames to play from the source; < 0 (default): until it ends. */
  frames?: number;
  /** Zero frames after the source; < 0: pad automatically up to `frames`. Default 0. */
  pad?: number;
  /** Rewind the source when it ends (typed arrays and WAV files). */
  loop?: boolean;
  /**
   * Frames of the source skipped before it plays (default 0): a file
   * source seeks there, exact to the frame in every format (FLAC, Ogg
   * Vorbis, MP3 and ADPCM decode from the packet or block before it and drop
   * the rest), without reading what it skips; a typed array starts there. A
   * loop rewinds to the source's start. Not for a RingBuffer source. (In
   * `playrec`, `offset` keeps pastream's meaning: input frames dropped.)
   */
  offset?: number;
  /**
   * With a RingBuffer source that JS (or a worker, or a pipe) keeps
   * feeding: an empty ring is not the end; the source ends once the ring is
   * empty and its producer called `setProducerDone(true)`. A ring that runs
   * dry meanwhile plays silence, counted as an underflow. Default false: an
   * empty ring is the end, as in pastream.
   */
  untilDone?: boolean;
  /**
   * The factor every sample of the source is played at, applied in the
   * audio callback before the output is metered (so what it pushes past
   * full scale counts in `clippedSamples`). 1 (the default) changes
   * nothing; 0.5 is -6 dB; a negative factor also inverts, as sox's `-v`.
   * Must be a finite number.
   */
  gain?: number;
}

/** Options of {@link InputStream.record}. */
export interface RecordOptions<D extends Dtype = Dtype> {
  /**
   * Frames to process, including the `offset` dropped ones. May be left out
   * when `out` is a typed array (`out.length / channels + offset`) or a
   * RingBuffer / file path (until stopped).
   */
  frames?: number;
  /** The first `offset` input frames are dropped. */
  offset?: number;
  /** Where to record: a typed array (filled and returned), a RingBuffer (JS reads it while recording) or an audio file's path (see {@link RecordOptions.fileFormat}). */
  out?: Sink<D>;
  /**
   * Sample encoding of a file `out`: a WAV format name (`'i16'`, `'f32'`,
   * ...) or any {@link AudioEncoding} (`'pcm_16'`, `'ulaw'`, `'alaw'`,
   * `'double'`, `'pcm_s8'`) the file's format holds (a coded
   * `ERR_UNSUPPORTED_FORMAT` names those it does). Default: float for WAV,
   * AU and RAW, 24-bit for FLAC and AIFF: nothing is lost. Only for a
   * path `out`: a typed array or RingBuffer holds the stream's `dtype`
   * (`ERR_INVALID_ARG` otherwise, as pastream's `record()` has no format).
   */
  format?: WavFormat | AudioEncoding;
  /**
   * The file format of a path `out` (`'wav'`, `'flac'`, `'aiff'`, `'au'`,
   * `'w64'`, `'raw'`). Default: what its extension names, WAV for a path
   * that names none (`take`, a FIFO, `/dev/stdout`). An extension naming
   * another format, an unknown extension without `fileFormat`
   * (`take.opus`) or a lossy format (`.mp3`, `.ogg`) is
   * `ERR_UNSUPPORTED_FORMAT`: a recording never writes one format under
   * another's name. Only for a path `out`.
   */
  fileFormat?: AudioFormat;
}

/** Options of {@link DuplexStream.playrec}. */
export interface PlayrecOptions<D extends Dtype = Dtype> extends Omit<PlayOptions, 'offset'> {
  /** The first `offset` input frames are dropped. */
  offset?: number;
  /** Where to record (see {@link RecordOptions.out}). */
  out?: Sink<D>;
  /** Sample encoding of a file `out`, only for a path `out` (see {@link RecordOptions.format}). */
  format?: WavFormat | AudioEncoding;
  /** File format of a path `out` (see {@link RecordOptions.fileFormat}). */
  fileFormat?: AudioFormat;
}

/** Options of {@link Stream.start}. */
export interface StartOptions {
  /**
   * Wait before the device starts until the source holds audio (pastream):
   * for a JS-fed source (a RingBuffer given to play/setSource, or a source
   * function), `true` waits for the first write and a number for that many
   * frames; for a file source (any format), `true` (the default) waits until its ring
   * is full and a number for that many frames. `false`: start at once.
   */
  prebuffer?: boolean | number;
}
