// node-web-audio-api, as the Web Audio API streams: one AudioBufferSourceNode
// per chunk, each started where the previous one ends, LEAD_SECONDS ahead of
// currentTime. The tail: one source, 'ended', then close(). Device: the
// context's default sink. Where a JACK server runs (the sandbox), it plays
// through JACK and connects itself to the system playback ports: its ports
// are moved to the `loopback` client's inputs before anything is played.
'use strict';
const { execFileSync } = require('node:child_process');
const { AudioContext } = require('node-web-audio-api');
const { sleep, LEAD_SECONDS } = require('./common');

/** A context on the loopback: its JACK output ports rewired from system:playback to loopback:input. */
async function context(samplerate, channels) {
  const ctx = new AudioContext({ sampleRate: samplerate });
  if (!process.env.JACK_DEFAULT_SERVER) return ctx;
  const mine = (i) => `cpal_client_${process.pid}_out:out_${i}`;
  for (let t = 0; t < 400 && !execFileSync('jack_lsp', { encoding: 'utf8' }).includes(mine(channels - 1)); t++) await sleep(5);
  for (let i = 0; i < channels; i++) {
    execFileSync('jack_connect', [mine(i), `loopback:input_${i + 1}`]);
    execFileSync('jack_disconnect', [mine(i), `system:playback_${i + 1}`]);
  }
  return ctx;
}

function buffer(ctx, x, channels) {
  const frames = x.length / channels;
  const b = ctx.createBuffer(channels, frames, ctx.sampleRate);
  for (let c = 0; c < channels; c++) {
    const d = new Float32Array(frames);
    for (let i = 0; i < frames; i++) d[i] = x[i * channels + c];
    b.copyToChannel(d, c);
  }
  return b;
}

module.exports = {
  format: 'f32',
  how: 'AudioBufferSourceNode per chunk, scheduled ahead',
  async open({ samplerate, channels }) {
    const ctx = await context(samplerate, channels);
    const errors = [];
    ctx.onerror = (e) => errors.push(String(e?.message ?? e));
    let next = 0;
    return {
      async write(chunk) {
        while (next - ctx.currentTime > LEAD_SECONDS) await sleep(5);
        const src = ctx.createBufferSource();
        src.buffer = buffer(ctx, chunk, channels);
        src.connect(ctx.destination);
        next = Math.max(next, ctx.currentTime);
        src.start(next);
        next += chunk.length / channels / samplerate;
      },
      async end() {
        while (ctx.currentTime < next) await sleep(5);
        await ctx.close();
      },
      report: () => ({ errors, baseLatency: ctx.baseLatency, outputLatency: ctx.outputLatency }),
    };
  },
  async playAll(x, { samplerate, channels }) {
    const ctx = await context(samplerate, channels);
    const src = ctx.createBufferSource();
    src.buffer = buffer(ctx, x, channels);
    src.connect(ctx.destination);
    const ended = new Promise((r) => (src.onended = r));
    src.start();
    await ended;
    await ctx.close();
  },
};
