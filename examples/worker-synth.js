#!/usr/bin/env node
// A synthesiser in a worker thread, played by the main thread's
// OutputStream through a shared ring; the main thread then stalls for a
// second on purpose, and the sound does not glitch (xruns stay 0).
//   node examples/worker-synth.js [--device ID]
'use strict';
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');
const rs = require('..');

if (isMainThread) {
  (async () => {
    const i = process.argv.indexOf('--device');
    const device = i > 0 ? process.argv[i + 1] : 'virtual:null';
    const sr = 48000;
    const seconds = 3;
    const ring = rs.RingBuffer.forFrames(1, 16384); // 0.34 s between the worker and the device
    const worker = new Worker(__filename, { workerData: { handle: ring.handle, sr, frames: seconds * sr } });
    await new Promise((r) => worker.once('message', r)); // the ring is full
    // 'high' latency: the device's own buffer rides out a loaded machine's scheduling.
    const out = new rs.OutputStream({ device, channels: 1, samplerate: sr, latency: 'high' });
    const t0 = performance.now();
    const played = out.play(ring, { frames: seconds * sr });
    await new Promise((r) => setTimeout(r, 500));
    const until = performance.now() + 1000;
    while (performance.now() < until); // a one-second stall of the main thread
    await played;
    console.log(
      `played ${seconds} s from a worker in ${((performance.now() - t0) / 1000).toFixed(2)} s with a 1 s main-thread stall: xruns ${out.xruns}`,
    );
    await out.close();
    await worker.terminate();
  })();
} else {
  const ring = rs.RingBuffer.fromHandle(workerData.handle);
  const chunk = new Float32Array(256);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  let n = 0;
  let phase = 0;
  const fill = () => {
    while (n < workerData.frames && ring.writeAvailable >= chunk.length) {
      // A little synth: a chord of three sines (the worker's own loop, off the main thread).
      for (let i = 0; i < chunk.length; i++, phase++) {
        const t = phase / workerData.sr;
        chunk[i] = 0.1 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t) + Math.sin(2 * Math.PI * 329.6 * t));
      }
      n += ring.write(chunk.subarray(0, Math.min(chunk.length, workerData.frames - n)));
    }
  };
  fill();
  parentPort.postMessage('ready');
  while (n < workerData.frames) {
    Atomics.wait(nap, 0, 0, 2);
    fill();
  }
}
