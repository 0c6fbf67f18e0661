#!/usr/bin/env node
// The README's first command: a tour of ringstream on the built-in virtual
// device (no sound card needed), or on a real one with --host/--device.
//   node examples/demo.js [--host alsa] [--device default] [--out DIR]
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const rs = require('..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const host = arg('host', 'virtual');
  const device = arg('device', host === 'virtual' ? 'virtual:loopback' : undefined);
  const outDir = arg('out', path.join(process.cwd(), 'demo-out'));
  fs.mkdirSync(outDir, { recursive: true });
  const sr = 48000;
  console.log(`ringstream demo: hosts ${rs.hosts().join(', ')}; using ${host}${device ? ` / ${device}` : ''}`);

  // 1. A two-second stereo chord, written as a WAV file.
  const frames = 2 * sr;
  const tone = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const fade = Math.min(1, i / 2400, (frames - i) / 2400);
    tone[2 * i] = 0.3 * fade * Math.sin((2 * Math.PI * 440 * i) / sr);
    tone[2 * i + 1] = 0.3 * fade * Math.sin((2 * Math.PI * 660 * i) / sr);
  }
  const tonePath = path.join(outDir, 'tone.wav');
  await rs.writeWav(tonePath, tone, { samplerate: sr, channels: 2, format: 'f32' });
  console.log(`wrote ${tonePath}`);

  // 2. Play the file and record what comes back, both on native threads.
  const recPath = path.join(outDir, 'recorded.wav');
  const duplex = new rs.DuplexStream({ host, device, samplerate: sr, channels: 2, blocksize: 256 });
  const [li, lo] = duplex.latency;
  const delay = Math.round((li + lo) * sr); // the round trip in effect: pad by it to hear the end
  const t0 = performance.now();
  await duplex.playrec(tonePath, { out: recPath, pad: delay });
  const rec = await rs.readWav(recPath);
  let exact = host === 'virtual';
  for (let i = 0; exact && i < tone.length; i++) exact = rec.data[2 * delay + i] === tone[i];
  console.log(
    `playrec: ${rec.frames} frames in ${((performance.now() - t0) / 1000).toFixed(2)} s, ` +
      `round trip ${delay} frames, xruns ${duplex.xruns}` +
      (host === 'virtual' ? `, recording ${exact ? 'sample-exact' : 'NOT exact'}` : ''),
  );
  await duplex.close();

  // 3. Feed a RingBuffer from JavaScript while it plays, then stall the event
  //    loop for 300 ms: the audio thread plays on from the ring.
  const out = new rs.OutputStream({
    host,
    device: host === 'virtual' ? 'virtual:null' : device,
    samplerate: sr,
    channels: 2,
    blocksize: 512,
    // 'high' latency: the device's own buffer rides out a loaded machine's scheduling.
    latency: 'high',
  });
  const ring = rs.RingBuffer.forFrames(2, 32768);
  let written = ring.write(tone);
  const feeder = setInterval(() => {
    if (written < frames) written += ring.write(tone.subarray(2 * written));
  }, 10);
  const playing = out.play(ring, { frames });
  await new Promise((r) => setTimeout(r, 500));
  const busy = performance.now();
  while (performance.now() - busy < 300) {
    /* a blocked event loop, e.g. a long GC pause */
  }
  await playing;
  clearInterval(feeder);
  console.log(`ring playback with a 300 ms stall in JS: xruns ${out.xruns}, underflow ${out.status.outputUnderflow}`);
  await out.close();
  if (host === 'virtual' && (!exact || out.xruns !== 0)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`demo failed: ${e.code ?? ''} ${e.message}`);
  process.exitCode = 1;
});
