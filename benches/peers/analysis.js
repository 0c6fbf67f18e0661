// The analysis of a recording: where the tone starts and ends, the gaps
// (runs of silence inside it) with their exact positions and lengths, and
// where a short click is (for round trips). Pure functions, no I/O: the peer
// bench and test/peers-analysis.test.ts both use them.
'use strict';

/** One channel of an interleaved recording. */
function channelOf(data, channels, channel) {
  if (channels === 1) return data;
  const out = new Float32Array(Math.floor(data.length / channels));
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels + channel];
  return out;
}

/**
 * Finds the tone in `data` (interleaved, `channels` wide; `channel` is looked
 * at) and the gaps inside it: every run of at least `minGap` frames whose
 * magnitude stays below `threshold`. A sine of a few hundred hertz never has
 * two frames in a row that close to zero, so a run of three is silence that
 * was not played. Returns frame positions: `onset` (first sounding frame),
 * `end` (one past the last), `span` (end - onset), `gaps` [{ start, length }]
 * (start counted from the beginning of the recording), `gapFrames` (their
 * sum) and `sounding` (span - gapFrames). No tone at all: onset -1, span 0.
 */
function findGaps(data, { channels = 1, channel = 0, threshold = 1e-3, minGap = 3 } = {}) {
  const x = channelOf(data, channels, channel);
  let onset = -1;
  let last = -1;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]) >= threshold) {
      if (onset < 0) onset = i;
      last = i;
    }
  }
  if (onset < 0) return { onset: -1, end: -1, span: 0, gaps: [], gapFrames: 0, sounding: 0 };
  const gaps = [];
  let run = 0;
  for (let i = onset; i <= last; i++) {
    if (Math.abs(x[i]) < threshold) run++;
    else {
      if (run >= minGap) gaps.push({ start: i - run, length: run });
      run = 0;
    }
  }
  const gapFrames = gaps.reduce((a, g) => a + g.length, 0);
  const span = last + 1 - onset;
  return { onset, end: last + 1, span, gaps, gapFrames, sounding: span - gapFrames };
}

/** The first frame of `channel` whose magnitude reaches `threshold`, or -1. */
function firstAbove(data, { channels = 1, channel = 0, threshold = 0.1 } = {}) {
  for (let i = channel; i < data.length; i += channels) if (Math.abs(data[i]) >= threshold) return (i - channel) / channels;
  return -1;
}

/**
 * A sine of `frames` frames, interleaved over `channels` (the same on each),
 * from `phase` radians; with `sweepTo` its frequency glides linearly from
 * `freq` to `sweepTo`, so no stretch of it repeats (alignStart needs that).
 */
function sine(frames, { freq = 440, amp = 0.5, samplerate = 48000, channels = 2, phase = 0, sweepTo = freq } = {}) {
  const out = new Float32Array(frames * channels);
  const k = (sweepTo - freq) / (2 * frames);
  for (let i = 0; i < frames; i++) {
    const v = amp * Math.sin((2 * Math.PI * (freq * i + k * i * i)) / samplerate + phase);
    for (let c = 0; c < channels; c++) out[i * channels + c] = v;
  }
  return out;
}

/**
 * Which frame of `played` (mono, a sweep: a steady tone repeats every period) the
 * recording's frame `onset` (mono) is:
 * the offset, up to `maxOffset`, where the next `probe` frames match best
 * (least squares). 0 means the start was played whole; k > 0 means the first
 * k frames never reached the device.
 */
function alignStart(recorded, played, onset, { probe = 256, maxOffset = played.length - probe } = {}) {
  let best = -1;
  let bestErr = Infinity;
  const n = Math.min(probe, recorded.length - onset);
  for (let k = 0; k <= maxOffset; k++) {
    let err = 0;
    for (let i = 0; i < n && err < bestErr; i++) {
      const d = recorded[onset + i] - played[k + i];
      err += d * d;
    }
    if (err < bestErr) {
      bestErr = err;
      best = k;
    }
  }
  return best;
}

module.exports = { findGaps, firstAbove, sine, channelOf, alignStart };
