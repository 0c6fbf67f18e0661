// Bad-input rows of the RingBuffer, WAV, device and defaults entries.
import { defaults, devices, readWav, RingBuffer, SharedBuffer, WavReader, WavWriter, writeWav } from '../../src/index';
import { BAD_COUNTS, bad, each, NOT_BINARY, NOT_NUMBERS, NOT_OPTIONS, NOT_PATHS, NOT_SAMPLES, sharedFloat32, type Row } from './values';

const I = 'ERR_INVALID_ARG';

function ring(): RingBuffer {
  const r = new RingBuffer(4, 16);
  r.write(new Uint32Array(8));
  return r;
}

const spec = { samplerate: 8000, channels: 2 };
const data = new Float32Array(4);

/** The rows; `file(name)` is a path in a scratch directory, `wav` a valid 2-channel WAV file there. */
export function dataRows(file: (name: string) => string, wav: string): Row[] {
  return [
    // RingBuffer
    {
      call: 'new RingBuffer(elementSize, size)',
      input: 'not a number (string, BigInt, null, object, boolean, symbol, undefined)',
      code: I,
      error: 'TypeError',
      says: /must be a number/,
      tries: [...each([...NOT_NUMBERS, undefined], (v) => new RingBuffer(v, 8)), ...each(NOT_NUMBERS, (v) => new RingBuffer(4, v))],
    },
    {
      call: 'new RingBuffer(elementSize, size)',
      input: 'NaN, fraction, Infinity, negative, 0',
      code: I,
      error: 'RangeError',
      tries: [...each([...BAD_COUNTS, 0], (v) => new RingBuffer(v, 8)), ...each([...BAD_COUNTS, 0], (v) => new RingBuffer(4, v))],
    },
    {
      call: 'new RingBuffer(elementSize, size)',
      input: 'size not a power of 2; more than 2 GiB in all',
      code: I,
      error: 'RangeError',
      says: /power of 2|at most/,
      tries: [() => new RingBuffer(4, 1000), () => new RingBuffer(2 ** 20, 2 ** 12), () => new RingBuffer(1, 2 ** 40)],
    },
    {
      call: 'RingBuffer.forFrames(channels, frames)',
      input: 'not a number; NaN, fraction, Infinity, negative, 0; more than 2 GiB',
      code: I,
      says: /channels|frames|exceed/,
      tries: [
        ...each([...NOT_NUMBERS, ...BAD_COUNTS, 0], (v) => RingBuffer.forFrames(v, 8)),
        ...each([...NOT_NUMBERS, ...BAD_COUNTS, 0], (v) => RingBuffer.forFrames(2, v)),
        () => RingBuffer.forFrames(64, 2 ** 24),
      ],
    },
    {
      call: 'new RingBuffer(elementSize, size, buffer)',
      input: 'any third argument (ArrayBuffer, SharedArrayBuffer, typed array): the storage is native',
      code: I,
      error: 'TypeError',
      says: /storage/,
      tries: each(
        [new ArrayBuffer(64), new SharedArrayBuffer(64), new Uint8Array(64)],
        (v) => new (RingBuffer as unknown as new (a: number, b: number, c: unknown) => RingBuffer)(4, 16, v),
      ),
    },
    {
      call: 'RingBuffer.fromHandle(handle)',
      input: 'not a handle (null, number, string, object)',
      code: I,
      error: 'TypeError',
      says: /handle/,
      tries: each([null, 5, 'ring', {}, { ringstream: 'RingBuffer' }], (v) => RingBuffer.fromHandle(v)),
    },
    {
      call: 'RingBuffer.fromHandle(handle)',
      input: 'a forged or released handle',
      code: I,
      says: /ring/,
      tries: [() => RingBuffer.fromHandle({ ringstream: 'RingBuffer', id: 987654321, elementSize: 4, size: 16 })],
    },
    {
      call: 'RingBuffer.fromHandle(handle)',
      input: 'a bell that is not a SharedArrayBuffer',
      code: I,
      error: 'TypeError',
      says: /bell/,
      tries: each([new ArrayBuffer(8), 5, 'bell'], (v) => RingBuffer.fromHandle({ ...ring().handle, bell: v } as never)),
    },
    // SharedBuffer (OsSom's AudioBuffer)
    {
      call: 'new SharedBuffer(channels, size)',
      input: 'not a number; NaN, fraction, Infinity, negative, 0; more than 2 GiB of samples',
      code: I,
      says: /channels|size|frames|shared buffer/,
      tries: [
        ...each([...NOT_NUMBERS, NaN, 1.5, Infinity, -1, 0], (v) => new SharedBuffer(v, 16)),
        ...each([NaN, 1.5, Infinity, -1, 0], (v) => new SharedBuffer(2, v)),
        () => new SharedBuffer(1 << 20, 1 << 20),
      ],
    },
    {
      call: 'SharedBuffer.fromHandle(handle)',
      input: "not a SharedBuffer's handle (null, number, a RingBuffer's handle); a forged or released one",
      code: I,
      says: /handle|no ring/,
      tries: [
        ...each([null, 5, {}, { ringstream: 'RingBuffer', id: 1 }], (v) => SharedBuffer.fromHandle(v)),
        () => SharedBuffer.fromHandle({ ringstream: 'SharedBuffer', id: 987654321 }),
        () => SharedBuffer.fromHandle({ ringstream: 'SharedBuffer', id: ring().handle.id }), // another kind
      ],
    },
    {
      call: 'buf.writeNext(data), reader.getAudio(blocksize, copy)',
      input:
        'data not a Float32Array or not whole frames; written from a side opened by handle; blocksize not a whole number; copy not true',
      code: I,
      says: /Float32Array|whole frames|only the side|blocksize|copy/,
      tries: [
        ...each([null, [1, 2], new Float64Array(2)], (v) => new SharedBuffer(2, 4).writeNext(v)),
        () => new SharedBuffer(2, 4).writeNext(new Float32Array(3)),
        () => SharedBuffer.fromHandle(new SharedBuffer(1, 4).handle).writeNext(new Float32Array(1)),
        ...each([-1, 1.5, NaN, '2'], (v) => new SharedBuffer(1, 4).reader().getAudio(v)),
        ...each([false, 'yes'], (v) => new SharedBuffer(1, 4).reader().getAudio(1, v)),
      ],
    },
    {
      call: 'rb.write(data, size)',
      input: 'data not binary (string, number, BigInt, null, array) or detached',
      code: I,
      error: 'TypeError',
      says: /data/,
      tries: each(NOT_BINARY, (v) => ring().write(v)),
    },
    {
      call: 'rb.write(data, size)',
      input: 'byte length not whole elements; size NaN, fraction, negative, more than data holds',
      code: I,
      error: 'RangeError',
      tries: [() => ring().write(new Uint8Array(3)), ...each([...BAD_COUNTS, 5], (v) => ring().write(new Uint32Array(4), v))],
    },
    {
      call: 'rb.write(data) / rb.readInto(data)',
      input: 'a view over a SharedArrayBuffer, or the SharedArrayBuffer',
      code: 'accepted',
      tries: [() => ring().write(sharedFloat32(4)), () => ring().write(new SharedArrayBuffer(8)), () => ring().readInto(sharedFloat32(4))],
    },
    {
      call: 'rb.read(size) / getReadBuffers(size) / getWriteBuffers(size)',
      input: 'not a number',
      code: I,
      error: 'TypeError',
      says: /size must be a number/,
      tries: [
        ...each(NOT_NUMBERS, (v) => ring().read(v)),
        ...each(NOT_NUMBERS, (v) => ring().getReadBuffers(v)),
        ...each(NOT_NUMBERS, (v) => ring().getWriteBuffers(v)),
      ],
    },
    {
      call: 'rb.read(size) / getReadBuffers(size) / getWriteBuffers(size)',
      input: 'NaN, fraction, -Infinity (a negative integer means all)',
      code: I,
      error: 'RangeError',
      says: /integer/,
      tries: [
        ...each([NaN, 1.5, -Infinity], (v) => ring().read(v)),
        ...each([NaN, -1.5], (v) => ring().getReadBuffers(v)),
        ...each([NaN, 0.5], (v) => ring().getWriteBuffers(v)),
      ],
    },
    {
      call: 'rb.readInto(data)',
      input: 'data not binary or detached',
      code: I,
      error: 'TypeError',
      says: /data/,
      tries: each(NOT_BINARY, (v) => ring().readInto(v)),
    },
    {
      call: 'rb.advanceWriteIndex(n) / advanceReadIndex(n)',
      input: 'not a number; NaN, fraction, Infinity, negative',
      code: I,
      says: /size/,
      tries: [
        ...each([...NOT_NUMBERS, ...BAD_COUNTS], (v) => ring().advanceWriteIndex(v)),
        ...each([...NOT_NUMBERS, ...BAD_COUNTS], (v) => ring().advanceReadIndex(v)),
      ],
    },
    {
      call: 'rb.setProducerDone(done)',
      input: 'not a boolean',
      code: I,
      error: 'TypeError',
      says: /boolean/,
      tries: each([1, 'yes', undefined, null], (v) => ring().setProducerDone(v)),
    },
    // WAV
    {
      call: 'readWav(path) / WavReader.open(path) / Signal.load(path)',
      input: 'not a string (number, BigInt, null, undefined, object, Buffer)',
      code: I,
      error: 'TypeError',
      says: /path/,
      tries: [...each(NOT_PATHS, (v) => readWav(v)), ...each(NOT_PATHS, (v) => WavReader.open(v))],
    },
    {
      call: 'readWav(path) / WavReader.open(path) / Signal.load(path)',
      input: "'' or a path containing NUL",
      code: I,
      error: 'RangeError',
      says: /path/,
      tries: [...each(['', 'a\0b.wav'], (v) => readWav(v)), ...each(['', 'a\0b.wav'], (v) => WavReader.open(v))],
    },
    {
      call: 'readWav(path) / WavReader.open(path) / Signal.load(path)',
      input: 'a missing file or a directory',
      code: 'ERR_IO',
      error: 'Error',
      says: /nonexistent|directory/i,
      tries: [() => readWav('/nonexistent/x.wav'), () => WavReader.open('/nonexistent/x.wav'), () => readWav('/tmp')],
    },
    {
      call: 'readWav(path) / WavReader.open(path)',
      input: 'not a WAV file, or an encoding other than PCM 8-32 bit and float32',
      code: 'ERR_WAV_FORMAT',
      error: 'Error',
      says: /WAV|encoding/,
      tries: [() => readWav(file('text.wav')), () => readWav(file('alaw.wav'))],
    },
    {
      call: 'writeWav(path, data, spec) / WavWriter.create(path, spec) / new WavWriter(path, spec)',
      input: 'path not a string, empty or with NUL',
      code: I,
      says: /path/,
      tries: [
        ...each([...NOT_PATHS, '', 'a\0b'], (v) => writeWav(v, data, spec)),
        ...each([...NOT_PATHS, ''], (v) => WavWriter.create(v, spec)),
        ...each(NOT_PATHS, (v) => new WavWriter(v, spec)),
      ],
    },
    {
      call: 'writeWav(path, data, spec) / WavWriter.create(path, spec)',
      input:
        'a name of another format (.flac, .aif, .aiff, .aifc, .au, .snd, .ogg, .oga, .opus, .mp3, .m4a, .caf, .w64, .rf64): the message points to writeAudio',
      code: I,
      says: /writes only WAV.*writeAudio/,
      tries: [
        ...each(['x.flac', 'x.AIFF', 'x.au', 'x.ogg', 'x.mp3'], (v) => writeWav(file(v), data, spec)),
        () => WavWriter.create(file('x.aif'), spec),
      ],
    },
    {
      call: 'writeWav(path, data, spec)',
      input: 'data not a Float32Array (Float64Array, array, ArrayBuffer) or detached',
      code: I,
      error: 'TypeError',
      says: /data/,
      tries: each(NOT_SAMPLES, (v) => writeWav(file('w.wav'), v, spec)),
    },
    {
      call: 'writeWav(path, data, spec) / WavWriter.create(path, spec)',
      input: 'spec not an object; an unknown key (sampleRate)',
      code: I,
      says: /spec|sampleRate/,
      tries: [
        ...each([undefined, ...NOT_OPTIONS], (v) => writeWav(file('w.wav'), data, v)),
        () => WavWriter.create(file('c.wav'), bad({ sampleRate: 8000, channels: 1 })),
      ],
    },
    {
      call: 'writeWav(path, data, spec) / WavWriter.create(path, spec)',
      input:
        "samplerate or channels not a positive integer (or above 2^32-1 / 65535); data not whole frames; format not 'f32', 'i16', 'i24', 'i32' or 'u8'",
      code: I,
      says: /samplerate|channels|format/,
      tries: [
        ...each([...NOT_NUMBERS, ...BAD_COUNTS, 0, 2 ** 32], (v) => writeWav(file('w.wav'), data, { ...spec, samplerate: v })),
        ...each([...BAD_COUNTS, 0, 65536, 3], (v) => writeWav(file('w.wav'), data, { ...spec, channels: v })),
        ...each(['f64', '', 5], (v) => writeWav(file('w.wav'), data, { ...spec, format: v })),
        ...each([0, 1.5], (v) => WavWriter.create(file('c.wav'), { ...spec, channels: v })),
      ],
    },
    {
      call: 'writeWav(path, data, spec) / writer.write(data)',
      input: 'data a Float32Array over a SharedArrayBuffer',
      code: 'accepted',
      tries: [
        () => writeWav(file('sab.wav'), sharedFloat32(4), spec),
        () => WavWriter.create(file('sab2.wav'), spec).write(sharedFloat32(4)),
      ],
    },
    {
      call: 'writeWav(path, data, spec)',
      input: 'a directory that does not exist',
      code: 'ERR_IO',
      error: 'Error',
      tries: [() => writeWav('/nonexistent/dir/w.wav', data, spec)],
    },
    {
      call: 'reader.read(frames) / reader.seek(frame)',
      input: 'not a number; NaN, fraction, Infinity, negative; seek past the end',
      code: I,
      says: /frame/,
      tries: [
        ...each([...NOT_NUMBERS, ...BAD_COUNTS], (v) => WavReader.open(wav).read(v)),
        ...each([...NOT_NUMBERS, ...BAD_COUNTS, 101], (v) => WavReader.open(wav).seek(v)),
      ],
    },
    {
      call: 'writer.write(data)',
      input: 'not a Float32Array, or not whole frames',
      code: I,
      says: /data/,
      tries: [
        ...each(NOT_SAMPLES, (v) => WavWriter.create(file('d.wav'), spec).write(v)),
        () => WavWriter.create(file('d.wav'), spec).write(new Float32Array(3)),
      ],
    },
    {
      call: 'reader / writer methods after close()',
      input: 'a closed reader or writer',
      code: I,
      says: /closed/,
      tries: [
        () => closedReader(wav).read(1),
        () => closedReader(wav).seek(0),
        () => closedWriter(file('e.wav')).write(data),
        () => closedWriter(file('e.wav')).flush(),
      ],
    },
    // Devices and defaults
    {
      call: 'devices(opts)',
      input: 'opts not an object; an unknown key (hots)',
      code: I,
      says: /devices\(\) options|hots/,
      tries: [...each(NOT_OPTIONS, (v) => devices(v)), () => devices(bad({ hots: 'virtual' }))],
    },
    {
      call: 'devices({ host })',
      input: "host not a string, or ''",
      code: I,
      says: /host/,
      tries: each([5, 10n, null, {}, ''], (v) => devices({ host: v })),
    },
    {
      call: 'devices({ refresh })',
      input: 'refresh not a boolean',
      code: I,
      says: /refresh/,
      tries: each(['yes', 1, null], (v) => devices({ host: 'virtual', refresh: v })),
    },
    {
      call: 'devices({ host })',
      input: 'a host this build or machine does not have',
      code: 'ERR_DEVICE_NOT_FOUND',
      error: 'Error',
      says: /no-such-host/,
      tries: [() => devices({ host: 'no-such-host' })],
    },
    {
      call: 'defaults.x = value',
      input: "an invalid value (samplerate 0, blocksize 1.5, dtype 'float64', bufferSize 1000, channels [], host 5); the old value stays",
      code: I,
      says: /must be/,
      tries: [
        () => (defaults.samplerate = 0),
        () => (defaults.blocksize = 1.5),
        () => (defaults.dtype = bad('float64')),
        () => (defaults.bufferSize = 1000),
        () => (defaults.channels = bad([])),
        () => (defaults.host = bad(5)),
      ],
    },
  ];
}

function closedReader(path: string): WavReader {
  const r = WavReader.open(path);
  r.close();
  return r;
}

function closedWriter(path: string): WavWriter {
  const w = WavWriter.create(path, spec);
  w.close();
  return w;
}
