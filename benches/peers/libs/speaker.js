// speaker (mpg123's ALSA output), as its README streams: a Writable, write()
// / 'drain'; end() and 'close' for the tail. Device: ALSA `loopback`.
'use strict';
const { once } = require('node:events');
const Speaker = require('speaker');
const { bytes, writeDrained } = require('./common');

function make({ samplerate, channels }) {
  return new Speaker({ channels, bitDepth: 16, sampleRate: samplerate, signed: true, device: 'loopback' });
}

module.exports = {
  format: 'i16',
  how: 'Writable, write() / drain',
  async open(opts) {
    const sp = make(opts);
    const errors = [];
    sp.on('error', (e) => errors.push(String(e.message ?? e)));
    return {
      write: (chunk) => writeDrained(sp, chunk),
      async end() {
        const closed = once(sp, 'close');
        sp.end();
        await closed;
      },
      report: () => ({ errors }),
    };
  },
  async playAll(x, opts) {
    const sp = make(opts);
    const closed = once(sp, 'close');
    sp.end(bytes(x));
    await closed;
  },
};
