import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/index';
import { checkInteger, checkNumber, checkOptions, nearest } from '../src/common/validate';

// The stream constructor's option names.
const STREAM = ['host', 'device', 'samplerate', 'channels', 'blocksize', 'dtype', 'latency', 'bufferSize', 'map', 'speed', 'faults'];

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a throw');
}

describe('nearest', () => {
  it.each([
    ['sampleRate', 'samplerate'], // camelCase of a lower-case name
    ['sample_rate', 'samplerate'],
    ['blockSize', 'blocksize'],
    ['bufsize', 'bufferSize'], // an abbreviation
    ['buffer', 'bufferSize'], // a prefix
    ['rate', 'samplerate'], // a part
    ['chanels', 'channels'], // a typo
    ['latancy', 'latency'],
    ['dev', 'device'],
    ['fault', 'faults'],
    ['maps', 'map'],
    ['dType', 'dtype'],
  ])('%s -> %s', (name, want) => {
    expect(nearest(name, STREAM)).toBe(want);
  });
});

describe('checkOptions', () => {
  it('passes known names and undefined through', () => {
    const o = { samplerate: 48000, channels: 2 };
    expect(checkOptions(o, STREAM, 'stream options')).toBe(o);
    expect(checkOptions(undefined, STREAM, 'stream options')).toEqual({});
  });

  it('names the unknown key and the nearest known one', () => {
    const e = thrown(() => checkOptions({ channels: 2, sampleRate: 44100 }, STREAM, 'stream options'));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/unknown option 'sampleRate' in stream options; did you mean 'samplerate'\?/);
    expect(thrown(() => checkOptions({ bufsize: 1024 }, STREAM, 'x')).message).toMatch(/did you mean 'bufferSize'/);
    expect(thrown(() => checkOptions({ blockSize: 256 }, STREAM, 'x')).message).toMatch(/did you mean 'blocksize'/);
  });

  it('refuses what is no options object with a TypeError', () => {
    for (const v of [null, 'a', 5, 10n, [1]]) {
      const e = thrown(() => checkOptions(v as never, STREAM, 'stream options'));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
    }
  });
});

describe('checkNumber / checkInteger', () => {
  it('tells wrong kinds (TypeError) from bad values (RangeError)', () => {
    for (const v of ['16', 10n, null, undefined, {}]) {
      expect(thrown(() => checkNumber(v, 'n'))).toBeInstanceOf(TypeError);
      expect(thrown(() => checkInteger(v, 'n'))).toBeInstanceOf(TypeError);
    }
    for (const v of [NaN, -1, 1.5, Infinity]) {
      const e = thrown(() => checkInteger(v, 'n'));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
      expect(e.message).toBe(`n must be a non-negative integer, got ${v}`);
    }
    expect(thrown(() => checkInteger(9, 'n', 1, 8)).message).toBe('n must be an integer from 1 to 8, got 9');
    expect(checkInteger(8, 'n', 1, 8)).toBe(8);
  });
});
