#!/usr/bin/env node
// The signal toolkit in a few lines: builds a short piece from generators,
// shapes and measures it, and writes its waveform, spectrum and spectrogram
// as SVG files (open them in a browser), plus the piece as a WAV file.
//   node examples/plots.js [--out DIR]
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { Signal, util } = require('..');

const i = process.argv.indexOf('--out');
const outDir = i > 0 ? process.argv[i + 1] : path.join(process.cwd(), 'plots-out');
fs.mkdirSync(outDir, { recursive: true });

async function main() {
  const sr = 48000;
  // A rising arpeggio of plucked notes (sine + a little sawtooth, ADSR), then pink noise.
  let piece = new Signal(new Float32Array(0), { samplerate: sr, label: 'arpeggio' });
  [60, 64, 67, 72].forEach((midi, k) => {
    const freq = util.midicps(midi);
    const note = Signal.sine({ freq, amp: 0.5, dur: 0.5, samplerate: sr })
      .add(Signal.sawtooth({ freq: freq * 2, amp: 0.1, dur: 0.5, samplerate: sr }))
      .adsr(0.01, 0.1, 0.4, 0.2);
    piece = piece.add(note, { onset: k * 0.35 });
  });
  const noise = Signal.noise({ type: 'pink', amp: 0.2, dur: 0.8, samplerate: sr }).fadeIn(0.2).fadeOut(0.3);
  piece = piece.append(noise).norm({ value: -1, inDb: true });
  const stereo = piece.pan2(-0.3).add(piece.pan2(0.6).gain({ db: -9 }), { onset: 0.12 }); // a panned echo

  const files = {
    'waveform.svg': stereo.toSvg({ width: 900, title: 'arpeggio, pink noise, echo' }),
    'spectrum.svg': stereo.mono().spectrum().toSvg({ width: 900, title: 'spectrum (mono mix)' }),
    'spectrogram.svg': stereo.spectrogram({ nfft: 2048, hop: 256 }).toSvg({ width: 900, height: 360 }),
  };
  for (const [name, svg] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), svg);
  await stereo.save(path.join(outDir, 'piece.wav'));

  const events = piece.findEvents({ stepDur: 0.005, silThr: -30, silMinDur: 0.05 });
  console.log(`piece: ${stereo.duration.toFixed(2)} s, ${stereo.channels} channels, peak ${stereo.peak().map((p) => p.toFixed(3))}`);
  console.log(`rms ${stereo.rms().map((r) => util.ampdb(r).toFixed(1))} dB; ${events.length} event(s) in the mono piece`);
  console.log(`44.1 kHz copy: ${stereo.resample(44100).samples} frames`);
  console.log(`wrote ${Object.keys(files).join(', ')} and piece.wav to ${outDir}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
