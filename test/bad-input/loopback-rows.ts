// Bad-input rows of loopback capture (`loopback: true`): the streams and the mixers, which take the same option.
import { DuplexStream, InputStream, Mixer, MixerAndRecorder, OutputStream, Recorder, type Stream } from '../../src/index';
import { bad, each, type Row } from './values';

const I = 'ERR_INVALID_ARG';

/** `fast`: options of a virtual device that opens at once. */
export function loopbackRows(track: <T extends Stream>(s: T) => T, fast: Record<string, unknown>): Row[] {
  return [
    {
      call: 'new InputStream(opts), Recorder',
      input: "loopback not a boolean ('yes', 1)",
      code: I,
      error: 'TypeError',
      says: /loopback must be a boolean/,
      tries: [
        ...each(['yes', 1], (v) => track(new InputStream(bad({ ...fast, loopback: v })))),
        () => track(new Recorder(bad({ ...fast, loopback: 'yes' }))),
      ],
    },
    {
      call: 'new OutputStream / DuplexStream(opts), Mixer, MixerAndRecorder',
      input: 'loopback: true (only an input stream records what a device plays)',
      code: I,
      says: /loopback records what a device plays: it needs an input-only stream/,
      tries: [
        () => track(new OutputStream(bad({ ...fast, loopback: true }))),
        () => track(new DuplexStream(bad({ ...fast, loopback: true }))),
        () => track(new Mixer(bad({ ...fast, loopback: true }))),
        () => track(new MixerAndRecorder(bad({ ...fast, loopback: true }))),
      ],
    },
    {
      call: 'new InputStream(opts), Recorder',
      input: "loopback: true on a device that cannot be recorded ('virtual:null'; devices() lists loopback: false)",
      code: 'ERR_UNSUPPORTED_CONFIG',
      says: /virtual:null cannot be recorded \(loopback\)/,
      tries: [() => track(new InputStream({ ...fast, loopback: true })), () => track(new Recorder({ ...fast, loopback: true }))],
    },
  ];
}
