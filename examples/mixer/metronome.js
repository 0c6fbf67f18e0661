#!/usr/bin/env node
// Bleeps on a metronome grid: 120 bpm, the first beat of each bar higher,
// each bleep scheduled at its exact stream time (python-rtmixer's example).
//   node examples/mixer/metronome.js [--device ID] [--seconds S]
'use strict';
const { Mixer } = require('../..');
const args = require('./args');

function bleep(freq, sr) {
  const n = Math.round(0.05 * sr);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) b[i] = 0.3 * Math.sin((2 * Math.PI * freq * i) / sr) * Math.min(1, (n - i) / 200);
  return b;
}

(async () => {
  const { stream, seconds } = args();
  const m = new Mixer({ ...stream, channels: 1 });
  await m.start();
  const beat = 0.5;
  const t0 = m.time + 0.2;
  const hi = bleep(1760, m.samplerate);
  const lo = bleep(880, m.samplerate);
  const actions = [];
  for (let k = 0; k * beat < seconds; k++) actions.push(m.playBuffer(k % 4 === 0 ? hi : lo, 1, { start: t0 + k * beat }));
  await m.wait();
  const late = actions.map((a) => Math.round((a.actualTime - a.requestedTime) * m.samplerate));
  console.log(
    `${actions.length} bleeps on a ${beat} s grid; scheduling error (frames): max ${Math.max(...late.map(Math.abs))}; xruns ${m.xruns}`,
  );
  await m.close();
})();
