import { EventEmitter } from 'node:events';
import { NativeStream, type NativeFiles } from '../index.js';
import { arrayFor, check, defaults, type Dtype, type SampleArray } from './defaults.js';
import { codedError, ErrorCode, invalidArg, invalidType } from './errors.js';
import { describe } from './bytes.js';
import { RingBuffer } from './ring.js';
import { WavReader, type WavFormat } from './wav.js';
import { iterateChunks, type ChunksOptions } from './chunks.js';
import { toReadable, toWritable, type AdapterOptions } from './adapters.js';
import { Readable, Writable } from 'node:stream';
import { Drainer, Feeder, feedRing, type FeedOptions, type SinkFunction, type SourceFunction } from './feed.js';

// Event bits raised by the engine (crates/core/src/engine/notify.rs).
const EV_FINISHED = 1;
const EV_XRUN = 2;
const EV_ERROR = 4;
const EV_DATA = 16;

// Engine states (crates/core/src/engine/mod.rs).
const RUNNING = 1;
const FINISHED = 2;
const ABORTED = 3;

/** Faults the virtual device can inject, for tests of error paths. */
export interface VirtualFaults {
  /** Block indices (counted from start) whose callback is skipped: each is an xrun. */
  skipBlocks?: number[];
  /** Stall before block `delayBlock` for `delayMs` milliseconds (an xrun if longer than a block). */
  delayBlock?: number;
  /** See `delayBlock`. */
  delayMs?: number;
  /** Refuse to open (`ERR_DEVICE_BUSY`). */
  failOnOpen?: boolean;
  /** Disappear before this block: the stream ends with `ERR_DEVICE_NOT_FOUND`. */
  vanishAtBlock?: number;
  /**
   * Panic inside the audio callback at this block: the stream ends with `ERR_PANIC`. The one
   * fault real (cpal) hosts honour too, counted in engine calls, to test the panic path there.
   */
  panicAtBlock?: number;
}

/** Options of every stream; anything left out comes from {@link defaults}. */
export interface StreamOptions {
  /** Host name, e.g. `'virtual'`, `'alsa'`, `'jack'`. */
  host?: string;
  /** Device id (`host:name`), index into `devices({ host })`, or name substring. */
  device?: string | number;
  /** Frames per second. */
  samplerate?: number;
  /** Channels of the data; DuplexStream takes `[input, output]` too. */
  channels?: number | [number, number];
  /** Frames per callback. */
  blocksize?: number;
  /** Sample type of the data exchanged with JS (default `'float32'`). */
  dtype?: Dtype;
  /**
   * Suggested latency: seconds, `'low'` or `'high'`. Validated, but not yet
   * used: today `blocksize` sets the latency (the virtual device has one block
   * each way; real hosts ask the device for `blocksize`-frame buffers). The
   * latency in effect is {@link Stream.latency}.
   */
  latency?: number | 'low' | 'high';
  /** Frames of the rings the stream creates (a power of two). */
  bufferSize?: number;
  /**
   * One-based channel map (pastream): for an output, entry `k` names the data
   * channel that feeds device channel `k + 1`; for an input, entry `k` names
   * the data channel that device channel `k + 1` feeds. 0 = none. The device
   * is opened with `map.length` channels. Duplicates are refused.
   * DuplexStream takes `[inputMap, outputMap]`.
   */
  map?: number[] | [number[] | undefined, number[] | undefined];
  /** Virtual device pace: 1 = real time (default), 10 = ten times faster, `Infinity` = as fast as possible. */
  speed?: number;
  /** Virtual device fault injection (tests). */
  faults?: VirtualFaults;
}

/** Flags of {@link Stream.status}: what went wrong since start. */
export interface StreamStatus {
  /** Input data was missing. */
  inputUnderflow: boolean;
  /** Input data was lost (a full sink, or a late callback). */
  inputOverflow: boolean;
  /** Output had to be filled with silence: data was not there in time. */
  outputUnderflow: boolean;
  /** Output data was dropped. */
  outputOverflow: boolean;
}

/**
 * What {@link OutputStream.play} and {@link DuplexStream.playrec} can play:
 * interleaved samples of the stream's dtype, a RingBuffer of whole frames
 * that JS keeps filling, or the path of a WAV file (read on a native thread).
 */
export type Source = SampleArray | RingBuffer | string;

/**
 * Where {@link InputStream.record} and {@link DuplexStream.playrec} can
 * record to: a typed array, a RingBuffer that JS reads while recording, or
 * the path of a WAV file to create (written on a native thread).
 */
export type Sink = SampleArray | RingBuffer | string;

/** Options of {@link OutputStream.play}. */
export interface PlayOptions {
  /** Frames to play from the source; < 0 (default): until it ends. */
  frames?: number;
  /** Zero frames after the source; < 0: pad automatically up to `frames`. Default 0. */
  pad?: number;
  /** Rewind the source when it ends (typed arrays). */
  loop?: boolean;
}

/** Options of {@link InputStream.record}. */
export interface RecordOptions {
  /** Frames to process, including the `offset` dropped ones. Required unless `out` is a RingBuffer. */
  frames?: number;
  /** The first `offset` input frames are dropped. */
  offset?: number;
  /** Where to record: a typed array (filled and returned), a RingBuffer (JS reads it while recording) or a WAV path. */
  out?: Sink;
  /** Sample format of a WAV file `out` (default `'f32'`: nothing is lost). */
  format?: WavFormat;
}

/** Options of {@link DuplexStream.playrec}. */
export interface PlayrecOptions extends PlayOptions {
  /** The first `offset` input frames are dropped. */
  offset?: number;
  /** Where to record (see {@link RecordOptions.out}). */
  out?: Sink;
  /** Sample format of a WAV file `out` (default `'f32'`). */
  format?: WavFormat;
}

/** Options of {@link Stream.start}. */
export interface StartOptions {
  /**
   * With a WAV file source: wait until its ring holds this many frames
   * (`true`: full, the default) before the device starts; `false`: start at once.
   */
  prebuffer?: boolean | number;
}

type Direction = 'input' | 'output' | 'duplex';

/** @internal Resolved stream options. */
export interface Resolved {
  host: string;
  device: string | number | undefined;
  samplerate: number;
  blocksize: number;
  dtype: Dtype;
  latency: number | 'low' | 'high';
  bufferSize: number;
  inChannels: number;
  outChannels: number;
  inMap: number[] | undefined;
  outMap: number[] | undefined;
}

export function intArg(v: unknown, what: string, min = -Infinity): number {
  if (!Number.isInteger(v) || (v as number) < min) {
    throw invalidArg(`${what} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${String(v)}`);
  }
  return v as number;
}

function checkMap(map: unknown, what: string): number[] | undefined {
  if (map === undefined) return undefined;
  if (!Array.isArray(map) || map.length === 0 || !map.every((x) => Number.isInteger(x) && x >= 0)) {
    throw invalidArg(`${what} must be a non-empty array of one-based channel numbers (0 = none), got ${describe(map)}`);
  }
  const named = map.filter((x) => x > 0);
  if (new Set(named).size !== named.length) throw invalidArg(`${what} must not name a channel twice, got [${map.join(', ')}]`);
  return map as number[];
}

/** For each data channel, the one-based device channel that feeds it (from a device-indexed input map). */
export function invertInputMap(map: number[], channels: number): number[] {
  const feeds = new Array<number>(channels).fill(0);
  map.forEach((dataCh, k) => {
    if (dataCh > channels) throw invalidArg(`map names data channel ${dataCh} but the stream has ${channels} channels`);
    if (dataCh > 0) feeds[dataCh - 1] = k + 1;
  });
  return feeds;
}

function resolve(dir: Direction, o: StreamOptions): Resolved {
  if (o === null || typeof o !== 'object') throw invalidType(`options must be an object, got ${describe(o)}`);
  const ch = check.channels(o.channels ?? defaults.channels);
  if (Array.isArray(ch) && dir !== 'duplex') {
    throw invalidArg(`channels must be a number for an ${dir} stream, got [${ch.join(', ')}]`);
  }
  const [inData, outData] = Array.isArray(ch) ? ch : [ch, ch];
  let inMap: number[] | undefined;
  let outMap: number[] | undefined;
  if (o.map !== undefined) {
    if (dir === 'duplex') {
      if (!Array.isArray(o.map) || o.map.length !== 2 || !o.map.every((m) => m === undefined || Array.isArray(m))) {
        throw invalidArg('map of a DuplexStream must be [inputMap, outputMap]');
      }
      inMap = checkMap(o.map[0], 'input map');
      outMap = checkMap(o.map[1], 'output map');
    } else if (dir === 'input') {
      inMap = checkMap(o.map, 'map');
    } else {
      outMap = checkMap(o.map, 'map');
    }
  }
  if (outMap?.some((x) => x > outData)) throw invalidArg(`map names a channel above the data's ${outData} channels`);
  const speed = o.speed ?? 1;
  if (typeof speed !== 'number' || !(speed > 0)) throw invalidArg(`speed must be a number > 0 (or Infinity), got ${String(speed)}`);
  return {
    host: check.host(o.host ?? defaults.host),
    device: check.device(o.device ?? defaults.device),
    samplerate: check.samplerate(o.samplerate ?? defaults.samplerate),
    blocksize: check.blocksize(o.blocksize ?? defaults.blocksize),
    dtype: check.dtype(o.dtype ?? defaults.dtype),
    latency: check.latency(o.latency ?? defaults.latency),
    bufferSize: check.bufferSize(o.bufferSize ?? defaults.bufferSize),
    inChannels: dir === 'output' ? 0 : inData,
    outChannels: dir === 'input' ? 0 : outData,
    inMap,
    outMap,
  };
}

/**
 * What every stream has: lifecycle, counters and events. Use
 * {@link InputStream}, {@link OutputStream} or {@link DuplexStream}.
 *
 * The audio callback runs on a native thread and never waits for
 * JavaScript. JavaScript hears about the stream through events:
 * - `'xrun'` `(xruns: number, status: StreamStatus)`: an under/overflow
 *   was counted;
 * - `'finished'` `()`: the stream ended (all its work done, stopped or aborted);
 * - `'error'` `(err)`: an error ended the stream (emitted only when there is a
 *   listener; the pending play/record Promise rejects with it either way).
 */
export abstract class Stream extends EventEmitter implements AsyncDisposable {
  /** @internal */
  readonly native: NativeStream;
  /** @internal */
  readonly opts: Resolved;
  private run: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } | undefined;
  private keepAlive: ReturnType<typeof setInterval> | undefined;
  private files: NativeFiles | undefined;
  private startFiles: NativeFiles | undefined;
  private waiters: (() => void)[] = [];
  private source: { src: Source | SourceFunction; opts: FeedOptions; ring: RingBuffer | null } | undefined;
  private sink: { dst: Sink | SinkFunction; opts: FeedOptions; ring: RingBuffer | null } | undefined;
  private isClosed = false;
  /** @internal Set by stop(): JS feeders stop adding audio so the stream can drain. */
  draining = false;

  /** @internal */
  protected constructor(dir: Direction, options: StreamOptions) {
    super();
    this.opts = resolve(dir, options);
    const o = this.opts;
    const dev = o.device;
    this.native = new NativeStream(
      {
        host: o.host,
        deviceName: typeof dev === 'string' ? dev : undefined,
        deviceIndex: typeof dev === 'number' ? dev : undefined,
        samplerate: o.samplerate,
        blocksize: o.blocksize,
        inputChannels: o.inMap?.length ?? o.inChannels,
        outputChannels: o.outMap?.length ?? o.outChannels,
        latency: o.latency,
        speed: options.speed,
        faults: options.faults,
      },
      (bits: number) => this.onEvents(bits),
    );
  }

  /** Frames per second. */
  get samplerate(): number {
    return this.opts.samplerate;
  }

  /** Channels of the data: a number, or `[input, output]` for a DuplexStream. */
  get channels(): number | [number, number] {
    return this.opts.inChannels && this.opts.outChannels
      ? [this.opts.inChannels, this.opts.outChannels]
      : this.opts.inChannels || this.opts.outChannels;
  }

  /** Frames per callback. */
  get blocksize(): number {
    return this.opts.blocksize;
  }

  /** Sample type of the data exchanged with JS. */
  get dtype(): Dtype {
    return this.opts.dtype;
  }

  /** The device's id. */
  get device(): string {
    return this.native.deviceId;
  }

  /** `[input, output]` latency in seconds, as the device reports it. */
  get latency(): [number, number] {
    const [i, o] = this.native.latency;
    return [i ?? 0, o ?? 0];
  }

  /** The stream clock: the output DAC time of the latest block, in seconds. */
  get time(): number {
    return this.native.time;
  }

  /** Whether callbacks are running. */
  get active(): boolean {
    return !this.isClosed && this.native.state === RUNNING;
  }

  /** Whether callbacks are not running. */
  get stopped(): boolean {
    return !this.active;
  }

  /** Whether the last run has ended (done, stopped, aborted or failed). */
  get finished(): boolean {
    return !this.isClosed && this.native.state >= FINISHED;
  }

  /** Whether the last run was aborted. */
  get aborted(): boolean {
    return !this.isClosed && this.native.state === ABORTED;
  }

  /** Whether {@link Stream.close} was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Frames processed since start. */
  get frameCount(): number {
    return this.native.frameCount;
  }

  /** Callbacks that carried an under/overflow since start. */
  get xruns(): number {
    return this.native.xruns;
  }

  /** Under/overflow flags seen since start. */
  get status(): StreamStatus {
    const s = this.native.status;
    return {
      inputUnderflow: (s & 1) !== 0,
      inputOverflow: (s & 2) !== 0,
      outputUnderflow: (s & 4) !== 0,
      outputOverflow: (s & 8) !== 0,
    };
  }

  /**
   * Starts the stream (counters reset). Whatever was queued by play/record
   * starts with the first block.
   */
  async start(opts: StartOptions = {}): Promise<void> {
    this.checkOpen();
    if (this.active) throw invalidArg('the stream is already active');
    const pre = opts.prebuffer ?? true;
    const frames = pre === false ? 0 : pre === true ? this.opts.bufferSize : intArg(pre, 'prebuffer', 0);
    // With nothing queued by play/record/chunks, the stream runs what
    // setSource / setSink configured.
    let tasks: (Feeder | Drainer)[] = [];
    if (this.native.pendingActions === 0 && (this.source || this.sink)) {
      try {
        tasks = this.queueConfigured();
        this.startFiles = this.native.takeFiles();
      } catch (e) {
        this.native.discard();
        throw e;
      }
    }
    // The run exists from here on, so that wait() right after play() waits for it.
    this.draining = false;
    this.beginRun();
    try {
      const files = this.files ?? this.startFiles;
      if (frames > 0 && files?.any) await files.prebuffer(frames);
      for (const t of tasks) if (t instanceof Feeder) await t.fill();
      this.native.start();
    } catch (e) {
      this.native.discard();
      this.endRun(e as Error);
      throw e;
    }
    for (const t of tasks) void t.run();
  }

  /**
   * Sets what {@link Stream.start} plays when no play/playrec/chunks call
   * queued anything: a typed array, a WAV path, a RingBuffer (played until
   * stop(), silence and an xrun whenever it runs empty), or a JS function
   * (see {@link SourceFunction}) run on the JS thread with a ring of
   * `bufferSize` frames absorbing its jitter. Returns the RingBuffer in use
   * (null for typed arrays and files, which need none in JS).
   */
  setSource(src: Source | SourceFunction, opts: FeedOptions = {}): RingBuffer | null {
    this.checkOpen();
    const ch = this.opts.outChannels;
    if (ch === 0) throw invalidArg('setSource() needs a stream with output');
    let ring: RingBuffer | null = null;
    if (typeof src === 'function') ring = feedRing(this, ch, opts);
    else if (src instanceof RingBuffer) ring = src;
    else if (typeof src !== 'string') this.checkData(src, ch, 'source');
    this.source = { src, opts, ring };
    return ring;
  }

  /**
   * Sets where {@link Stream.start} records when no record/playrec/chunks
   * call queued anything: a typed array (filled from the start, up to its
   * length), a WAV path, a RingBuffer, or a JS function called with each
   * recorded block (a copy). With a source that ends, recording ends with
   * it; otherwise at stop(). Returns the RingBuffer in use (null for files).
   */
  setSink(dst: Sink | SinkFunction, opts: FeedOptions = {}): RingBuffer | null {
    this.checkOpen();
    const ch = this.opts.inChannels;
    if (ch === 0) throw invalidArg('setSink() needs a stream with input');
    let ring: RingBuffer | null = null;
    if (typeof dst === 'function') ring = feedRing(this, ch, opts);
    else if (dst instanceof RingBuffer) ring = dst;
    else if (typeof dst !== 'string') ring = feedRing(this, ch, opts);
    if (typeof dst !== 'function' && typeof dst !== 'string' && !(dst instanceof RingBuffer)) {
      this.checkData(dst, ch, 'sink');
    }
    this.sink = { dst, opts, ring };
    return dst instanceof RingBuffer ? dst : typeof dst === 'function' ? ring : null;
  }

  /** Queues the configured source and sink; returns the JS tasks that serve them. */
  private queueConfigured(): (Feeder | Drainer)[] {
    const o = this.opts;
    const tasks: (Feeder | Drainer)[] = [];
    let finite = false;
    if (this.source) {
      const { src, opts, ring } = this.source;
      const loop = opts.loop ?? false;
      if (typeof src === 'function') {
        const r = ring!;
        r.flush();
        r.setProducerDone(false);
        this.native.playRing(r.native, o.outChannels, o.dtype, o.outMap, -1, 0, Math.max(1, r.size / 4), true);
        tasks.push(new Feeder(this, r, src));
        finite = src.length === 0;
      } else if (src instanceof RingBuffer) {
        this.native.playRing(src.native, o.outChannels, o.dtype, o.outMap, -1, -1);
      } else {
        this.queuePlay(src, -1, 0, loop);
        finite = !loop;
      }
    }
    if (this.sink) {
      const { dst, ring } = this.sink;
      const ch = o.inChannels;
      const map = o.inMap ? invertInputMap(o.inMap, ch) : undefined;
      if (typeof dst === 'string') {
        this.native.recordFile(dst, 'f32', ch, map, -1, 0, finite, this.opts.bufferSize);
      } else if (dst instanceof RingBuffer) {
        this.native.recordRing(dst.native, ch, o.dtype, map, -1, 0, finite, 0, false);
      } else {
        const r = ring!;
        r.flush();
        const frames = typeof dst === 'function' ? -1 : dst.length / ch;
        this.native.recordRing(r.native, ch, o.dtype, map, frames, 0, finite && frames < 0, o.blocksize, false);
        let pos = 0;
        const fn: SinkFunction =
          typeof dst === 'function'
            ? dst
            : (chunk) => {
                dst.set(chunk as never, pos);
                pos += chunk.length;
              };
        tasks.push(new Drainer(this, r, fn));
        finite ||= frames >= 0;
      }
    }
    if (finite) this.native.finishWhenIdle();
    return tasks;
  }

  /** Lets queued playback drain, then stops. Resolves once stopped. */
  async stop(): Promise<void> {
    this.checkOpen();
    this.draining = true;
    this.wake(); // feeders see `draining` and end their source
    if (this.native.stop()) await this.run?.promise.catch(() => undefined);
    this.native.settle();
  }

  /** Stops at once, dropping whatever is queued. */
  async abort(): Promise<void> {
    this.checkOpen();
    this.native.abort();
    this.endRun();
  }

  /** Releases the device. Idempotent; any other call afterwards throws `ERR_STREAM_CLOSED`. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    if (this.native.state === RUNNING) this.native.abort();
    this.endRun();
    this.native.close();
    this.isClosed = true;
    this.wake();
  }

  /** Same as {@link Stream.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Resolves `true` when the current run has finished, `false` on timeout.
   * Rejects with the error that ended the run, if one did.
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    this.checkOpen();
    const run = this.run;
    if (!run) return true;
    if (timeoutMs === undefined) {
      await run.promise;
      return true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((res) => (timer = setTimeout(() => res(false), timeoutMs)));
    try {
      return await Promise.race([run.promise.then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Iterates over the stream's input in interleaved chunks of exactly
   * `chunksize` frames (pastream's chunks()): the first `overlap` frames of
   * the first chunk are zeros, and each chunk starts `chunksize - overlap`
   * frames after the one before. Only a final chunk, when the stream ends
   * (`frames`), may be shorter.
   *
   * Without `out`, each chunk is a view into a buffer that the next
   * iteration overwrites: copy it (`chunk.slice()`) to keep it. With `out`,
   * the chunk is copied into `out`.
   *
   * The loop body runs when the audio thread has recorded a whole new step
   * (a notification from the bridge thread; nothing polls). `break`,
   * `return`, an exception in the body or `signal` stop the stream. If the
   * loop falls behind by more than `bufferSize` frames, the iterator throws
   * `ERR_BUFFER_FULL` (or drops and flags, with `dropOnOverflow`).
   */
  chunks(opts: ChunksOptions = {}): AsyncGenerator<SampleArray, void, undefined> {
    return iterateChunks(this, opts, false);
  }

  /**
   * A Node `stream.Readable` of the input as raw interleaved PCM (the
   * stream's dtype, native byte order). Reading starts the stream; a reader
   * that falls behind by more than the ring fails with `ERR_BUFFER_FULL`.
   * It ends when the stream is stopped.
   */
  toReadable(opts: AdapterOptions = {}): Readable {
    return toReadable(this, opts);
  }

  /**
   * A Node `stream.Writable` of raw interleaved PCM (the stream's dtype,
   * native byte order) for the output, with backpressure; `end()` resolves
   * once everything written has been played. `pipeline(file, out.toWritable())`.
   */
  toWritable(opts: AdapterOptions = {}): Writable {
    return toWritable(this, opts);
  }

  /** A Web `ReadableStream` of the input as raw PCM bytes (see {@link Stream.toReadable}). */
  get readable(): ReadableStream<Uint8Array> {
    return Readable.toWeb(this.toReadable()) as ReadableStream<Uint8Array>;
  }

  /** A Web `WritableStream` of raw PCM bytes for the output (see {@link Stream.toWritable}). */
  get writable(): WritableStream<Uint8Array> {
    return Writable.toWeb(this.toWritable()) as WritableStream<Uint8Array>;
  }

  /** @internal Queues work and runs the stream until it finishes. */
  protected async runJob(queue: () => void): Promise<void> {
    this.checkOpen();
    if (this.active) throw invalidArg('the stream is already active: wait for it, stop() or abort() first');
    let runError: unknown;
    try {
      queue();
      this.native.finishWhenIdle();
      this.files = this.native.takeFiles();
      await this.start();
      await this.run!.promise;
    } catch (e) {
      this.native.discard();
      runError = e;
    }
    const files = this.files;
    this.files = undefined;
    // A reader or writer thread's error is the cause of whatever the run
    // reported (a source that ran dry after a read error): it wins.
    if (files?.any) await files.finish();
    if (runError !== undefined) throw runError;
  }

  /** @internal play(): pastream's frames / pad / loop on one source. */
  protected async playJob(source: Source, opts: PlayOptions): Promise<void> {
    const frames = intArg(opts.frames ?? -1, 'frames');
    const pad = intArg(opts.pad ?? 0, 'pad');
    await this.runJob(() => this.queuePlay(source, frames, pad, opts.loop ?? false));
  }

  /** @internal record(): `frames` minus the first `offset`. */
  protected async recordJob(opts: number | RecordOptions): Promise<Sink> {
    const o = typeof opts === 'number' ? { frames: opts } : opts;
    const frames = intArg(o.frames ?? -1, 'frames', -1);
    const offset = intArg(o.offset ?? 0, 'offset', 0);
    if (frames >= 0 && frames < offset) throw invalidArg(`frames (${frames}) must be >= offset (${offset})`);
    let finish!: () => Sink;
    await this.runJob(() => (finish = this.queueRecord(frames, offset, o.out, false, o.format)));
    return finish();
  }

  /** @internal */
  checkOpen(): void {
    if (this.isClosed) throw codedError(ErrorCode.STREAM_CLOSED, 'the stream is closed');
  }

  /** @internal A typed array of the stream's dtype. */
  checkData(data: unknown, channels: number, what: string): SampleArray {
    const T = arrayFor(this.opts.dtype);
    if (!(data instanceof T)) {
      throw invalidType(`${what} must be a ${T.name} (dtype '${this.opts.dtype}'), got ${describe(data)}`);
    }
    if (data.length % channels !== 0) {
      throw invalidArg(`${what} has ${data.length} samples, not a multiple of its ${channels} channels`);
    }
    return data;
  }

  /** @internal Queues playback of `source`. */
  queuePlay(source: Source, frames: number, pad: number, loop: boolean): void {
    const ch = this.opts.outChannels;
    const map = this.opts.outMap;
    if (typeof source === 'string') {
      this.native.playFile(source, ch, map, frames, pad, loop, this.opts.bufferSize);
      return;
    }
    if (source instanceof RingBuffer) {
      if (loop) throw invalidArg('loop needs a source that can rewind (a typed array), not a RingBuffer');
      this.native.playRing(source.native, ch, this.opts.dtype, map, frames, pad);
      return;
    }
    const data = this.checkData(source, ch, 'source');
    const f32 = data instanceof Float32Array ? data : toFloat32(data);
    this.native.playBuffer(f32, ch, map, frames, pad, loop);
  }

  /**
   * @internal Queues recording of `frames` (< 0: follow playback) minus
   * `offset` into `out` or a new typed array; returns what resolves the job.
   */
  protected queueRecord(
    frames: number,
    offset: number,
    out: Sink | undefined,
    follow: boolean,
    format: WavFormat = 'f32',
  ): () => Sink {
    const ch = this.opts.inChannels;
    const map = this.opts.inMap ? invertInputMap(this.opts.inMap, ch) : undefined;
    if (typeof out === 'string') {
      this.native.recordFile(out, format, ch, map, frames, offset, follow, this.opts.bufferSize);
      return () => out;
    }
    if (out instanceof RingBuffer) {
      this.native.recordRing(out.native, ch, this.opts.dtype, map, frames, offset, follow);
      return () => out;
    }
    if (frames < 0) {
      throw invalidArg('the length to record is unknown: give frames, or record into a RingBuffer (out)');
    }
    const total = frames - offset;
    if (out !== undefined) {
      this.checkData(out, ch, 'out');
      if (out.length < total * ch) throw invalidArg(`out holds ${out.length / ch} frames, ${total} are needed`);
    }
    const T = arrayFor(this.opts.dtype);
    const ring = new RingBuffer(T.BYTES_PER_ELEMENT * ch, 2 ** Math.ceil(Math.log2(Math.max(total, 1))));
    this.native.recordRing(ring.native, ch, this.opts.dtype, map, frames, offset, follow);
    return () => {
      const target = out ?? new T(total * ch);
      ring.readInto(target.subarray(0, total * ch));
      return target;
    };
  }

  private beginRun(): void {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A run nobody awaits must not become an unhandled rejection.
    promise.catch(() => undefined);
    this.run = { promise, resolve, reject };
    this.keepAlive ??= setInterval(() => undefined, 1 << 30);
  }

  /** @internal */
  endRun(failure?: Error): void {
    if (this.keepAlive !== undefined) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    const run = this.run;
    if (!run) return;
    const err = failure ?? (this.isClosed ? null : this.native.error());
    if (err) run.reject(err);
    else run.resolve();
  }

  /**
   * @internal Resolves at the next data, finish or error event of the
   * stream (or at once if it is closed or not running).
   */
  nextEvent(): Promise<void> {
    if (this.isClosed || this.native.state !== RUNNING) return Promise.resolve();
    return new Promise((res) => this.waiters.push(res));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private onEvents(bits: number): void {
    if (this.isClosed) return;
    if (bits & (EV_DATA | EV_FINISHED | EV_ERROR)) queueMicrotask(() => this.wake());
    if (bits & EV_XRUN) this.emit('xrun', this.xruns, this.status);
    if (bits & (EV_FINISHED | EV_ERROR) && this.native.state !== RUNNING) {
      this.native.settle();
      const err = this.native.error();
      const files = this.startFiles;
      this.startFiles = undefined;
      const done = () => {
        this.endRun();
        if (err && this.listenerCount('error') > 0) this.emit('error', err);
        this.emit('finished');
      };
      // Files written by a start()-run are complete before the run resolves;
      // a writer's error is the run's error.
      if (files?.any) files.finish().then(done, (e: Error) => (this.endRun(e), this.emit('finished')));
      else done();
    }
  }
}

function toFloat32(data: Int16Array | Int32Array): Float32Array {
  const scale = data instanceof Int16Array ? 1 / 32768 : 1 / 2147483648;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] * scale;
  return out;
}

/** Stream options matching a WAV file's rate and channels. */
function fileOptions(path: string, options: StreamOptions): StreamOptions {
  const r = WavReader.open(path);
  try {
    return { samplerate: r.samplerate, channels: r.channels, ...options };
  } finally {
    r.close();
  }
}

/** A stream that plays to a device's output. */
export class OutputStream extends Stream {
  /** Opens the device; options default to {@link defaults}. */
  constructor(options: StreamOptions = {}) {
    super('output', options);
  }

  /** An OutputStream at the sample rate and channel count of the WAV file at `path`. */
  static fromFile(path: string, options: StreamOptions = {}): OutputStream {
    return new OutputStream(fileOptions(path, options));
  }

  /**
   * Plays `source` (pastream's rules): `frames` frames from it (< 0, the
   * default: until it ends), then `pad` zero frames (< 0: pad up to
   * `frames`); resolves when played. Rejects with `ERR_BUFFER_EMPTY` if the
   * source runs dry while frames are owed (frames >= 0, pad >= 0).
   */
  async play(source: Source, opts: PlayOptions = {}): Promise<void> {
    await this.playJob(source, opts);
  }
}

/** A stream that records from a device's input. */
export class InputStream extends Stream {
  /** Opens the device; options default to {@link defaults}. */
  constructor(options: StreamOptions = {}) {
    super('input', options);
  }

  /** An InputStream at the sample rate and channel count of the WAV file at `path`. */
  static fromFile(path: string, options: StreamOptions = {}): InputStream {
    return new InputStream(fileOptions(path, options));
  }

  /**
   * Records `frames` frames and drops the first `offset`; resolves to the
   * `frames - offset` frames recorded (a new typed array of the stream's
   * dtype, or `out`). Rejects with `ERR_BUFFER_FULL` if a RingBuffer `out`
   * fills up.
   */
  async record(opts: number | RecordOptions): Promise<Sink> {
    return this.recordJob(opts);
  }
}

/** A stream that plays and records at once, sample-synchronously. */
export class DuplexStream extends Stream {
  /** Opens the device; options default to {@link defaults}. */
  constructor(options: StreamOptions = {}) {
    super('duplex', options);
  }

  /** A DuplexStream at the sample rate and channel count of the WAV file at `path` (both directions). */
  static fromFile(path: string, options: StreamOptions = {}): DuplexStream {
    return new DuplexStream(fileOptions(path, options));
  }

  /**
   * Plays `source` while recording (pastream's rules): `frames` defaults to
   * the source's length; resolves to `frames - offset + max(pad, 0)` frames.
   */
  async playrec(source: Source, opts: PlayrecOptions = {}): Promise<Sink> {
    const pad = intArg(opts.pad ?? 0, 'pad');
    const offset = intArg(opts.offset ?? 0, 'offset', 0);
    let frames = opts.frames === undefined ? -1 : intArg(opts.frames, 'frames');
    if (frames < 0 && typeof source !== 'string' && !(source instanceof RingBuffer) && !opts.loop) {
      frames = this.checkData(source, this.opts.outChannels, 'source').length / this.opts.outChannels;
    }
    if (frames >= 0 && frames < offset) throw invalidArg(`frames (${frames}) must be >= offset (${offset})`);
    const recordFrames = frames < 0 ? -1 : frames + Math.max(pad, 0);
    let finish!: () => Sink;
    await this.runJob(() => {
      this.queuePlay(source, frames, pad, opts.loop ?? false);
      finish = this.queueRecord(recordFrames, offset, opts.out, recordFrames < 0, opts.format);
    });
    return finish();
  }

  /** Plays `source` only (see {@link OutputStream.play}). */
  async play(source: Source, opts: PlayOptions = {}): Promise<void> {
    await this.playJob(source, opts);
  }

  /** Records only (see {@link InputStream.record}). */
  async record(opts: number | RecordOptions): Promise<Sink> {
    return this.recordJob(opts);
  }
}
