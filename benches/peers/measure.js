// Turns one library's runs (child results and recordings) into figures:
// gaps, frames missing, time to the first sound, tail loss, round trips.
'use strict';
const { findGaps, alignStart, channelOf, sine } = require('./analysis');
const { frameTimeNs } = require('./run-one');

const SR = 48000;
const CH = 2;
const ms = (frames) => (frames / SR) * 1000;

/** Time from the call to the first sound at the JACK graph, ms (the recorder's clock; +-1 period). */
function firstSoundMs(result, recording, onset) {
  if (!result.tCallNs || onset < 0) return null;
  return (frameTimeNs(recording, onset) - result.tCallNs) / 1e6;
}

/** The stall run: 3 s of tone, played with 300 ms stalls once a second. */
function stall(run) {
  const { result, recording, attempts } = run;
  const a = findGaps(recording.data, { channels: CH });
  return {
    ok: result.ok,
    error: result.ok ? undefined : result.error,
    attempts,
    recorderXruns: recording.xruns,
    stalls: result.stalls,
    reported: result.reported,
    logged: result.logged,
    heard: a.onset >= 0,
    gaps: a.gaps.map((g) => ({ atMs: ms(g.start - a.onset), frames: g.length, ms: ms(g.length) })),
    gapFrames: a.gapFrames,
    missing: 3 * SR - a.sounding,
    firstSoundMs: firstSoundMs(result, recording, a.onset),
    // From the open's return (where a library says so), and its reported output latency.
    afterOpenMs: result.tOpenedNs ? (frameTimeNs(recording, a.onset) - result.tOpenedNs) / 1e6 : null,
    latencyMs: result.latencyMs ?? null,
  };
}

/** The tail run: 1 s sweep, `await play(x)` then close: frames lost at the start and at the end. */
function tail(run) {
  const { result, recording, attempts } = run;
  const a = findGaps(recording.data, { channels: CH });
  if (a.onset < 0) return { ok: result.ok, error: result.error, attempts, heard: false, recorderXruns: recording.xruns };
  const played = sine(SR, { samplerate: SR, channels: 1, phase: 0.1, sweepTo: 880 });
  const lostStart = alignStart(channelOf(recording.data, CH, 0), played, a.onset);
  return {
    ok: result.ok,
    error: result.ok ? undefined : result.error,
    attempts,
    recorderXruns: recording.xruns,
    heard: true,
    gapFrames: a.gapFrames,
    lostStart,
    lostEnd: SR - lostStart - a.sounding, // negative: more sounded than was played
    span: a.span,
    sounding: a.sounding,
    firstSoundMs: firstSoundMs(result, recording, a.onset),
    // From the open's return (where a library says so), and its reported output latency.
    afterOpenMs: result.tOpenedNs ? (frameTimeNs(recording, a.onset) - result.tOpenedNs) / 1e6 : null,
    latencyMs: result.latencyMs ?? null,
    returnedAfterLastSoundMs: result.tReturnNs ? (result.tReturnNs - frameTimeNs(recording, a.end)) / 1e6 : null,
  };
}

/** The round trips: delay of the click in frames, against what the library reports. */
function duplex(result) {
  if (!result.ok) return { ok: false, error: result.error };
  if (result.unsupported) return { ok: true, unsupported: true };
  return { ok: true, runs: result.runs };
}

module.exports = { stall, tail, duplex };
