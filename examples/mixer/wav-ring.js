#!/usr/bin/env node
// A WAV file played through a ring: JS reads the file in blocks and keeps
// the ring topped up while the mixer plays from it; a demo tone is written
// first when no file is given.
//   node examples/mixer/wav-ring.js [FILE.wav] [--device ID]
'use strict';
const os = require('node:os');
const path = require('node:path');
const { Mixer, RingBuffer, WavReader, writeWav } = require('../..');
const args = require('./args');

(async () => {
  const { stream } = args();
  let file = process.argv.slice(2).find((a) => a.endsWith('.wav'));
  if (!file) {
    file = path.join(os.tmpdir(), 'ringstream-mixer-tone.wav');
    const tone = new Float32Array(48000 * 2);
    for (let i = 0; i < tone.length / 2; i++) tone[2 * i] = tone[2 * i + 1] = 0.2 * Math.sin((2 * Math.PI * 330 * i) / 48000);
    await writeWav(file, tone, { samplerate: 48000, channels: 2, format: 'f32' });
  }
  const reader = WavReader.open(file);
  const m = new Mixer({ ...stream, samplerate: reader.samplerate, channels: reader.channels });
  const ring = RingBuffer.forFrames(reader.channels, 1 << 14);
  const feed = () => {
    while (ring.writeAvailable >= 1024) {
      const block = reader.read(1024);
      if (block.length === 0) return false;
      ring.write(block);
    }
    return true;
  };
  feed();
  await m.start();
  const play = m.playRingbuffer(ring, reader.channels, { untilDone: true }); // through an underrun, until setProducerDone(true)
  while (feed()) await new Promise((r) => setTimeout(r, 20 / (stream.speed ?? 1)));
  ring.setProducerDone(true);
  await m.wait(play);
  console.log(
    `played ${play.doneFrames} frames of ${path.basename(file)} through a ring; underflows ${play.stats.outputUnderflows}; xruns ${m.xruns}`,
  );
  reader.close();
  await m.close();
})();
