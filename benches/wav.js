'use strict';
// readWav / writeWav throughput (MB of WAV file per second) next to the
// wavefile and node-wav packages and plain fs, on one 60 s stereo 48 kHz file
// per format (written by sox when available, so no library reads its own
// output). Run after `npm run build`: node benches/wav.js
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { readWav, writeWav } = require('../dist/index.js');
const { WaveFile } = require('wavefile');
const nodeWav = require('node-wav');

const RATE = 48000;
const SECONDS = 60;
const RUNS = Number(process.env.RUNS || 7);
const notes = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-wavbench-'));

function signal() {
  const d = new Float32Array(RATE * SECONDS * 2);
  for (let i = 0; i < d.length; i++) d[i] = Math.sin(i * 0.001) * 0.8;
  return d;
}

function planar(d) {
  const l = new Float32Array(d.length / 2);
  const r = new Float32Array(d.length / 2);
  for (let i = 0; i < l.length; i++) {
    l[i] = d[2 * i];
    r[i] = d[2 * i + 1];
  }
  return [l, r];
}

/**
 * Best-of-RUNS MB/s for `bytes` moved by each function of `cases` (an object
 * of name: fn), or the error's message. The cases take turns, one call each
 * per round, so that machine load (other processes on the two cores) falls
 * on all of them alike. `settle(name)`, if given, runs after each call,
 * untimed.
 */
async function measureAll(bytes, cases, settle = () => {}) {
  const best = {};
  for (const [name, fn] of Object.entries(cases)) {
    try {
      await fn(); // warm-up (JIT, page cache)
      settle(name);
      best[name] = Infinity;
    } catch (e) {
      notes.push(String(e.message || e));
      best[name] = '  throws';
    }
  }
  for (let i = 0; i < RUNS; i++) {
    for (const [name, fn] of Object.entries(cases)) {
      if (typeof best[name] !== 'number') continue;
      const t = process.hrtime.bigint();
      await fn();
      best[name] = Math.min(best[name], Number(process.hrtime.bigint() - t) / 1e9);
      settle(name);
    }
  }
  for (const name of Object.keys(best)) if (typeof best[name] === 'number') best[name] = bytes / best[name] / 1e6;
  return best;
}

async function main() {
  const data = signal();
  const [left, right] = planar(data);
  const rows = [];
  for (const [label, format, bits, enc] of [
    ['16-bit', 'i16', '16', 'signed-integer'],
    ['float', 'f32', '32f', 'floating-point'],
  ]) {
    const file = path.join(dir, `in-${format}.wav`);
    try {
      execFileSync('sox', [
        '-n',
        '-r',
        String(RATE),
        '-c',
        '2',
        '-b',
        bits === '16' ? '16' : '32',
        '-e',
        enc,
        file,
        'synth',
        String(SECONDS),
        'sine',
        '440',
        'sine',
        '660',
        'gain',
        '-3',
      ]);
    } catch {
      await writeWav(file, data, { samplerate: RATE, channels: 2, format }); // no sox here
    }
    const size = fs.statSync(file).size;
    // Each write case has its own output file, and its data reaches the disk
    // (untimed) before the next case runs. Otherwise a case paid for the
    // writeback its predecessor started (ext4 starts it when a truncated file
    // is closed): rewriting that same file waited for it, and even another
    // file's truncation queued its discards behind it, so whichever case came
    // second lost 5-7 ms of an 11.5 MB write.
    const out = (name) => path.join(dir, `out-${format}-${name.replace(/\W/g, '_')}.wav`);
    const flush = (name) => {
      const fd = fs.openSync(out(name), 'r+');
      fs.fdatasyncSync(fd);
      fs.closeSync(fd);
    };
    const read = await measureAll(size, {
      'fs.readFileSync': () => fs.readFileSync(file),
      'ringstream readWav': () => readWav(file),
      wavefile: () => {
        const w = new WaveFile(fs.readFileSync(file));
        return w.getSamples(true, Float32Array);
      },
      'node-wav': () => nodeWav.decode(fs.readFileSync(file)),
    });
    const bytes = fs.readFileSync(file);
    const write = await measureAll(
      size,
      {
        'fs.writeFileSync': () => fs.writeFileSync(out('fs.writeFileSync'), bytes),
        'ringstream writeWav': () => writeWav(out('ringstream writeWav'), data, { samplerate: RATE, channels: 2, format }),
        wavefile: () => {
          const w = new WaveFile();
          if (format === 'f32') {
            w.fromScratch(2, RATE, '32f', data);
          } else {
            const ints = new Int16Array(data.length);
            for (let i = 0; i < data.length; i++) ints[i] = Math.max(-32768, Math.min(32767, Math.round(data[i] * 32768)));
            w.fromScratch(2, RATE, '16', ints);
          }
          fs.writeFileSync(out('wavefile'), w.toBuffer());
        },
        'node-wav': () => {
          const buf = nodeWav.encode([left, right], { sampleRate: RATE, float: format === 'f32', bitDepth: format === 'f32' ? 32 : 16 });
          fs.writeFileSync(out('node-wav'), buf);
        },
      },
      flush,
    );
    rows.push({ label, size, read, write });
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const fmt = (v) => (typeof v === 'number' ? v.toFixed(0).padStart(8) : v);
  console.log(`WAV throughput, MB of file per second (best of ${RUNS}), 60 s stereo 48 kHz`);
  for (const { label, size, read, write } of rows) {
    console.log(`\n${label} (${(size / 1e6).toFixed(1)} MB)`);
    console.log(`  ${'read'.padEnd(22)}${'MB/s'.padStart(8)}    ${'write'.padEnd(22)}${'MB/s'.padStart(8)}`);
    const rk = Object.keys(read);
    const wk = Object.keys(write);
    for (let i = 0; i < rk.length; i++) {
      console.log(`  ${rk[i].padEnd(22)}${fmt(read[rk[i]])}    ${wk[i].padEnd(22)}${fmt(write[wk[i]])}`);
    }
    const ww = write['ringstream writeWav'];
    const fsw = write['fs.writeFileSync'];
    console.log(`  writeWav: ${((ww / fsw) * 100).toFixed(0)}% of fs.writeFileSync`);
    const rw = read['ringstream readWav'];
    const fsr = read['fs.readFileSync'];
    const nw = read['node-wav'];
    const ratio = typeof fsr === 'number' ? `${((rw / fsr) * 100).toFixed(0)}% of fs.readFileSync` : '';
    const vsNode = typeof nw === 'number' ? `, ${(rw / nw).toFixed(1)}x node-wav` : ' (node-wav cannot read this file)';
    console.log(`  readWav: ${ratio}${vsNode}`);
  }
}

async function run() {
  await main();
  for (const n of new Set(notes)) console.log(`\nnote: a library threw: ${n}`);
}

module.exports = run;
if (require.main === module) {
  run().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
