// ringstream on the JACK host (`jack:default`), for the first-sound figure
// only: the recorder hears the sandbox's `loopback` client, so the stream's
// own JACK ports are connected to it (jack_connect) between the open and
// `play()`. The stream's device runs from the open (its gate closed), so
// nothing sounds before `play()`; the connection time is handed back and
// taken off the call-to-first-sound figure (child.js, `pausedNs`).
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const rs = require(path.resolve(__dirname, '../../../dist/index.js'));

const outPorts = () =>
  new Set(
    execFileSync('jack_lsp', { encoding: 'utf8' })
      .split('\n')
      .filter((p) => /:out_\d+$/.test(p)),
  );

module.exports = {
  format: 'f32',
  how: '`play()` on `jack:default`',
  async playAll(x, { samplerate, channels }) {
    const s = new rs.OutputStream({ device: 'jack:default', samplerate, channels });
    const t0 = process.hrtime.bigint();
    const latencyMs = s.latency[1] * 1000;
    const mine = [...outPorts()].filter((p) => !before.has(p)).sort();
    if (mine.length !== channels) throw new Error(`expected ${channels} new JACK output ports, found ${mine.join(', ')}`);
    mine.forEach((p, i) => execFileSync('jack_connect', [p, `loopback:input_${i + 1}`]));
    const pausedNs = Number(process.hrtime.bigint() - t0);
    await s.play(x);
    await s.close();
    return { pausedNs, openedNs: Number(t0) + pausedNs, latencyMs };
  },
};

/** The output ports before this process made any (read when the module loads, before timing). */
const before = outPorts();
