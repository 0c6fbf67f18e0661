#!/usr/bin/env node
// A recording scheduled to start in one second, of half a second of input,
// into a buffer (python-rtmixer's example).
//   node examples/mixer/scheduled-record.js [--device ID]
'use strict';
const { Recorder } = require('../..');
const args = require('./args');

(async () => {
  const { stream } = args();
  const r = new Recorder({ ...stream, channels: 1 });
  await r.start();
  const buf = new Float32Array(r.samplerate / 2);
  const asked = r.time + 1;
  const a = r.recordBuffer(buf, 1, { start: asked });
  await a.done;
  console.log(
    `asked to start at ${asked.toFixed(6)} s, started at ${a.actualTime.toFixed(6)} s (${Math.round((a.actualTime - asked) * r.samplerate)} frames off); recorded ${a.doneFrames} frames`,
  );
  await r.close();
})();
