import { arrayFor, type Dtype, type SampleArray, type SampleArrayOf } from '../device/defaults.js';
import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { checkData, frameRing, queuePlay, queueRecord, type StreamCore } from './jobs.js';
import { RingBuffer } from '../ring/ring.js';
import { Feeder, feedRing, type SourceFunction } from './feed.js';
import { intArg, type Source } from './options.js';
import { checkOffset, ringMaxSize, ringSizeFor } from '../native/addon.js';
import { checkBoolean, checkOptions } from '../common/validate.js';

/** The option names of {@link ChunksOptions}. */
export const CHUNKS_KEYS = [
  'chunksize',
  'overlap',
  'frames',
  'pad',
  'offset',
  'playback',
  'loop',
  'out',
  'signal',
  'dropOnOverflow',
] as const;

/** Options of {@link Stream.chunks} and the module-level {@link chunks}; `D` is the stream's dtype. */
export interface ChunksOptions<D extends Dtype = Dtype> {
  /** Frames per chunk (default: `blocksize - overlap`). */
  chunksize?: number;
  /** Frames each chunk shares with the one before (`overlap < chunksize`). Default 0. */
  overlap?: number;
  /** Frames to process in all, including `offset`; < 0 (default): until the loop ends. */
  frames?: number;
  /** Zero frames after the playback (pastream; method default -1, module default 0). */
  pad?: number;
  /** Input frames to drop first. */
  offset?: number;
  /**
   * A source to play meanwhile (DuplexStream): typed array, RingBuffer, an
   * audio file's path (any format {@link readAudio} reads), or a JS source function (see {@link SourceFunction}; pastream's
   * `set_source(writer)` with `playback=True`), fed through a ring of
   * `bufferSize` frames.
   */
  playback?: Source<D> | SourceFunction<D>;
  /** Loop the playback source (only with `playback`: `ERR_INVALID_ARG` without one). */
  loop?: boolean;
  /** Copy each chunk into this array (at least `chunksize * channels` long) and yield it. */
  out?: SampleArrayOf<D>;
  /** Ends the iteration when aborted. */
  signal?: AbortSignal;
  /**
   * When JS falls behind by more than the buffer: `false` (default) ends the
   * iteration with `ERR_BUFFER_FULL`; `true` drops the frames that do not fit
   * and flags them (`status.inputOverflow`, `xruns`), and iteration goes on.
   */
  dropOnOverflow?: boolean;
}

/**
 * @internal The chunk iterator over a stream's input: a record into a ring
 * whose audio-thread notifications (one per `chunksize - overlap` frames)
 * wake the loop; nothing polls.
 */
export async function* iterateChunks(
  s: StreamCore & { close(): Promise<void> },
  options: ChunksOptions,
  closeWhenDone: boolean,
): AsyncGenerator<SampleArray, void, undefined> {
  try {
    s.checkOpen();
    const o = checkOptions(options, CHUNKS_KEYS, 'chunks options');
    const ch = s.opts.inChannels;
    if (ch === 0) throw invalidArg('chunks() needs a stream with input (InputStream or DuplexStream)');
    const overlap = intArg(o.overlap ?? 0, 'overlap', 0);
    const chunksize = intArg(o.chunksize ?? s.opts.blocksize - overlap, 'chunksize', 1);
    if (overlap >= chunksize) throw invalidArg(`overlap (${overlap}) must be less than chunksize (${chunksize})`);
    // The ring under the loop holds four chunks.
    const T = arrayFor(s.opts.dtype);
    const most = ringMaxSize(T.BYTES_PER_ELEMENT * ch) / 4;
    if (chunksize > most)
      throw invalidArg(`chunksize must be at most ${most} frames with ${ch} channels of ${s.opts.dtype}, got ${chunksize}`);
    const frames = intArg(o.frames ?? -1, 'frames', -1);
    const pad = intArg(o.pad ?? -1, 'pad');
    const offset = intArg(o.offset ?? 0, 'offset', 0);
    checkOffset(frames, offset);
    if (o.playback !== undefined && s.opts.outChannels === 0) {
      throw invalidArg('playback needs a DuplexStream');
    }
    if (o.loop !== undefined && checkBoolean(o.loop, 'loop') && o.playback === undefined) {
      throw invalidArg('loop rewinds the playback: give a playback source to loop');
    }
    if (o.out !== undefined) {
      checkData(s, o.out, ch, 'out');
      if (o.out.length < chunksize * ch) throw invalidArg(`out must hold ${chunksize} frames`);
    }
    if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
      throw invalidType(`signal must be an AbortSignal, got ${describe(o.signal)}`);
    }
    // Refused before anything is queued: a running job is left alone.
    if (s.active || s.busy) throw invalidArg('the stream is busy (already active): wait for it, stop() or abort() first');
    const step = chunksize - overlap;
    const ringFrames = Math.max(s.opts.bufferSize, ringSizeFor(T.BYTES_PER_ELEMENT * ch, 4 * chunksize, 'frames'));
    const ring = frameRing(s, ch, ringFrames);
    const recordFrames = frames < 0 ? -1 : frames + Math.max(pad, 0);
    // pastream: with playback, frames < 0 and pad >= 0, the stream ends after
    // the playback and its pad; recording follows the playback there.
    const follow = o.playback !== undefined && frames < 0 && pad >= 0;
    const release = s.claim();
    let feeder: Feeder | undefined;
    try {
      if (typeof o.playback === 'function') {
        if (o.loop) throw invalidArg('loop needs a playback that can rewind (a typed array or an audio file), not a source function');
        const r = feedRing(s, s.opts.outChannels, {});
        queuePlay(s, r, { frames, pad, notifyEvery: Math.max(1, r.size / 4), untilDone: true });
        feeder = new Feeder(s, r, o.playback);
      } else if (o.playback !== undefined) {
        queuePlay(s, o.playback, { frames, pad, loop: o.loop ?? false, steers: o.playback instanceof RingBuffer });
      }
      queueRecord(s, ring, { frames: recordFrames, offset, follow, notifyEvery: step, dropOnOverflow: o.dropOnOverflow ?? false });
      if (frames >= 0 || follow) s.native.finishWhenIdle();
      s.holdFiles();
      await feeder?.fill();
    } catch (e) {
      s.native.discard();
      await s.releaseFiles().catch(() => undefined);
      release();
      throw e;
    }
    const signal = o.signal;
    const onAbort = () => void s.abort().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) return;
      // A file playback is prebuffered (its reader thread starts ahead);
      // the input is not waited for.
      await s.start({ prebuffer: typeof o.playback === 'string' ? s.opts.bufferSize : false });
      if (feeder) void feeder.run();
      const buf = new T(chunksize * ch);
      const fresh = buf.subarray(overlap * ch);
      for (;;) {
        while (ring.readAvailable < step && s.active && !signal?.aborted) await s.nextEvent();
        if (signal?.aborted) return;
        if (ring.readAvailable < step) {
          // The stream ended: rethrow its error, or hand over what is left.
          const err = s.failure();
          if (err) throw err;
          const rest = ring.readAvailable;
          if (rest === 0) return;
          buf.copyWithin(0, step * ch);
          ring.readInto(fresh.subarray(0, rest * ch));
          const last = buf.subarray(0, (overlap + rest) * ch);
          yield o.out ? (o.out.set(last), o.out.subarray(0, last.length)) : last;
          return;
        }
        buf.copyWithin(0, step * ch);
        ring.readInto(fresh);
        if (o.out) {
          o.out.set(buf);
          yield o.out.length === buf.length ? o.out : o.out.subarray(0, buf.length);
        } else {
          yield buf;
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (s.active) await s.abort();
      s.endRun();
      try {
        // A reader thread's error is the cause of whatever the loop saw: it wins.
        await s.releaseFiles();
      } finally {
        release();
      }
    }
  } finally {
    if (closeWhenDone) await s.close();
  }
}
