// One play / record / playrec run: opens the stream, runs the job with
// pastream's frames / pad / offset rules (applied by the core), shows the
// status, handles Ctrl-C and --fatal-xruns, and says how it went.
import type { Readable } from 'node:stream';
import type { Sink, Source, XrunEvent } from '../stream/options.js';
import { RingBuffer } from '../ring/ring.js';
import { DuplexStream, InputStream, OutputStream } from '../stream/kinds.js';
import type { Stream } from '../stream/stream.js';
import type { Plan } from './config.js';
import { checkRecordPath, feedRing, openPlayback, openRecording, type Playback, type Recording } from './endpoints.js';
import { describeError, Exit, signalExit, UsageError } from './errors.js';
import { fitHeader, latencyField, StatusLine, summary, type Levels, type Moved } from './status.js';
import { AudioReader } from '../files/audio.js';
import { toFrames } from './units.js';
import { deviceAt } from './list.js';
import { dbamp } from '../toolkit/util.js';
import type { Volume } from './units.js';

/** The process's streams, so that tests and the demo can run this in-process too. */
export interface Io {
  stdin: Readable;
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
  if (a !== undefined && b !== undefined && a !== b)
    throw new UsageError(`${what}: playback and record differ (${a}, ${b}), but one stream plays and records`);
  return a ?? b;
}

/**
 * The device option of a run that plays and records: pastream's `-D OUT,IN`
 * becomes the stream's `[input, output]` pair, so that the core's one rule
 * decides (one device works; two devices need one clock, which it says no
 * host here runs).
 */
function duplexDevice(
  pb: string | number | undefined,
  rc: string | number | undefined,
): string | number | [string | number, string | number] | undefined {
  // Names match case aside, as sounddevice's do.
  const key = (d: string | number) => (typeof d === 'string' ? d.toLowerCase() : d);
  if (pb === undefined || rc === undefined || key(pb) === key(rc)) return pb ?? rc;
  return [rc, pb];
}

/** Opens the stream the plan asks for. */
function openStream(p: Plan, play: Playback | undefined, rec: boolean): Stream {
  // -D N counts as -l does: over every host's devices unless --host is given.
  const at = (d: string | number | undefined) => (typeof d === 'number' ? deviceAt(d, p.host) : d);
  const pb = { ...p.playback, device: at(p.playback.device) };
  const rc = { ...p.record, device: at(p.record.device) };
  const fileRate = play?.spec.samplerate;
  if (p.samplerate !== undefined && fileRate !== undefined && p.samplerate !== fileRate) {
    // sox's `play -r` resamples the file; here the stream runs at the file's rate and the engine
    // converts to the device's, so a second rate has nothing to set.
    throw new UsageError(
      '--rate',
      String(p.samplerate),
      `the input's own rate, ${fileRate} Hz, or no --rate (a file plays at its rate and the engine converts to the device's)`,
    );
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
    convert: !p.exact,
  };
  if (play && rec) {
    return new DuplexStream({
      ...common,
      device: duplexDevice(pb.device, rc.device),
      dtype: pick(pb.dtype, rc.dtype, '--format'),
      channels: [inCh ?? outCh!, outCh!],
      map: pb.map || rc.map ? [rc.map, pb.map] : undefined,
    });
  }
  if (play) return new OutputStream({ ...common, device: pb.device, dtype: pb.dtype, channels: outCh, map: pb.map });
  return new InputStream({ ...common, device: rc.device, dtype: rc.dtype, channels: inCh, map: rc.map, loopback: p.loopback });
}

/** The header's fields, each with the separator before it (see fitHeader). */
function describe(p: Plan, s: Stream): [string, string][] {
  const name = (e: Plan['playback']['endpoint']) => (e.kind === 'none' ? 'null' : e.kind === 'std' ? '-' : e.path);
  const ch = Array.isArray(s.channels) ? `${s.channels[1]} out / ${s.channels[0]} in` : `${s.channels}`;
  return [
    ['', name(p.playback.endpoint)],
    [' -> ', name(p.record.endpoint)],
    [' ', `on ${s.device} (${s.host})`],
    [', ', `${s.samplerate} Hz`],
    [', ', `${ch} ch`],
    [', ', `blocksize ${s.blocksize}`],
    ...latencyField(s.latency),
  ];
}

/** What a prepared run plays, records and for how long. */
interface Prepared {
  stream: Stream;
  play: Playback | undefined;
  rec: Recording | undefined;
  frames: number;
  offset: number;
  pad: number;
  /** Frames the run will process, when known (for the progress bar). */
  total: number | undefined;
}

async function prepare(p: Plan, io: Io, opened: (s: Stream) => void): Promise<Prepared> {
  // The stream's dtype: a duplex stream's is the playback's -f (a differing record -f is refused at open).
  const playing = p.playback.endpoint.kind !== 'none';
  checkRecordPath(p.record, playing ? (p.playback.dtype ?? p.record.dtype) : p.record.dtype);
  const play = await openPlayback(p, io.stdin);
  const stream = openStream(p, play, p.record.endpoint.kind !== 'none');
  opened(stream);
  const inCh = Array.isArray(stream.channels) ? stream.channels[0] : stream.channels;
  const rec = openRecording(p.record, { samplerate: stream.samplerate, channels: inCh, dtype: stream.dtype, bufferSize: p.bufferSize });
  const frames = toFrames(p.duration, stream.samplerate);
  const pad = toFrames(p.pad, stream.samplerate);
  const inputFrames = p.loop ? undefined : play?.spec.frames;
  const total =
    frames >= 0 ? frames + (play ? Math.max(pad, 0) : 0) : inputFrames !== undefined && pad >= 0 ? inputFrames + pad : undefined;
  return { stream, play, rec, frames, offset: toFrames(p.offset, stream.samplerate), pad, total };
}

/** The play job's gain for sox's `-v` (decibels through the core's dbamp). */
function gainOf(v: Volume | undefined): number | undefined {
  return v === undefined ? undefined : 'db' in v ? dbamp(v.db) : v.factor;
}

/** Queues the job on the stream (pastream's rules are the library's). */
function startJob(r: Prepared, source: Source | undefined, loop: boolean, volume: Volume | undefined): Promise<unknown> {
  const { stream: s, rec, frames, pad, offset } = r;
  const gain = gainOf(volume);
  const out: Sink | undefined = rec?.path ?? rec?.ring;
  const format = rec?.path ? rec.format : undefined;
  const fileFormat = rec?.fileFormat;
  // A ring fed from a pipe ends when the pipe does, not whenever it runs empty.
  const untilDone = source instanceof RingBuffer;
  if (s instanceof DuplexStream) return s.playrec(source!, { frames, pad, offset, loop, out, format, fileFormat, untilDone, gain });
  if (s instanceof OutputStream) return s.play(source!, { frames, pad, loop, untilDone, gain });
  return (s as InputStream).record({ frames, offset, out, format, fileFormat });
}

/** The frames a finished run played from its input and wrote to its output. */
function moved(r: Prepared): Moved {
  const { stream: s, play, rec, total } = r;
  let recorded: number | undefined;
  if (rec?.writer) recorded = rec.writer.written;
  else if (rec?.path) {
    const w = AudioReader.open(rec.path);
    try {
      recorded = w.spec.frames;
    } finally {
      w.close();
    }
  }
  // The device runs whole blocks, and on past the input's end while the last ones play out.
  const played = play ? Math.min(s.frameCount, total ?? Number.POSITIVE_INFINITY) : undefined;
  return { played, recorded };
}

/** Background work of a run (a pipe feeding the source, the recording draining to one); the first failure aborts it. */
class Tasks {
  failure: unknown;
  private readonly all: Promise<void>[] = [];
  constructor(private readonly s: Stream) {}
  add(task: Promise<void>): void {
    this.all.push(
      task.catch((e) => {
        this.failure ??= e;
        void this.s.abort().catch(() => undefined);
      }),
    );
  }
  async settle(): Promise<void> {
    await Promise.all(this.all);
  }
}

/** The consumer of stdout went away (`| head`): the end of the run, not a failure. */
function isBrokenPipe(e: unknown): boolean {
  return (e as { code?: unknown } | undefined)?.code === 'EPIPE';
}

function xrunLine(e: XrunEvent): string {
  const what = Object.entries(e.status)
    .filter(([, v]) => v)
    .map(([k]) => k.replace(/([A-Z])/g, ' $1').toLowerCase());
  return `xrun at ${e.time.toFixed(3)} s (${what.join(', ') || 'dropped callback'}): stopped (--fatal-xruns)`;
}

/** Runs the plan; never throws: failures become an exit code and a line on stderr. */
export async function run(p: Plan, io: Io): Promise<RunResult> {
  const say = (line: string) => io.stderr.write(`ringstream: ${line}\n`);
  let stream: Stream | undefined;
  let status: StatusLine | undefined;
  let interrupted: number | undefined;
  let xrun: XrunEvent | undefined;
  let settled = false;
  let latency: [number, number] = [0, 0];
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signalExit(signal);
    // Before any device opened (waiting for stdin), there is nothing to keep.
    if (!stream) process.exit(code);
    // Whatever ends the process from here on (even the event loop running
    // empty) ends it with the signal's status, never 0.
    process.exitCode = interrupted ?? code;
    if (interrupted !== undefined) return void stream.abort().catch(() => undefined);
    interrupted = code;
    void stream.stop().catch(() => undefined);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const r = await prepare(p, io, (s) => (stream = s));
    const { stream: s, play, rec } = r;
    latency = s.latency;
    const tasks = new Tasks(s);
    // A pipe-fed source: fill its ring before the device starts.
    let source: Source | undefined = play?.path;
    if (play?.reader) {
      const ring = feedRing(s.dtype, play.spec.channels, p.bufferSize);
      source = ring;
      let primed!: () => void;
      const full = new Promise<void>((res) => (primed = res));
      tasks.add(play.reader.feed(ring, s.dtype, () => settled || interrupted !== undefined, primed).finally(primed));
      await full;
    }
    if (p.fatalXruns) {
      s.on('xrun', (e: XrunEvent) => {
        xrun ??= e;
        void s.abort().catch(() => undefined);
      });
    }
    if (!p.quiet) {
      const columns = io.stderr.isTTY ? io.stderr.columns || 80 : undefined;
      for (const line of fitHeader(describe(p, s), 'ringstream: ', columns)) io.stderr.write(`${line}\n`);
    }
    // sox's Out: what reaches the device when playing, else what reaches the file.
    status = new StatusLine(s, r.total, io.stderr, !p.quiet, play ? 0 : r.offset);
    status.start();
    await rec?.writer?.begin();
    const job = startJob(r, source, p.loop, p.volume);
    if (rec?.writer && rec.ring) tasks.add(rec.writer.drain(rec.ring, () => settled));
    try {
      await job;
    } finally {
      settled = true;
      status.stop();
      play?.reader?.close();
      await tasks.settle();
      await rec?.writer?.end();
    }
    if (tasks.failure !== undefined && !isBrokenPipe(tasks.failure)) throw tasks.failure;
    if (!p.quiet) io.stderr.write(`${summary(s, moved(r), status.peaks, io.stderr.isTTY ? io.stderr.columns || 80 : undefined)}\n`);
    if (xrun) say(xrunLine(xrun));
    const exit = xrun ? Exit.XRUN : (interrupted ?? Exit.OK);
    return { exit, stream, peaks: status.peaks, latency };
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
