import {
  checkRingSize,
  checkWholeFrames,
  ringMaxSize,
  ringSizeFor,
  type NativeStream,
  type PlaySpec,
  type RecordSpec,
} from '../native/addon.js';
import { arrayFor, type SampleArray } from '../device/defaults.js';
import { describe, isDetached } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import type { Resolved, Sink, Source, StartOptions } from './options.js';
import { RingBuffer } from '../ring/ring.js';
import { checkPath, type WavFormat } from '../files/wav.js';
import type { AudioEncoding, AudioFormat } from '../files/audio.js';
import { checkBoolean, checkNumber, checkString } from '../common/validate.js';

/**
 * @internal What jobs, chunks(), feeders and adapters need of a stream: the
 * small interface they depend on instead of on the `Stream` class (which
 * depends on them).
 */
export interface StreamCore {
  readonly native: NativeStream;
  readonly opts: Resolved;
  readonly active: boolean;
  readonly closed: boolean;
  /** Set by stop(): JS feeders stop adding audio. */
  readonly draining: boolean;
  /** A job (play, record, playrec, chunks) owns the stream: other jobs and the adapters are refused. */
  readonly busy: boolean;
  /** Marks a job as owning the stream until the returned function is called. */
  claim(): () => void;
  /** Takes the file pumps queued so far as the current job's: start() prebuffers them. */
  holdFiles(): void;
  /** Finishes the job's file pumps; rejects with a reader's or writer's error. */
  releaseFiles(): Promise<void>;
  start(opts?: StartOptions): Promise<void>;
  abort(): Promise<void>;
  /** Ends the current run (rejecting it with `failure`, if given). */
  endRun(failure?: Error): void;
  /** Resolves at the next data, finish or error event (at once when not running). */
  nextEvent(): Promise<void>;
  /** Resolves once the current run has finished (at once when there is none). */
  finishedRun(): Promise<void>;
  /** Resolves once the device has played every frame handed to it so far. */
  playedOut(): Promise<void>;
  /** The error that ended the last run (kept after the stream closed itself on a lost device), or null. */
  failure(): Error | null;
  checkOpen(): void;
}

/** @internal `data` as a typed array of the stream's dtype with whole frames of `channels`. */
export function checkData(s: StreamCore, data: unknown, channels: number, what: string): SampleArray {
  const T = arrayFor(s.opts.dtype);
  if (!(data instanceof T)) {
    throw invalidType(`${what} must be a ${T.name} (dtype '${s.opts.dtype}'), got ${describe(data)}`);
  }
  if (data.length === 0 && isDetached(data.buffer)) {
    throw invalidType(`${what} is over a detached ArrayBuffer (it was transferred); pass a buffer that is still usable`);
  }
  checkWholeFrames(data.length, channels, what);
  return data;
}

/** @internal A ring of `frames` whole frames of the stream's dtype with `channels` channels. */
export function frameRing(s: StreamCore, channels: number, frames: number): RingBuffer {
  const frameBytes = arrayFor(s.opts.dtype).BYTES_PER_ELEMENT * channels;
  checkRingSize(frameBytes, frames, 'bufferSize');
  return new RingBuffer(frameBytes, frames);
}

/** pastream's play rules for one job. */
export interface PlayJob {
  frames: number;
  pad: number;
  loop?: boolean;
  /** A ring source ends only once its producer marked it done (JS feeders). */
  untilDone?: boolean;
  /** Raise a data event per this many frames taken. */
  notifyEvery?: number;
  /** The factor the source is played at (the core checks it is finite). */
  gain?: number;
  /** Frames of the source skipped first. */
  offset?: number;
  /** The caller's own RingBuffer, fed on the caller's clock: its fill steers `driftCorrection` (not a ring a feeder refills). */
  steers?: boolean;
}

/** pastream's record rules for one job. */
export interface RecordJob {
  frames: number;
  offset: number;
  /** End with the stream's playback. */
  follow?: boolean;
  notifyEvery?: number;
  dropOnOverflow?: boolean;
  format?: WavFormat | AudioEncoding;
  /** The caller's own RingBuffer, read on the caller's clock: its fill steers `driftCorrection` (not a ring a drainer empties). */
  steers?: boolean;
  /** The file format of a path `out`. */
  fileFormat?: AudioFormat;
}

/** @internal Queues playback of `source` on `s` (the one place that calls the native play functions). */
export function queuePlay(s: StreamCore, source: Source, job: PlayJob): void {
  if (job.loop !== undefined) checkBoolean(job.loop, 'loop');
  if (job.untilDone !== undefined) checkBoolean(job.untilDone, 'untilDone');
  if (job.gain !== undefined) checkNumber(job.gain, 'gain');
  const spec: PlaySpec = {
    frames: job.frames,
    pad: job.pad,
    looping: job.loop,
    dtype: s.opts.dtype,
    notifyEvery: job.notifyEvery,
    untilDone: job.untilDone,
    bufferSize: s.opts.bufferSize,
    gain: job.gain,
    offset: job.offset,
    steers: job.steers,
  };
  if (typeof source === 'string') return s.native.playFile(checkPath(source, 'source path'), spec);
  if (source instanceof RingBuffer) {
    if (job.loop) throw invalidArg('loop needs a source that can rewind (a typed array or an audio file), not a RingBuffer');
    return s.native.playRing(source.native, spec);
  }
  const data = checkData(s, source, s.opts.outChannels, 'source');
  s.native.playBuffer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), spec);
}

/**
 * @internal The one check of a recording file's path, `format` and
 * `fileFormat` in TS (their types; the core holds the rules: it names the
 * encodings and refuses one the file's format cannot hold): for
 * `record({ out: path })` and `toFile(path)`. Returns the path (named
 * `what` in errors).
 */
export function checkRecordFile(path: unknown, format: unknown, fileFormat: unknown, what: string): string {
  if (format !== undefined) checkString(format, 'format');
  if (fileFormat !== undefined) checkString(fileFormat, 'fileFormat');
  return checkPath(path, what);
}

/** @internal Queues recording into a RingBuffer or an audio file. */
export function queueRecord(s: StreamCore, out: RingBuffer | string, job: RecordJob): void {
  if (job.dropOnOverflow !== undefined) checkBoolean(job.dropOnOverflow, 'dropOnOverflow');
  const spec: RecordSpec = {
    frames: job.frames,
    offset: job.offset,
    follow: job.follow,
    dtype: s.opts.dtype,
    notifyEvery: job.notifyEvery,
    dropOnOverflow: job.dropOnOverflow,
    bufferSize: s.opts.bufferSize,
    format: job.format,
    steers: job.steers,
    fileFormat: job.fileFormat,
  };
  if (typeof out === 'string') s.native.recordFile(checkRecordFile(out, job.format, job.fileFormat, 'out path'), spec);
  else s.native.recordRing(out.native, spec);
}

/**
 * @internal Queues a record job into `out` (or a new typed array); returns
 * what resolves the job: the sink, or for a typed array the frames recorded
 * (all of them, or fewer after stop() / abort()).
 */
export function recordInto(s: StreamCore, out: Sink | undefined, job: RecordJob): () => Sink {
  const ch = s.opts.inChannels;
  if (typeof out !== 'string') {
    // A ring or an array holds samples of the stream's dtype, as pastream's record() (which has no format).
    const kind = out instanceof RingBuffer ? 'a RingBuffer' : out === undefined ? 'a new typed array' : 'a typed array';
    if (job.format !== undefined) {
      throw invalidArg(
        `format is the encoding of a file path out, not of ${kind} (it holds the stream's dtype, '${s.opts.dtype}': open the stream with the dtype wanted)`,
      );
    }
    if (job.fileFormat !== undefined) throw invalidArg(`fileFormat is for a file path out, not ${kind}`);
  }
  if (typeof out === 'string' || out instanceof RingBuffer) {
    queueRecord(s, out, { ...job, steers: out instanceof RingBuffer });
    return () => out;
  }
  let frames = job.frames;
  if (out !== undefined) {
    checkData(s, out, ch, 'out');
    if (frames < 0) frames = out.length / ch + job.offset;
  }
  if (frames < 0) {
    throw invalidArg('the length to record is unknown: give frames, a typed array out, or record into a RingBuffer or an audio file');
  }
  const total = frames - job.offset;
  if (out !== undefined && out.length < total * ch) throw invalidArg(`out holds ${out.length / ch} frames, ${total} are needed`);
  const T = arrayFor(s.opts.dtype);
  const frameBytes = T.BYTES_PER_ELEMENT * ch;
  const most = ringMaxSize(frameBytes);
  if (total > most) {
    throw invalidArg(
      `${total} frames of ${ch} channels do not fit one array (at most ${most} frames): record into an audio file or a RingBuffer`,
    );
  }
  const ring = frameRing(s, ch, ringSizeFor(frameBytes, total, 'frames'));
  queueRecord(s, ring, { ...job, frames });
  return () => {
    const got = Math.min(ring.readAvailable, total);
    // `out` itself when filled (pastream), else the part of it that was.
    const target = out ? (got * ch === out.length ? out : out.subarray(0, got * ch)) : new T(got * ch);
    ring.readInto(target);
    return target;
  };
}
