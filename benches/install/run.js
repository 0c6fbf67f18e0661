#!/usr/bin/env node
// `npm run bench:install`: what installing costs a user, side by side in one
// run: ringstream's packed tarballs (scripts/pack.js; build them first with
// `npm run build:dist`) beside node-web-audio-api and speaker, each packed
// from the registry and installed the same way into a fresh project.
// Reports the install time, the unpacked size of node_modules and the time
// `require()` takes under Node and Bun (median of 10 fresh processes).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const PEERS = { 'node-web-audio-api': '2.2.0', speaker: '0.5.5' };
const RUNS = 10;
const bun = path.join(root, 'node_modules', '.bin', 'bun');
// speaker compiles with node-gyp, which would download Node's headers: give it the local ones.
const env = { ...process.env, npm_config_nodedir: path.resolve(process.execPath, '..', '..') };
if (!fs.existsSync(path.join(env.npm_config_nodedir, 'include', 'node'))) delete env.npm_config_nodedir;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function du(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += du(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

function requireMs(runtime, dir, name) {
  const code = `const t = performance.now(); require(${JSON.stringify(name)}); console.log(performance.now() - t)`;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(runtime, ['-e', code], { cwd: dir, env, encoding: 'utf8' });
    times.push(Number(out.trim().split('\n').pop()));
  }
  return median(times);
}

function measure(name, tarballs, work) {
  const dir = path.join(work, name.replace(/\W/g, '_'));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const t = performance.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: dir, env, stdio: 'pipe' });
  const installS = (performance.now() - t) / 1000;
  return {
    name,
    installS,
    unpackedMB: du(path.join(dir, 'node_modules')) / 1e6,
    requireNodeMs: requireMs(process.execPath, dir, name),
    requireBunMs: requireMs(bun, dir, name),
  };
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-install-bench-'));
  try {
    const packed = JSON.parse(
      execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.js'), path.join(work, 'tarballs')], { encoding: 'utf8' }),
    );
    if (packed.length < 2) throw new Error('no platform package was packed: run `npm run build:dist` first');
    const rows = [
      measure(
        'ringstream',
        packed.map((p) => p.file),
        work,
      ),
    ];
    for (const [peer, version] of Object.entries(PEERS)) {
      const [r] = JSON.parse(
        execFileSync('npm', ['pack', `${peer}@${version}`, '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8' }),
      );
      try {
        rows.push(measure(peer, [path.join(work, r.filename)], work));
      } catch (e) {
        rows.push({
          name: peer,
          error: String(e.stderr || e.message)
            .split('\n')
            .slice(-3)
            .join(' '),
        });
      }
    }
    console.log(
      `install from packed tarballs, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    );
    console.log('| package | install | unpacked (node_modules) | require, Node | require, Bun |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const r of rows) {
      if (r.error) console.log(`| ${r.name} | failed: ${r.error} | | | |`);
      else
        console.log(
          `| ${r.name} | ${r.installS.toFixed(1)} s | ${r.unpackedMB.toFixed(1)} MB | ${r.requireNodeMs.toFixed(1)} ms | ${r.requireBunMs.toFixed(1)} ms |`,
        );
    }
    for (const t of packed)
      console.log(
        `tarball ${path.basename(t.file)}: ${(t.size / 1e6).toFixed(2)} MB packed, ${(t.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${t.files} files`,
      );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
