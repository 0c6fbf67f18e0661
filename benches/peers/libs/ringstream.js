// ringstream, as its README streams: a Node Writable (`toWritable()`) with
// backpressure on ALSA `loopback`; `play()` then `close()` for the tail;
// `playrec()` on a DuplexStream for the round trip.
'use strict';
const path = require('node:path');
const { finished } = require('node:stream/promises');
const rs = require(path.resolve(__dirname, '../../../dist/index.js'));
const { writeDrained } = require('./common');

const DEVICE = 'alsa:loopback';

module.exports = {
  format: 'f32',
  how: '`toWritable()`, write() / drain',
  /** variant 'small': bufferSize 4096 frames (85 ms), less than the 300 ms stall. */
  async open({ samplerate, channels, variant }) {
    const s = new rs.OutputStream({ device: DEVICE, samplerate, channels, ...(variant === 'small' ? { bufferSize: 4096 } : {}) });
    const events = [];
    s.on('xrun', (e) => events.push({ xruns: e.xruns, framesLost: e.framesLost, at: e.time }));
    const w = s.toWritable();
    let report;
    return {
      write: (chunk) => writeDrained(w, chunk),
      async end() {
        w.end();
        await finished(w);
        report = { xruns: s.xruns, framesLost: s.framesLost, events };
        await s.close();
      },
      report: () => report,
    };
  },
  async playAll(x, { samplerate, channels }) {
    const s = new rs.OutputStream({ device: DEVICE, samplerate, channels });
    const openedNs = Number(process.hrtime.bigint());
    const latencyMs = s.latency[1] * 1000;
    await s.play(x);
    await s.close();
    return { openedNs, latencyMs };
  },
  async duplex(x, { samplerate, channels }) {
    const d = new rs.DuplexStream({ device: DEVICE, samplerate, channels });
    const rec = await d.playrec(x, { pad: samplerate / 2 });
    const reported = Math.round((d.latency[0] + d.latency[1]) * samplerate);
    await d.close();
    return { recorded: rec, reported };
  },
};
