// RingBuffer write+read round trips per second for 2 KiB chunks: the copy API,
// the zero-copy views, the pure-JS SharedArrayBuffer ring `ringbuf.js`, and the
// Rust-only figure, side by side in one run.
'use strict';
const { RingBuffer } = require('../dist/index.js');
const native = require('../index.js');

const CHUNK = 2048;
const FRAMES = CHUNK / 4; // float32 samples per chunk, for ringbuf.js

function rate(fn, seconds = 1.5) {
  for (let i = 0; i < 50_000; i++) fn(); // warm up the JIT
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const { RingBuffer: JsRing } = await import('ringbuf.js');
  const src = new Float32Array(FRAMES).fill(0.5);
  const srcBytes = new Uint8Array(src.buffer);
  const dst = new Float32Array(FRAMES);
  const dstBytes = new Uint8Array(dst.buffer);

  const r = new RingBuffer(1, 1 << 16);
  const copy = rate(() => {
    r.write(srcBytes);
    r.readInto(dstBytes);
  });
  const copyRead = rate(() => {
    r.write(srcBytes);
    r.read(CHUNK);
  });
  const zero = rate(() => {
    const [n, a, b] = r.getWriteBuffers(CHUNK);
    if (b.length === 0) a.set(srcBytes);
    else {
      a.set(srcBytes.subarray(0, a.length));
      b.set(srcBytes.subarray(a.length, n));
    }
    r.advanceWriteIndex(n);
    const [m, c, d] = r.getReadBuffers(CHUNK);
    dstBytes.set(c);
    if (d.length) dstBytes.set(d, c.length);
    r.advanceReadIndex(m);
  });
  const jr = new JsRing(JsRing.getStorageForCapacity(1 << 14, Float32Array), Float32Array);
  const js = rate(() => {
    jr.push(src);
    jr.pop(dst);
  });
  const rust = native.ringRoundTripsNative(CHUNK, 2_000_000);
  const rows = [
    ['ringstream copy (write + readInto)', copy],
    ['ringstream copy (write + read, new array)', copyRead],
    ['ringstream zero-copy views', zero],
    ['ringbuf.js (SharedArrayBuffer, float32)', js],
    ['Rust only (core ring, no JS)', rust],
  ];
  console.log(`RingBuffer round trips of ${CHUNK} B chunks (M/s):`);
  for (const [name, v] of rows) console.log(`  ${name.padEnd(44)} ${(v / 1e6).toFixed(2).padStart(7)}   x${(v / js).toFixed(2)} ringbuf.js`);
  return { copy, copyRead, zero, ringbufjs: js, rust };
}

module.exports = main;
if (require.main === module) main();
