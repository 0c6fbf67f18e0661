// `npm run bench:peers`: ringstream side by side with speaker, naudiodon,
// audify, @echogarden/audio-io and node-web-audio-api on one real-time-paced
// device (the audio sandbox's ALSA `loopback`, recorded through JACK), then
// the ring and WAV figures against ringbuf.js, wavefile and node-wav.
// Installs the pinned peers here when missing. Writes results.md.
// PEERS_SECONDS: length of the CPU run (default 60); PEERS_ONLY=a,b: only
// those libraries; PEERS_SKIP_FORMATS=1: no ring / WAV part.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { installPeers, versions, startSandbox, ROOT } = require('./setup');
const { child, heard } = require('./run-one');
const measure = require('./measure');
const report = require('./report');

const LIBS = [
  ['ringstream', 'ringstream'],
  ['speaker', 'speaker'],
  ['naudiodon', 'naudiodon'],
  ['audify', 'audify'],
  ['echogarden', '@echogarden/audio-io'],
  ['web-audio', 'node-web-audio-api'],
];

/** A heard run, again (up to three times) when the recorder itself lost frames: its loss is not the player's. */
async function heardClean(args) {
  let run;
  for (let attempts = 1; attempts <= 3; attempts++) {
    run = { ...(await heard(args, 60_000)), attempts };
    if (run.recording.xruns === 0) break;
  }
  return run;
}

async function library(name, pkg, version, seconds) {
  const how = require(`./libs/${name}`).how;
  console.log(`\n== ${pkg} ${version ?? ''}`);
  const rows = [];
  const stall = measure.stall(await heardClean([name, 'stall']));
  console.log(`stall: ${JSON.stringify({ gaps: stall.gaps, missing: stall.missing, reported: stall.reported, error: stall.error })}`);
  const tail = measure.tail(await heardClean([name, 'tail']));
  console.log(`tail: ${JSON.stringify(tail)}`);
  const duplex = measure.duplex(await child([name, 'duplex'], 120_000));
  console.log(`duplex: ${JSON.stringify(duplex)}`);
  const cpu = await child([name, 'cpu'], seconds * 3000 + 60_000);
  console.log(`cpu: ${JSON.stringify({ ...cpu, stderr: undefined })}`);
  rows.push({ label: pkg, pkg, version, how, stall, tail, duplex, cpu });
  if (name === 'ringstream') {
    const small = measure.stall(await heardClean([name, 'stall', 'small']));
    console.log(`stall, bufferSize 4096: ${JSON.stringify({ gaps: small.gaps, reported: small.reported })}`);
    rows.push({
      label: 'ringstream, bufferSize 4096 (85 ms, shorter than the stall)',
      pkg: 'ringstream',
      version: `${version}, bufferSize 4096`,
      how,
      stall: small,
    });
  }
  return rows;
}

/** Peak RSS of a bare node process that loads ringstream and opens nothing: the floor under every row. */
function baselineRssMB() {
  const dist = JSON.stringify(path.join(ROOT, 'dist/index.js'));
  const out = execFileSync(process.execPath, ['-e', `require(${dist}); console.log(process.resourceUsage().maxRSS / 1024)`], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

/** What the table cannot say by itself. */
function notes(rows, baseline) {
  const n = [];
  const sp = rows.find((r) => r.pkg === 'speaker');
  if (sp && /Failed to open output device/.test(sp.stall.error ?? '')) {
    n.push(
      "speaker cannot open any device of the sandbox: its mpg123 ALSA module asks `snd_pcm_hw_params_set_buffer_size_near()` for 0.5 s (24000 frames) before any period size, and ALSA's `plug` over the JACK ioplug answers EINVAL (`initialize_device(): cannot set buffer size`); aplay, which sets the period first, opens the same device. Its row is the error, not a figure.",
    );
  }
  n.push(
    `Peak RSS: a bare node that loads ringstream peaks at ${baseline.toFixed(0)} MB; every library here is also a JACK client (through ALSA's JACK plugin, or directly), whose shared memory counts in its RSS, so the rows differ far less than that floor suggests.`,
  );
  n.push(
    "Call to first sound includes opening the device: for ringstream, `new OutputStream({ device: 'alsa:loopback' })` itself takes most of it: on this device every ALSA PCM it opens is a JACK client, which the server makes in one cycle (21 ms at period 1024), and opening, planning and starting a stream takes about 4 cycles (`node benches/alsa-open.js`).",
  );
  return n;
}

/** benches/ring.js and benches/wav.js, run as they are (their own helpers), their output kept. */
function formats() {
  const out = {};
  for (const f of ['ring.js', 'wav.js']) {
    const file = path.join(ROOT, 'benches', f);
    try {
      out[f] = execFileSync(process.execPath, ['-e', `Promise.resolve(require(${JSON.stringify(file)})()).then(() => process.exit(0))`], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 600_000,
      });
    } catch (e) {
      out[f] = `failed: ${String(e.message).split('\n')[0]}`;
    }
  }
  return out;
}

async function main() {
  const seconds = Number(process.env.PEERS_SECONDS ?? 60);
  const only = process.env.PEERS_ONLY?.split(',');
  installPeers();
  const vers = versions();
  const sandbox = startSandbox();
  const load0 = os.loadavg();
  const rows = [];
  try {
    for (const [name, pkg] of LIBS) if (!only || only.includes(name)) rows.push(...(await library(name, pkg, vers[pkg], seconds)));
  } finally {
    sandbox.stop();
  }
  const load1 = os.loadavg();
  const baseline = baselineRssMB();
  const fmt = process.env.PEERS_SKIP_FORMATS ? {} : formats();
  const env = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${os.type()} ${os.release()}.`,
    `Device: the audio sandbox (JACK dummy driver, period ${sandbox.period} @ 48 kHz, real-time paced); every library plays into ALSA \`loopback\` (or, for node-web-audio-api, which plays through JACK, the same \`loopback\` client's ports), recorded from the \`loopback\` client's JACK outputs by a ringstream JACK input in another process.`,
    `Load average (1 min) ${load0[0].toFixed(1)} at the start, ${load1[0].toFixed(1)} at the end: other jobs shared the 2 cores, so times and CPU figures vary.`,
    `CPU run: ${seconds} s of audio per library. Libraries whose queue depth is the caller's choice (audify, @echogarden/audio-io, node-web-audio-api) are kept ${process.env.PEERS_LEAD ?? 0.25} s ahead; speaker, naudiodon and ringstream are fed through their Writable with its own backpressure and buffer.`,
  ];
  const md = [
    '# ringstream against the peers',
    '',
    'Reproduce: `npm run bench:peers` (installs the pinned peers into benches/peers/ and starts its own audio sandbox).',
    '',
    ...env.map((l) => `- ${l}`),
    '',
    'Stall test: 3 s of a 440 Hz sine at half scale, 48 kHz stereo, fed in 1024-frame chunks while a 300 ms busy loop runs once a second. A gap is a run of silence (3 frames or more below 1e-3) inside the recorded tone; "never played" counts frames of the tone that did not reach the device at all. Tail: a 1 s sweep played with the one-shot form (`await play(x)` then close, or the library\'s own), frames missing at the end (and at the start). First sound: from the call that opens the output to the JACK cycle that carried the first frame (+-1 period, 21 ms). Duplex: a click played and recorded on the loopback, its delay in frames against the latency the library reports.',
    '',
    report.table(rows),
    '',
    ...notes(rows, baseline).map((l) => `- ${l}`),
    '',
    '## Raw analysis of the recordings',
    '',
    '```',
    report.raw(rows),
    '```',
    '',
  ];
  for (const [f, text] of Object.entries(fmt)) md.push(`## benches/${f} (same machine, same run)`, '', '```', text.trim(), '```', '');
  const text = md.join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(path.join(__dirname, 'results.md'), text);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
