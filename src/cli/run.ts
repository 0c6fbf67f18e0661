// One play / record / playrec run: opens the stream, runs the job with
// pastream's frames / pad / offset rules (applied by the core), shows the
// status, handles Ctrl-C and --fatal-xruns, and says how it went.
import type { Dtype } from '../defaults.js';
import type { Sink, Source, XrunEvent } from '../options.js';
import { InputStream } from '../streams.js';
import type { Stream } from '../stream.js';
import type { Plan } from './config.js';
import { CliDuplexStream, CliOutputStream, feedRing, openPlayback, openRecording, type Playback, type Recording } from './endpoints.js';
import { describeError, Exit, UsageError } from './errors.js';
import { StatusLine, summary, type Levels } from './status.js';
import { toFrames } from './units.js';

/** The process's streams, so that tests and the demo can run this in-process too. */
export interface Io {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WriteStream;
}

/** How a run ended. */
export interface RunResult {
  exit: number;
  /** The stream (closed), for its counters. */
  stream: Stream | undefined;
  /** The highest peak of each channel. */
  peaks: Levels;
  /** The stream's `[input, output]` latency in seconds (zeros if it never opened). */
  latency: [number, number];
}

function pick<T>(a: T | undefined, b: T | undefined, what: string): T | undefined {
  if (a !== undefined && b !== undefined && a !== b) throw new UsageError(`${what}: playback and record differ (${a}, ${b}), but one stream plays and records`);
  return a ?? b;
}

/** Opens the stream the plan asks for. */
function openStream(p: Plan, play: Playback | undefined, rec: boolean): Stream {
  const pb = p.playback;
  const rc = p.record;
  const fileRate = play?.spec.samplerate;
  if (p.samplerate !== undefined && fileRate !== undefined && p.samplerate !== fileRate) {
    throw new UsageError(`--rate ${p.samplerate} differs from the input's ${fileRate} Hz (no resampling: leave --rate out)`);
  }
  if (play && pb.channels !== undefined && pb.channels !== play.spec.channels) {
    throw new UsageError(`--channels ${pb.channels} differs from the input's ${play.spec.channels} channels (use --map to route them)`);
  }
  const outCh = play?.spec.channels;
  const inCh = rc.channels ?? outCh;
  const common = {
    host: p.host,
    samplerate: p.samplerate ?? fileRate,
    blocksize: p.blocksize,
    bufferSize: p.bufferSize,
    faults: p.faults,
  };
  if (play && rec) {
    return new CliDuplexStream({
      ...common,
      device: pick(pb.device, rc.device, '--device'),
      dtype: pick(pb.dtype, rc.dtype, '--format'),
      channels: [inCh ?? outCh!, outCh!],
      map: pb.map || rc.map ? [rc.map, pb.map] : undefined,
    });
  }
  if (play) return new CliOutputStream({ ...common, device: pb.device, dtype: pb.dtype, channels: outCh, map: pb.map });
  return new InputStream({ ...common, device: rc.device, dtype: rc.dtype, channels: inCh, map: rc.map });
}

function describe(p: Plan, s: Stream): string {
  const name = (e: Plan['playback']['endpoint']) => (e.kind === 'none' ? 'null' : e.kind === 'std' ? '-' : e.path);
  const [li, lo] = s.latency;
  const ms = (x: number) => `${(x * 1000).toFixed(1)} ms`;
  const lat = [lo > 0 && `out ${ms(lo)}`, li > 0 && `in ${ms(li)}`].filter(Boolean).join(', ');
  const ch = Array.isArray(s.channels) ? `${s.channels[1]} out / ${s.channels[0]} in` : `${s.channels}`;
  return `${name(p.playback.endpoint)} -> ${name(p.record.endpoint)} on ${s.device} (${s.host}), ${s.samplerate} Hz, ${ch} ch, blocksize ${s.blocksize}, latency ${lat}`;
}

/** Runs the plan; never throws: failures become an exit code and a line on stderr. */
export async function run(p: Plan, io: Io): Promise<RunResult> {
  const say = (line: string) => io.stderr.write(`ringstream: ${line}\n`);
  let stream: Stream | undefined;
  let status: StatusLine | undefined;
  let interrupted = false;
  let xrun: XrunEvent | undefined;
  let settled = false;
  let latency: [number, number] = [0, 0];
  const onSignal = () => {
    if (interrupted || !stream) return void stream?.abort().catch(() => undefined);
    interrupted = true;
    void stream.stop().catch(() => undefined);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const play = await openPlayback(p, io.stdin);
    const recording = p.record.endpoint.kind !== 'none';
    stream = openStream(p, play, recording);
    const s = stream;
    latency = s.latency;
    const dtype: Dtype = s.dtype;
    const inCh = Array.isArray(s.channels) ? s.channels[0] : s.channels;
    const rec: Recording | undefined = openRecording(p.record, { samplerate: s.samplerate, channels: inCh, dtype, bufferSize: p.bufferSize });
    const frames = toFrames(p.duration, s.samplerate);
    const offset = toFrames(p.offset, s.samplerate);
    const pad = toFrames(p.pad, s.samplerate);
    const inputFrames = p.loop ? undefined : play?.spec.frames;
    const total = frames >= 0 ? frames + (play ? Math.max(pad, 0) : 0) : inputFrames !== undefined && pad >= 0 ? inputFrames + pad : undefined;

    // A pipe-fed source: fill its ring before the device starts.
    let source: Source | undefined = play?.path;
    let feeding: Promise<void> = Promise.resolve();
    let feedError: unknown;
    if (play?.reader) {
      const ring = feedRing(dtype, play.spec.channels, p.bufferSize);
      (s as CliOutputStream | CliDuplexStream).fed = ring;
      source = ring;
      let primed!: () => void;
      const full = new Promise<void>((r) => (primed = r));
      feeding = play.reader.feed(ring, dtype, () => settled || interrupted, primed).catch((e) => {
        feedError = e;
        primed();
        void s.abort().catch(() => undefined);
      });
      await full;
    }
    if (p.fatalXruns) {
      s.on('xrun', (e: XrunEvent) => {
        xrun ??= e;
        void s.abort().catch(() => undefined);
      });
    }
    if (!p.quiet) say(describe(p, s));
    status = new StatusLine(s, total, io.stderr, !p.quiet);
    status.start();
    await rec?.writer?.begin();
    const out: Sink | undefined = rec?.path ?? rec?.ring;
    const format = rec?.path ? rec.format : undefined;
    const job =
      s instanceof CliDuplexStream
        ? s.playrec(source!, { frames, pad, offset, loop: p.loop, out, format })
        : s instanceof CliOutputStream
          ? s.play(source!, { frames, pad, loop: p.loop })
          : (s as InputStream).record({ frames, offset, out, format });
    const draining = rec?.writer && rec.ring ? rec.writer.drain(rec.ring, () => settled) : Promise.resolve();
    try {
      await job;
    } finally {
      settled = true;
      status.stop();
      await draining;
      await rec?.writer?.end();
      await feeding;
    }
    if (feedError !== undefined) throw feedError;
    if (!p.quiet) io.stderr.write(`${summary(s, status.peaks)}\n`);
    if (xrun) {
      const what = Object.entries(xrun.status).filter(([, v]) => v).map(([k]) => k.replace(/([A-Z])/g, ' $1').toLowerCase());
      say(`xrun at ${xrun.time.toFixed(3)} s (${what.join(', ') || 'dropped callback'}): stopped (--fatal-xruns)`);
      return { exit: Exit.XRUN, stream, peaks: status.peaks, latency };
    }
    return { exit: interrupted ? Exit.INTERRUPTED : Exit.OK, stream, peaks: status.peaks, latency };
  } catch (e) {
    status?.stop();
    say(describeError(e));
    const usage = e instanceof UsageError || (e as { code?: unknown }).code === 'ERR_INVALID_ARG';
    return { exit: usage ? Exit.USAGE : Exit.FAILURE, stream, peaks: status?.peaks ?? { input: [], output: [] }, latency };
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await stream?.close();
  }
}

