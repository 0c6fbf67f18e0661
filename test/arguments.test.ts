// Every public function and method of the RingBuffer, WAV and device modules,
// called with arguments of the wrong kind or value: each must throw (or
// reject with) ERR_INVALID_ARG, a TypeError for a wrong kind and a RangeError
// for a bad value, before any native call could throw a raw napi error
// (`NumberExpected`, `StringExpected`, ...).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { devices, ErrorCode, readWav, RingBuffer, WavReader, WavWriter, writeWav } from '../src/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-args-'));
const tmp = (name: string) => path.join(dir, name);
const wavFile = tmp('in.wav');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await writeWav(wavFile, new Float32Array(200), { samplerate: 8000, channels: 2, format: 'f32' });
});

/** An ArrayBuffer that was transferred away (as postMessage does). */
function detachedBuffer(): ArrayBuffer {
  const b = new ArrayBuffer(16);
  structuredClone(b, { transfer: [b] });
  return b;
}

/** A view whose buffer was transferred away after the view was made. */
function detachedView<T extends ArrayBufferView>(make: (b: ArrayBuffer) => T): T {
  const b = new ArrayBuffer(16);
  const v = make(b);
  structuredClone(b, { transfer: [b] });
  return v;
}

type Bad = { label: string; value: unknown; error: typeof TypeError | typeof RangeError };
const T = (label: string, value: unknown): Bad => ({ label, value, error: TypeError });
const R = (label: string, value: unknown): Bad => ({ label, value, error: RangeError });

/** Values that are no number at all. */
const notNumbers: Bad[] = [
  T('a numeric string', '16'),
  T('a BigInt', 10n),
  T('null', null),
  T('an object', {}),
  T('a boolean', true),
  T('a symbol', Symbol('n')),
  T('a detached ArrayBuffer', detachedBuffer()),
];
/** Numbers that are no count. */
const badCounts: Bad[] = [R('NaN', NaN), R('a fraction', 1.5), R('Infinity', Infinity), R('a negative number', -1)];
/** For sizes where a negative integer means "all" (PortAudio's convention). */
const badSignedSizes: Bad[] = [R('NaN', NaN), R('a fraction', 1.5), R('-Infinity', -Infinity), R('a negative fraction', -1.5)];
const badBinary: Bad[] = [
  T('a string', 'abcd'),
  T('a number', 16),
  T('a BigInt', 10n),
  T('null', null),
  T('undefined', undefined),
  T('a plain array', [1, 2, 3, 4]),
  T('a detached ArrayBuffer', detachedBuffer()),
  T('a Uint8Array over a detached buffer', detachedView((b) => new Uint8Array(b))),
  T('a Float32Array over a detached buffer', detachedView((b) => new Float32Array(b))),
  T('a DataView over a detached buffer', detachedView((b) => new DataView(b))),
];
const badSamples: Bad[] = [
  T('a Float64Array', new Float64Array(4)),
  T('a plain array', [0, 0]),
  T('a string', 'abcd'),
  T('a BigInt', 10n),
  T('null', null),
  T('undefined', undefined),
  T('an ArrayBuffer', new ArrayBuffer(16)),
  T('a Float32Array over a detached buffer', detachedView((b) => new Float32Array(b))),
];
const badPaths: Bad[] = [
  T('a number', 5),
  T('a BigInt', 10n),
  T('null', null),
  T('undefined', undefined),
  T('an object', {}),
  T('a Buffer', Buffer.from('x.wav')),
  R('an empty string', ''),
  R('a string with NUL', 'a\0b.wav'),
];
const badStrings: Bad[] = [T('a number', 16), T('a BigInt', 10n), T('null', null), T('an object', {})];

type Case = { call: string; run: (v: unknown) => unknown; bad: Bad[]; message?: RegExp };

function ring(): RingBuffer {
  const r = new RingBuffer(4, 16);
  r.write(new Uint32Array(8));
  return r;
}
const spec = { samplerate: 8000, channels: 2 };
const data = new Float32Array(4);
const any = (v: unknown) => v as any;

const cases: Case[] = [
  // RingBuffer
  { call: 'new RingBuffer(elementSize, 8)', run: (v) => new RingBuffer(any(v), 8), bad: [...notNumbers, T('undefined', undefined), ...badCounts, R('zero', 0)], message: /elementSize/ },
  { call: 'new RingBuffer(4, size)', run: (v) => new RingBuffer(4, any(v)), bad: [...notNumbers, T('undefined', undefined), ...badCounts, R('zero', 0), R('1000', 1000)], message: /^size must be/ },
  { call: 'RingBuffer.forFrames(channels, 8)', run: (v) => RingBuffer.forFrames(any(v), 8), bad: [...notNumbers, ...badCounts, R('zero', 0)], message: /channels/ },
  { call: 'RingBuffer.forFrames(2, frames)', run: (v) => RingBuffer.forFrames(2, any(v)), bad: [...notNumbers, ...badCounts, R('zero', 0)], message: /frames/ },
  { call: 'rb.write(data)', run: (v) => ring().write(any(v)), bad: badBinary, message: /data/ },
  { call: 'rb.write(data, size)', run: (v) => ring().write(new Uint32Array(4), any(v)), bad: [...notNumbers, ...badCounts], message: /size/ },
  { call: 'rb.read(size)', run: (v) => ring().read(any(v)), bad: [...notNumbers, ...badSignedSizes], message: /size/ },
  { call: 'rb.readInto(data)', run: (v) => ring().readInto(any(v)), bad: badBinary, message: /data/ },
  { call: 'rb.getWriteBuffers(size)', run: (v) => ring().getWriteBuffers(any(v)), bad: [...notNumbers, ...badSignedSizes], message: /size/ },
  { call: 'rb.getReadBuffers(size)', run: (v) => ring().getReadBuffers(any(v)), bad: [...notNumbers, ...badSignedSizes], message: /size/ },
  { call: 'rb.advanceWriteIndex(size)', run: (v) => ring().advanceWriteIndex(any(v)), bad: [...notNumbers, T('undefined', undefined), ...badCounts], message: /size/ },
  { call: 'rb.advanceReadIndex(size)', run: (v) => ring().advanceReadIndex(any(v)), bad: [...notNumbers, T('undefined', undefined), ...badCounts], message: /size/ },
  { call: 'rb.setProducerDone(done)', run: (v) => ring().setProducerDone(any(v)), bad: [T('a number', 1), T('a string', 'yes'), T('undefined', undefined)], message: /done/ },
  // WAV
  { call: 'readWav(path)', run: (v) => readWav(any(v)), bad: badPaths, message: /path/ },
  { call: 'writeWav(path, data, spec)', run: (v) => writeWav(any(v), data, spec), bad: badPaths, message: /path/ },
  { call: 'writeWav(file, data, spec)', run: (v) => writeWav(tmp('w.wav'), any(v), spec), bad: badSamples, message: /data/ },
  {
    call: 'writeWav(file, data, spec) with a bad spec',
    run: (v) => writeWav(tmp('w.wav'), data, any(v)),
    bad: [T('undefined', undefined), T('null', null), T('a string', 'i16'), T('a BigInt', 10n), T('an array', [8000, 2])],
    message: /spec/,
  },
  { call: 'writeWav(..., { samplerate })', run: (v) => writeWav(tmp('w.wav'), data, { ...spec, samplerate: any(v) }), bad: [...notNumbers, T('undefined', undefined), ...badCounts, R('zero', 0), R('2^32', 2 ** 32)], message: /samplerate/ },
  { call: 'writeWav(..., { channels })', run: (v) => writeWav(tmp('w.wav'), data, { ...spec, channels: any(v) }), bad: [...notNumbers, T('undefined', undefined), ...badCounts, R('zero', 0), R('65536', 65536), R('3 (4 samples is no whole frame)', 3)], message: /channels/ },
  { call: 'writeWav(..., { format })', run: (v) => writeWav(tmp('w.wav'), data, { ...spec, format: any(v) }), bad: [...badStrings, R('an unknown format', 'f64'), R('an empty string', '')], message: /format/ },
  { call: 'WavReader.open(path)', run: (v) => WavReader.open(any(v)), bad: badPaths, message: /path/ },
  { call: 'reader.read(frames)', run: (v) => WavReader.open(wavFile).read(any(v)), bad: [...notNumbers, T('undefined', undefined), ...badCounts], message: /frames/ },
  { call: 'reader.seek(frame)', run: (v) => WavReader.open(wavFile).seek(any(v)), bad: [...notNumbers, T('undefined', undefined), ...badCounts, R('past the end', 101)], message: /frame/ },
  { call: 'new WavWriter(path, spec)', run: (v) => new WavWriter(any(v), spec), bad: badPaths, message: /path/ },
  {
    call: 'WavWriter.create(file, spec) with a bad spec',
    run: (v) => WavWriter.create(tmp('c.wav'), any(v)),
    bad: [T('undefined', undefined), T('null', null), T('a string', 'i16'), R('a misspelt key', { sampleRate: 8000, channels: 1 })],
    message: /spec|sampleRate/,
  },
  { call: 'WavWriter.create(..., { channels })', run: (v) => WavWriter.create(tmp('c.wav'), { ...spec, channels: any(v) }), bad: [...notNumbers, ...badCounts, R('zero', 0)], message: /channels/ },
  { call: 'writer.write(data)', run: (v) => WavWriter.create(tmp('d.wav'), spec).write(any(v)), bad: badSamples, message: /data/ },
  // Devices
  { call: 'devices(opts)', run: (v) => devices(any(v)), bad: [T('null', null), T('a string', 'virtual'), T('a BigInt', 10n), T('a number', 5), T('an array', ['virtual']), R('a misspelt key', { hots: 'virtual' })], message: /devices\(\) options|host/ },
  { call: 'devices({ refresh })', run: (v) => devices({ host: 'virtual', refresh: any(v) }), bad: [T('a string', 'yes'), T('a number', 1), T('null', null)], message: /refresh/ },
  { call: 'devices({ host })', run: (v) => devices({ host: any(v) }), bad: [...badStrings, T('a BigInt', 10n), R('an empty string', '')], message: /host/ },
];

/** What `run` threw or rejected with. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('every public entry refuses bad arguments with ERR_INVALID_ARG', () => {
  for (const c of cases) {
    it(c.call, async () => {
      for (const b of c.bad) {
        const e = await failure(() => c.run(b.value));
        const where = `${c.call} with ${b.label}`;
        expect(e, `${where}: no error`).toBeInstanceOf(Error);
        const err = e as Error & { code?: unknown };
        // A raw napi error has a status as its code ('NumberExpected') and a
        // "Failed to convert" message.
        expect(err.code, `${where}: ${err.message}`).toBe(ErrorCode.INVALID_ARG);
        expect(err, `${where}: ${err.constructor.name}: ${err.message}`).toBeInstanceOf(b.error);
        expect(err.message, where).not.toMatch(/Failed to convert|Expected$|napi/);
        if (c.message) expect(err.message, where).toMatch(c.message);
      }
    });
  }

  it('messages say what was expected and what was given', () => {
    const msg = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(msg(() => new RingBuffer(4, 1000))).toMatch(/^size must be a power of 2.*got 1000$/);
    expect(msg(() => new RingBuffer(4, any('16')))).toBe('size must be a number, got "16" (a string)');
    expect(msg(() => new RingBuffer(any(10n), 8))).toBe('elementSize must be a number, got 10n (a BigInt)');
    expect(msg(() => ring().read(NaN))).toBe('size must be an integer (a negative one meaning all), got NaN');
    expect(msg(() => ring().advanceReadIndex(-1))).toBe('size must be a non-negative integer, got -1');
    expect(msg(() => ring().write(detachedBuffer()))).toMatch(/detached/);
    expect(msg(() => devices(any({ hots: 'virtual' })))).toMatch(/unknown option 'hots'.*did you mean 'host'/);
  });

  it('a host that does not exist is ERR_DEVICE_NOT_FOUND, not a raw error', () => {
    const e = (() => {
      try {
        devices({ host: 'no-such-host' });
      } catch (err) {
        return err as Error & { code?: string };
      }
      return undefined;
    })();
    expect(e?.code).toBe(ErrorCode.DEVICE_NOT_FOUND);
  });

  it('valid edge values still work', () => {
    const r = ring();
    expect(r.read(-1).length).toBe(8 * 4); // negative = everything, as in PortAudio
    expect(r.getWriteBuffers(-1)[0]).toBe(16);
    expect(r.write(new Uint8Array(0))).toBe(0); // empty, not detached
    expect(new RingBuffer(1, 1).size).toBe(1);
    expect(devices().length).toBeGreaterThan(0);
    expect(devices({ host: 'virtual', refresh: true })).toEqual(devices({ host: 'virtual' }));
    expect(devices({ host: 'virtual' }).length).toBeGreaterThan(0);
  });
});

describe('WAV format default', () => {
  it("writeWav without format writes 16-bit PCM ('i16')", async () => {
    const file = tmp('default.wav');
    await writeWav(file, new Float32Array([0.5, -0.5, 0.25, -0.25]), { samplerate: 8000, channels: 2 });
    const back = await readWav(file);
    expect(back.format).toBe('i16');
    expect(Array.from(back.data)).toEqual([0.5, -0.5, 0.25, -0.25]);
    expect(fs.readFileSync(file).readUInt16LE(34)).toBe(16); // bits per sample in the fmt chunk
  });

  it("WavWriter.create without format writes 'i16'", () => {
    const w = WavWriter.create(tmp('default-w.wav'), { samplerate: 8000, channels: 1 });
    expect(w.spec.format).toBe('i16');
    w.write(new Float32Array([0.5]));
    w.close();
    expect(WavReader.open(tmp('default-w.wav')).format).toBe('i16');
  });
});
