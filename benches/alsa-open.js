// Opening and listing ALSA devices on the audio sandbox (a JACK server with
// ALSA routed through it), each in a fresh process so that nothing is cached
// by an earlier step: the first listing (and JACK's), a second listing in
// the same process, opening an output on `default` and `loopback`, an input
// and a duplex stream on `loopback`, each before anything was listed, and
// opening again (the first stream closed). RINGSTREAM_CPAL_PLUGIN=path
// measures another build of the device plugin (before/after). Medians of
// RUNS (default 5) processes,
// with the range of the first figures and the load average after the run.
// Needs the sandbox: eval "$(../shared/audio-sandbox.sh start)" && node benches/alsa-open.js
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const RUNS = Number(process.env.RUNS || 5);
const dist = path.join(__dirname, '..', 'dist', 'index.js');

/** Runs `body` in a fresh Node process; returns the milliseconds it prints as JSON. */
function fresh(body) {
  const script = `const rs = require(${JSON.stringify(dist)});
const ms = (f) => { const t = performance.now(); const v = f(); return [performance.now() - t, v]; };
(async () => { const out = {}; ${body}; process.stdout.write(JSON.stringify(out)); })().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function sandbox() {
  if (!process.env.ALSA_CONFIG_PATH) return 'ALSA_CONFIG_PATH is not set';
  try {
    const r = fresh(`out.hosts = rs.hosts(); out.list = rs.devices({ host: 'alsa' }).map((d) => d.name);`);
    if (!r.hosts.includes('alsa')) return 'this build has no ALSA host';
    if (!r.list.includes('loopback')) return `ALSA lists no 'loopback' device (${r.list.join(', ')})`;
  } catch (e) {
    return String(e.message || e).split('\n')[0];
  }
  return undefined;
}

async function main() {
  const why = sandbox();
  if (why) {
    console.log(`alsa-open: skipped, no ALSA audio sandbox here (${why}).`);
    console.log('  Start it first: eval "$(../shared/audio-sandbox.sh start)" && node benches/alsa-open.js');
    return { skipped: why };
  }
  const open = (
    device,
    kind = 'OutputStream',
  ) => `[out.t, out.s] = ms(() => new rs.${kind}({ host: 'alsa', device: '${device}', channels: 2 }));
    await out.s.close();
    [out.again, out.s] = ms(() => new rs.${kind}({ host: 'alsa', device: '${device}', channels: 2 }));
    await out.s.close();
    delete out.s;`;
  const cases = {
    'devices({ host: "alsa" }), first in the process': `[out.t] = ms(() => rs.devices({ host: 'alsa' })); [out.again] = ms(() => rs.devices({ host: 'alsa' }));`,
    'devices({ host: "jack" }), first in the process': `[out.t] = ms(() => rs.devices({ host: 'jack' })); [out.again] = ms(() => rs.devices({ host: 'jack' }));`,
    'new OutputStream on alsa default, nothing listed': open('default'),
    'new OutputStream on alsa loopback, nothing listed': open('loopback'),
    'new InputStream on alsa loopback, nothing listed': open('loopback', 'InputStream'),
    'new DuplexStream on alsa loopback, nothing listed': open('loopback', 'DuplexStream'),
  };
  const rows = [];
  for (const [name, body] of Object.entries(cases)) {
    const first = [];
    const again = [];
    for (let i = 0; i < RUNS; i++) {
      const r = fresh(body);
      first.push(r.t);
      again.push(r.again);
    }
    rows.push({ name, first: median(first), again: median(again), range: [Math.min(...first), Math.max(...first)] });
  }
  console.log(`ALSA on the audio sandbox, ms (median of ${RUNS} fresh processes):`);
  console.log(`  ${''.padEnd(52)}${'first'.padStart(8)}${'again'.padStart(8)}  first: range`);
  for (const r of rows) {
    const range = `${r.range[0].toFixed(0)}-${r.range[1].toFixed(0)}`;
    console.log(`  ${r.name.padEnd(52)}${r.first.toFixed(1).padStart(8)}${r.again.toFixed(1).padStart(8)}  ${range}`);
  }
  console.log(
    `  load average ${require('node:os')
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  return rows;
}

module.exports = main;
if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
