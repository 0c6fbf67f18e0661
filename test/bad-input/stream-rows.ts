// Bad-input rows of the streams, the Mixer and the Monitor.
import {
  chunks,
  DuplexStream,
  InputStream,
  Mixer,
  MixerAndRecorder,
  Monitor,
  OutputStream,
  RingBuffer,
  serveMonitor,
  type Stream,
  WorkerMonitor,
} from '../../src/index';
import { loopbackRows } from './loopback-rows';
import { BAD_COUNTS, bad, detachedFloat32, each, NOT_NUMBERS, NOT_OPTIONS, sharedFloat32, type Row } from './values';

const I = 'ERR_INVALID_ARG';
const C = 'ERR_STREAM_CLOSED';
const OPTION_NUMBERS = ['samplerate', 'channels', 'blocksize', 'bufferSize'];
const fast = { device: 'virtual:null', channels: 2, blocksize: 64, speed: Infinity };

/** Makes streams that the runner closes after each row. */
export type Track = <T extends Stream>(s: T) => T;

/** Runs the first step of an async iterator (a chunks() loop). */
const first = (it: AsyncGenerator<unknown>) => it.next().finally(() => it.return(undefined));

export function streamRows(track: Track, file: (name: string) => string): Row[] {
  const out = () => track(new OutputStream(fast));
  const inp = () => track(new InputStream(fast));
  const dup = () => track(new DuplexStream(fast));
  const closed = () => {
    const s = new DuplexStream(fast);
    void s.close();
    return s;
  };
  const started = async () => {
    const m = track(new MixerAndRecorder(fast));
    await m.start();
    return m;
  };
  const mixer = () => track(new MixerAndRecorder(fast));
  /** A ring a stream plays from (or records into): its run is queued, so the stream holds that side. */
  const busyRing = (side: 'play' | 'record') => {
    const rb = RingBuffer.forFrames(2, 64);
    const run: Promise<unknown> = side === 'play' ? out().play(rb) : inp().record({ out: rb, frames: 64 });
    void run.catch(() => undefined);
    return rb;
  };
  const open = (o: unknown) => track(new DuplexStream(bad(o)));
  return [
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input: 'opts not an object (string, number, BigInt, null, array)',
      code: I,
      error: 'TypeError',
      says: /options must be an object/,
      tries: [...each(NOT_OPTIONS, (v) => open(v)), ...each(NOT_OPTIONS, (v) => track(new Mixer(v)))],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input: 'an unknown option name (sampleRate, blockSize, bufsize)',
      code: I,
      error: 'RangeError',
      says: /unknown option '\w+'.*did you mean/,
      tries: [() => open({ sampleRate: 48000 }), () => open({ blockSize: 64 }), () => track(new Mixer(bad({ bufsize: 1024 })))],
    },
    {
      call: 'stream, job, chunks and Mixer options',
      input: "a Python seed's option name ringstream does not take (blocking, buffersize, atleast_2d, qsize, txmapping)",
      code: I,
      error: 'RangeError',
      says: /unknown option '\w+' in .*: (every call returns a Promise|the ring size is the stream option bufferSize|chunks are always interleaved|the Mixer's action queue|use map)/,
      tries: [
        () => out().play(new Float32Array(4), bad({ blocking: true })),
        () => inp().record(bad({ frames: 4, buffersize: 1024 })),
        () => first(inp().chunks(bad({ chunksize: 64, atleast_2d: true }))),
        () => track(new Mixer(bad({ qsize: 512 }))),
        () => out().play(new Float32Array(4), bad({ txmapping: [1] })),
      ],
    },
    {
      call: 'stream.play(source, { offset })',
      input: 'offset negative, a fraction or NaN; past the end of the array; with a RingBuffer source (it cannot skip)',
      code: I,
      says: /offset|RingBuffer source cannot skip/,
      tries: [
        ...each([-1, 0.5, NaN], (v) => out().play(new Float32Array(4), { offset: v })),
        () => out().play(new Float32Array(4), { offset: 3 }),
        () => out().play(new RingBuffer(8, 64), { offset: 1 }),
      ],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input:
        'samplerate, channels, blocksize or bufferSize not a number (string, BigInt, object, boolean, symbol; null or undefined mean the default)',
      code: I,
      error: 'TypeError',
      says: /(samplerate|channels|blocksize|bufferSize) must be a number/,
      tries: OPTION_NUMBERS.flatMap((k) =>
        each(
          NOT_NUMBERS.filter((v) => v !== null),
          (v) => open({ ...fast, [k]: v }),
        ),
      ),
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input:
        'samplerate, channels, blocksize or bufferSize NaN, fraction, negative, 0 (blocksize 0 lets the host choose), Infinity or too large (samplerate 1000 to 768000, bufferSize a power of 2 up to 2^26)',
      code: I,
      error: 'RangeError',
      says: /samplerate|channels|blocksize|bufferSize/,
      tries: [
        ...each([...BAD_COUNTS, 0, 1e9], (v) => open({ ...fast, samplerate: v })),
        ...each([...BAD_COUNTS, 0, 2 ** 32, [2, 0]], (v) => open({ ...fast, channels: v })),
        ...each([...BAD_COUNTS, 2 ** 40], (v) => open({ ...fast, blocksize: v })),
        ...each([...BAD_COUNTS, 0, 1000, 2 ** 27], (v) => open({ ...fast, bufferSize: v })),
      ],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input:
        "dtype not 'float32', 'int16' or 'int32' (a Mixer: not 'float32'); latency not 'low', 'high' or seconds >= 0; speed not > 0; map of the wrong shape; device '', a fraction or an index outside 0 to 2^32-1; host not a string",
      code: I,
      says: /dtype|latency|speed|map|device|host/,
      tries: [
        ...each(['float64', 5], (v) => open({ ...fast, dtype: v })),
        () => track(new Mixer({ ...fast, dtype: 'int16' as never })),
        ...each(['medium', -1, NaN, Infinity], (v) => open({ ...fast, latency: v })),
        ...each([0, -1, NaN, '2', 2n], (v) => open({ ...fast, speed: v })),
        ...each([[1, 2], 'ab', [[1.5], [1]]], (v) => open({ ...fast, map: v })),
        ...each(['', -1, 1.5, 2 ** 40], (v) => open({ ...fast, device: v })),
        ...each([5, ''], (v) => open({ ...fast, host: v })),
      ],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input: "convert not a boolean; mix not a string, or not 'first' or 'average' (or 'average' for more than one channel)",
      code: I,
      says: /convert must be a boolean|mix must be a string|mix must be 'first' or 'average'|mix 'average' needs a mono stream/,
      tries: [
        ...each([1, 'yes'], (v) => open({ ...fast, convert: v })),
        ...each(['sum', 5, ''], (v) => open({ ...fast, mix: v })),
        () => track(new InputStream({ device: 'virtual:stereo48', samplerate: 16000, channels: 2, mix: 'average', speed: Infinity })),
      ],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder, chunks()',
      input: 'driftCorrection not a boolean, or true with convert: false (correction converts)',
      code: I,
      says: /driftCorrection must be a boolean|driftCorrection: true cannot work with convert: false: correction converts/,
      tries: [
        ...each([1, 'yes'], (v) => open({ ...fast, driftCorrection: v })),
        () => open({ ...fast, driftCorrection: true, convert: false }),
        () => track(new InputStream({ ...fast, driftCorrection: true, convert: false })),
        () => track(new DuplexStream({ ...fast, driftCorrection: true, convert: false })),
        () => track(new Mixer({ ...fast, driftCorrection: true, convert: false })),
        () => first(chunks({ ...fast, chunksize: 64, driftCorrection: 'on' as never })),
      ],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input: 'faults.clockOffsetPpm not a finite number, or outside -100000 to 100000',
      code: I,
      says: /faults\.clockOffsetPpm must be a/,
      tries: [
        ...each(['5', NaN, Infinity, 1n], (v) => open({ ...fast, faults: { clockOffsetPpm: v } })),
        ...each([100001, -2e5], (v) => open({ ...fast, faults: { clockOffsetPpm: v } })),
      ],
    },
    {
      call: 'new InputStream / OutputStream / DuplexStream(opts), Mixer, Recorder, MixerAndRecorder',
      input: "a device or host that does not exist ('virtual:nope', index 99, host 'nope')",
      code: 'ERR_DEVICE_NOT_FOUND',
      error: 'Error',
      tries: [
        () => open({ ...fast, device: 'virtual:nope' }),
        () => open({ ...fast, host: 'virtual', device: 99 }),
        () => track(new DuplexStream({ host: 'nope' })),
      ],
    },
    {
      call: 'new InputStream / OutputStream(opts)',
      input: 'device or latency as an [input, output] pair (only a DuplexStream has two directions)',
      code: I,
      says: /(device|latency) must be one value for an (input|output) stream/,
      tries: [
        () => track(new InputStream(bad({ ...fast, device: ['virtual:null', 'virtual:null'] }))),
        () => track(new OutputStream(bad({ ...fast, latency: ['low', 'high'] }))),
      ],
    },
    {
      call: 'new DuplexStream(opts)',
      input: 'a device or latency pair of another length, with a value left out, or with a bad value',
      code: I,
      says: /pair|device must be|latency must be/,
      tries: [
        () => track(new DuplexStream(bad({ ...fast, device: ['virtual:null'] }))),
        () => track(new DuplexStream(bad({ ...fast, latency: [0.1, 0.1, 0.1] }))),
        () => track(new DuplexStream(bad({ ...fast, device: [undefined, 'virtual:null'] }))),
        () => track(new DuplexStream(bad({ ...fast, latency: ['low', 'medium'] }))),
      ],
    },
    {
      call: 'new DuplexStream(opts)',
      input: "device: [input, output] naming two devices ('virtual:loopback', 'virtual:null')",
      code: 'ERR_UNSUPPORTED_CONFIG',
      error: 'Error',
      says: /needs two devices on one clock, which no host here runs/,
      tries: [() => track(new DuplexStream({ ...fast, device: ['virtual:loopback', 'virtual:null'] }))],
    },
    ...loopbackRows(track, fast),
    {
      call: 'InputStream / OutputStream / DuplexStream.fromFile(path, opts)',
      input: 'path not a string; a missing file; a file that is not WAV',
      code: I,
      says: /path/,
      tries: each([5, null, undefined], (v) => OutputStream.fromFile(v)),
    },
    {
      call: 'InputStream / OutputStream / DuplexStream.fromFile(path, opts)',
      input: 'a missing file',
      code: 'ERR_IO',
      error: 'Error',
      tries: [() => OutputStream.fromFile('/nonexistent/x.wav'), () => InputStream.fromFile(file('missing.wav'))],
    },
    {
      call: 's.start(opts)',
      input: 'an unknown option; prebuffer not a boolean or frames >= 0',
      code: I,
      says: /prebuffer|unknown option|options/,
      tries: [
        () => out().start(bad({ prebufer: true })),
        ...each([-1, 1.5, 'yes'], (v) => out().start({ prebuffer: v })),
        ...each(NOT_OPTIONS, (v) => out().start(v)),
      ],
    },
    {
      call: 's.start(opts)',
      input: 'a stream already started, or still starting (a second start() not awaited)',
      code: I,
      says: /already active/,
      tries: [
        async () => (await started()).start(),
        async () => {
          const s = out();
          const a = s.start();
          try {
            await s.start();
          } finally {
            await a;
          }
        },
      ],
    },
    {
      call: 'any stream method after close() (start, stop, abort, wait, play, record, playrec, chunks, setSource, setSink, toReadable, Mixer actions, Monitor)',
      input: 'a closed stream',
      code: C,
      error: 'Error',
      says: /closed/,
      tries: [
        () => closed().start(),
        () => closed().stop(),
        () => closed().abort(),
        () => closed().wait(),
        () => closed().play(new Float32Array(2)),
        () => closed().record(10),
        () => closed().playrec(new Float32Array(2)),
        () => first(closed().chunks()),
        () => closed().setSource(new Float32Array(2)),
        () => closed().setSink(new Float32Array(2)),
        () => closed().toReadable(),
        () => closedMixer().playBuffer(new Float32Array(2), 1),
        () => new Monitor(closed(), () => undefined),
      ],
    },
    {
      call: 'out.play(source, opts) / dup.playrec(source, opts) / s.setSource(source)',
      input:
        "source not a typed array of the stream's dtype, a WAV path, a RingBuffer or a function (Float64Array, array, number, null, undefined), or detached",
      code: I,
      error: 'TypeError',
      says: /source|Float32Array/,
      tries: [
        ...each([new Float64Array(4), [0, 0], 5, null, undefined, detachedFloat32()], (v) => out().play(v)),
        ...each([new Int16Array(4), {}], (v) => dup().playrec(v)),
        ...each([5, null], (v) => dup().setSource(v)),
      ],
    },
    {
      call: 'out.play(source, opts) / dup.playrec(source, opts) / s.setSource(source)',
      input:
        "source not whole frames; opts not an object or an unknown key; frames or pad NaN, fraction, Infinity; loop or untilDone not a boolean; loop with a RingBuffer; a path '' or with NUL",
      code: I,
      says: /frames|channels|options|unknown option|pad|loop|untilDone|path/,
      tries: [
        () => out().play(new Float32Array(3)),
        ...each([...NOT_OPTIONS, { frame: 1 }], (v) => out().play(new Float32Array(2), v)),
        ...each([NaN, 1.5, Infinity, '1'], (v) => out().play(new Float32Array(2), { frames: v })),
        ...each([NaN, 0.5], (v) => out().play(new Float32Array(2), { pad: v })),
        () => out().play(RingBuffer.forFrames(2, 16), { loop: true }),
        () => out().play(new Float32Array(2), bad({ loop: 'yes' })),
        () => out().play(RingBuffer.forFrames(2, 16), bad({ untilDone: 1 })),
        () => out().play(''),
        () => out().play('a\0b.wav'),
        () => {
          const s = out();
          s.setSource(new Float32Array(2), bad({ loop: 'x' }));
          return s.start();
        },
      ],
    },
    {
      call: 'out.play(source, opts) / dup.playrec(source, opts)',
      input: "gain not a number ('2', null), or NaN or an infinity",
      code: I,
      says: /gain/,
      tries: [
        ...each(['2', null, NaN, Infinity, -Infinity], (v) => out().play(new Float32Array(2), bad({ gain: v }))),
        () => dup().playrec(new Float32Array(2), { gain: Number.NaN }),
      ],
    },
    {
      call: 'out.play(source, opts)',
      input: 'gain 0, negative (inverts, as sox -v -1) or large (clips, counted)',
      code: 'accepted',
      tries: each([0, -1, 1e6], (v) => out().play(new Float32Array(2), { gain: v })),
    },
    {
      call: 'out.play(source) / dup.playrec(source) / s.setSource(source)',
      input: 'source a Float32Array over a SharedArrayBuffer (copied in)',
      code: 'accepted',
      tries: [() => out().play(sharedFloat32(64)), () => dup().playrec(sharedFloat32(64)), () => dup().setSource(sharedFloat32(64))],
    },
    {
      call: 'out.play(path)',
      input: 'a missing WAV file',
      code: 'ERR_IO',
      error: 'Error',
      tries: [() => out().play('/nonexistent/x.wav')],
    },
    {
      call: 'inp.record(frames or opts) / dup.playrec(source, opts)',
      input: 'frames not a number; NaN, fraction, Infinity, below -1; offset negative or past frames; no length at all',
      code: I,
      says: /frames|offset|length/,
      tries: [
        ...each([...NOT_NUMBERS.slice(0, 2), NaN, 1.5, Infinity, -2], (v) => inp().record(v)),
        () => inp().record({ frames: 10, offset: 20 }),
        () => inp().record({ offset: -1, frames: 5 }),
        () => inp().record(bad(undefined)),
        () => inp().record({}),
      ],
    },
    {
      call: 'inp.record(frames or opts) / dup.playrec(source, opts)',
      input:
        "more frames than a ring holds (2^40); out not of the dtype, too short or not whole frames, or a path '' or with NUL; format or fileFormat not a string; format or fileFormat with an out that is not a path; an unknown key",
      code: I,
      says: /frames|out|unknown option|format|fileFormat/,
      tries: [
        () => inp().record(2 ** 40),
        () => inp().record({ out: bad(new Float64Array(4)) }),
        () => inp().record({ frames: 10, out: new Float32Array(4) }),
        () => inp().record({ out: new Float32Array(3) }),
        () => inp().record(bad({ frame: 10 })),
        () => dup().playrec(new Float32Array(2), bad({ offest: 1 })),
        () => inp().record({ frames: 4, out: '' }),
        ...each([5, null], (v) => inp().record({ frames: 4, out: '/tmp/never.wav', format: v })),
        () => inp().record({ frames: 4, out: '/tmp/never', fileFormat: bad(5) }),
        () => inp().record({ frames: 4, fileFormat: 'flac' }),
        () => inp().record({ out: RingBuffer.forFrames(2, 64), fileFormat: 'flac' }),
        () => inp().record({ out: RingBuffer.forFrames(2, 64), format: 'pcm_16' }),
        () => inp().record({ frames: 4, format: 'pcm_16' }),
      ],
    },
    {
      call: 'inp.record({ out, format, fileFormat })',
      input:
        "format not an encoding ('mp3'), or one the file's format cannot hold (µ-law AIFF, pcm_s8 WAV); a path naming a format not written (.mp3) or none (.opus); fileFormat unknown, lossy, or contradicting the extension",
      code: 'ERR_UNSUPPORTED_FORMAT',
      error: 'Error',
      says: /encoding must be one of|AIFF files|WAV files are written as|can be read but not written|cannot tell which format|format must be one of|names a/,
      tries: [
        () => inp().record({ frames: 4, out: '/tmp/never.mp3' }),
        () => inp().record({ frames: 4, out: '/tmp/never.opus' }),
        () => inp().record({ frames: 4, out: '/tmp/never', fileFormat: bad('opus') }),
        () => inp().record({ frames: 4, out: '/tmp/never', fileFormat: 'ogg' }),
        () => inp().record({ frames: 4, out: '/tmp/never.wav', fileFormat: 'flac' }),
        () => inp().record({ frames: 4, out: '/tmp/never.wav', format: bad('mp3') }),
        () => inp().record({ frames: 4, out: '/tmp/never.aiff', format: 'ulaw' }),
        () => inp().record({ frames: 4, out: '/tmp/never.wav', format: 'pcm_s8' }),
      ],
    },
    {
      call: 'inp.record({ out })',
      input: 'out a Float32Array over a SharedArrayBuffer (copied out)',
      code: 'accepted',
      tries: [() => inp().record({ out: sharedFloat32(64) })],
    },
    {
      call: 's.wait(timeoutMs)',
      input: 'not a number; NaN, negative',
      code: I,
      says: /timeoutMs/,
      tries: [...each(['10', 10n, null, {}], (v) => dup().wait(v)), ...each([NaN, -1, -Infinity], (v) => dup().wait(v))],
    },
    {
      call: 's.chunks(opts) / chunks(opts)',
      input:
        'an unknown key; chunksize < 1, fraction, more than a ring holds; overlap >= chunksize; frames < offset; loop or dropOnOverflow not a boolean; signal not an AbortSignal; an OutputStream; playback on an InputStream',
      code: I,
      says: /unknown option|chunksize|overlap|frames|input|playback|loop|dropOnOverflow|signal/,
      tries: [
        () => first(inp().chunks(bad({ chunkSize: 64 }))),
        ...each([0, 1.5, NaN, '64'], (v) => first(inp().chunks({ chunksize: v }))),
        () => first(inp().chunks({ chunksize: 64, overlap: 64 })),
        () => first(inp().chunks({ frames: 10, offset: 20 })),
        () => first((out() as unknown as InputStream).chunks()),
        () => first(inp().chunks({ playback: new Float32Array(2) })),
        () => first(chunks(bad({ ...fast, sampleRate: 48000 }))),
        () => first(inp().chunks({ chunksize: 2 ** 28 })),
        () => first(dup().chunks({ playback: new Float32Array(2), loop: bad('x') })),
        () => first(inp().chunks({ dropOnOverflow: bad('x') })),
        () => first(inp().chunks({ signal: bad(5) })),
      ],
    },
    {
      call: 's.setSink(sink) / s.toReadable(opts) / s.toWritable(opts)',
      input: 'a sink of the wrong kind (number, null, Float64Array); an unknown option; bufferSize not a power of 2 up to 2^26',
      code: I,
      says: /sink|Float32Array|unknown option|options|bufferSize/,
      tries: [
        ...each([5, null, new Float64Array(4)], (v) => dup().setSink(v)),
        () => dup().setSink(() => undefined, bad({ bufsize: 8 })),
        () => dup().setSink(() => undefined, { bufferSize: 2 ** 40 }),
        () => dup().toReadable({ bufferSize: 1000 }),
        () => dup().toReadable(bad({ highWaterMark: 1 })),
        () => dup().toWritable(bad({ size: 1 })),
      ],
    },
    {
      call: 'm.playBuffer(buf, channels, opts) / r.recordBuffer(buf, channels, opts)',
      input: 'buf not a Float32Array (Float64Array, array, string) or detached',
      code: I,
      error: 'TypeError',
      says: /buffer must be a Float32Array|detached/,
      tries: [
        ...each([new Float64Array(4), [0, 0], 'ab', detachedFloat32()], (v) => mixer().playBuffer(v, 1)),
        ...each([new Float64Array(4), null], (v) => mixer().recordBuffer(v, 1)),
      ],
    },
    {
      call: 'm.playBuffer(buf, channels, opts) / r.recordBuffer(buf, channels, opts)',
      input:
        'channels 0, negative, fraction, [], [0], not numbers, more than the device has; buf not whole frames; start NaN, negative, Infinity, a string; allowBelated not a boolean; an unknown key',
      code: I,
      says: /channel|buffer|start|allowBelated|unknown option/,
      tries: [
        ...each([0, -1, 1.5, [], [0], ['a'], [3], 3, null], (v) => mixer().playBuffer(new Float32Array(6), v)),
        () => mixer().recordBuffer(new Float32Array(3), 2),
        ...each([NaN, -1, Infinity, '1'], (v) => mixer().playBuffer(new Float32Array(2), 1, { start: v })),
        () => mixer().playBuffer(new Float32Array(2), 1, bad({ allowBelated: 'yes' })),
        () => mixer().playBuffer(new Float32Array(2), 1, bad({ when: 1 })),
      ],
    },
    {
      call: 'm.playBuffer(buf) / r.recordBuffer(buf)',
      input: 'buf a Float32Array over a SharedArrayBuffer (copied in / out)',
      code: 'accepted',
      tries: [() => mixer().playBuffer(sharedFloat32(4), 2), () => mixer().recordBuffer(sharedFloat32(4), 2)],
    },
    {
      call: 'm.playRingbuffer(rb, channels) / r.recordRingbuffer(rb, channels)',
      input: 'rb not a RingBuffer; channels as for playBuffer; untilDone not a boolean',
      code: I,
      says: /RingBuffer|channel|untilDone/,
      tries: [
        ...each([new Float32Array(4), null, {}], (v) => mixer().playRingbuffer(v)),
        ...each([new Float32Array(4), undefined], (v) => mixer().recordRingbuffer(v)),
        () => mixer().playRingbuffer(RingBuffer.forFrames(2, 16), [0, 1]),
        ...each([1, 'yes', null], (v) => mixer().playRingbuffer(RingBuffer.forFrames(2, 16), 2, bad({ untilDone: v }))),
      ],
    },
    {
      call: 'rb.read / readInto / getReadBuffers / write / getWriteBuffers, m.playRingbuffer(rb) / r.recordRingbuffer(rb)',
      input: 'a ring whose reading (or writing) side a stream holds',
      code: I,
      error: 'RangeError',
      says: /being (read|written) elsewhere/,
      tries: [
        () => busyRing('play').read(),
        () => busyRing('play').readInto(new Float32Array(2)),
        () => busyRing('play').getReadBuffers(1),
        () => mixer().playRingbuffer(busyRing('play')),
        () => busyRing('record').write(new Float32Array(2)),
        () => busyRing('record').getWriteBuffers(1),
        () => mixer().recordRingbuffer(busyRing('record')),
      ],
    },
    {
      call: 'm.cancel(action, opts) / m.wait(action)',
      input: "action not an Action (or, for wait, a number of ms), or another mixer's; time NaN or negative",
      code: I,
      says: /Action|time|timeoutMs/,
      tries: [
        () => mixer().cancel(mixer().playBuffer(new Float32Array(2), 1)),
        ...each([null, 5, {}], (v) => mixer().cancel(v)),
        ...each([null, 'a', {}], (v) => mixer().wait(v)),
        () => mixer().cancel(mixer().playBuffer(new Float32Array(2), 1), { time: NaN }),
      ],
    },
    {
      call: 'm.stats / m.fetchAndResetStats(opts)',
      input:
        "stats while running; a time ahead of a stopped stream's clock; time NaN, negative or a string; allowBelated not a boolean; an unknown key",
      code: I,
      says: /stats|time|allowBelated|unknown option/,
      tries: [
        async () => (await started()).stats,
        () => mixer().fetchAndResetStats({ time: 1e6 }),
        ...each([NaN, -1, '1'], (v) => mixer().fetchAndResetStats({ time: v })),
        () => mixer().fetchAndResetStats(bad({ allowBelated: 'yes' })),
        () => mixer().fetchAndResetStats(bad({ when: 1 })),
      ],
    },
    {
      call: 'new Monitor(stream, fn, opts)',
      input:
        'stream not a Stream; fn not a function; interval not seconds > 0 (0, NaN, Infinity, a string) or too long for a ring (1e9); input, autostart or untilFinished not a boolean; setup or tearDown not a function; tearDownTimeout not seconds > 0 (0, -1, NaN, a string); an unknown key',
      code: I,
      says: /Monitor|stream|function|interval|input|autostart|untilFinished|setup|tearDown|unknown option/,
      tries: [
        ...each([null, {}, 'stream'], (v) => new Monitor(v, () => undefined)),
        () => new Monitor(dup(), bad(5)),
        ...each([0, NaN, Infinity, '1', -1, 1e9], (v) => new Monitor(dup(), () => undefined, { interval: v })),
        () => new Monitor(dup(), () => undefined, bad({ input: 'yes' })),
        () => new Monitor(dup(), () => undefined, bad({ every: 1 })),
        () => new Monitor(dup(), () => undefined, bad({ autostart: 1 })),
        () => new Monitor(dup(), () => undefined, bad({ untilFinished: 'yes' })),
        ...each(['setup', 'tearDown'], (k) => new Monitor(dup(), () => undefined, bad({ [k]: 'log' }))),
        ...each([0, -1, NaN, '1'], (v) => new Monitor(dup(), () => undefined, { tearDownTimeout: v, autostart: false })),
      ],
    },
    {
      call: 'new WorkerMonitor(stream, worker, opts)',
      input: "worker not a path or URL (null, a number, a function); the Monitor's bad options; an unknown key",
      code: I,
      says: /Worker's script|interval|tearDownTimeout|unknown option/,
      tries: [
        ...each([null, 5, () => undefined], (v) => new WorkerMonitor(dup(), v, { autostart: false })),
        () => new WorkerMonitor(dup(), 'w.js', { interval: bad(0), autostart: false }),
        () => new WorkerMonitor(dup(), 'w.js', { tearDownTimeout: bad(0), autostart: false }),
        () => new WorkerMonitor(dup(), 'w.js', bad({ autostart: false, worker: 'w.js' })),
      ],
    },
    {
      call: 'serveMonitor(fn, hooks)',
      input: 'called outside the Worker a WorkerMonitor started (on the main thread)',
      code: I,
      says: /must be called in the Worker that a WorkerMonitor started/,
      tries: [() => serveMonitor(() => undefined), () => serveMonitor(bad(5))],
    },
  ];

  function closedMixer(): Mixer {
    const m = new Mixer(fast);
    void m.close();
    return m;
  }
}
