// @echogarden/audio-io, as its README streams: createAudioOutput() with a
// handler that fills the device buffer (int16) from a queue the feeder keeps
// LEAD_SECONDS deep; bufferDuration left at its default (100 ms). The tail
// uses its own one-shot playInt16Samples(). Output only: no duplex.
'use strict';
const { createAudioOutput, playInt16Samples } = require('@echogarden/audio-io');
const { signal, LEAD_SECONDS } = require('./common');

module.exports = {
  format: 'i16',
  how: 'createAudioOutput() handler pulls from a queue',
  async open({ samplerate, channels }) {
    const queue = [];
    let queued = 0; // samples
    let head = 0;
    const sig = signal();
    const handler = (out) => {
      let o = 0;
      while (o < out.length && queue.length) {
        const c = queue[0];
        const n = Math.min(out.length - o, c.length - head);
        out.set(c.subarray(head, head + n), o);
        o += n;
        head += n;
        if (head === c.length) {
          queue.shift();
          head = 0;
        }
      }
      out.fill(0, o);
      queued -= o;
      sig.wake();
    };
    const output = await createAudioOutput({ sampleRate: samplerate, channelCount: channels }, handler);
    const lead = LEAD_SECONDS * samplerate * channels;
    return {
      async write(chunk) {
        while (queued >= lead) await sig.wait();
        queue.push(chunk);
        queued += chunk.length;
      },
      async end() {
        while (queued > 0) await sig.wait();
        await output.dispose();
      },
      report: () => ({ errors: [] }),
    };
  },
  async playAll(x, { samplerate, channels }) {
    await playInt16Samples(x, samplerate, channels);
  },
};
