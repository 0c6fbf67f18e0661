// Streams on the virtual device at real-time pace:
// - CPU time (user + sys, whole process: JS, bridge, device and file threads)
//   per second of audio, for a playback from a WAV file and from a RingBuffer
//   fed by JS;
// - time from `new DuplexStream()` to the first audio callback.
// BENCH_SECONDS sets the playback length (default 60).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const rs = require('../dist/index.js');

const SR = 48000;
const CH = 2;

function cpuMs(since) {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

async function fromFile(seconds, file) {
  const s = new rs.OutputStream({ device: 'virtual:null', samplerate: SR, channels: CH, blocksize: 512 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await s.play(file);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuMs(c0);
  await s.close();
  return { wall, cpuPerSecond: cpu / seconds, xruns: s.xruns };
}

async function fromRing(seconds) {
  const s = new rs.OutputStream({ device: 'virtual:null', samplerate: SR, channels: CH, blocksize: 512 });
  const ring = rs.RingBuffer.forFrames(CH, 32768);
  const chunk = new Float32Array(4096 * CH).fill(0.1);
  const total = seconds * SR;
  let written = 0;
  const top = () => {
    while (written < total && ring.writeAvailable >= 4096) written += ring.write(chunk, Math.min(4096, total - written));
  };
  top();
  const feeder = setInterval(top, 20);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await s.play(ring, { frames: total });
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuMs(c0);
  clearInterval(feeder);
  await s.close();
  return { wall, cpuPerSecond: cpu / seconds, xruns: s.xruns };
}

async function firstCallback(runs = 20) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const s = new rs.DuplexStream({ device: 'virtual:loopback', samplerate: SR, channels: CH, blocksize: 256 });
    await s.start({ prebuffer: false });
    while (s.frameCount === 0) {
      /* poll: the first callback bumps frameCount */
    }
    times.push(performance.now() - t0);
    await s.close();
  }
  times.sort((a, b) => a - b);
  return { median: times[runs >> 1], max: times[runs - 1] };
}

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 60);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-bench-'));
  const file = path.join(dir, 'long.wav');
  const data = new Float32Array(seconds * SR * CH);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i / 50) * 0.2;
  await rs.writeWav(file, data, { samplerate: SR, channels: CH, format: 'i16' });
  const f = await fromFile(seconds, file);
  const r = await fromRing(seconds);
  const fc = await firstCallback();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`Playback of ${seconds} s (${SR} Hz stereo, virtual device, real-time pace):`);
  console.log(
    `  from a WAV file (i16)     ${f.cpuPerSecond.toFixed(2)} ms CPU per s of audio, took ${f.wall.toFixed(2)} s, xruns ${f.xruns}`,
  );
  console.log(
    `  from a JS-fed RingBuffer  ${r.cpuPerSecond.toFixed(2)} ms CPU per s of audio, took ${r.wall.toFixed(2)} s, xruns ${r.xruns}`,
  );
  console.log(`new DuplexStream() to the first callback: median ${fc.median.toFixed(2)} ms, max ${fc.max.toFixed(2)} ms (20 runs)`);
  return { file: f, ring: r, firstCallback: fc };
}

module.exports = main;
if (require.main === module) main();
