'use strict';
// Decode speed (times real time, CPU time) of ringstream's AudioReader for
// FLAC, Ogg Vorbis and MP3 beside sox (and ffmpeg when installed), on one
// 10-minute stereo 44.1 kHz file each, made by sox and lame; and FLAC encode
// speed and size beside `flac -5`. Medians of RUNS runs, all in one run of
// this script. Run after `npm run build`: node benches/formats.js
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { AudioReader, readAudio, writeAudio } = require('../dist/index.js');

const SECONDS = Number(process.env.SECONDS || 600);
const RUNS = Number(process.env.RUNS || 5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-formatbench-'));
const f = (name) => path.join(dir, name);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Whether this sox has an MP3 reader (libsox-fmt-mp3 on Debian). */
function soxReadsMp3() {
  const help = spawnSync('sox', ['-h'], { encoding: 'utf8' }).stdout;
  return /AUDIO FILE FORMATS:.*\bmp3\b/.test(help);
}

/** CPU seconds (user + system) of a child process, from bash's `time`. */
function childCpu(cmd) {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ( ${cmd} 2>/dev/null )`], { encoding: 'utf8' });
  const [u, s] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return u + s;
}

/** CPU seconds of `fn` in this process (the decode runs on this thread). */
function ownCpu(fn) {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1e6;
}

function decodeAll(file) {
  const r = AudioReader.open(file);
  while (r.read(65536).length > 0);
  r.close();
}

async function main() {
  const src = f('src.wav');
  execFileSync('sox', [
    '-n',
    '-r',
    '44100',
    '-c',
    '2',
    '-b',
    '16',
    src,
    'synth',
    String(SECONDS),
    'sine',
    '220-880',
    'pinknoise',
    'gain',
    '-3',
  ]);
  execFileSync('sox', [src, f('a.flac')]);
  execFileSync('sox', [src, '-C', '5', f('a.ogg')]);
  execFileSync('lame', ['--quiet', '-V', '2', src, f('a.mp3')]);
  const rows = [];
  for (const [name, file] of [
    ['FLAC', f('a.flac')],
    ['Ogg Vorbis', f('a.ogg')],
    ['MP3', f('a.mp3')],
  ]) {
    const ours = median(Array.from({ length: RUNS }, () => ownCpu(() => decodeAll(file))));
    // Debian's sox reads MP3 once libsox-fmt-mp3 is installed.
    const sox =
      name === 'MP3' && !soxReadsMp3() ? undefined : median(Array.from({ length: RUNS }, () => childCpu(`sox ${file} -t f32 /dev/null`)));
    const mpg =
      name === 'MP3' && has('mpg123')
        ? median(Array.from({ length: RUNS }, () => childCpu(`mpg123 -q -e f32 -s ${file} >/dev/null`)))
        : undefined;
    const ff = has('ffmpeg')
      ? median(Array.from({ length: RUNS }, () => childCpu(`ffmpeg -v quiet -i ${file} -f f32le -y /dev/null`)))
      : undefined;
    const x = (s) => (s === undefined ? 'n/a' : `${(SECONDS / s).toFixed(0)}x`);
    rows.push(`| decode ${name} | ringstream ${x(ours)} | sox ${x(sox)} | mpg123 ${x(mpg)} | ffmpeg ${x(ff)} |`);
  }
  const pcm = (await readAudio(src)).data;
  const encs = [];
  for (let i = 0; i < RUNS; i++) {
    // Process-wide CPU time: the encode runs on a pool thread.
    const t = process.cpuUsage();
    await writeAudio(f('ours.flac'), pcm, { samplerate: 44100, channels: 2 });
    const d = process.cpuUsage(t);
    encs.push((d.user + d.system) / 1e6);
  }
  const enc = median(encs);
  const flac5 = median(Array.from({ length: RUNS }, () => childCpu(`flac -5 -s -f ${src} -o ${f('ref.flac')}`)));
  const size = (p) => (fs.statSync(p).size / 1e6).toFixed(1);
  rows.push(
    `| encode FLAC (16-bit) | ringstream ${(SECONDS / enc).toFixed(0)}x, ${size(f('ours.flac'))} MB | flac -5 ${(SECONDS / flac5).toFixed(0)}x, ${size(f('ref.flac'))} MB | | |`,
  );
  console.log(`${SECONDS} s stereo 44.1 kHz, CPU time, medians of ${RUNS}, load ${os.loadavg()[0].toFixed(1)}`);
  for (const r of rows) console.log(r);
  fs.rmSync(dir, { recursive: true, force: true });
}

main();
