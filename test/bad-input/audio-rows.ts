// Bad-input rows of readAudio, writeAudio, AudioReader and AudioWriter.
import { AudioReader, AudioWriter, readAudio, Signal, writeAudio } from '../../src/index';
import { bad, each, NOT_OPTIONS, NOT_PATHS, NOT_SAMPLES, type Row } from './values';

const I = 'ERR_INVALID_ARG';
const U = 'ERR_UNSUPPORTED_FORMAT';
const spec = { samplerate: 8000, channels: 2 };
const data = new Float32Array(4);

/** The rows; `file(name)` is a path in a scratch directory. */
export function audioRows(file: (name: string) => string): Row[] {
  return [
    {
      call: 'readAudio(path) / AudioReader.open(path)',
      input: 'path not a string, empty or with NUL',
      code: I,
      says: /path/,
      tries: [...each([...NOT_PATHS, '', 'a\0b'], (v) => readAudio(v)), ...each([...NOT_PATHS, ''], (v) => AudioReader.open(v))],
    },
    {
      call: 'readAudio(path) / AudioReader.open(path) / Signal.load(path)',
      input: 'not an audio file ringstream reads (text, an empty file)',
      code: U,
      error: 'Error',
      says: /not an audio file ringstream reads|is empty/,
      tries: [() => readAudio(file('text.wav')), () => AudioReader.open(file('text.wav')), () => Signal.load(file('text.wav'))],
    },
    {
      call: 'readAudio(path, options) / AudioReader.open(path, options)',
      input: 'options or options.raw not an object; an unknown key; a raw spec without encoding or with an unknown one',
      code: I,
      says: /options|raw|encoding|rate/,
      tries: [
        ...each(NOT_OPTIONS, (v) => readAudio(file('text.wav'), v)),
        () => readAudio(file('text.wav'), bad({ raw: { samplerate: 8000, channels: 1, encoding: 'pcm_16' }, rate: 1 })),
        () => AudioReader.open(file('text.wav'), bad({ raw: { samplerate: 8000, channels: 1 } })),
      ],
    },
    {
      call: 'writeAudio(path, data, spec)',
      input: 'data not a Float32Array; spec not an object or with an unknown key (sampleRate)',
      code: I,
      says: /data|spec|sampleRate/,
      tries: [
        ...each(NOT_SAMPLES, (v) => writeAudio(file('w.flac'), v, spec)),
        ...each(NOT_OPTIONS, (v) => writeAudio(file('w.flac'), data, v)),
        () => writeAudio(file('w.flac'), data, bad({ sampleRate: 8000, channels: 2 })),
      ],
    },
    {
      call: 'writeAudio(path, data, spec)',
      input:
        'a format not written (.mp3, .ogg, .caf), a format its extension contradicts, no extension and no format, an encoding the format cannot hold (float FLAC, µ-law AIFF, pcm_s8 WAV) or an unknown one',
      code: U,
      error: 'Error',
      says: /can be read but not written|names a|cannot tell which format|are written as|encoding must be one of/,
      tries: [
        ...each(['x.mp3', 'x.ogg', 'x.caf', 'x.take'], (v) => writeAudio(file(v), data, spec)),
        () => writeAudio(file('x.wav'), data, { ...spec, format: 'flac' }),
        () => writeAudio(file('x.flac'), data, { ...spec, encoding: 'float' }),
        () => writeAudio(file('x.aiff'), data, { ...spec, encoding: 'ulaw' }),
        () => writeAudio(file('x.wav'), data, { ...spec, encoding: 'pcm_s8' }),
        () => writeAudio(file('x.au'), data, bad({ ...spec, encoding: 'mp3' })),
      ],
    },
    {
      call: 'AudioWriter.create(path, spec) / new AudioWriter(path, spec)',
      input: "path not a string or ''; spec not an object or with an unknown key (sampleRate); samplerate or channels 0",
      code: I,
      says: /path|spec|sampleRate|samplerate|channels/,
      tries: [
        ...each([...NOT_PATHS, ''], (v) => AudioWriter.create(v, spec)),
        ...each(NOT_OPTIONS, (v) => new AudioWriter(file('w.flac'), v)),
        () => AudioWriter.create(file('w.flac'), bad({ sampleRate: 8000, channels: 2 })),
        () => AudioWriter.create(file('w.flac'), { ...spec, samplerate: 0 }),
        () => AudioWriter.create(file('w.flac'), { ...spec, channels: 0 }),
      ],
    },
    {
      call: 'AudioWriter.create(path, spec)',
      input:
        'a format not written (.mp3, .ogg, .caf), a format its extension contradicts, no extension and no format, an encoding the format cannot hold (float FLAC, µ-law AIFF) or an unknown one',
      code: U,
      error: 'Error',
      says: /can be read but not written|names a|cannot tell which format|are written as|encoding must be one of/,
      tries: [
        ...each(['x.mp3', 'x.ogg', 'x.caf', 'x.take', 'x'], (v) => AudioWriter.create(file(v), spec)),
        () => AudioWriter.create(file('x.wav'), { ...spec, format: 'flac' }),
        () => AudioWriter.create(file('x.flac'), { ...spec, encoding: 'float' }),
        () => AudioWriter.create(file('x.aiff'), { ...spec, encoding: 'ulaw' }),
        () => AudioWriter.create(file('x.au'), bad({ ...spec, encoding: 'mp3' })),
      ],
    },
    {
      call: 'audioWriter.write(data)',
      input: 'data not a Float32Array or not whole frames; the writer closed',
      code: I,
      says: /data|frames|closed/,
      tries: [
        ...each(NOT_SAMPLES, (v) => AudioWriter.create(file('w1.flac'), spec).write(v)),
        () => AudioWriter.create(file('w2.flac'), spec).write(new Float32Array(3)),
        () => {
          const w = AudioWriter.create(file('w3.au'), spec);
          w.close();
          w.write(data);
        },
      ],
    },
    {
      call: 'signal.save(path, { format?, encoding? })',
      input:
        'a format not written (.mp3), a format its extension contradicts, an encoding the format cannot hold (µ-law AIFF) or an unknown one',
      code: U,
      error: 'Error',
      says: /can be read but not written|names a|are written as|encoding must be one of/,
      tries: [
        () => new Signal(data, spec).save(file('s.mp3')),
        () => new Signal(data, spec).save(file('s.wav'), { format: 'flac' }),
        () => new Signal(data, spec).save(file('s.aiff'), { encoding: 'ulaw' }),
        () => new Signal(data, spec).save(file('s.au'), { encoding: bad('mp3') }),
      ],
    },
    {
      call: 'signal.save(path, options)',
      input: 'options not an object or with an unknown key; format or encoding not a string',
      code: I,
      says: /options|format|encoding/,
      tries: [
        ...each(NOT_OPTIONS, (v) => new Signal(data, spec).save(file('s.wav'), v)),
        () => new Signal(data, spec).save(file('s.wav'), bad({ dtype: 'i16' })),
        () => new Signal(data, spec).save(file('s.wav'), { format: bad(16) }),
        () => new Signal(data, spec).save(file('s.wav'), { encoding: bad(16) }),
      ],
    },
  ];
}
