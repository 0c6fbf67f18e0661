import * as native from '../native/addon.js';
import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';
import { checkNumber, nearest } from '../common/validate.js';
import { BUFFER_SIZE_DEFAULT } from '../native/protocol.js';

/** Sample types a stream can exchange with JavaScript. */
export type Dtype = 'float32' | 'int16' | 'int32';

/** The typed array for each {@link Dtype}. */
export type SampleArray = Float32Array | Int16Array | Int32Array;

/** The typed array of each {@link Dtype}, by name. */
export interface SampleArrays {
  /** 32-bit float samples. */
  float32: Float32Array;
  /** 16-bit integer samples. */
  int16: Int16Array;
  /** 32-bit integer samples. */
  int32: Int32Array;
}

/** The typed array of dtype `D` (`Float32Array` for `'float32'`); for the union {@link Dtype}, any of them. */
export type SampleArrayOf<D extends Dtype> = SampleArrays[D];

/** Process-wide defaults every stream constructor falls back to. */
export interface Defaults {
  /**
   * Host name, e.g. `'virtual'` or `'alsa'`; `undefined` (the default): the
   * host a device id names, else the system's default host, falling back to
   * the virtual device where there is no real one.
   */
  host: string | undefined;
  /** Device id, index, or name substring; `undefined` = the host's default. */
  device: string | number | undefined;
  /** Frames per second. */
  samplerate: number;
  /** Frames per callback. */
  blocksize: number;
  /** Channels of the data (for DuplexStream, `[input, output]` allowed). */
  channels: number | [number, number];
  /** Sample type of the data exchanged with JS. */
  dtype: Dtype;
  /** Suggested latency in seconds, or `'low'` / `'high'`. */
  latency: number | 'low' | 'high';
  /** Frames of the rings between JS (or file threads) and the audio thread; a power of two. */
  bufferSize: number;
}

const DTYPES: readonly Dtype[] = ['float32', 'int16', 'int32'];

/** @internal Validators shared by `defaults` and the stream constructors. */
export const check = {
  host(v: unknown): string {
    if (typeof v !== 'string') throw invalidType(`host must be a host name (a string), got ${describe(v)}`);
    if (v === '') throw invalidArg('host must be a host name, got an empty string');
    return v;
  },
  optionalHost(v: unknown): string | undefined {
    return v === undefined ? undefined : check.host(v);
  },
  device(v: unknown): string | number | undefined {
    if (
      v === undefined ||
      (typeof v === 'string' && v !== '') ||
      (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff)
    ) {
      return v as string | number | undefined;
    }
    throw invalidArg(`device must be an id, a name substring or an index, got ${String(v)}`);
  },
  // The limits are the core's (one rule, in Rust); JS checks the kind of value first.
  samplerate(v: unknown): number {
    return native.checkSamplerate(checkNumber(v, 'samplerate'));
  },
  blocksize(v: unknown): number {
    checkNumber(v, 'blocksize');
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 0xffffffff) {
      throw invalidArg(`blocksize must be 0 (the host chooses) or a positive integer of frames, got ${describe(v)}`);
    }
    native.checkBlocksize(v as number);
    return v as number;
  },
  channelCount(v: unknown, what = 'channels'): number {
    checkNumber(v, what);
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 0xffffffff) {
      throw invalidArg(`${what} must be a positive integer, got ${describe(v)}`);
    }
    native.checkChannels(v as number, what);
    return v as number;
  },
  channels(v: unknown): number | [number, number] {
    if (Array.isArray(v) && v.length === 2) {
      return [check.channelCount(v[0], 'input channels'), check.channelCount(v[1], 'output channels')];
    }
    return check.channelCount(v);
  },
  dtype(v: unknown): Dtype {
    if (!DTYPES.includes(v as Dtype)) throw invalidArg(`dtype must be one of ${DTYPES.join(', ')}, got ${String(v)}`);
    return v as Dtype;
  },
  latency(v: unknown): number | 'low' | 'high' {
    if (v === 'low' || v === 'high' || (typeof v === 'number' && v >= 0 && Number.isFinite(v))) return v;
    throw invalidArg(`latency must be 'low', 'high' or seconds >= 0, got ${String(v)}`);
  },
  bufferSize(v: unknown): number {
    return native.checkBufferSize(checkNumber(v, 'bufferSize'));
  },
};

const values: Defaults = {
  host: undefined,
  device: undefined,
  samplerate: 48000,
  blocksize: 512,
  channels: 2,
  dtype: 'float32',
  latency: 'low',
  bufferSize: BUFFER_SIZE_DEFAULT,
};

const KEYS = Object.keys(values) as (keyof Defaults)[];
const INITIAL: Readonly<Defaults> = Object.freeze({ ...values });

/** {@link Defaults} with a way back to the values it started with. */
export interface DefaultsStore extends Defaults {
  /** Puts every default back to its initial value (OsSom's `config` reset). */
  reset(): void;
}

/** The defaults as a plain object: what `console.log(defaults)` shows. */
const snapshot = (): Defaults => ({ ...values });

/** A name that is not a default (a typo such as `sampleRate`): ERR_INVALID_ARG with the nearest known name. */
function unknownDefault(key: string | symbol): Error {
  const name = String(key);
  return invalidArg(`unknown default '${name}'; did you mean '${nearest(name, KEYS)}'? (known: ${KEYS.join(', ')})`);
}

/**
 * The process-wide defaults (like `sounddevice.default`). Assigning an invalid
 * value throws `ERR_INVALID_ARG` and keeps the old one; so does assigning a
 * name that is not a default (`sampleRate` for `samplerate`).
 */
export const defaults: DefaultsStore = guarded(
  Object.seal(
    Object.defineProperties(
      // Not enumerable: `Object.keys(defaults)` and spreads list the defaults only.
      Object.defineProperties(
        {},
        {
          reset: { value: () => void Object.assign(values, INITIAL) },
          toJSON: { value: snapshot },
          [Symbol.for('nodejs.util.inspect.custom')]: { value: snapshot },
        },
      ),
      Object.fromEntries(
        (Object.keys(values) as (keyof Defaults)[]).map((k) => [
          k,
          {
            enumerable: true,
            get: () => values[k],
            set: (v: unknown) => {
              const validate = k === 'host' ? check.optionalHost : (check[k] as (x: unknown) => unknown);
              (values as unknown as Record<string, unknown>)[k] = validate(v);
            },
          },
        ]),
      ),
    ) as DefaultsStore,
  ),
);

/** `d` behind a Proxy that refuses unknown names with a coded error (a sealed object alone throws a bare TypeError). */
function guarded(d: DefaultsStore): DefaultsStore {
  return new Proxy(d, {
    set(target, key, value) {
      if (typeof key !== 'string' || !(KEYS as string[]).includes(key)) throw unknownDefault(key);
      return Reflect.set(target, key, value);
    },
    defineProperty(_target, key) {
      throw unknownDefault(key);
    },
    deleteProperty(_target, key) {
      throw invalidArg(`the default '${String(key)}' cannot be deleted; assign a value instead`);
    },
  });
}

/** @internal The typed array class for `dtype`. */
export function arrayFor(dtype: Dtype): Float32ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor {
  return dtype === 'float32' ? Float32Array : dtype === 'int16' ? Int16Array : Int32Array;
}
