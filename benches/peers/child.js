// One library, one scenario, in its own process (a crash ends only this
// row). Prints one JSON line last: what the library reported, the call time
// (process.hrtime, the clock the recorder maps its frames to), CPU and RSS.
// Usage: node child.js LIB SCENARIO [VARIANT]
//   stall   3 s of 440 Hz fed in chunks with backpressure; a 300 ms busy loop once a second
//   tail    `await play(x)` (1 s) then close, the library's one-shot form
//   cpu     PEERS_SECONDS (default 60) of audio streamed; CPU and peak RSS
//   duplex  a click played and recorded on the loopback; delay vs reported latency
'use strict';
const { sine, firstAbove } = require('./analysis');
const { toInt16 } = require('./libs/common');

const SR = 48000;
const CH = 2;
const CHUNK = 1024; // frames per write
const LIBS = {
  ringstream: './libs/ringstream',
  'ringstream-jack': './libs/ringstream-jack',
  speaker: './libs/speaker',
  naudiodon: './libs/naudiodon',
  audify: './libs/audify',
  echogarden: './libs/echogarden',
  'web-audio': './libs/web-audio',
};

const busy = (ms) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* the stall: JS holds the thread */
  }
};

/** The signal in the library's own sample format (converted before any timing). */
const inFormat = (lib, x) => (lib.format === 'i16' ? toInt16(x) : x);

/** The test tone: 440 Hz at half scale, from a phase whose first frame already sounds. */
const tone = (frames) => sine(frames, { samplerate: SR, channels: CH, phase: 0.1 });
/** The tail's signal: the same, gliding to 880 Hz, so that where it starts can be told exactly. */
const sweep = (frames) => sine(frames, { samplerate: SR, channels: CH, phase: 0.1, sweepTo: 880 });

async function feed(out, x, totalFrames) {
  const period = x.length / CH;
  for (let f = 0; f < totalFrames; f += CHUNK) {
    const at = f % period;
    const n = Math.min(CHUNK, totalFrames - f, period - at);
    await out.write(x.subarray(at * CH, (at + n) * CH));
    if (n < CHUNK && f + n < totalFrames) f -= CHUNK - n; // wrapped: go on from the period's start
  }
}

async function stall(lib, variant) {
  const x = inFormat(lib, tone(3 * SR));
  const opts = { samplerate: SR, channels: CH, variant };
  const tCall = process.hrtime.bigint();
  const out = await lib.open(opts);
  let stalls = 0;
  const timer = setInterval(() => {
    stalls++;
    busy(300);
  }, 1000);
  await feed(out, x, 3 * SR);
  await out.end(); // the stalls go on while the end plays out
  clearInterval(timer);
  return { tCallNs: Number(tCall), stalls, reported: out.report() };
}

async function tail(lib) {
  const x = inFormat(lib, sweep(SR));
  const tCall = process.hrtime.bigint();
  // A variant that had to connect its ports between the open and the play
  // (ringstream-jack) says how long that took: not the library's time.
  // ringstream also says when its open returned and its output latency.
  const r = (await lib.playAll(x, { samplerate: SR, channels: CH })) ?? {};
  const tCallNs = Number(tCall) + (r.pausedNs ?? 0);
  return { tCallNs, tOpenedNs: r.openedNs, latencyMs: r.latencyMs, tReturnNs: Number(process.hrtime.bigint()) };
}

async function cpu(lib) {
  const seconds = Number(process.env.PEERS_SECONDS ?? 60);
  const x = inFormat(lib, tone(SR));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await lib.open({ samplerate: SR, channels: CH });
  await feed(out, x, seconds * SR);
  await out.end();
  const c = process.cpuUsage(c0);
  return {
    seconds,
    wall: (performance.now() - t0) / 1000,
    cpuMsPerSecond: (c.user + c.system) / 1000 / seconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    reported: out.report(),
  };
}

async function duplex(lib) {
  if (!lib.duplex) return { unsupported: true };
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const x = new Float32Array(SR * CH); // 1 s: a click at 0.25 s
    const at = SR / 4;
    x[at * CH] = 0.5;
    x[at * CH + 1] = 0.5;
    const { recorded, reported, quitHung } = await lib.duplex(x, { samplerate: SR, channels: CH });
    const heard = firstAbove(recorded, { channels: CH, threshold: 0.25 });
    runs.push({ delay: heard < 0 ? null : heard - at, reported, ...(quitHung ? { quitHung } : {}) });
  }
  return { runs };
}

async function main() {
  const [name, scenario, variant] = process.argv.slice(2);
  // ringstream with another build of its device plugin (first-sound.js's
  // PEERS_BEFORE_PLUGIN row): a before/after pair in the same run.
  if (name === 'ringstream-before') process.env.RINGSTREAM_CPAL_PLUGIN = process.env.PEERS_BEFORE_PLUGIN;
  const lib = require(LIBS[name === 'ringstream-before' ? 'ringstream' : name]);
  const run = { stall, tail, cpu, duplex }[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  const result = await run(lib, variant);
  console.log(JSON.stringify({ ok: true, ...result }));
  if (name !== 'ringstream') setTimeout(() => process.exit(0), 500).unref(); // a peer that keeps the loop alive
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, error: String(e?.stack ?? e) }));
  process.exit(1);
});
