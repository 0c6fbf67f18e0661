// What the peer adapters share: sample conversion and a promise that the
// audio side resolves when the feeder may go on (backpressure).
'use strict';
const { once } = require('node:events');

/** Float32 samples as a Buffer of little-endian int16 (done before timing starts). */
function toInt16(x) {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32767)));
  return out;
}

/** The bytes of a typed array, without a copy. */
const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A wake-up the audio side signals and the feeder awaits. */
function signal() {
  let resolve = () => {};
  let p = new Promise((r) => (resolve = r));
  return {
    wait: () => p,
    wake() {
      resolve();
      p = new Promise((r) => (resolve = r));
    },
  };
}

/** Writes a chunk to a Node Writable with its backpressure: waits for 'drain' when it is full. */
async function writeDrained(w, chunk) {
  if (!w.write(bytes(chunk))) await once(w, 'drain');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Frames of lead that the adapters whose queue depth is the caller's choice keep queued. */
const LEAD_SECONDS = Number(process.env.PEERS_LEAD ?? 0.25);

module.exports = { toInt16, bytes, signal, sleep, writeDrained, LEAD_SECONDS };
