// CPU per second of audio by the way JS feeds a stream: real-time playback,
// 48 kHz stereo. CPU is the whole process's (user + system, from
// process.cpuUsage(): JS, the bridge, the device threads), divided by the
// seconds of audio played.
// - generator: setSource(function* () { yield chunk ... }), then start()
// - setInterval: play(ring) of a RingBuffer that a 20 ms timer tops up
// - toWritable(): a Readable piped into the stream's Writable
// - WAV file: play('file.wav') (no JS in the loop; for reference)
// - a bare setInterval(20 ms) and no stream at all: what the timer of the
//   setInterval path costs by itself on this machine (for reference)
//
// Two modes:
// - default: `virtual:null` (blocksize 512), every path in this process, one
//   after the other;
// - FEED_DEVICE=alsa: the audio sandbox's ALSA `loopback` (the peer bench's
//   own sandbox, started here), every path in a fresh process, in
//   FEED_ROUNDS (default 3) interleaved rounds with the best peer of the peer
//   bench, audify (RtAudio, fed as benches/peers feeds it), when it is
//   installed in benches/peers (`npm run bench:peers` installs it); medians.
//   Chunks are then 1024 frames, the peer bench's, for every library.
// BENCH_SECONDS sets the seconds of audio of each path (default 20).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SR = 48000;
const CH = 2;
const BLOCK = 512;

/** Options of one path's run. */
function context() {
  const device = process.env.FEED_DEVICE === 'alsa' ? 'alsa:loopback' : process.env.FEED_DEVICE || 'virtual:null';
  const chunkFrames = Number(process.env.FEED_CHUNK || (device === 'virtual:null' ? 4096 : 1024));
  return { device, chunkFrames, seconds: Number(process.env.BENCH_SECONDS ?? 20) };
}

async function measure(ctx, run) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await run();
  const wall = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(c0);
  const xruns = s.xruns;
  await s.close();
  return { msPerSecond: (u.user + u.system) / 1000 / ctx.seconds, wall, xruns };
}

/** Each path: `(ctx, file) => () => Promise<stream>`, the stream played to its end. */
function paths(rs) {
  const open = (ctx) =>
    new rs.OutputStream({
      device: ctx.device,
      samplerate: SR,
      channels: CH,
      ...(ctx.device.startsWith('virtual') ? { blocksize: BLOCK } : {}),
    });
  const chunkOf = (ctx) => new Float32Array(ctx.chunkFrames * CH).fill(0.1);
  return {
    generator: (ctx) => async () => {
      const s = open(ctx);
      const total = ctx.seconds * SR;
      const chunk = chunkOf(ctx);
      const n = ctx.chunkFrames;
      s.setSource(function* () {
        for (let done = 0; done < total; done += n) yield done + n <= total ? chunk : chunk.subarray(0, (total - done) * CH);
      });
      await s.start();
      await s.wait();
      return s;
    },
    setInterval: (ctx) => async () => {
      const s = open(ctx);
      const ring = rs.RingBuffer.forFrames(CH, 32768);
      const total = ctx.seconds * SR;
      const chunk = chunkOf(ctx);
      const n = ctx.chunkFrames;
      let written = 0;
      const top = () => {
        while (written < total && ring.writeAvailable >= n) written += ring.write(chunk, Math.min(n, total - written));
      };
      top();
      const feeder = setInterval(top, 20);
      await s.play(ring, { frames: total });
      clearInterval(feeder);
      return s;
    },
    'toWritable()': (ctx) => async () => {
      const { Readable } = require('node:stream');
      const { pipeline } = require('node:stream/promises');
      const s = open(ctx);
      const total = ctx.seconds * SR;
      const bytes = new Uint8Array(chunkOf(ctx).buffer);
      let sent = 0;
      const src = new Readable({
        read() {
          if (sent >= total) return this.push(null);
          const n = Math.min(ctx.chunkFrames, total - sent);
          sent += n;
          this.push(Buffer.from(bytes.buffer, 0, n * CH * 4));
        },
      });
      await pipeline(src, s.toWritable());
      return s;
    },
    'bare 20 ms timer (reference)': (ctx) => async () => {
      const timer = setInterval(() => undefined, 20);
      await new Promise((r) => setTimeout(r, ctx.seconds * 1000));
      clearInterval(timer);
      return { xruns: 0, close: async () => undefined };
    },
    'WAV file (reference)': (ctx, file) => async () => {
      const s = open(ctx);
      await s.play(file, { frames: ctx.seconds * SR });
      return s;
    },
  };
}

async function toneFile(rs, seconds) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-feedcpu-'));
  const file = path.join(dir, 'tone.wav');
  const data = new Float32Array(seconds * SR * CH);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i / 50) * 0.2;
  await rs.writeWav(file, data, { samplerate: SR, channels: CH, format: 'i16' });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `--child NAME`: one path in this process; prints its result as JSON. */
async function child(name) {
  const rs = require('../dist/index.js');
  const ctx = context();
  const tone = await toneFile(rs, ctx.seconds);
  try {
    const r = await measure(ctx, paths(rs)[name](ctx, tone.file));
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    tone.remove();
  }
}

async function inProcess(ctx, only) {
  const rs = require('../dist/index.js');
  const tone = await toneFile(rs, ctx.seconds);
  const results = {};
  console.log(
    `CPU per second of audio, ${ctx.seconds} s of real-time playback per path (${ctx.device}, ${SR} Hz stereo, blocksize ${BLOCK}, ${ctx.chunkFrames}-frame chunks):`,
  );
  for (const [name, make] of Object.entries(paths(rs))) {
    if (only && !only.some((o) => name.startsWith(o))) continue;
    const r = await measure(ctx, make(ctx, tone.file));
    results[name] = r;
    console.log(`  ${name.padEnd(28)} ${r.msPerSecond.toFixed(2).padStart(6)} ms/s   took ${r.wall.toFixed(2)} s, xruns ${r.xruns}`);
  }
  tone.remove();
  return results;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The peer bench's audify, as its `cpu` scenario runs it, or undefined when it is not installed. */
function audify() {
  const peers = path.join(__dirname, 'peers');
  if (!fs.existsSync(path.join(peers, 'node_modules', 'audify', 'package.json'))) return undefined;
  const version = require(path.join(peers, 'node_modules', 'audify', 'package.json')).version;
  return {
    name: `audify ${version} (peer)`,
    run: (ctx) =>
      JSON.parse(
        execFileSync(process.execPath, [path.join(peers, 'child.js'), 'audify', 'cpu'], {
          encoding: 'utf8',
          env: { ...process.env, PEERS_SECONDS: String(ctx.seconds) },
          timeout: (ctx.seconds * 3 + 60) * 1000,
        })
          .trim()
          .split('\n')
          .pop(),
      ),
  };
}

async function separateProcesses(ctx, only) {
  const { startSandbox } = require('./peers/setup');
  const sandbox = startSandbox();
  const rows = new Map();
  const peer = audify();
  const runners = Object.keys(paths({}))
    .filter((name) => !only || only.some((o) => name.startsWith(o)))
    .map((name) => ({
      name,
      run: () =>
        JSON.parse(
          execFileSync(process.execPath, [__filename, '--child', name], {
            encoding: 'utf8',
            env: process.env,
            timeout: (ctx.seconds * 3 + 60) * 1000,
          })
            .trim()
            .split('\n')
            .pop(),
        ),
    }));
  if (peer) runners.push({ name: peer.name, run: () => ({ msPerSecond: peer.run(ctx).cpuMsPerSecond }) });
  const rounds = Number(process.env.FEED_ROUNDS || 3);
  const load0 = os.loadavg()[0];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const r of runners) {
        const got = r.run();
        rows.set(r.name, [...(rows.get(r.name) ?? []), got.msPerSecond]);
      }
    }
  } finally {
    sandbox.stop();
  }
  console.log(
    `CPU per second of audio, ${ctx.seconds} s per path, each in a fresh process, ${rounds} interleaved rounds (${ctx.device} on the audio sandbox, JACK period ${sandbox.period}; ${ctx.chunkFrames}-frame chunks; load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)}):`,
  );
  if (!peer) console.log('  (audify is not installed in benches/peers: `npm run bench:peers` installs it)');
  const peerMedian = peer && median(rows.get(peer.name));
  const results = {};
  for (const [name, xs] of rows) {
    const m = median(xs);
    results[name] = { msPerSecond: m, all: xs };
    const vs = peerMedian && !name.startsWith('audify') ? `   ${(m / peerMedian).toFixed(2)}x audify` : '';
    console.log(`  ${name.padEnd(28)} ${m.toFixed(2).padStart(6)} ms/s median (${xs.map((x) => x.toFixed(1)).join(', ')})${vs}`);
  }
  return results;
}

async function main() {
  const ctx = context();
  const only = process.env.FEED_PATHS?.split(',');
  return ctx.device.startsWith('virtual') ? inProcess(ctx, only) : separateProcesses(ctx, only);
}

module.exports = main;
if (require.main === module) {
  const run = process.argv[2] === '--child' ? child(process.argv[3]) : main();
  run.catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
