#!/usr/bin/env node
// Memory churn: creates and closes 10,000 streams on the virtual device
// (every 10th started, run for a few blocks, then closed) and creates and
// drops 100,000 RingBuffers of 4 KiB, in ordinary async loops that let the
// event loop turn (every 100 rings), never calling gc(). Prints the RSS at
// the start, at the end and its maximum (the kernel's high-water mark) as a
// summary and, as its last line, JSON.
//
// Usage: node scripts/memory.js [--streams N] [--rings N]
'use strict';
const { DuplexStream, InputStream, OutputStream, RingBuffer } = require('../dist/index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const STREAMS = arg('streams', 10_000);
const RINGS = arg('rings', 100_000);
const MB = 2 ** 20;
const turn = () => new Promise((r) => setImmediate(r));

const peak = { max: 0 };
function sample() {
  const r = process.memoryUsage.rss();
  peak.max = Math.max(peak.max, r);
  return r;
}

const KINDS = [DuplexStream, InputStream, OutputStream];

async function streams() {
  const t = performance.now();
  let started = 0;
  for (let i = 0; i < STREAMS; i++) {
    const Kind = KINDS[i % 3];
    const s = new Kind({ device: i % 2 ? 'virtual:null' : 'virtual:loopback', channels: 2, blocksize: 256, speed: Infinity });
    if (i % 10 === 0) {
      await s.start();
      started++;
    }
    await s.close();
    if (i % 100 === 0) sample();
  }
  return { count: STREAMS, started, seconds: (performance.now() - t) / 1000 };
}

async function rings() {
  const t = performance.now();
  let bytes = 0;
  for (let i = 0; i < RINGS; i++) {
    const rb = new RingBuffer(4, 1024);
    rb.write(new Uint32Array(16));
    bytes += rb.readAvailable;
    if (i % 100 === 0) {
      sample();
      await turn();
    }
  }
  return { count: RINGS, seconds: (performance.now() - t) / 1000, touched: bytes };
}

async function main() {
  // Load the addon and warm up before the baseline.
  await (async () => {
    const s = new DuplexStream({ device: 'virtual:null', speed: Infinity });
    await s.start();
    await s.close();
    new RingBuffer(4, 1024);
  })();
  const start = sample();
  const st = await streams();
  const afterStreams = sample();
  const rg = await rings();
  const end = sample();
  // The kernel's high-water mark (KiB), which sees between samples too.
  peak.max = Math.max(peak.max, process.resourceUsage().maxRSS * 1024);
  const mb = (x) => +(x / MB).toFixed(1);
  const result = {
    streams: { ...st, seconds: +st.seconds.toFixed(1) },
    rings: { count: rg.count, seconds: +rg.seconds.toFixed(1) },
    rssMB: { start: mb(start), afterStreams: mb(afterStreams), end: mb(end), max: mb(peak.max) },
    growthMB: mb(peak.max - start),
  };
  console.log(
    `memory: ${st.count} streams (${st.started} started) in ${result.streams.seconds} s, ` +
      `${rg.count} rings in ${result.rings.seconds} s; RSS MB start ${result.rssMB.start}, ` +
      `after streams ${result.rssMB.afterStreams}, end ${result.rssMB.end}, max ${result.rssMB.max} ` +
      `(+${result.growthMB})`,
  );
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
