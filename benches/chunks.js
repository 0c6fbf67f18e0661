// chunks(): latency from a chunk being complete in the audio callback to the
// loop body running (the audio thread stamps the notification on a clock the
// loop can read), median and p99 over a run at real-time pace on the virtual
// device, and the CPU cost per second. BENCH_SECONDS sets the length (default 10).
'use strict';
const rs = require('../dist/index.js');
const native = require('../index.js');

async function main() {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const sr = 48000;
  const s = new rs.InputStream({ device: 'virtual:null', samplerate: sr, channels: 2, blocksize: 256 });
  const lat = [];
  const c0 = process.cpuUsage();
  for await (const _ of s.chunks({ chunksize: 1024, frames: seconds * sr })) {
    lat.push((native.monotonicNs() - s.native.lastDataNs) / 1e6);
  }
  const cpu = process.cpuUsage(c0);
  await s.close();
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  const cpuMs = (cpu.user + cpu.system) / 1000 / seconds;
  console.log(`chunks() of 1024 frames for ${seconds} s (${lat.length} chunks), virtual device at real-time pace:`);
  console.log(
    `  callback -> loop body latency: median ${q(0.5).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms, max ${lat[lat.length - 1].toFixed(3)} ms`,
  );
  console.log(`  CPU: ${cpuMs.toFixed(2)} ms per second`);
  return { median: q(0.5), p99: q(0.99), cpuMsPerSecond: cpuMs };
}

module.exports = main;
if (require.main === module) main();
