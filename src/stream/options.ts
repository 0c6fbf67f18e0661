import { checkBufferHoldsBlock, type NativeStreamOptions } from '../native/addon.js';
import { check, defaults, type Dtype } from '../device/defaults.js';
import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { checkBoolean, checkInteger, checkOptions, checkString } from '../common/validate.js';
import { maps, pairOption } from './directions.js';

/** Faults the virtual device can inject, for tests of error paths. */
export interface VirtualFaults {
  /** Block indices (counted from start) whose callback is skipped: each is an xrun. */
  skipBlocks?: number[];
  /** Stall before block `delayBlock` for `delayMs` milliseconds (an xrun if longer than the latency). */
  delayBlock?: number;
  /** See `delayBlock`. */
  delayMs?: number;
  /** Refuse to open (`ERR_DEVICE_BUSY`). */
  failOnOpen?: boolean;
  /** Disappear before this block: the stream ends with `ERR_DEVICE_NOT_FOUND`. */
  vanishAtBlock?: number;
  /**
   * Stop calling back before this block, without a word (as an ALSA device does when the JACK
   * server under it dies): the watchdog ends the stream with `ERR_DEVICE_NOT_FOUND`.
   */
  stallAtBlock?: number;
  /**
   * Panic inside the audio callback at this block: the stream ends with `ERR_PANIC`. The one
   * fault real (cpal) hosts honour too, counted in engine calls, to test the panic path there.
   */
  panicAtBlock?: number;
  /**
   * The card's clock error in parts per million: the virtual card runs `samplerate * (1 + ppm / 1e6)`
   * frames per real second while reporting `samplerate`, as a card whose crystal is off does (to
   * test clock drift). Within ±100000 (the core's limit); 0 by default.
   *
   * @example
   * ```ts
   * import { OutputStream } from 'ringstream';
   * const out = new OutputStream({ device: 'virtual:null', channels: 1, faults: { clockOffsetPpm: 1000 } });
   * out.close();
   * ```
   */
  clockOffsetPpm?: number;
}

/**
 * Options of every stream; anything left out comes from {@link defaults}.
 * Each kind takes its own shape of them: {@link InputStreamOptions},
 * {@link OutputStreamOptions}, {@link DuplexStreamOptions}. `D` is the
 * `dtype` given, which types the samples the stream exchanges.
 */
export interface StreamOptions<D extends Dtype = Dtype> {
  /**
   * Host name, e.g. `'virtual'`, `'alsa'`, `'jack'`. Left out (and
   * `defaults.host` unset): the host a device id names (`'alsa:loopback'`
   * opens on ALSA), else the system's default host (ALSA's `default` on
   * Linux, as sounddevice does). Where no real device exists, the stream
   * falls back to `virtual:loopback` and says so once with a process warning.
   */
  host?: string;
  /**
   * Device: an id from {@link devices} (`host:name`, which names its host),
   * an index into `devices({ host })`, or a name substring looked up in
   * `host` (or `defaults.host`, or the system's default host). A
   * DuplexStream takes `[input, output]` too (pastream): both must name the
   * same device (a duplex stream runs one device on one clock); two devices
   * are `ERR_UNSUPPORTED_CONFIG` saying so.
   */
  device?: string | number | [string | number, string | number];
  /** Frames per second. */
  samplerate?: number;
  /** Channels of the data; DuplexStream takes `[input, output]` too. */
  channels?: number | [number, number];
  /**
   * Frames per callback: the callback always sees exactly this many, whatever
   * the device's own period. 0 lets the host choose (pastream's
   * `blocksize=0`), once, at open: the virtual devices' own block of 512
   * frames; on the other hosts the device's period for the latency asked
   * (JACK: the server's buffer size; a duplex stream: its output's period):
   * `stream.blocksize` then says what it chose, and every block has that size.
   */
  blocksize?: number;
  /** Sample type of the data exchanged with JS (default `'float32'`). */
  dtype?: D;
  /**
   * Suggested latency, each way: seconds, `'low'` or `'high'` (PortAudio's
   * suggestedLatency). On cpal hosts the device is asked for the buffer that
   * gives it; the virtual device delays by it (`'low'`: two blocks and at
   * least 20 ms, `'high'`: at least 100 ms), so that its loopback round trip
   * equals the input plus output latency. The latency in effect is
   * {@link Stream.latency}. A DuplexStream takes `[input, output]` too
   * (pastream): each direction is asked for its own.
   */
  latency?: number | 'low' | 'high' | [number | 'low' | 'high', number | 'low' | 'high'];
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
  /**
   * Whether the engine converts when the device cannot run at `samplerate`
   * or open the stream's channel count (default `true`): the device then
   * runs at its own rate and channels and the stream still sees its own
   * (band-limited rate conversion, its delay included in
   * {@link Stream.latency}; see {@link Stream.deviceFormat}). `false` keeps
   * the device's refusal, `ERR_UNSUPPORTED_CONFIG` naming what it offers.
   */
  convert?: boolean;
  /**
   * Whether the stream's frames are paced by a clock other than the
   * device's (default `false`): a producer writing in real time, a network
   * source, a reader on the system clock. The engine then converts between
   * the device's clock and the stream's, even at equal rates, steered by
   * the fill of the RingBuffer the stream plays from (output; a duplex
   * stream follows its output) or records into (input), which it holds
   * half full: as far from running dry as from overflowing. The correction
   * is slow (about a minute to settle), within 1% of pitch, and finds the
   * clocks' offset ({@link Stream.driftPpm}). A file or an array has no
   * clock and is played as is. Needs conversion: with `convert: false` it
   * is `ERR_INVALID_ARG`.
   *
   * @example
   * ```ts
   * import { OutputStream, RingBuffer } from 'ringstream';
   * const out = new OutputStream({ device: 'virtual:null', channels: 1, driftCorrection: true });
   * const ring = RingBuffer.forFrames(1, 32768);
   * ring.write(new Float32Array(16384)); // half full: where the correction holds it
   * const played = out.play(ring, { untilDone: true });
   * ring.setProducerDone(true);
   * await played;
   * console.log(out.driftPpm); // the device's offset in ppm, near 0 after so short a run
   * await out.close();
   * ```
   */
  driftCorrection?: boolean;
  /**
   * How a stream with fewer channels than its device opens maps them:
   * `'first'` (default: stream channel `k` is device channel `k`, so mono is
   * channel 1) or `'average'` (mono only: the average of the device's input
   * channels; the output goes to every device channel).
   */
  mix?: 'first' | 'average';
  /** Virtual device pace: 1 = real time (default), 10 = ten times faster, `Infinity` = as fast as possible. */
  speed?: number;
  /** Virtual device fault injection (tests). */
  faults?: VirtualFaults;
}

/** Options of an {@link InputStream}: one channel count, one map. */
export interface InputStreamOptions<D extends Dtype = Dtype> extends Omit<StreamOptions<D>, 'channels' | 'map'> {
  /** Channels of the data. */
  channels?: number;
  /** One-based channel map: entry `k` names the data channel that device channel `k + 1` feeds (0 = none). */
  map?: number[];
  /**
   * Record what the device plays instead of its input: `device` is an output
   * that {@link devices} lists with `loopback: true` (a PipeWire sink, a
   * PulseAudio sink through its `.monitor` source); left out, the host's
   * default output. A device that cannot be recorded is refused with
   * `ERR_UNSUPPORTED_CONFIG`. Default `false`.
   */
  loopback?: boolean;
}

/** Options of an {@link OutputStream}: one channel count, one map. */
export interface OutputStreamOptions<D extends Dtype = Dtype> extends Omit<StreamOptions<D>, 'channels' | 'map'> {
  /** Channels of the data. */
  channels?: number;
  /** One-based channel map: entry `k` names the data channel that feeds device channel `k + 1` (0 = none). */
  map?: number[];
}

/** Options of a {@link DuplexStream}: channels and maps of both directions. */
export interface DuplexStreamOptions<D extends Dtype = Dtype> extends Omit<StreamOptions<D>, 'channels' | 'map'> {
  /** Channels of the data: one count for both directions, or `[input, output]`. */
  channels?: number | [number, number];
  /** `[inputMap, outputMap]` (see {@link InputStreamOptions.map} and {@link OutputStreamOptions.map}). */
  map?: [number[] | undefined, number[] | undefined];
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
 * What a `'devicechange'` event carries: a stream that follows the
 * desktop's default (`pipewire:default`) was moved by the host to the new
 * default output.
 */
export interface DeviceChangeEvent {
  /** The id of the device the stream plays to now (`'pipewire:<node name>'`). */
  device: string;
}

/** What an `'xrun'` event carries: every xrun is accounted for, even when events coalesce. */
export interface XrunEvent {
  /** Xruns (callbacks with an under/overflow) since the previous event (>= 1). */
  xruns: number;
  /** Xruns since start: the sum of every event's `xruns`. */
  total: number;
  /** Frames lost (silence played in place of data, input dropped) since the previous event. */
  framesLost: number;
  /** The stream time when the event was emitted, in seconds. */
  time: number;
  /** Flags seen since start. */
  status: StreamStatus;
}

export type { Source, Sink, Recorded, PlayOptions, RecordOptions, PlayrecOptions, StartOptions } from './call-options.js';

/** Option names of every public options object, for the unknown-name check. */
export const KNOWN = {
  stream: [
    'host',
    'device',
    'samplerate',
    'channels',
    'blocksize',
    'dtype',
    'latency',
    'bufferSize',
    'map',
    'convert',
    'driftCorrection',
    'mix',
    'speed',
    'faults',
    'loopback',
  ],
  faults: ['skipBlocks', 'delayBlock', 'delayMs', 'failOnOpen', 'vanishAtBlock', 'stallAtBlock', 'panicAtBlock', 'clockOffsetPpm'],
  play: ['frames', 'pad', 'loop', 'untilDone', 'gain', 'offset'],
  record: ['frames', 'offset', 'out', 'format', 'fileFormat'],
  playrec: ['frames', 'pad', 'loop', 'untilDone', 'gain', 'offset', 'out', 'format', 'fileFormat'],
  start: ['prebuffer'],
} as const;

/** @internal Which directions a stream has. */
export type Direction = 'input' | 'output' | 'duplex';

/** @internal Resolved stream options. */
export interface Resolved {
  /** The host the caller named. */
  host: string | undefined;
  /** `defaults.host` when the stream was opened. */
  defaultHost: string | undefined;
  /** The device (a duplex stream's output device when `inDevice` is set). */
  device: string | number | undefined;
  /** A duplex stream's input device, from a `[input, output]` pair. */
  inDevice: string | number | undefined;
  samplerate: number;
  blocksize: number;
  dtype: Dtype;
  /** The latency (the output's when `inLatency` is set). */
  latency: number | 'low' | 'high';
  /** A duplex stream's input latency, from a `[input, output]` pair. */
  inLatency: number | 'low' | 'high' | undefined;
  bufferSize: number;
  inChannels: number;
  outChannels: number;
  inMap: number[] | undefined;
  outMap: number[] | undefined;
  /** Record what the device plays (input streams; the core refuses it elsewhere). */
  loopback: boolean;
  convert: boolean;
  /** Checked against `convert` by the core when the stream opens. */
  driftCorrection: boolean;
  /** Checked by the core when the stream opens. */
  mix: string | undefined;
}

/** @internal An integer option (negative ones allowed unless `min` says otherwise). */
export function intArg(v: unknown, what: string, min = Number.MIN_SAFE_INTEGER): number {
  return checkInteger(v, what, min);
}

function checkFaults(faults: VirtualFaults): void {
  const f = checkOptions(faults, KNOWN.faults, 'faults');
  if (f.skipBlocks !== undefined) {
    if (!Array.isArray(f.skipBlocks))
      throw invalidType(`faults.skipBlocks must be an array of block indices, got ${describe(f.skipBlocks)}`);
    f.skipBlocks.forEach((b, i) => intArg(b, `faults.skipBlocks[${i}]`, 0));
  }
  for (const k of ['delayBlock', 'vanishAtBlock', 'stallAtBlock', 'panicAtBlock'] as const)
    if (f[k] !== undefined) intArg(f[k], `faults.${k}`, 0);
  if (f.delayMs !== undefined && !(typeof f.delayMs === 'number' && f.delayMs >= 0)) {
    throw invalidArg(`faults.delayMs must be milliseconds >= 0, got ${describe(f.delayMs)}`);
  }
  // The range is the core's rule (checked at open); here only the type.
  if (f.clockOffsetPpm !== undefined && !(typeof f.clockOffsetPpm === 'number' && Number.isFinite(f.clockOffsetPpm))) {
    throw invalidType(`faults.clockOffsetPpm must be a finite number of parts per million, got ${describe(f.clockOffsetPpm)}`);
  }
  if (f.failOnOpen !== undefined && typeof f.failOnOpen !== 'boolean') {
    throw invalidType(`faults.failOnOpen must be a boolean, got ${describe(f.failOnOpen)}`);
  }
}

/** @internal Stream options with defaults filled in, checked. */
export function resolve(dir: Direction, options: StreamOptions): Resolved {
  const o = checkOptions(options, KNOWN.stream, 'stream options');
  // Only an InputStream's options declare it; the core refuses it on other streams.
  const { loopback } = options as InputStreamOptions;
  if (o.faults !== undefined) checkFaults(o.faults);
  const ch = check.channels(o.channels ?? defaults.channels);
  if (Array.isArray(ch) && dir !== 'duplex') {
    throw invalidArg(`channels must be a number for an ${dir} stream, got [${ch.join(', ')}]`);
  }
  const [inData, outData] = Array.isArray(ch) ? ch : [ch, ch];
  const [inMap, outMap] = maps(dir, o.map);
  const speed = o.speed ?? 1;
  if (typeof speed !== 'number' || !(speed > 0)) throw invalidArg(`speed must be a number > 0 (or Infinity), got ${describe(speed)}`);
  const [inDevice, device] = pairOption(o.device, dir, 'device', check.device);
  const [inLatency, latency] = pairOption(o.latency, dir, 'latency', check.latency);
  const blocksize = check.blocksize(o.blocksize ?? defaults.blocksize);
  const bufferSize = check.bufferSize(o.bufferSize ?? defaults.bufferSize);
  // A host-chosen block (0) is checked against the buffer once the stream opened.
  if (blocksize !== 0) checkBufferHoldsBlock(bufferSize, blocksize);
  return {
    host: o.host === undefined ? undefined : check.host(o.host),
    defaultHost: defaults.host,
    device: device === undefined ? check.device(defaults.device) : device,
    inDevice,
    samplerate: check.samplerate(o.samplerate ?? defaults.samplerate),
    blocksize,
    dtype: check.dtype(o.dtype ?? defaults.dtype),
    latency: latency === undefined ? check.latency(defaults.latency) : latency,
    inLatency,
    bufferSize,
    inChannels: dir === 'output' ? 0 : inData,
    outChannels: dir === 'input' ? 0 : outData,
    inMap,
    outMap,
    loopback: loopback === undefined ? false : checkBoolean(loopback, 'loopback'),
    convert: checkBoolean(o.convert ?? true, 'convert'),
    driftCorrection: checkBoolean(o.driftCorrection ?? false, 'driftCorrection'),
    mix: o.mix === undefined ? undefined : checkString(o.mix, 'mix'),
  };
}

/** @internal What the native stream is opened with. */
export function nativeOptions(o: Resolved, options: StreamOptions): NativeStreamOptions {
  const f = options.faults;
  return {
    host: o.host,
    defaultHost: o.defaultHost,
    deviceName: typeof o.device === 'string' ? o.device : undefined,
    deviceIndex: typeof o.device === 'number' ? o.device : undefined,
    samplerate: o.samplerate,
    blocksize: o.blocksize,
    inputChannels: o.inChannels,
    outputChannels: o.outChannels,
    inputMap: o.inMap,
    outputMap: o.outMap,
    latency: o.latency,
    inputLatency: o.inLatency,
    inputDeviceName: typeof o.inDevice === 'string' ? o.inDevice : undefined,
    inputDeviceIndex: typeof o.inDevice === 'number' ? o.inDevice : undefined,
    loopback: o.loopback,
    convert: o.convert,
    driftCorrection: o.driftCorrection,
    mix: o.mix,
    speed: options.speed,
    faults: f && {
      skipBlocks: f.skipBlocks,
      delayBlock: f.delayBlock,
      delayMs: f.delayMs,
      failOnOpen: f.failOnOpen,
      vanishAtBlock: f.vanishAtBlock,
      stallAtBlock: f.stallAtBlock,
      panicAtBlock: f.panicAtBlock,
      clockOffsetPpm: f.clockOffsetPpm,
    },
  };
}
