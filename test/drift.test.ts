// Drift correction (driftCorrection: true): a virtual card whose clock runs
// 1000 ppm off its nominal rate, and a JS side paced by the wall clock (not
// by the ring: a ring-paced side follows the device and leaves nothing to
// correct). Ten simulated minutes at 10 times real time, the four cases at
// once (about a minute of wall time).
import { describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, InputStream, OutputStream, RingBuffer, type Stream } from '../src/index';
import { caught, closeAfterEach } from './helpers';

const track = closeAfterEach();
const RATE = 8000;
const SPEED = 10;
/** Simulated seconds each case runs. */
const RUN = 600;
/** Frames of the ring (8 s): the correction holds it half full. */
const RING = 1 << 16;
const HALF = RING / 2;
/** The mean fill over a window of this many simulated seconds is what must stay put. */
const WINDOW = 10;
/** How far a window's mean fill may stray from half full: well below the 4800 frames 1000 ppm moves it in ten minutes uncorrected. */
const BAND = 2400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  /** Mean fill of each window after the first simulated minute, in frames. */
  windows: number[];
  /** Frames the JS side could not move when due (the ring full for a writer, empty for a reader). */
  short: number;
  /** The stream's driftPpm, sampled once per window over the last three simulated minutes. */
  ppm: number[];
  xruns: number;
}

/** Runs the JS side of `stream` over `ring` at SPEED times the wall clock: `move` writes or reads what is due. */
async function pace(stream: Stream, ring: RingBuffer, move: (n: number) => number): Promise<Outcome> {
  const t0 = performance.now();
  const due = () => Math.floor(((performance.now() - t0) / 1000) * SPEED * RATE);
  const out: Outcome = { windows: [], short: 0, ppm: [], xruns: 0 };
  let moved = 0;
  let sum = 0;
  let count = 0;
  let window = 0;
  while (moved < RUN * RATE) {
    await sleep(5);
    const want = Math.min(due(), RUN * RATE) - moved;
    const got = move(want);
    moved += want;
    out.short += want - got;
    sum += ring.readAvailable;
    count++;
    const w = Math.floor(moved / (WINDOW * RATE));
    if (w > window) {
      if (moved > 60 * RATE) out.windows.push(sum / count);
      if (moved > (RUN - 180) * RATE) out.ppm.push(stream.driftPpm ?? Number.NaN);
      [sum, count, window] = [0, 0, w];
    }
  }
  out.xruns = stream.xruns;
  return out;
}

/** An OutputStream fed at the wall clock's pace. */
async function playPaced(ppm: number, driftCorrection: boolean): Promise<Outcome> {
  const o = { samplerate: RATE, channels: 1, blocksize: 256, speed: SPEED, driftCorrection, faults: { clockOffsetPpm: ppm } };
  const out = track(new OutputStream({ device: 'virtual:null', ...o }));
  const ring = RingBuffer.forFrames(1, RING);
  ring.advanceWriteIndex(HALF);
  const played = out.play(ring, { untilDone: true });
  const result = await pace(out, ring, (n) => {
    const k = Math.min(n, ring.writeAvailable);
    if (k > 0) ring.advanceWriteIndex(k);
    return k;
  });
  ring.setProducerDone(true);
  await played;
  return result;
}

/** An InputStream read at the wall clock's pace, once its ring is half full. */
async function recordPaced(ppm: number, driftCorrection: boolean): Promise<Outcome> {
  const o = { samplerate: RATE, channels: 1, blocksize: 256, speed: SPEED, driftCorrection, faults: { clockOffsetPpm: ppm } };
  const inp = track(new InputStream({ device: 'virtual:null', ...o }));
  const ring = RingBuffer.forFrames(1, RING);
  const recorded = inp.record({ out: ring });
  while (ring.readAvailable < HALF) await sleep(5);
  const result = await pace(inp, ring, (n) => {
    const k = Math.min(n, ring.readAvailable);
    if (k > 0) ring.advanceReadIndex(k);
    return k;
  });
  await inp.stop();
  await recorded;
  return result;
}

function expectHeld(name: string, r: Outcome, ppm: number): void {
  const worst = Math.max(...r.windows.map((w) => Math.abs(w - HALF)));
  const median = [...r.ppm].sort((a, b) => a - b)[r.ppm.length >> 1];
  console.log(`${name}: fill within ${worst.toFixed(0)} frames of half, driftPpm ${r.ppm.map((p) => p.toFixed(1)).join(' ')}`);
  expect(r.xruns, `${name}: xruns`).toBe(0);
  expect(r.short, `${name}: frames the JS side could not move`).toBe(0);
  expect(worst, `${name}: farthest window from half full`).toBeLessThan(BAND);
  expect(Math.abs(median - ppm), `${name}: driftPpm ${median} for ${ppm}`).toBeLessThan(10);
}

describe('drift correction', () => {
  it('holds the ring half full and finds the offset over ten simulated minutes at ±1000 ppm', { timeout: 240_000 }, async () => {
    const [outFast, outSlow, inFast, inSlow] = await Promise.all([
      playPaced(1000, true),
      playPaced(-1000, true),
      recordPaced(1000, true),
      recordPaced(-1000, true),
    ]);
    expectHeld('output +1000 ppm', outFast, 1000);
    expectHeld('output -1000 ppm', outSlow, -1000);
    expectHeld('input +1000 ppm', inFast, 1000);
    expectHeld('input -1000 ppm', inSlow, -1000);
  });

  it('driftPpm is null without correction, a number with it', () => {
    const off = track(new OutputStream({ device: 'virtual:null', channels: 1 }));
    expect(off.driftPpm).toBeNull();
    const on = track(new DuplexStream({ device: 'virtual:null', channels: 1, driftCorrection: true }));
    expect(on.driftPpm).toBe(0);
    // Equal rates still convert: the stream's clock is not the device's.
    expect(on.deviceFormat).toEqual({ samplerate: 48000, channels: [1, 1] });
  });

  it('refuses driftCorrection with convert: false, naming both', async () => {
    const e = await caught(() => new InputStream({ device: 'virtual:null', channels: 1, driftCorrection: true, convert: false }));
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/driftCorrection: true .* convert: false/);
  });
});
