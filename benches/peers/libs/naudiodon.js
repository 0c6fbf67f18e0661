// naudiodon (PortAudio), as its README streams: AudioIO with outOptions is a
// Writable; write() / 'drain', end() and 'finished' for the tail. Device: the
// PortAudio ALSA device named `loopback`. Duplex: AudioIO with inOptions and
// outOptions.
'use strict';
const { once } = require('node:events');
const { Readable } = require('node:stream');
const pa = require('naudiodon');
const { bytes, sleep, writeDrained } = require('./common');

function deviceId() {
  const d = pa.getDevices().find((x) => x.name === 'loopback' && /alsa/i.test(x.hostAPIName));
  if (!d)
    throw new Error(
      `no PortAudio ALSA device named loopback in ${pa
        .getDevices()
        .map((x) => x.name)
        .join(', ')}`,
    );
  return d.id;
}

const side = ({ samplerate, channels }) => ({
  channelCount: channels,
  sampleFormat: pa.SampleFormatFloat32,
  sampleRate: samplerate,
  deviceId: deviceId(),
  closeOnError: false,
});

module.exports = {
  format: 'f32',
  how: 'Writable, write() / drain',
  async open(opts) {
    const ao = new pa.AudioIO({ outOptions: side(opts) });
    const errors = [];
    ao.on('error', (e) => errors.push(String(e.message ?? e)));
    ao.start();
    return {
      write: (chunk) => writeDrained(ao, chunk),
      async end() {
        const done = once(ao, 'finished');
        ao.end();
        await done;
      },
      report: () => ({ errors }),
    };
  },
  async playAll(x, opts) {
    // as its README plays a file: a Readable (64 KiB chunks) piped in, then start()
    const ao = new pa.AudioIO({ outOptions: side(opts) });
    const done = once(ao, 'finished');
    const b = bytes(x);
    const chunks = [];
    for (let i = 0; i < b.length; i += 65536) chunks.push(b.subarray(i, i + 65536));
    Readable.from(chunks).pipe(ao);
    ao.start();
    await done;
  },
  async duplex(x, opts) {
    let hung = false;
    const io = new pa.AudioIO({ inOptions: side(opts), outOptions: side(opts) });
    const want = x.length * 4 + opts.samplerate * opts.channels * 2; // the signal and 0.5 s more
    const parts = [];
    let got = 0;
    const enough = new Promise((resolve) => {
      io.on('data', (b) => {
        parts.push(b);
        got += b.length;
        if (got >= want) resolve();
      });
    });
    io.start();
    io.write(bytes(x));
    io.write(Buffer.alloc(opts.samplerate * opts.channels * 4)); // keep the output running 1 s more
    await enough;
    // abort() throws in 2.3.6 ('AudioIO Quit expects 1 argument'); quit() can hang with the input open
    const quit = await Promise.race([io.quit().then(() => true), sleep(3000).then(() => false)]);
    if (!quit) hung = true;
    const all = Buffer.concat(parts);
    return { recorded: new Float32Array(all.buffer, all.byteOffset, all.length >> 2), reported: null, quitHung: hung || undefined };
  },
};
