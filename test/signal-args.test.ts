import { describe, expect, it } from 'vitest';
import { Signal } from '../src/index';

/** What `fn` threw; fails if it did not throw. */
function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected an error');
}

function bad(fn: () => unknown, type: ErrorConstructor, message: RegExp) {
  const e = thrown(fn);
  expect(e.code, e.message).toBe('ERR_INVALID_ARG');
  expect(e).toBeInstanceOf(type);
  expect(e.message).toMatch(message);
}

const s = () => new Signal(new Float32Array(20), { samplerate: 10, channels: 2, channelNames: ['l', 'r'] });

describe('every bad argument is ERR_INVALID_ARG with what was expected', () => {
  it('construction', () => {
    bad(() => new Signal(new Float32Array(3), { samplerate: 10, channels: 2 }), RangeError, /whole number of frames/);
    bad(() => new Signal(new Float32Array(2), { samplerate: NaN }), RangeError, /samplerate must be a finite number/);
    bad(() => new Signal(new Float32Array(2), { samplerate: -1 }), RangeError, /above 0/);
    bad(() => new Signal(new Float32Array(2), { sampleRate: 10 } as never), RangeError, /did you mean 'samplerate'/);
    bad(() => new Signal('abc' as never, { samplerate: 10 }), TypeError, /Float32Array/);
    bad(() => new Signal([1, NaN], { samplerate: 10 }), RangeError, /data\[1\] must be a finite number/);
    bad(() => new Signal(new Float32Array(2), { samplerate: 1, channels: 2, channelNames: ['a'] }), RangeError, /2 names/);
  });

  it('generators', () => {
    bad(() => Signal.sine({ dur: -1 }), RangeError, /dur must be a duration of 0 seconds or more/);
    bad(() => Signal.sine({ freq: NaN }), RangeError, /freq must be a finite number/);
    bad(() => Signal.sine({ dur: 1, samples: 10 }), RangeError, /dur or samples/);
    bad(() => Signal.sine({ frequency: 10 } as never), RangeError, /did you mean 'freq'/);
    bad(() => Signal.square({ duty: 2 }), RangeError, /duty must be from 0 to 1/);
    bad(() => Signal.sawtooth({ width: -0.1 }), RangeError, /width must be from 0 to 1/);
    bad(() => Signal.noise({ type: 'brown' as never }), RangeError, /'white' or 'pink'/);
    bad(() => Signal.sine({ channels: 0 }), RangeError, /channels must be an integer from 1/);
    bad(() => Signal.sine({ amp: '1' as never }), TypeError, /amp must be a number/);
    bad(() => Signal.sine({ dur: 1e12 }), RangeError, /more than the 4294967295 an array can/);
  });

  it('operations', () => {
    bad(() => s().gain({ amp: 1, db: 0 }), RangeError, /not both/);
    bad(() => s().gain({ amp: [1, 2, 3] }), RangeError, /one per channel \(2\)/);
    bad(() => s().gain({ db: NaN }), RangeError, /db must be a finite number/);
    bad(() => s().channel('centre'), RangeError, /no channel named 'centre': its channels are 'l', 'r'/);
    bad(() => s().channel(2), RangeError, /channel must be an integer from 0 to 1/);
    bad(() => s().rewire([['x', 0, 1]]), RangeError, /no channel named 'x'/);
    bad(() => s().pan2(2), RangeError, /pan must be from -1/);
    bad(() => s().mono([1]), RangeError, /one gain per channel/);
    bad(() => s().fadeIn(-0.1), RangeError, /dur must be a duration of 0 seconds or more/);
    bad(() => s().fadeOut(0.1, 0), RangeError, /curve must be above 0/);
    bad(() => s().envelope([0, 1], [0, 5]), RangeError, /times must lie within the signal/);
    bad(() => s().envelope([0, 1], [0.5, 0.2]), RangeError, /times must not decrease/);
    bad(() => s().envelope([0, 1], [0]), RangeError, /one time per amplitude/);
    bad(() => s().adsr(0.5, 0.5, 0.7, 0.5), RangeError, /must fit in the signal/);
    bad(() => s().resample(44100.5), RangeError, /whole number of frames per second/);
    bad(() => s().resample(NaN), RangeError, /finite/);
    bad(() => s().resample(1e9), RangeError, /reduces to 1:100000000; resampling needs both terms at most/);
    const second = new Signal(new Float32Array(96000), { samplerate: 48000, channels: 2 });
    bad(() => second.resample(48000 * 50000), RangeError, /more than the 4294967295/);
    bad(() => s().add(s(), { pos: 2 ** 40 }), RangeError, /more than the 4294967295/);
    bad(() => s().append(new Signal(new Float32Array(3), { samplerate: 10 })), RangeError, /same number of channels/);
    bad(() => s().append([] as never), TypeError, /must be a Signal/);
    bad(() => s().add(s(), { pos: 1, onset: 0.1 }), RangeError, /not both/);
    bad(() => s().add(s(), { onset: -1 }), RangeError, /onset must be a duration/);
    bad(() => s().slice({ start: NaN }), RangeError, /start must be a finite number/);
    bad(() => s().sliceSamples(0.5), RangeError, /start must be an integer/);
    bad(() => s().findEvents({ stepDur: 0.01 }), RangeError, /at least one frame/);
    bad(() => s().findEvents({ silPad: [1, 2, 3] as never }), RangeError, /\[before, after\]/);
    bad(() => s().findEvents({ stepdur: 0.1 } as never), RangeError, /did you mean 'stepDur'/);
    bad(() => s().norm({ value: Infinity }), RangeError, /value must be a finite number/);
    bad(() => s().spectrogram({ nfft: 1 }), RangeError, /nfft must be an integer from 2/);
    bad(() => s().spectrogram({ window: 'kaiser' as never }), RangeError, /'hann', 'hamming', 'blackman' or 'rect'/);
    bad(() => new Signal(new Float32Array(0), { samplerate: 1 }).spectrum(), RangeError, /empty signal/);
    bad(() => s().toSvg({ width: 10 }), RangeError, /width must be an integer from/);
    bad(() => s().spectrogram({ nfft: 4 }).toSvg({ rangeDb: -1 }), RangeError, /rangeDb must be above 0/);
    bad(
      () =>
        s()
          .spectrogram({ nfft: 4 })
          .toPng({ rangeDb: 'loud' as never }),
      TypeError,
      /rangeDb must be a number/,
    );
    bad(() => s().spectrogram({ nfft: 4 }).toSvg({ channel: 2 }), RangeError, /channel must be an integer from 0 to 1/);
    bad(
      () =>
        s()
          .spectrum()
          .toSvg({ title: 5 as never }),
      TypeError,
      /title must be a string/,
    );
    bad(() => s().toSvg({ colour: 'red' } as never), RangeError, /unknown option 'colour'/);
  });
});
