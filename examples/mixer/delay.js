#!/usr/bin/env node
// A delay line: the input is recorded into a ring and played back from the
// same ring 0.25 s later (python-rtmixer's example). On the virtual loopback
// a click comes back, then its echo.
//   node examples/mixer/delay.js [--device ID] [--seconds S]
'use strict';
const { MixerAndRecorder, RingBuffer } = require('../..');
const args = require('./args');

(async () => {
  const { stream, seconds } = args();
  const m = new MixerAndRecorder({ ...stream, channels: 1 });
  await m.start();
  const delay = 0.25;
  const ring = RingBuffer.forFrames(1, m.samplerate); // a second of room
  const t0 = m.time + 0.1;
  const rec = m.recordRingbuffer(ring, 1, { start: t0 });
  const play = m.playRingbuffer(ring, 1, { start: t0 + delay });
  const click = new Float32Array(32);
  click[0] = 0.5;
  m.playBuffer(click, 1, { start: t0 + 0.05 }); // something to echo
  await new Promise((r) => setTimeout(r, (seconds * 1000) / (stream.speed ?? 1)));
  m.cancel(rec);
  await m.wait(rec);
  ring.setProducerDone(true);
  await m.wait(play);
  console.log(
    `delay line of ${delay} s: recorded ${rec.doneFrames} frames, played ${play.doneFrames}; underflows while the ring filled: ${play.stats.outputUnderflows}; xruns ${m.xruns}`,
  );
  await m.close();
})();
