import { invalidArg } from '../common/errors.js';
import { Drainer, Feeder, feedRing, type FeedOptions, type SinkFunction, type SourceFunction } from './feed.js';
import { checkData, queuePlay, queueRecord, type StreamCore } from './jobs.js';
import type { Sink, Source } from './options.js';
import { RingBuffer } from '../ring/ring.js';

/** What a start() queues when nothing else was: the source and sink given to setSource / setSink. */
export interface ConfiguredRun {
  /** The JS tasks that feed and drain the rings. */
  tasks: (Feeder | Drainer)[];
  /** Rings JS writes into (for `prebuffer`). */
  jsSources: RingBuffer[];
}

/** @internal A stream's configured source and sink (pastream's setSource / setSink). */
export class Configured {
  private source: { src: Source | SourceFunction; opts: FeedOptions; ring: RingBuffer | null } | undefined;
  private sink: { dst: Sink | SinkFunction; opts: FeedOptions; ring: RingBuffer | null } | undefined;

  /** Whether a source or a sink is configured. */
  get any(): boolean {
    return this.source !== undefined || this.sink !== undefined;
  }

  setSource(s: StreamCore, src: Source | SourceFunction, opts: FeedOptions): RingBuffer | null {
    const ch = s.opts.outChannels;
    if (ch === 0) throw invalidArg('setSource() needs a stream with output');
    let ring: RingBuffer | null = null;
    if (typeof src === 'function') ring = feedRing(s, ch, opts);
    else if (src instanceof RingBuffer) ring = src;
    else if (typeof src !== 'string') checkData(s, src, ch, 'source');
    this.source = { src, opts, ring };
    return ring;
  }

  setSink(s: StreamCore, dst: Sink | SinkFunction, opts: FeedOptions): RingBuffer | null {
    const ch = s.opts.inChannels;
    if (ch === 0) throw invalidArg('setSink() needs a stream with input');
    let ring: RingBuffer | null = null;
    if (typeof dst === 'function') ring = feedRing(s, ch, opts);
    else if (dst instanceof RingBuffer) ring = dst;
    else if (typeof dst !== 'string') {
      checkData(s, dst, ch, 'sink');
      ring = feedRing(s, ch, opts);
    }
    this.sink = { dst, opts, ring };
    return dst instanceof RingBuffer ? dst : typeof dst === 'function' ? ring : null;
  }

  /** Queues the configured source and sink on `s`. */
  queue(s: StreamCore): ConfiguredRun {
    const o = s.opts;
    const run: ConfiguredRun = { tasks: [], jsSources: [] };
    let finite = false;
    if (this.source) {
      const { src, opts, ring } = this.source;
      if (typeof src === 'function') {
        const r = ring!;
        r.flush();
        r.setProducerDone(false);
        queuePlay(s, r, { frames: -1, pad: 0, notifyEvery: Math.max(1, r.size / 4), untilDone: true });
        run.tasks.push(new Feeder(s, r, src));
        finite = src.length === 0;
      } else if (src instanceof RingBuffer) {
        queuePlay(s, src, { frames: -1, pad: -1, steers: true });
        run.jsSources.push(src);
      } else {
        const loop = opts.loop ?? false;
        queuePlay(s, src, { frames: -1, pad: 0, loop });
        finite = !loop;
      }
    }
    if (this.sink) {
      const { dst, ring } = this.sink;
      if (typeof dst === 'string' || dst instanceof RingBuffer) {
        queueRecord(s, dst, { frames: -1, offset: 0, follow: finite, steers: true });
      } else {
        const r = ring!;
        r.flush();
        const frames = typeof dst === 'function' ? -1 : dst.length / o.inChannels;
        queueRecord(s, r, { frames, offset: 0, follow: finite && frames < 0, notifyEvery: o.blocksize });
        let pos = 0;
        const fn: SinkFunction =
          typeof dst === 'function'
            ? dst
            : (chunk) => {
                dst.set(chunk as never, pos);
                pos += chunk.length;
              };
        run.tasks.push(new Drainer(s, r, fn));
        finite ||= frames >= 0;
      }
    }
    if (finite) s.native.finishWhenIdle();
    return run;
  }
}
