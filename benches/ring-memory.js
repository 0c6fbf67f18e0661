// Creates and drops 100,000 small RingBuffers without forcing a garbage
// collection, and prints the peak resident set size and the external memory
// figures, in two scenarios:
// - `held`: each ring stays referenced while the next 1,000 are made (long
//   enough to reach V8's old generation, as rings of open connections or
//   streams do), the event loop turning every 100 rings;
// - `sync`: all made and dropped in one synchronous loop.
// What the figures show (Node 20): V8 counts a RingBuffer's native block
// through the external ArrayBuffer that maps it (Node reports those), so
// `held` stays near the live size plus V8's 64 MB external-memory slack.
// In `sync`, V8 collects the dead rings but Node frees external buffers and
// runs napi finalizers on a later event-loop turn, so nothing is freed until
// the loop ends: peak RSS is the sum of all rings, whatever is reported.
// Each scenario runs in a child process (peak RSS is a per-process
// high-water mark). BENCH_RING_BYTES sets the ring size (default 4096).
'use strict';
const { execFileSync } = require('node:child_process');

const RINGS = 100_000;
const HELD = 1_000;
const BATCH = 100;
const ELEMENT = 4;
const BYTES = Number(process.env.BENCH_RING_BYTES ?? 4096);
const MB = 2 ** 20;

async function measure(scenario) {
  const { RingBuffer } = require('../dist/index.js');
  const native = require('../index.js');
  // What V8 counts through napi_adjust_external_memory (absent in builds that never reported).
  const adjusted = () => (native.adjustedExternalMemory ? native.adjustedExternalMemory() : NaN);
  const before = { external: process.memoryUsage().external, adjusted: adjusted() };
  let peakAdjusted = before.adjusted;
  const held = [];
  const chunk = new Uint8Array(ELEMENT * 16).fill(7);
  const t0 = performance.now();
  for (let i = 0; i < RINGS; i += BATCH) {
    for (let k = 0; k < BATCH; k++) {
      const r = new RingBuffer(ELEMENT, BYTES / ELEMENT);
      r.write(chunk); // touch the ring, as any user would
      if (scenario === 'held') {
        held.push(r);
        if (held.length > HELD) held.shift();
      }
    }
    peakAdjusted = Math.max(peakAdjusted, adjusted());
    if (scenario === 'held') await new Promise((res) => setImmediate(res));
  }
  return {
    scenario,
    rings: RINGS,
    ringBytes: BYTES,
    ms: performance.now() - t0,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    externalBeforeMB: before.external / MB,
    externalAfterMB: process.memoryUsage().external / MB,
    adjustedBeforeMB: before.adjusted / MB,
    adjustedPeakMB: peakAdjusted / MB,
  };
}

function print(r) {
  const f = (v) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(1)} MB`);
  const what = r.scenario === 'held' ? `each held while ${HELD} more are made` : 'in one synchronous loop';
  console.log(`${r.rings} RingBuffers of ${r.ringBytes} B, ${what} (${r.ms.toFixed(0)} ms):`);
  console.log(`  peak RSS                                  ${f(r.peakRssMB)}`);
  console.log(`  memoryUsage().external before / after     ${f(r.externalBeforeMB)} / ${f(r.externalAfterMB)}`);
  console.log(`  V8 adjusted external before / peak        ${f(r.adjustedBeforeMB)} / ${f(r.adjustedPeakMB)}`);
}

async function main() {
  const results = [];
  for (const scenario of ['held', 'sync']) {
    const out = execFileSync(process.execPath, [__filename, '--json', scenario], { encoding: 'utf8' });
    results.push(JSON.parse(out));
    print(results.at(-1));
  }
  return results;
}

module.exports = main;
if (require.main === module) {
  const i = process.argv.indexOf('--json');
  if (i >= 0) measure(process.argv[i + 1]).then((r) => process.stdout.write(JSON.stringify(r)));
  else main();
}
