#!/usr/bin/env node
// Prints the stream's statistics while it runs (fetchAndResetStats, taken
// inside the callback), as python-rtmixer's example does.
//   node examples/mixer/stats.js [--device ID] [--seconds S]
'use strict';
const { Mixer } = require('../..');
const args = require('./args');

(async () => {
  const { stream, seconds } = args();
  const m = new Mixer({ ...stream, channels: 2, blocksize: 256 });
  await m.start();
  const end = m.time + seconds;
  while (m.time < end) {
    await new Promise((r) => setTimeout(r, 500 / (stream.speed ?? 1)));
    const { stats } = await m.fetchAndResetStats();
    console.log(
      `t=${m.time.toFixed(2)} s: ${stats.blocks} blocks of ${stats.minBlocksize}..${stats.maxBlocksize} frames, ` +
        `underflows out/in ${stats.outputUnderflows}/${stats.inputUnderflows}, overflows ${stats.outputOverflows}/${stats.inputOverflows}`,
    );
  }
  await m.stop();
  console.log('after stop (readable while inactive):', m.stats);
  await m.close();
})();
