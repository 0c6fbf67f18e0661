// Each rule once, in the core: TypeScript (src/) and the napi layer
// (crates/node/src) ask the core through the bindings instead of writing a
// rule again. These tests grep both for the rules that used to be copied.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkBufferSize,
  checkOffset,
  checkRingSize,
  checkSamplerate,
  checkWholeFrames,
  dspFade,
  dspMeasure,
  dspUnit,
  NativeStream,
  ringMaxSize,
  ringSizeFor,
} from '../index.js';
import { BUFFER_SIZE_DEFAULT, BUFFER_SIZE_MAX, RING_MAX_BYTES, SAMPLERATE_MAX, SAMPLERATE_MIN } from '../src/native/protocol';
import { defaults, ErrorCode, RingBuffer } from '../src/index';

const root = path.join(__dirname, '..');

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

/** Code lines of `file` (comment lines left out), with their numbers. */
function codeLines(file: string): [number, string][] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i): [number, string] => [i + 1, l])
    .filter(([, l]) => !/^\s*(\/\/|\/\*|\*)/.test(l));
}

/** Each copied rule as it was written, and where it belongs now. */
const TS_RULES: [RegExp, string][] = [
  [/isPowerOf/i, 'the ring-size rule (ring::check_size / checkRingSize)'],
  [/\(\s*([\w.]+)\s*&\s*\(\s*\1\s*-\s*1\s*\)\s*\)\s*[!=]==\s*0/, 'a power-of-two test (ring::check_size / check_buffer_size)'],
  [/Math\.log2\(/, 'rounding to a ring size (ring::size_for / ring::max_size)'],
  [/RING_MAX_BYTES\s*\/|[*<>]\s*RING_MAX_BYTES/, 'arithmetic on the ring limit (ring::check_size / ring::max_size)'],
  [
    /768_?000|\b2\s*\*\*\s*26\b|\b67108864\b|\b65536\b/,
    'a stream limit or default (stream::check_samplerate / check_buffer_size / BUFFER_SIZE_DEFAULT)',
  ],
  [/samplerate\D{0,20}\b1000\b/, 'the lowest sample rate (stream::check_samplerate)'],
  [/%\s*(channels|ch|c|this\.channels|list\.length)\b/, 'the whole-frames rule (stream::check_whole_frames)'],
  [/frames\s*<\s*offset/, 'the record span rule (stream::check_offset)'],
];

const RUST_RULES: [RegExp, string][] = [
  [/is_power_of_two|next_power_of_two/, 'the ring-size rule (ring::check_size)'],
  [/%\s*ch\b|is_multiple_of\(\s*ch\b/, 'the whole-frames rule (stream::check_whole_frames)'],
  [/\b65536\b|1\s*<<\s*16\b|1\s*<<\s*26\b|768_?000/, 'a stream limit or default (core stream::layout)'],
  [/kind::[A-Z]/, 'the choice of an action kind (core: derived from the request)'],
  [/AtomicU64::new\(1\)/, 'the action-id counter (core)'],
  [/Action::(Play|Record|Cancel|FetchStats|Tap)\b|engine::\{?[^;]*\bAction\b/, 'building an engine action (core: stream requests)'],
];

/**
 * Lines that look like a rule but are not one: a JS ring's fast path reads
 * and writes shared memory without a native call, so it masks element
 * sizes itself; the protocol export lists the core's kinds by name; the
 * ring benchmark hook uses a fixed 64 KiB ring.
 */
const ALLOWED: [string, RegExp][] = [
  ['src/ring/ring.ts', /this\.esMask = \(this\.es & \(this\.es - 1\)\) === 0/],
  ['crates/node/src/protocol.rs', /^\s*ACTION_\w+ = /],
  ['crates/node/src/hooks.rs', /Ring::new\(1, 1 << 16\)/],
];

function offenders(dir: string, ext: string, rules: [RegExp, string][]): string[] {
  const found: string[] = [];
  for (const file of files(path.join(root, dir), ext)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    for (const [n, line] of codeLines(file)) {
      if (ALLOWED.some(([f, re]) => f === rel && re.test(line))) continue;
      for (const [re, what] of rules) if (re.test(line)) found.push(`${rel}:${n}: ${what}: ${line.trim()}`);
    }
  }
  return found;
}

describe('each rule once, in the core', () => {
  it('src/ holds no copy of a core rule', () => {
    expect(offenders('src', '.ts', TS_RULES)).toEqual([]);
  });

  it('crates/node/src only converts: no rule, no action built by hand', () => {
    expect(offenders('crates/node/src', '.rs', RUST_RULES)).toEqual([]);
  });
});

describe('the core rules through the bindings', () => {
  function err(fn: () => unknown): { code?: string; message: string } {
    try {
      fn();
    } catch (e) {
      return e as { code?: string; message: string };
    }
    throw new Error('did not throw');
  }

  it('samplerate: whole Hz within the core limits, never saturated', () => {
    expect([SAMPLERATE_MIN, SAMPLERATE_MAX]).toEqual([1000, 768000]);
    expect(checkSamplerate(44100)).toBe(44100);
    for (const bad of [999, 768001, 44100.5, NaN, 2 ** 32 + 48000]) {
      const e = err(() => checkSamplerate(bad));
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
      expect(e.message).toBe(`samplerate must be an integer from 1000 to 768000 Hz, got ${bad}`);
    }
    expect(() => (defaults.samplerate = 2 ** 32 + 48000)).toThrow(/samplerate must be an integer from 1000 to 768000/);
  });

  it('the core itself refuses a samplerate out of range (the bindings do not wrap or saturate it)', () => {
    for (const samplerate of [2 ** 32 + 48000, 500, 44100.5]) {
      const open = () =>
        new NativeStream(
          { host: 'virtual', deviceName: 'virtual:null', samplerate, blocksize: 256, inputChannels: 0, outputChannels: 2, speed: Infinity },
          () => undefined,
        );
      const e = err(open);
      expect(e.code).toBe(ErrorCode.INVALID_ARG);
      expect(e.message).toBe(`samplerate must be an integer from 1000 to 768000 Hz, got ${samplerate}`);
    }
  });

  it('bufferSize: a power of 2 up to BUFFER_SIZE_MAX, default BUFFER_SIZE_DEFAULT', () => {
    expect(defaults.bufferSize).toBe(BUFFER_SIZE_DEFAULT);
    expect(checkBufferSize(BUFFER_SIZE_MAX)).toBe(BUFFER_SIZE_MAX);
    expect(err(() => checkBufferSize(1000)).message).toMatch(/^bufferSize must be a power of 2.*got 1000$/);
    expect(err(() => checkBufferSize(BUFFER_SIZE_MAX * 2)).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('rings: the shape rule, the most frames, the size for a count', () => {
    expect(err(() => checkRingSize(8, 1000, 'bufferSize')).message).toMatch(/^bufferSize must be a power of 2.*got 1000$/);
    expect(err(() => checkRingSize(8, RING_MAX_BYTES / 4, 'bufferSize')).message).toMatch(
      /^a ring holds at most 2147483648 bytes, got 536870912 elements of 8 bytes/,
    );
    expect(ringMaxSize(12)).toBe(2 ** 27);
    expect(ringSizeFor(8, 1000, 'frames')).toBe(1024);
    expect(err(() => ringSizeFor(8, RING_MAX_BYTES, 'frames')).code).toBe(ErrorCode.INVALID_ARG);
    expect(err(() => RingBuffer.forFrames(16, 2 ** 30)).message).toMatch(/float32 frames .* exceed the 2147483648 bytes/);
  });

  it('whole frames and the record span', () => {
    expect(checkWholeFrames(12, 3, 'data')).toBe(4);
    expect(err(() => checkWholeFrames(7, 2, 'the source')).message).toBe(
      'the source has 7 samples, not a whole number of frames: a multiple of its 2 channels',
    );
    expect(() => checkOffset(-1, 10)).not.toThrow();
    expect(err(() => checkOffset(4, 5)).message).toBe('frames (4) must be >= offset (5)');
  });
});

describe('typed native arguments', () => {
  const data = new Float32Array(100).fill(0.5);
  const layout = { channels: 1, samplerate: 100 };

  it('a DSP call takes only its named choices (an unknown one was silently another)', () => {
    expect(() => dspFade(data, layout, 'sideways' as 'in', [0.1, 1])).toThrow(/sideways/);
    expect(() => dspMeasure(data, layout, 'loudness' as 'rms')).toThrow(/loudness/);
    expect(() => dspUnit('bogus' as 'dbamp', 1)).toThrow(/bogus/);
    expect(dspUnit('dbamp', 0)).toBe(1);
    expect(dspMeasure(data, layout, 'peak')).toEqual([0.5]);
    expect(dspFade(data, layout, 'in', [0.5, 1])[0]).toBe(0);
  });
});
