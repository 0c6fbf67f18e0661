#!/usr/bin/env node
// Figures for docs/performance.md on the PipeWire sandbox (scripts/pipewire-sandbox.sh):
// open-to-first-sound of ringstream (in process, and its CLI) beside pw-play and paplay, and
// CPU per second of audio beside pw-play. Run with the sandbox's environment exported:
//   eval "$(scripts/pipewire-sandbox.sh start)"; node scripts/measure-pipewire.js
// FIRST_SOUND_ONLY=1: only the first-sound rows (interleaved, RUNS rounds, default 3), with
// the in-process open's own time (new OutputStream returning) beside its first sound.
//
// First sound is seen from outside: parecord records the sink's monitor into a file, and the
// frame count the file holds when a player is started is that player's zero; its first non-zero
// frame is its first sound. parecord's own delay (its 10 ms fragments, the graph's quantum) is
// the same for every player, so the figures compare fairly; in absolute terms they are early
// by about that much.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const sink = process.env.PIPEWIRE_SANDBOX_SINK;
if (!sink) throw new Error('measure-pipewire: start the sandbox first: eval "$(scripts/pipewire-sandbox.sh start)"');
const r = require(root);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-measure-'));
const RATE = 48_000;
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
let runs = 0;

/** Seconds of stereo noise (never a zero sample) as a float32 WAV file. */
async function noiseWav(seconds) {
  const frames = seconds * RATE;
  const data = new Float32Array(frames * 2);
  let x = 7;
  for (let i = 0; i < data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = 0.05 + 0.4 * (x / 2 ** 32);
  }
  const file = path.join(dir, `noise-${seconds}.wav`);
  await r.writeWav(file, data, { samplerate: RATE, channels: 2, format: 'f32' });
  return { file, data };
}

async function firstSound(label, play) {
  const rec = path.join(dir, `first-sound-${runs++}.raw`);
  const p = spawn('parecord', [
    '-d',
    `${sink}.monitor`,
    '--latency-msec=10',
    '--raw',
    '--format=float32le',
    `--rate=${RATE}`,
    '--channels=2',
    rec,
  ]);
  while (!fs.existsSync(rec) || fs.statSync(rec).size < RATE * 8 * 0.5) await sleep(5);
  const zero = fs.statSync(rec).size / 8;
  const t0 = process.hrtime.bigint();
  await play();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  await sleep(300);
  p.kill('SIGINT');
  await new Promise((res) => p.on('exit', res));
  const b = fs.readFileSync(rec);
  const f = new Float32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
  let first = -1;
  for (let i = zero * 2; i < f.length; i++) {
    if (f[i] !== 0) {
      first = i >> 1;
      break;
    }
  }
  return { label, firstSoundMs: first < 0 ? NaN : ((first - zero) / RATE) * 1000, wallS: wall };
}

const run = (cmd, args) =>
  new Promise((res, rej) => {
    const c = spawn(cmd, args, { stdio: 'ignore' });
    c.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${cmd} exited with ${code}`))));
  });

/** User + system CPU seconds of a command, from the kernel's accounting of the waited-for child. */
function cpu(cmd, args) {
  const py =
    'import resource,subprocess,sys;subprocess.run(sys.argv[1:],check=True);u=resource.getrusage(resource.RUSAGE_CHILDREN);print(u.ru_utime+u.ru_stime)';
  const out = spawnSync('python3', ['-c', py, cmd, ...args], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${cmd}: ${out.stderr}`);
  return Number(out.stdout.trim());
}

(async () => {
  const short = await noiseWav(1);
  const long = await noiseWav(10);
  const cli = path.join(root, 'dist', 'cli.js');
  const rows = [];
  const opens = [];
  const firstOnly = process.env.FIRST_SOUND_ONLY === '1';
  const rounds = Number(process.env.RUNS ?? 3);
  for (let k = 0; k < rounds; k++) {
    rows.push(
      await firstSound('ringstream in process (new OutputStream + play)', async () => {
        const t = performance.now();
        const s = new r.OutputStream({ device: `pipewire:${sink}`, channels: 2, samplerate: RATE });
        opens.push(performance.now() - t);
        await s.play(short.data);
        await s.close();
      }),
    );
    if (firstOnly) {
      rows.push(await firstSound('pw-play', () => run('pw-play', ['--target', sink, short.file])));
      rows.push(await firstSound('paplay', () => run('paplay', ['-d', sink, short.file])));
      continue;
    }
    rows.push(
      await firstSound('ringstream CLI (pipewire host)', () => run(process.execPath, [cli, '-q', '-D', `pipewire:${sink}`, short.file])),
    );
    rows.push(
      await firstSound('ringstream CLI (pulseaudio host)', () =>
        run(process.execPath, [cli, '-q', '-D', `pulseaudio:${sink}`, short.file]),
      ),
    );
    rows.push(await firstSound('pw-play', () => run('pw-play', ['--target', sink, short.file])));
    rows.push(await firstSound('paplay', () => run('paplay', ['-d', sink, short.file])));
  }
  const by = new Map();
  for (const x of rows) by.set(x.label, [...(by.get(x.label) ?? []), x.firstSoundMs]);
  const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
  console.log(`| command | open to first sound, ms (${rounds} runs, median) |`);
  console.log('| --- | --- |');
  for (const [label, v] of by) {
    const s = [...v].sort((a, b) => a - b);
    console.log(`| ${label} | ${median(s).toFixed(0)} (${s.map((x) => x.toFixed(0)).join(', ')}) |`);
  }
  const o = opens.map((x) => x.toFixed(0)).join(', ');
  console.log(`\nringstream's new OutputStream alone: ${median(opens).toFixed(0)} ms (${o}); load average ${os.loadavg()[0].toFixed(2)}\n`);
  if (firstOnly) {
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  console.log('| command, 10 s of audio | CPU s (user + system) | CPU per s of audio |');
  console.log('| --- | --- | --- |');
  for (const [label, cmd, args] of [
    ['ringstream CLI (pipewire host)', process.execPath, [cli, '-q', '-D', `pipewire:${sink}`, long.file]],
    ['ringstream CLI (pulseaudio host)', process.execPath, [cli, '-q', '-D', `pulseaudio:${sink}`, long.file]],
    ['pw-play', 'pw-play', ['--target', sink, long.file]],
    ['paplay', 'paplay', ['-d', sink, long.file]],
    ['node -e "" (Node start-up alone)', process.execPath, ['-e', '']],
  ]) {
    const c = cpu(cmd, args);
    console.log(`| ${label} | ${c.toFixed(3)} | ${(c / 10).toFixed(4)} |`);
  }
  console.log('');
  console.log(
    '| round trip (DuplexStream on <host>:default, the default source being the sink monitor) | reported input + output latency, frames | measured, frames |',
  );
  console.log('| --- | --- | --- |');
  for (const host of ['pipewire', 'pulseaudio']) {
    const s = new r.DuplexStream({ device: `${host}:default`, channels: 2, samplerate: RATE });
    const sig = short.data;
    const rec = await s.playrec(sig, { pad: RATE });
    let delay = -1;
    outer: for (let k = 0; k < rec.length / 2; k++) {
      for (let i = 0; i < 128; i++) if (rec[2 * k + i] !== sig[i]) continue outer;
      delay = k;
      break;
    }
    const reported = Math.round((s.latency[0] + s.latency[1]) * RATE);
    console.log(
      `| ${host} | ${reported} (in ${s.latency[0].toFixed(4)} s, out ${s.latency[1].toFixed(4)} s) | ${delay} (xruns ${s.xruns}) |`,
    );
    await s.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
})();
