// audify (RtAudio), as its README streams: openStream() on ALSA's default
// device (the sandbox makes it `loopback`), write() one frame of `frameSize`
// at a time; the frame-output callback (a frame was played) lets the next
// one in, keeping LEAD_SECONDS queued. Duplex: openStream with input and
// output, getStreamLatency() as the reported latency.
'use strict';
const { RtAudio, RtAudioApi, RtAudioFormat, RtAudioStreamFlags } = require('audify');
const { bytes, signal, LEAD_SECONDS } = require('./common');

const FRAME = 1024;

function openRt({ samplerate, channels }, { input, onFrame, errors }) {
  const rt = new RtAudio(RtAudioApi.LINUX_ALSA);
  const params = { deviceId: rt.getDefaultOutputDevice(), nChannels: channels, firstChannel: 0 };
  const inParams = input ? { deviceId: rt.getDefaultInputDevice(), nChannels: channels, firstChannel: 0 } : null;
  rt.openStream(
    params,
    inParams,
    RtAudioFormat.RTAUDIO_FLOAT32,
    samplerate,
    FRAME,
    'ringstream-peers',
    input ?? null,
    onFrame ?? null,
    RtAudioStreamFlags.RTAUDIO_ALSA_USE_DEFAULT,
    (type, msg) => errors.push(`${type}: ${msg}`),
  );
  return rt;
}

/** `x` cut into whole RtAudio frames (the last one padded with silence). */
function frames(x, channels) {
  const n = FRAME * channels;
  const out = [];
  for (let i = 0; i < x.length; i += n) {
    const f = new Float32Array(n);
    f.set(x.subarray(i, i + n));
    out.push(bytes(f));
  }
  return out;
}

function streamer(opts) {
  const errors = [];
  const sig = signal();
  let queued = 0;
  const depth = Math.max(1, Math.ceil((LEAD_SECONDS * opts.samplerate) / FRAME));
  const rt = openRt(opts, {
    errors,
    onFrame: () => {
      queued--;
      sig.wake();
    },
  });
  rt.start();
  return {
    async write(chunk) {
      for (const f of frames(chunk, opts.channels)) {
        while (queued >= depth) await sig.wait();
        rt.write(f);
        queued++;
      }
    },
    async end() {
      while (queued > 0) await sig.wait();
      rt.stop();
      rt.closeStream();
    },
    report: () => ({ errors, latency: null }),
  };
}

module.exports = {
  format: 'f32',
  how: 'RtAudio write() per frame, frame-output callback',
  async open(opts) {
    return streamer(opts);
  },
  async playAll(x, opts) {
    const s = streamer(opts);
    await s.write(x);
    await s.end();
  },
  async duplex(x, opts) {
    const errors = [];
    const parts = [];
    let got = 0;
    const want = x.length + opts.samplerate * opts.channels;
    let done;
    const enough = new Promise((r) => (done = r));
    const rt = openRt(opts, {
      errors,
      input: (b) => {
        parts.push(Buffer.from(b));
        got += b.length / 4;
        if (got >= want) done();
      },
    });
    for (const f of frames(x, opts.channels)) rt.write(f);
    rt.start();
    await enough;
    const reported = rt.getStreamLatency();
    rt.stop();
    rt.closeStream();
    const all = Buffer.concat(parts);
    return { recorded: new Float32Array(all.buffer, all.byteOffset, all.length >> 2), reported, errors };
  },
};
