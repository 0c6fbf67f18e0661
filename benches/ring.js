// RingBuffer write+read round trips per second for 2 KiB chunks: the copy API,
// the zero-copy views (array form and callback form), the pure-JS
// SharedArrayBuffer ring `ringbuf.js`, the Rust-only figure, and the floor
// every JS ring pays: two plain `TypedArray.set` copies of the chunk (in and
// out), side by side in one run.
'use strict';
const { RingBuffer } = require('../dist/index.js');
const native = require('../index.js');

const CHUNK = 2048;
const FRAMES = CHUNK / 4; // float32 samples per chunk, for ringbuf.js

/**
 * Round trips per second of each `[name, fn]`, side by side: the cases take
 * turns in short slices, several rounds, and each keeps its best slice, so
 * that machine load (other processes on the two cores) skews them alike.
 */
function rates(cases, rounds = Number(process.env.ROUNDS || 15), sliceMs = 100) {
  const best = new Map(cases.map(([name]) => [name, 0]));
  for (const [, fn] of cases) for (let i = 0; i < 50_000; i++) fn(); // warm up the JIT
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of cases) {
      let n = 0;
      const t0 = performance.now();
      let t;
      do {
        for (let i = 0; i < 500; i++) fn();
        n += 500;
      } while ((t = performance.now()) - t0 < sliceMs);
      best.set(name, Math.max(best.get(name), n / ((t - t0) / 1000)));
    }
  }
  return best;
}

async function main() {
  const { RingBuffer: JsRing } = await import('ringbuf.js');
  const src = new Float32Array(FRAMES).fill(0.5);
  const srcBytes = new Uint8Array(src.buffer);
  const dst = new Float32Array(FRAMES);
  const dstBytes = new Uint8Array(dst.buffer);

  // The floor: the same two copies (in, then out) through a 64 KiB area
  // like the ring's, with views made beforehand.
  const area = new Uint8Array(1 << 16);
  const slots = Array.from({ length: area.length / CHUNK }, (_, i) => area.subarray(i * CHUNK, (i + 1) * CHUNK));
  let at = 0;
  const plain = () => {
    area.set(srcBytes, at * CHUNK);
    dstBytes.set(slots[at]);
    at = (at + 1) % slots.length;
  };

  const r = new RingBuffer(1, 1 << 16);
  const copy = () => {
    r.write(srcBytes);
    r.readInto(dstBytes);
  };
  const copyRead = () => {
    r.write(srcBytes);
    r.read(CHUNK);
  };
  const zero = () => {
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
  };
  const fill = (a, b) => {
    if (b.length === 0) a.set(srcBytes);
    else {
      a.set(srcBytes.subarray(0, a.length));
      b.set(srcBytes.subarray(a.length, a.length + b.length));
    }
  };
  const drain = (c, d) => {
    dstBytes.set(c);
    if (d.length) dstBytes.set(d, c.length);
  };
  const zeroCb = () => {
    r.withWriteBuffers(CHUNK, fill);
    r.withReadBuffers(CHUNK, drain);
  };
  const jr = new JsRing(JsRing.getStorageForCapacity(1 << 14, Float32Array), Float32Array);
  const js = () => {
    jr.push(src);
    jr.pop(dst);
  };
  const cases = [
    ['ringstream copy (write + readInto)', copy],
    ['ringstream copy (write + read, new array)', copyRead],
    ['ringstream zero-copy views (get*Buffers)', zero],
    // Absent from builds before the callback form (for before/after runs).
    ...(typeof r.withWriteBuffers === 'function' ? [['ringstream zero-copy views (with*Buffers)', zeroCb]] : []),
    ['ringbuf.js (SharedArrayBuffer, float32)', js],
    ['two TypedArray.set of 2 KiB (no ring)', plain],
  ];
  const got = rates(cases);
  got.set('Rust only (core ring, no JS)', native.ringRoundTripsNative(CHUNK, 2_000_000));
  const jsRate = got.get('ringbuf.js (SharedArrayBuffer, float32)');
  console.log(`RingBuffer round trips of ${CHUNK} B chunks (M/s, best 100 ms slice of ${process.env.ROUNDS || 15} rounds):`);
  for (const [name, v] of got)
    console.log(`  ${name.padEnd(44)} ${(v / 1e6).toFixed(2).padStart(7)}   x${(v / jsRate).toFixed(2)} ringbuf.js`);
  const base = got.get('two TypedArray.set of 2 KiB (no ring)');
  const pct = (name) => `${((got.get(name) / base) * 100).toFixed(0)}%`;
  const copyRate = got.get('ringstream copy (write + readInto)');
  console.log(
    `  of two TypedArray.set: copy API ${pct('ringstream copy (write + readInto)')}, zero-copy ${pct('ringstream zero-copy views (get*Buffers)')} (get*Buffers)`,
  );
  for (const [name, v] of got) {
    if (name.startsWith('ringstream zero-copy')) console.log(`  ${name} / copy API: ${(v / copyRate).toFixed(2)}x`);
  }
  return Object.fromEntries(got);
}

module.exports = main;
if (require.main === module) main();
