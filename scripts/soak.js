#!/usr/bin/env node
// Soak test: duplex streaming on `virtual:loopback` at high speed for a long
// time, consumed with chunks(), while a MixerAndRecorder on the same card
// plays and records buffers. Checks that nothing is lost and nothing grows.
//
// - Device channels 1 and 2 carry a frame counter (its low and high 16
//   bits, each exact in float32), written from JS into the ring the duplex
//   stream plays from. What comes back must be silence (the round trip),
//   then the counter from 0, complete and in order, every frame.
// - Device channel 3 is the Mixer's: every 50 ms it schedules a 2048-frame
//   ramp and a recording of channel 3 at the same stream time; each
//   recording must hold the buffer, exact, at the same delay every time.
// - RSS is sampled every second: before the streams, at the start of the
//   run, at the end, and the maximum.
//
// Usage: node scripts/soak.js [--seconds N] [--speed X] [--samplerate R]
// (SOAK_SECS also sets the duration; default 600). Prints a summary and, as
// its last line, the figures as JSON. Exit status 1 when a check failed.
'use strict';
const { DuplexStream, MixerAndRecorder, RingBuffer } = require('../dist/index.js');
const { adjustedExternalMemory } = require('../index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = arg('seconds', Number(process.env.SOAK_SECS ?? 600));
const SPEED = arg('speed', 100);
const SR = arg('samplerate', 48_000);
const CH = 3;
const CHUNK = 8192;
const RING_FRAMES = 2 ** 21;
const MIX_FRAMES = 2048;
const device = { device: 'virtual:loopback', samplerate: SR, speed: SPEED, channels: CH };

const MB = 2 ** 20;
// SOAK_TRACE=1 prints memory every 10 s (with node --expose-gc, after a collection).
const TRACE = process.env.SOAK_TRACE === '1';
function trace(t) {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const f = (x) => (x / MB).toFixed(1);
  console.error(
    `t ${t.toFixed(0)} s: rss ${f(m.rss)} heapUsed ${f(m.heapUsed)} external ${f(m.external)} arrayBuffers ${f(m.arrayBuffers)} MB`,
  );
}
const rss = () => process.memoryUsage.rss();

/** Counter halves: a 16-bit value on the int16 grid (exact in float32). */
const half = (v) => ((v & 0xffff) - 32768) / 32768;
/** The counter frame `n` as its two halves. */
const low = (n) => half(n % 65536);
const high = (n) => half(Math.floor(n / 65536));

/** Writes the counter into the playback ring as far as it has room. */
class CounterFeed {
  constructor(ring) {
    this.ring = ring;
    this.next = 0;
    this.scratch = new Float32Array(65536 * CH);
  }
  fill() {
    for (let room = this.ring.writeAvailable; room > 0; room = this.ring.writeAvailable) {
      const n = Math.min(room, 65536);
      const s = this.scratch;
      for (let i = 0; i < n; i++) {
        const f = this.next + i;
        s[i * CH] = low(f);
        s[i * CH + 1] = high(f);
        s[i * CH + 2] = 0;
      }
      this.ring.write(s.subarray(0, n * CH));
      this.next += n;
    }
  }
}

/** Checks the counter in what the duplex stream records. */
class CounterCheck {
  constructor() {
    this.silence = 0;
    this.synced = false;
    this.expect = 0;
    this.errors = 0;
    this.firstError = null;
  }
  take(chunk) {
    const frames = chunk.length / CH;
    for (let i = 0; i < frames; i++) {
      const a = chunk[i * CH];
      const b = chunk[i * CH + 1];
      if (!this.synced) {
        if (a === 0 && b === 0) {
          this.silence++;
          continue;
        }
        this.synced = true;
      }
      const n = this.expect++;
      if (a !== low(n) || b !== high(n)) {
        this.errors++;
        this.firstError ??= { frame: n, got: [a, b], want: [low(n), high(n)] };
      }
    }
  }
}

/** Take `k`'s buffer: a ramp on the int16 grid starting at a value of its own. */
function ramp(frames, k) {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = half(k * 7919 + i);
  return out;
}

/** Where `needle` sits in `hay`, or -1. */
function offsetOf(hay, needle) {
  outer: for (let d = 0; d + needle.length <= hay.length; d++) {
    for (let i = 0; i < needle.length; i++) if (hay[d + i] !== needle[i]) continue outer;
    return d;
  }
  return -1;
}

/** Plays and records buffers on the mixer's channel and checks each take. */
class MixerLoad {
  constructor(m, roundTrip) {
    this.m = m;
    this.pending = [];
    this.scheduled = 0;
    this.ok = 0;
    this.bad = [];
    this.delays = new Set();
    this.seed = 1;
    this.recFrames = MIX_FRAMES + roundTrip + 1024;
    /** Stream time when the last take ends: takes must not overlap (plays would sum). */
    this.free = 0;
  }
  schedule() {
    if (this.pending.length >= 8) return;
    const buf = ramp(MIX_FRAMES, this.seed++);
    const rec = new Float32Array(this.recFrames);
    // 1 s of stream time ahead (10 ms of wall time at 100x), after the last take.
    const start = Math.max(this.m.time + 1, this.free);
    this.free = start + (this.recFrames + 64) / SR;
    const opts = { start, allowBelated: false };
    const play = this.m.playBuffer(buf, [3], opts);
    const take = this.m.recordBuffer(rec, [3], opts);
    this.scheduled++;
    const job = Promise.all([play.done, take.done]).then(() => {
      this.pending.splice(this.pending.indexOf(job), 1);
      const d = offsetOf(rec, buf);
      if (play.outcome !== 'done' || take.outcome !== 'done' || d < 0) {
        this.bad.push({ play: play.outcome, take: take.outcome, offset: d });
      } else {
        this.ok++;
        this.delays.add(d);
      }
    });
    this.pending.push(job);
  }
}

async function main() {
  const before = rss();
  const s = new DuplexStream({ ...device, blocksize: 1024, bufferSize: RING_FRAMES });
  const m = new MixerAndRecorder({ ...device, blocksize: 256 });
  await m.start();
  const ring = RingBuffer.forFrames(CH, RING_FRAMES);
  const feed = new CounterFeed(ring);
  feed.fill();
  const check = new CounterCheck();
  const [li, lo] = s.latency;
  const roundTrip = Math.round((li + lo) * SR);
  const mixer = new MixerLoad(m, Math.round((m.latency[0] + m.latency[1]) * SR));
  const t0 = performance.now();
  const figures = { start: 0, end: 0, max: 0 };
  const sample = () => {
    const r = rss();
    figures.max = Math.max(figures.max, r);
    return r;
  };
  const timer = setInterval(() => {
    sample();
    mixer.schedule();
  }, 50);
  let chunks = 0;
  let lastRss = 0;
  for await (const c of s.chunks({ chunksize: CHUNK, playback: ring })) {
    check.take(c);
    feed.fill();
    chunks++;
    if (chunks === 1) {
      figures.start = sample();
      figures.heapStart = process.memoryUsage();
    }
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed - lastRss >= 1) {
      lastRss = elapsed;
      sample();
      if (TRACE && Math.round(elapsed) % 10 === 0) trace(elapsed);
    }
    if (elapsed >= SECONDS) break;
  }
  clearInterval(timer);
  const wall = (performance.now() - t0) / 1000;
  await Promise.all(mixer.pending);
  figures.end = sample();
  const heap = (m) => ({
    heapUsed: +(m.heapUsed / MB).toFixed(1),
    external: +(m.external / MB).toFixed(1),
    arrayBuffers: +(m.arrayBuffers / MB).toFixed(1),
  });
  const heapEnd = process.memoryUsage();
  const result = {
    seconds: SECONDS,
    wallSeconds: Number(wall.toFixed(1)),
    speed: SPEED,
    samplerate: SR,
    audioSeconds: Number((s.frameCount / SR).toFixed(1)),
    chunks,
    framesChecked: check.expect,
    framesWritten: feed.next,
    counterErrors: check.errors,
    firstError: check.firstError,
    leadingSilence: check.silence,
    roundTrip,
    inFlight: feed.next - check.expect,
    xruns: s.xruns,
    mixerXruns: m.xruns,
    mixer: { scheduled: mixer.scheduled, ok: mixer.ok, bad: mixer.bad.length, firstBad: mixer.bad[0] ?? null, delays: [...mixer.delays] },
    rssMB: {
      before: +(before / MB).toFixed(1),
      start: +(figures.start / MB).toFixed(1),
      end: +(figures.end / MB).toFixed(1),
      max: +(figures.max / MB).toFixed(1),
    },
    heapMB: { start: heap(figures.heapStart), end: heap(heapEnd) },
    adjustedExternalMB: +(adjustedExternalMemory() / MB).toFixed(1),
  };
  await m.close();
  await s.close();
  const failures = [];
  if (check.errors) failures.push(`${check.errors} counter frames wrong, first ${JSON.stringify(check.firstError)}`);
  if (check.silence !== roundTrip) failures.push(`leading silence ${check.silence} frames, round trip ${roundTrip}`);
  // What was written but not heard: the ring's contents and the round trip.
  if (result.inFlight < 0 || result.inFlight > RING_FRAMES + roundTrip + 2 * CHUNK)
    failures.push(`${result.inFlight} frames unaccounted for`);
  if (s.xruns || m.xruns) failures.push(`xruns: duplex ${s.xruns}, mixer ${m.xruns}`);
  if (mixer.bad.length) failures.push(`${mixer.bad.length} mixer takes wrong, first ${JSON.stringify(mixer.bad[0])}`);
  if (mixer.delays.size > 1) failures.push(`mixer delays differ: ${[...mixer.delays]}`);
  result.failures = failures;
  console.log(
    `soak: ${result.wallSeconds} s wall, ${result.audioSeconds} s of audio at ${SPEED}x; ` +
      `${check.expect} counter frames checked (${check.errors} wrong), ${result.inFlight} in flight; ` +
      `xruns ${s.xruns} / ${m.xruns}; mixer takes ${mixer.ok}/${mixer.scheduled} exact; ` +
      `RSS MB before ${result.rssMB.before}, start ${result.rssMB.start}, end ${result.rssMB.end}, max ${result.rssMB.max}`,
  );
  for (const f of failures) console.log(`FAILED: ${f}`);
  console.log(JSON.stringify(result));
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
