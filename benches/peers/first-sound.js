// `node benches/peers/first-sound.js`: only the peer bench's "call to first
// sound" (its tail test: from the call that opens the output to the JACK
// cycle that carried the first frame, +-1 period), for every library in
// interleaved rounds, so that each row saw the same machine load. Medians of
// ROUNDS (default 5) with the range. Installs the peers and starts the
// bench's own sandbox as `npm run bench:peers` does.
// PEERS_ONLY=a,b: only those libraries. PEERS_BEFORE_PLUGIN=path/to/.so: a
// row more, ringstream with that build of its device plugin (before/after).
'use strict';
const os = require('node:os');
const { installPeers, versions, startSandbox } = require('./setup');
const { heard } = require('./run-one');
const measure = require('./measure');

const LIBS = [
  ['ringstream', 'ringstream'],
  ['ringstream-jack', 'ringstream (jack:default)'],
  ['naudiodon', 'naudiodon'],
  ['audify', 'audify'],
  ['echogarden', '@echogarden/audio-io'],
  ['web-audio', 'node-web-audio-api'],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  const rounds = Number(process.env.ROUNDS ?? 5);
  const only = process.env.PEERS_ONLY?.split(',');
  // PEERS_BEFORE_PLUGIN=path: one more row, ringstream with that build of its device plugin.
  const before = process.env.PEERS_BEFORE_PLUGIN ? [['ringstream-before', `ringstream, plugin ${process.env.PEERS_BEFORE_PLUGIN}`]] : [];
  const libs = [...before, ...LIBS].filter(([name]) => !only || only.includes(name));
  installPeers();
  const vers = versions();
  const sandbox = startSandbox();
  const load0 = os.loadavg()[0];
  const ms = Object.fromEntries(libs.map(([name]) => [name, []]));
  // Open returned -> first sound, and the output latency reported (ringstream's rows).
  const split = Object.fromEntries(libs.map(([name]) => [name, { after: [], latency: [] }]));
  const failed = {};
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [name] of libs) {
        const t = measure.tail(await heard([name, 'tail'], 60_000));
        if (t.heard && t.firstSoundMs != null) ms[name].push(t.firstSoundMs);
        else failed[name] = String(t.error ?? 'nothing heard').split('\n')[0];
        if (t.heard && t.afterOpenMs != null) {
          split[name].after.push(t.afterOpenMs);
          split[name].latency.push(t.latencyMs);
        }
      }
    }
  } finally {
    sandbox.stop();
  }
  const load1 = os.loadavg()[0];
  console.log(`call to first sound, ms (median of ${rounds} interleaved rounds; JACK period ${sandbox.period} @ 48 kHz)`);
  for (const [name, pkg] of libs) {
    const xs = ms[name];
    const figure = xs.length
      ? `${median(xs).toFixed(0).padStart(6)}   ${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`
      : `  fails: ${failed[name]}`;
    console.log(`  ${`${pkg} ${vers[pkg] ?? ''}`.padEnd(32)}${figure}`);
  }
  for (const [name, pkg] of libs) {
    const { after, latency } = split[name];
    if (!after.length) continue;
    const range = `${Math.min(...after).toFixed(0)}-${Math.max(...after).toFixed(0)}`;
    console.log(
      `  ${pkg}: open returned -> first sound ${median(after).toFixed(0)} ms (${range}); output latency reported ${median(latency).toFixed(0)} ms`,
    );
  }
  console.log(`  load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
