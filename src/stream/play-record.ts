import { checkOffset } from '../native/addon.js';
import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { checkOptions } from '../common/validate.js';
import { RingBuffer } from '../ring/ring.js';
import { queuePlay, recordInto, type PlayJob, type StreamCore } from './jobs.js';
import { intArg, KNOWN, type PlayOptions, type RecordOptions, type Sink, type Source } from './options.js';

/**
 * @internal What the play and record calls need of a stream besides
 * {@link StreamCore}: a way to run a job, and a place for the rings JS feeds
 * (start() prebuffers them).
 */
export interface JobStream extends StreamCore {
  /** Queues work and runs the stream until it finishes. */
  runJob(queue: () => void): Promise<void>;
  /** A ring JS writes into that the next run plays. */
  addJsSource(ring: RingBuffer): void;
}

/** @internal Queues playback of `source` with pastream's frames / pad / loop. */
export function queueSource(s: JobStream, source: Source, job: PlayJob): void {
  const untilDone = job.untilDone ?? false;
  if (untilDone && !(source instanceof RingBuffer)) throw invalidArg('untilDone applies to a RingBuffer source');
  const wake = untilDone && source instanceof RingBuffer ? Math.max(1, source.size / 4) : undefined;
  queuePlay(s, source, { ...job, loop: job.loop ?? false, untilDone, notifyEvery: wake, steers: source instanceof RingBuffer });
  if (source instanceof RingBuffer) s.addJsSource(source);
}

/** @internal play(): pastream's frames / pad / loop on one source. */
export async function playJob(s: JobStream, source: Source, options: PlayOptions): Promise<void> {
  const opts = checkOptions(options, KNOWN.play, 'play options');
  const frames = intArg(opts.frames ?? -1, 'frames');
  const pad = intArg(opts.pad ?? 0, 'pad');
  const offset = intArg(opts.offset ?? 0, 'offset', 0);
  await s.runJob(() => queueSource(s, source, { frames, pad, loop: opts.loop, untilDone: opts.untilDone, gain: opts.gain, offset }));
}

/** @internal record(): `frames` minus the first `offset`. */
export async function recordJob(s: JobStream, opts: number | RecordOptions): Promise<Sink> {
  if (typeof opts !== 'number' && (opts === null || typeof opts !== 'object')) {
    throw invalidType(`record() takes a number of frames or an options object, got ${describe(opts)}`);
  }
  const o = typeof opts === 'number' ? { frames: opts } : checkOptions(opts, KNOWN.record, 'record options');
  const frames = intArg(o.frames ?? -1, 'frames', -1);
  const offset = intArg(o.offset ?? 0, 'offset', 0);
  checkOffset(frames, offset);
  let finish!: () => Sink;
  await s.runJob(() => (finish = recordInto(s, o.out, { frames, offset, format: o.format, fileFormat: o.fileFormat })));
  return finish();
}
