// CPU per second of audio by the way JS feeds a stream: real-time playback
// on the virtual device (`virtual:null`, 48 kHz stereo, blocksize 512), one
// path after the other in one run. CPU is the whole process's (user +
// system, from process.cpuUsage(): JS, the bridge, the device thread),
// divided by the seconds of audio played.
// - generator: setSource(function* () { yield chunk ... }), then start()
// - setInterval: play(ring) of a RingBuffer that a 20 ms timer tops up
// - toWritable(): a Readable piped into the stream's Writable
// - WAV file: play('file.wav') (no JS in the loop; for reference)
// - a bare setInterval(20 ms) and no stream at all: what the timer of the
//   setInterval path costs by itself on this machine (for reference)
// BENCH_SECONDS sets the length of each (default 20).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const rs = require('../dist/index.js');

const SR = 48000;
const CH = 2;
const BLOCK = 512;
const CHUNK = 4096; // frames per chunk the sources hand over

const open = () => new rs.OutputStream({ device: 'virtual:null', samplerate: SR, channels: CH, blocksize: BLOCK });
const chunk = new Float32Array(CHUNK * CH).fill(0.1);

async function measure(seconds, run) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await run();
  const wall = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(c0);
  const xruns = s.xruns;
  await s.close();
  return { msPerSecond: (u.user + u.system) / 1000 / seconds, wall, xruns };
}

const paths = {
  generator: (seconds) => async () => {
    const s = open();
    const total = seconds * SR;
    s.setSource(function* () {
      for (let done = 0; done < total; done += CHUNK) yield done + CHUNK <= total ? chunk : chunk.subarray(0, (total - done) * CH);
    });
    await s.start();
    await s.wait();
    return s;
  },
  setInterval: (seconds) => async () => {
    const s = open();
    const ring = rs.RingBuffer.forFrames(CH, 32768);
    const total = seconds * SR;
    let written = 0;
    const top = () => {
      while (written < total && ring.writeAvailable >= CHUNK) written += ring.write(chunk, Math.min(CHUNK, total - written));
    };
    top();
    const feeder = setInterval(top, 20);
    await s.play(ring, { frames: total });
    clearInterval(feeder);
    return s;
  },
  'toWritable()': (seconds) => async () => {
    const s = open();
    const total = seconds * SR;
    let sent = 0;
    const bytes = new Uint8Array(chunk.buffer);
    const src = new Readable({
      read() {
        if (sent >= total) return this.push(null);
        const n = Math.min(CHUNK, total - sent);
        sent += n;
        this.push(Buffer.from(bytes.buffer, 0, n * CH * 4));
      },
    });
    await pipeline(src, s.toWritable());
    return s;
  },
  'bare 20 ms timer (reference)': (seconds) => async () => {
    const timer = setInterval(() => undefined, 20);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    clearInterval(timer);
    return { xruns: 0, close: async () => undefined };
  },
  'WAV file (reference)': (seconds, file) => async () => {
    const s = open();
    await s.play(file, { frames: seconds * SR });
    return s;
  },
};

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const only = process.env.FEED_PATHS?.split(',');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-feedcpu-'));
  const file = path.join(dir, 'tone.wav');
  const data = new Float32Array(seconds * SR * CH);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i / 50) * 0.2;
  await rs.writeWav(file, data, { samplerate: SR, channels: CH, format: 'i16' });
  const results = {};
  console.log(`CPU per second of audio, ${seconds} s of real-time playback per path (virtual:null, ${SR} Hz stereo, blocksize ${BLOCK}):`);
  for (const [name, make] of Object.entries(paths)) {
    if (only && !only.some((o) => name.startsWith(o))) continue;
    const r = await measure(seconds, make(seconds, file));
    results[name] = r;
    console.log(`  ${name.padEnd(28)} ${r.msPerSecond.toFixed(2).padStart(6)} ms/s   took ${r.wall.toFixed(2)} s, xruns ${r.xruns}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return results;
}

module.exports = main;
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
