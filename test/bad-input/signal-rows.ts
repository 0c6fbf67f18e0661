// Bad-input rows of the signal toolkit, Server and Arecorder (the toolkit's
// every option is also tried in test/signal-args.test.ts).
import { Arecorder, ComplexSpectrum, Server, Signal, Stft, util } from '../../src/index';
import { bad, detachedFloat32, each, NOT_NUMBERS, NOT_OPTIONS, NOT_PATHS, sharedFloat32, type Row } from './values';

const I = 'ERR_INVALID_ARG';
const sig = () => new Signal(new Float32Array(20), { samplerate: 10, channels: 2, channelNames: ['l', 'r'] });
const fast = { device: 'virtual:null', channels: 2, blocksize: 64, speed: Infinity };

export function signalRows(): Row[] {
  return [
    {
      call: 'new Signal(data, opts)',
      input:
        'data not a Float32Array, an array of finite numbers or one array per channel (string, Float64Array with NaN, detached, ragged channels); opts not an object; an unknown key',
      code: I,
      says: /data|options|Signal|did you mean/,
      tries: [
        ...each(['abc', 5, null, detachedFloat32(), [1, NaN], [[1, 2], [1]], [[1], ['a']]], (v) => new Signal(v, { samplerate: 10 })),
        ...each(NOT_OPTIONS, (v) => new Signal(new Float32Array(2), v)),
        () => new Signal(new Float32Array(2), bad({ sampleRate: 10 })),
      ],
    },
    {
      call: 'new Signal(data, opts)',
      input:
        'samplerate not a finite number > 0; channels not an integer 1 to 65535; data not whole frames; channelNames not one string per channel',
      code: I,
      says: /samplerate|channels|frames|names|channelNames/,
      tries: [
        ...each([...NOT_NUMBERS, NaN, Infinity, -1, 0], (v) => new Signal(new Float32Array(2), { samplerate: v })),
        ...each([0, 1.5, 70000], (v) => new Signal(new Float32Array(2), { samplerate: 10, channels: v })),
        () => new Signal(new Float32Array(3), { samplerate: 10, channels: 2 }),
        ...each([['a'], 'ab', [1, 2]], (v) => new Signal(new Float32Array(2), { samplerate: 10, channels: 2, channelNames: v })),
      ],
    },
    {
      call: 'new Signal(data, opts)',
      input: 'data a Float32Array over a SharedArrayBuffer (kept, not copied)',
      code: 'accepted',
      tries: [() => new Signal(sharedFloat32(4), { samplerate: 10, channels: 2 })],
    },
    {
      call: 'Signal.load(path)',
      input: 'path not a string',
      code: I,
      error: 'TypeError',
      says: /path/,
      tries: each(NOT_PATHS, (v) => Signal.load(v)),
    },
    {
      call: 'Signal.sine / cos / square / sawtooth / noise(opts)',
      input:
        "freq, amp, dur, samplerate not finite (or dur < 0); dur and samples both; channels not 1 to 65535; duty or width outside 0 to 1; noise type not 'white' or 'pink'; more samples than an array holds; an unknown key",
      code: I,
      says: /freq|amp|dur|samples|channels|duty|width|white|more than|did you mean/,
      tries: [
        ...each([NaN, Infinity, '440'], (v) => Signal.sine({ freq: v })),
        () => Signal.cos({ dur: -1 }),
        () => Signal.sine({ dur: 1, samples: 10 }),
        () => Signal.sine({ channels: 0 }),
        () => Signal.square({ duty: 2 }),
        () => Signal.sawtooth({ width: -0.1 }),
        () => Signal.noise({ type: bad('brown') }),
        () => Signal.sine({ dur: 1e12 }),
        () => Signal.sine(bad({ frequency: 10 })),
      ],
    },
    {
      call: 'signal operations (gain, norm, mono, stereo, pan2, rewire, channel, fadeIn, fadeOut, envelope, adsr, resample, append, add, slice, sliceSamples, findEvents, spectrum, spectrogram, toSvg)',
      input: 'a value not a finite number, out of range, of the wrong kind, or an unknown key (each operation: test/signal-args.test.ts)',
      code: I,
      says: /must|no channel|not both|did you mean|needs/,
      tries: [
        () => sig().gain({ amp: 1, db: 0 }),
        () => sig().gain({ db: NaN }),
        () => sig().norm({ value: Infinity }),
        () => sig().mono([1]),
        () => sig().pan2(2),
        () => sig().channel('centre'),
        () => sig().rewire([['x', 0, 1]]),
        () => sig().fadeIn(-0.1),
        () => sig().envelope([0, 1], [0, 5]),
        () => sig().adsr(0.5, 0.5, 0.7, 0.5),
        () => sig().resample(NaN),
        () => sig().resample(48000, 0),
        () => sig().resample(48000, 1, bad('spline')),
        () => sig().envelope([0, 1], undefined, 1, bad('sinc')),
        () => sig().append(bad([])),
        () => sig().append(sig(), NaN),
        () => sig().add(sig(), { onset: -1 }),
        () => sig().slice({ start: NaN }),
        () => sig().sliceSamples(0.5),
        () => sig().sliceSamples(0, 4, 0),
        () => sig().findEvents({ stepDur: 0.01 }),
        () => sig().spectrogram({ nfft: 1 }),
        () => sig().toSvg(bad({ colour: 'red' })),
      ],
    },
    {
      call: 'signal.get(where) / set(where, value, { mode }) / add / sub / mul / div / rsub / rdiv / shiftChannel / selectEvent',
      input:
        'a frame out of range, a mask of another length, step 0, frames and time together, an unknown channel; a value of other channels or frames (no mode), an unknown mode, extend on a list or short range, overwrite on some channels; operands of unequal lengths or channels; a shift dropping every channel; selectEvent with neither index nor onset',
      code: I,
      says: /frame|mask|step|not both|channel|frames|mode|range|values|shift|selectEvent/,
      tries: [
        () => sig().get({ frames: 10 }),
        () => sig().get({ frames: [true, false] }),
        () => sig().get({ frames: { step: 0 } }),
        () => sig().get({ frames: 1, time: { start: 0 } }),
        () => sig().get({ channels: 'centre' }),
        () => sig().get({ channels: [true] }),
        () => sig().get(bad({ rows: 1 })),
        () => sig().set({ channels: 'l' }, [1, 2, 3]),
        () => sig().set(undefined, [[1], [2], [3]]),
        () => sig().set(undefined, 1, { mode: bad('b') }),
        () => sig().set({ frames: [0] }, [[1], [1]], { mode: 'extend' }),
        () =>
          sig().set(
            { frames: { start: 0, end: 2 } },
            [
              [1, 1, 1],
              [1, 1, 1],
            ],
            { mode: 'extend' },
          ),
        () => sig().set({ channels: 'l' }, [1], { mode: 'overwrite' }),
        () => sig().add(sig().sliceSamples(0, 3)),
        () => sig().mul(sig().mono()),
        () => sig().div(sig(), { mode: bad('x') }),
        () => sig().rsub([1, 2, 3]),
        () => sig().shiftChannel(-2),
        () => sig().selectEvent({}, [[0, 1]]),
      ],
    },
    {
      call: 'signal.get / set / add / sub / mul / div (the value)',
      input: 'a value not a Signal, number or array (string, object, null), an array with NaN',
      code: I,
      says: /value|must be/,
      tries: [...each(['1', {}, null, [1, NaN]], (v) => sig().mul(v)), ...each(['1', null], (v) => sig().set(undefined, v))],
    },
    {
      call: 'util.ampdb / dbamp / cpsmidi / midicps / linlin / clip / freqToBand',
      input: 'not a number (string, BigInt, null)',
      code: I,
      error: 'TypeError',
      says: /must be a number/,
      tries: [
        ...each(['1', 1n, null], (v) => util.ampdb(v)),
        ...each(['1'], (v) => util.dbamp(v)),
        ...each([null], (v) => util.cpsmidi(v)),
        ...each([1n], (v) => util.midicps(v)),
        () => util.linlin(bad('0'), 0, 1, 0, 1),
        () => util.clip(0, bad('x'), 1),
        () => util.freqToBand(bad('1000')),
      ],
    },
    {
      call: 'util.rms / maxAbs(data, channels) / noise / dB / fractionalOctaveFrequencies / normalizeFrequencies',
      input:
        'data not a Float32Array; channels not a whole divisor of the data; seconds, samplerate, ref not finite > 0; nthOct or base out of range; an unknown key',
      code: I,
      says: /data|channels|seconds|samplerate|ref|nthOct|base|freq|unknown option|must/,
      tries: [
        () => util.rms(bad([1, 2])),
        () => util.maxAbs(new Float32Array(3), 2),
        () => util.noise(1, 48000, -1),
        () => util.noise(1, NaN),
        () => util.dB(1, { ref: 0 }),
        () => util.dB(1, bad({ power: 1 })),
        () => util.fractionalOctaveFrequencies({ nthOct: 0 }),
        () => util.freqToBand(1000, { base: bad(3) }),
        () => util.normalizeFrequencies([440], 0),
        () => util.dB(1, bad({ reference: 1 })),
      ],
    },
    {
      call: 'new Server(opts) / new Arecorder(opts)',
      input: 'opts not an object; an unknown key (dtype is not a Server option)',
      code: I,
      says: /options|unknown option/,
      tries: [
        ...each(NOT_OPTIONS, (v) => new Server(v)),
        () => new Server(bad({ dtype: 'int16' })),
        () => new Arecorder(bad({ sampleRate: 48000 })),
      ],
    },
    {
      call: 'server.play(sound, opts) / arecorder.record() / stop()',
      input: 'before boot() (or after quit())',
      code: I,
      says: /not booted/,
      tries: [() => new Server(fast).play(new Float32Array(2)), () => new Arecorder(fast).record(), () => new Arecorder(fast).stop()],
    },
    {
      call: 'server.play(sound, opts)',
      input:
        'sound not a Signal or Float32Array; onset negative, NaN, Infinity; out negative, fractional or past the last output; an unknown key',
      code: I,
      says: /Signal|onset|out|unknown option/,
      tries: [
        ...each([null, 'a', [1, 2]], (v) => booted((s) => s.play(v))),
        ...each([-1, NaN, Infinity], (v) => booted((s) => s.play(new Float32Array(2), { onset: v }))),
        ...each([-1, 0.5, 2, 2 ** 40], (v) => booted((s) => s.play(new Float32Array(2), { out: v }))),
        () => booted((s) => s.play(new Float32Array(2), bad({ offset: 1 }))),
      ],
    },
    {
      call: 'signal.iirfilter(cutoffFreqs, opts) / signal.iirDesign(..)',
      input:
        "cutoffs not 1 (low/high-pass) or 2 rising (band) numbers strictly between 0 Hz and Nyquist; btype, ftype, filter not a known name; order not 1 to 32; rp / rs missing for cheby1 / cheby2 / ellip or not > 0, or given to a family without that ripple (butter, bessel; rs to cheby1, rp to cheby2); 'filtfilt' of a signal not longer than scipy's padlen; an unknown key",
      code: I,
      says: /cutoff|btype|ftype|filter|order|rp|rs|frames|worN|did you mean/,
      tries: [
        ...each([0, -1, 5, 6, NaN, [1, 2], [3, 2], 'a', null], (v) => sig().iirfilter(v, { btype: 'lowpass' })),
        ...each(['notch', 5], (v) => sig().iirfilter(1, { btype: v })),
        ...each(['elliptic', 'fir'], (v) => sig().iirfilter(1, { btype: 'lowpass', ftype: v })),
        () => sig().iirfilter(1, { btype: 'lowpass', ftype: 'ellip', rp: 1 }),
        () => sig().iirfilter(1, { btype: 'lowpass', ftype: 'ellip', rs: 40 }),
        ...each(['sosfilt', 1], (v) => sig().iirfilter(1, { btype: 'lowpass', filter: v })),
        ...each([0, 1.5, 33, NaN], (v) => sig().iirDesign(1, { btype: 'lowpass', order: v })),
        () => sig().iirfilter(1, { btype: 'lowpass', ftype: 'cheby1' }),
        () => sig().iirfilter(1, { btype: 'lowpass', rp: 1 }),
        () => sig().iirfilter(1, { btype: 'lowpass', ftype: 'bessel', rs: 40 }),
        () => sig().iirfilter(1, { btype: 'lowpass', ftype: 'cheby1', rp: 1, rs: 40 }),
        ...each([0, -1, NaN], (v) => sig().iirfilter(1, { btype: 'lowpass', ftype: 'cheby2', rs: v })),
        () => sig().iirfilter(1, { btype: 'lowpass', filter: 'filtfilt' }),
        () => sig().iirfilter(1, bad({ btype: 'lowpass', type: 'butter' })),
        ...each([0, 2 ** 25, 1.5], (v) => sig().iirDesign(1, { btype: 'lowpass' }).freqz(v)),
      ],
    },
    {
      call: 'signal.toStft(opts)',
      input:
        "an empty signal; nperseg not an integer >= 2; noverlap not 0 to nperseg - 1; window not 'hann', 'hamming', 'blackman' or 'rect'; an unknown key",
      code: I,
      says: /frames|nperseg|noverlap|window|did you mean/,
      tries: [
        () => new Signal(new Float32Array(0), { samplerate: 10 }).toStft(),
        ...each([1, 0, 2.5, NaN], (v) => sig().toStft({ nperseg: v })),
        ...each([-1, 4, 1.5], (v) => sig().toStft({ nperseg: 4, noverlap: v })),
        ...each(['kaiser', 3], (v) => sig().toStft({ window: v })),
        () => sig().toStft(bad({ nfft: 4 })),
      ],
    },
    {
      call: 'signal.toSpec().weight(weights, freqs, curve, kind)',
      input:
        'weights not finite numbers (at least 2 without freqs); freqs not rising, or not one per weight; curve not finite; kind not an interp1d kind',
      code: I,
      says: /weights|freqs|increasing|curve|kind/,
      tries: [
        ...each([[1], [1, NaN], 'a', null], (v) => sig().toSpec().weight(v)),
        ...each([[2, 1], [1], 'a'], (v) => sig().toSpec().weight([1, 2], v)),
        ...each([NaN, Infinity], (v) => sig().toSpec().weight([1, 2], undefined, v)),
        ...each(['spline', 2], (v) => sig().toSpec().weight([1, 2], undefined, 1, v)),
      ],
    },
    {
      call: 'signal.window(win) / signal.windowOp(nperseg, stride, win, fn, pad)',
      input:
        "win not a scipy window name pya lists; nperseg or stride not an integer >= 1; fn not 'rms' or a function returning one number per channel; pad not 'mirror'",
      code: I,
      says: /win|nperseg|stride|fn|pad/,
      tries: [
        ...each(['kaiser', 3], (v) => sig().window(v)),
        ...each([0, 1.5, NaN], (v) => sig().windowOp(v)),
        ...each([0, -1], (v) => sig().windowOp(2, v)),
        ...each(['peak', 3, () => [1]], (v) => sig().windowOp(2, 1, 'hann', v)),
        ...each(['zeros', 1], (v) => sig().windowOp(2, 1, 'hann', 'rms', v)),
      ],
    },
    {
      call: 'signal.convolve(ir, opts)',
      input:
        "ir not a Signal or samples (a number, a string, an empty array, 3 channels for a 2-channel signal); mode, method, norm not one of scipy's / pya's names; an unknown key",
      code: I,
      says: /ir|value|frames|channel|mode|method|norm|did you mean/,
      tries: [
        ...each([3, 'ab', null, [], [[1], [1], [1]]], (v) => sig().convolve(v)),
        ...each(['circular', 1], (v) => sig().convolve([1], { mode: v })),
        ...each(['overlap', 1], (v) => sig().convolve([1], { method: v })),
        ...each(['energy', 1], (v) => sig().convolve([1], { norm: v })),
        () => sig().convolve([1], bad({ mode: 'full', kind: 'fft' })),
      ],
    },
    {
      call: 'signal.overlapAdd(opts)',
      input:
        "nperseg, strideIn, strideOut not an integer >= 1; jitterIn, jitterOut not an integer >= 0; win not a scipy window name pya lists; pad not 'mirror'; seed not an integer; an unknown key",
      code: I,
      says: /nperseg|strideIn|strideOut|jitterIn|jitterOut|win|pad|seed|did you mean/,
      tries: [
        ...each([0, 1.5, NaN, 'a'], (v) => sig().overlapAdd({ nperseg: v })),
        ...each([0, -1], (v) => sig().overlapAdd({ strideIn: v })),
        ...each([0, 2.5], (v) => sig().overlapAdd({ strideOut: v })),
        ...each([-1, 0.5], (v) => sig().overlapAdd({ jitterIn: v })),
        ...each([-1, 'a'], (v) => sig().overlapAdd({ jitterOut: v })),
        ...each(['kaiser', 3], (v) => sig().overlapAdd({ win: v })),
        ...each(['zeros', 1], (v) => sig().overlapAdd({ pad: v })),
        ...each([1.5, NaN], (v) => sig().overlapAdd({ seed: v })),
        () => sig().overlapAdd(bad({ stride: 4 })),
      ],
    },
    {
      call: 'signal.equals(other)',
      input: 'other not a Signal',
      code: I,
      says: /Signal/,
      tries: [...each([[0, 0], 3, null, 'a'], (v) => sig().equals(v))],
    },
    {
      call: "signal.toSvg / spectrum().toSvg / toSpec().toSvg / toStft().toSvg (pya's plot options)",
      input: 'offset or scale not a finite number (scale > 0); xlim not [low, high] within 0 to Nyquist; a channel out of range',
      code: I,
      says: /offset|scale|xlim|channel/,
      tries: [
        ...each([Number.NaN, 'a', Infinity], (v) => sig().toSvg({ offset: v as number })),
        ...each([Number.NaN, 0, -1], (v) => sig().spectrum().toSvg({ scale: v })),
        ...each([[0, 6], [3, 1], [1], 'a'], (v) =>
          sig()
            .toSpec()
            .toSvg({ xlim: v as [number, number] }),
        ),
        () => sig().spectrum().toSvg({ offset: Number.NaN }),
        () => sig().toStft().toSvg({ channel: 2 }),
      ],
    },
    {
      call: "new ComplexSpectrum(...) / new Stft(...) (pya's Aspec(x) / Astft(x))",
      input: 'anything: they are made by signal.toSpec() / toStft()',
      code: I,
      error: 'TypeError',
      says: /new Signal\(array, \{ samplerate \}\)/,
      tries: [
        ...each([3, null, new Float32Array(4)], (v) => new ComplexSpectrum(v as never)),
        ...each([3, null, new Float32Array(4)], (v) => new Stft(v as never, undefined, undefined as never)),
      ],
    },
    {
      call: 'arecorder.setTracks(tracks, gainsDb)',
      input: 'tracks not a non-empty array of channels >= 0; gainsDb not one finite number per track',
      code: I,
      says: /tracks|gainsDb/,
      tries: [
        ...each([[], [-1], [0.5], 'ab', null], (v) => new Arecorder(fast).setTracks(v)),
        ...each([[1, 2], [NaN], 'a'], (v) => new Arecorder(fast).setTracks([0], v)),
      ],
    },
  ];
}

/** Calls `fn` on a booted server, then quits it. */
async function booted(fn: (s: Server) => unknown): Promise<unknown> {
  const s = await new Server(fast).boot();
  try {
    return fn(s);
  } finally {
    await s.quit();
  }
}
