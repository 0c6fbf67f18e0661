#!/usr/bin/env node
// Logs RMS and dB per channel of what a stream plays to a file, every
// 100 ms, with a Monitor (OsSom's play_rec_log example).
//   node examples/monitor-log.js [LOGFILE] [--device ID]
'use strict';
const fs = require('node:fs');
const rs = require('..');

(async () => {
  const i = process.argv.indexOf('--device');
  const device = i > 0 ? process.argv[i + 1] : 'virtual:null';
  const file = process.argv.slice(2).find((a) => !a.startsWith('--') && a !== device) ?? 'monitor-log.tsv';
  const log = fs.createWriteStream(file);
  log.write('time\tchannel\trms\tdB\n');
  const out = new rs.OutputStream({ device, channels: 2 });
  const sig = rs.Signal.sine({ freq: 440, amp: 0.5, dur: 2, channels: 2 }).fadeIn(0.5);
  const mon = new rs.Monitor(out, ({ frames, channels, samplerate, time }) => {
    const block = new rs.Signal(frames, { samplerate, channels }); // no copy
    const rms = block.rms();
    rms.forEach((r, c) => log.write(`${time.toFixed(3)}\t${c}\t${r.toFixed(5)}\t${rs.util.ampdb(r).toFixed(1)}\n`));
  });
  await out.play(sig.sig);
  mon.stop();
  await out.close();
  log.end();
  console.log(`wrote ${file}`);
})();
