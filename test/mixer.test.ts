// python-rtmixer's Mixer / Recorder / MixerAndRecorder on the virtual device.
import { describe, expect, it } from 'vitest';
import { type Action, ErrorCode, Mixer, MixerAndRecorder, Recorder, RingBuffer } from '../src/index';
import { KNOWN } from '../src/stream/options';
import { ahead, caught, closeAfterEach, until } from './helpers';

const track = closeAfterEach();
const SR = 48_000;

/** A click: one sample of `v` then silence. */
function click(frames = 64, v = 0.5): Float32Array {
  const b = new Float32Array(frames);
  b[0] = v;
  return b;
}

/** Frames (of one channel, interleaved with `ch`) where |x| > 0.25. */
function peaks(rec: Float32Array, ch = 1, c = 0): number[] {
  const out: number[] = [];
  for (let f = 0; f < rec.length / ch; f++) if (Math.abs(rec[f * ch + c]) > 0.25) out.push(f);
  return out;
}

describe('Mixer timing (rtmixer)', () => {
  it('a buffer scheduled at T appears in a recording started at t0 at frame round((T - t0) * samplerate), exactly', async () => {
    const m = track(new MixerAndRecorder({ device: 'virtual:loopback', channels: 1, blocksize: 256, speed: 4 }));
    await m.start();
    const t0 = ahead(m, 4);
    const rec = new Float32Array(SR / 2);
    const r = m.recordBuffer(rec, 1, { start: t0 });
    // Times that fall between block boundaries and between samples.
    const times = [0.0123, 0.1, 0.20001, 0.3337].map((d) => t0 + d);
    const plays = times.map((T) => m.playBuffer(click(), 1, { start: T }));
    await m.wait(r);
    expect(r.outcome).toBe('done');
    // Started at the frame where t0 falls: actualTime is that frame's time.
    expect(Math.abs(r.actualTime - t0)).toBeLessThanOrEqual(0.5 / SR + 1e-12);
    expect(r.doneFrames).toBe(SR / 2);
    for (const p of plays) {
      expect(p.outcome).toBe('done');
      expect(Math.abs(p.actualTime - p.requestedTime)).toBeLessThanOrEqual(0.5 / SR + 1e-12);
    }
    // t0 is the recording's start as it happened (a frame's time).
    expect(peaks(rec)).toEqual(times.map((T) => Math.round((T - r.actualTime) * SR)));
  });

  it('a past start plays at once with allowBelated, else is dropped with actualTime 0', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 2, blocksize: 256, speed: Infinity }));
    await m.start();
    await new Promise((r) => setTimeout(r, 20));
    const past = m.time - 0.01;
    const late = m.playBuffer(new Float32Array(2 * 100), 2, { start: past });
    const dropped = m.playBuffer(new Float32Array(2 * 100), 2, { start: past, allowBelated: false });
    await m.wait();
    expect(late.outcome).toBe('done');
    expect(late.actualTime).toBeGreaterThan(past);
    expect(dropped.outcome).toBe('dropped');
    expect(dropped.actualTime).toBe(0);
    expect(dropped.doneFrames).toBe(0);
  });

  it('cancel() stops an action at its time; one not started is removed', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 4 }));
    await m.start();
    const long = m.playBuffer(new Float32Array(SR * 10), 1);
    const later = m.playBuffer(new Float32Array(SR), 1, { start: m.time + 60 });
    await until(() => long.actualTime > 0);
    // 2 s after its start (0.5 s of wall clock at speed 4): still ahead when the cancel reaches
    // the callback on a loaded machine (`m.time + 0.05`, 12 ms ahead, was not always).
    const at = long.actualTime + 2;
    const c = m.cancel(long, { time: at });
    const c2 = m.cancel(later);
    await m.wait(long);
    await m.wait(later);
    expect(long.outcome).toBe('cancelled');
    expect(long.doneFrames).toBe(Math.round((at - long.actualTime) * SR));
    expect(later.outcome).toBe('cancelled');
    expect(later.doneFrames).toBe(0);
    expect(c.type).toBe('CANCEL');
    expect((await c.done).outcome).toBe('done');
    await c2.done;
  });
});

describe('Mixer statistics', () => {
  it('fetchAndResetStats() works while running; stats only while inactive', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 128, speed: 8, faults: { skipBlocks: [5] } }));
    await m.start();
    // Past the skipped block 5, however slowly the clock thread runs.
    await until(() => m.frameCount >= 10 * 128);
    expect((await caught(() => m.stats)).code).toBe(ErrorCode.INVALID_ARG);
    const a = await m.fetchAndResetStats();
    expect(a.type).toBe('FETCH_AND_RESET_STATS');
    expect(a.stats.blocks).toBeGreaterThan(5);
    expect(a.stats.minBlocksize).toBe(128);
    expect(a.stats.maxBlocksize).toBe(128);
    expect(a.stats.outputUnderflows).toBe(1); // the skipped block
    const b = await m.fetchAndResetStats();
    expect(b.stats.outputUnderflows).toBe(0); // reset by the first fetch
    await m.stop();
    const s = m.stats;
    expect(s.blocks).toBeGreaterThan(0); // the blocks between the last fetch and the stop, with the stop's drain
    expect(s.minBlocksize).toBe(128);
    expect(s.outputUnderflows).toBe(0);
  });
});

describe('doing better than rtmixer', () => {
  it('2000 actions at once do not fail: beyond the engine slots they wait in order', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 64, speed: Infinity }));
    await m.start();
    const acts: Action[] = [];
    for (let i = 0; i < 2000; i++) acts.push(m.playBuffer(new Float32Array(32), 1));
    await m.wait();
    const bad = acts.filter((a) => a.outcome !== 'done' || a.doneFrames !== 32);
    expect(bad.map((a) => [a.outcome, a.doneFrames]).slice(0, 3)).toEqual([]);
    expect(m.actions.size).toBe(0);
  });

  it('a ring action with untilDone: true survives an underrun: counts it, plays silence, resumes, ends when the producer is done', async () => {
    const m = track(new MixerAndRecorder({ device: 'virtual:loopback', channels: 1, blocksize: 256, speed: 2 }));
    await m.start();
    const rb = RingBuffer.forFrames(1, 8192);
    rb.write(new Float32Array(2000).fill(0.5));
    const rec = new RingBuffer(4, 1 << 16);
    const r = m.recordRingbuffer(rec, 1);
    const p = m.playRingbuffer(rb, 1, { untilDone: true });
    // All 2000 frames played: the ring ran dry in the block that took the last of them.
    await until(() => p.doneFrames >= 2000);
    expect(p.outcome).toBe('pending');
    rb.write(new Float32Array(2000).fill(0.5));
    rb.setProducerDone(true);
    await m.wait(p);
    expect(p.outcome).toBe('done');
    expect(p.stats.outputUnderflows).toBeGreaterThan(0);
    // Let the last frames come back through the loopback before the recording stops.
    m.cancel(r, { time: m.time + m.latency[0] + m.latency[1] + 0.05 });
    await m.wait(r);
    const got = rec.read();
    const samples = new Float32Array(got.buffer, got.byteOffset, got.byteLength / 4);
    expect(samples.filter((v) => v === 0.5).length).toBe(4000); // every frame written was played
  });

  it('channels: 0, out of range and duplicates are ERR_INVALID_ARG', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 2, blocksize: 256, speed: Infinity }));
    await m.start();
    for (const ch of [[0], [3], [1, 1], 0]) {
      const e = await caught(() => m.playBuffer(new Float32Array(4), ch as number[]));
      expect(e.code, JSON.stringify(ch)).toBe(ErrorCode.INVALID_ARG);
    }
    expect((await caught(() => m.playBuffer(new Float32Array(3), 2))).message).toMatch(/multiple of its 2 channels/);
    expect((await caught(() => m.playBuffer(new Float32Array(2), 1, { strat: 1 } as never))).message).toMatch(/'start'/);
    expect((await caught(() => new Mixer({ dtype: 'int16' as never }))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('a recordBuffer() whose buffer is transferred while recording rejects, saying why', async () => {
    const m = track(new MixerAndRecorder({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 4 }));
    await m.start();
    const buf = new Float32Array(4800);
    const a = m.recordBuffer(buf, 1);
    structuredClone(buf.buffer, { transfer: [buf.buffer] });
    const e = await caught(() => a.done);
    expect(e.code).toBe(ErrorCode.INVALID_ARG);
    expect(e.message).toMatch(/detached/);
  });
});

describe('virtual:loopback is one sound card', () => {
  it('a Mixer and a separate Recorder share stream times: what one plays at T the other records at round((T - t0) * samplerate)', async () => {
    const opts = { device: 'virtual:loopback', channels: 2, blocksize: 256, speed: 4 } as const;
    const mixer = track(new Mixer(opts));
    const recorder = track(new Recorder({ ...opts, blocksize: 100 }));
    await mixer.start();
    await recorder.start();
    // One clock: the clicks below land at their frames only if both schedule on it. (Comparing
    // the two `time`s is no test of that: each runs on from its own last callback by the wall
    // clock, and on a loaded machine they were 0.03-0.06 s apart at this speed.)
    const t0 = ahead(recorder, 4);
    const rec = new Float32Array(2 * (SR / 2));
    const r = recorder.recordBuffer(rec, 2, { start: t0 });
    const times = [0.011, 0.123457, 0.25, 0.4].map((d) => t0 + d);
    times.forEach((T) => mixer.playBuffer(new Float32Array([0, 0.5, 0, 0]), [2, 1], { start: T }));
    await recorder.wait(r);
    await mixer.wait();
    // Buffer channel 2 (0.5) went to device channel 1.
    expect(peaks(rec, 2, 0)).toEqual(times.map((T) => Math.round((T - r.actualTime) * SR)));
    expect(peaks(rec, 2, 1)).toEqual([]);
  });

  it('1000 clicks scheduled at exact times come back with a scheduling error of 0 frames', async () => {
    const m = track(new MixerAndRecorder({ device: 'virtual:loopback', channels: 1, blocksize: 512, speed: 16 }));
    await m.start();
    // Ahead of the loop that schedules the 1000 clicks too: none is belated (dropped).
    const t0 = ahead(m, 16);
    const spacing = 0.004321; // not a whole number of frames or blocks
    const rec = new Float32Array(Math.ceil((1000 * spacing + 0.1) * SR));
    const r = m.recordBuffer(rec, 1, { start: t0 });
    const times = Array.from({ length: 1000 }, (_, i) => t0 + 0.01 + i * spacing);
    for (const T of times) m.playBuffer(click(16), 1, { start: T, allowBelated: false });
    await m.wait();
    expect(r.outcome).toBe('done');
    const got = peaks(rec);
    const want = times.map((T) => Math.round((T - r.actualTime) * SR));
    const errors = got.map((f, i) => Math.abs(f - want[i]));
    expect(got.length).toBe(1000);
    expect(Math.max(...errors)).toBe(0);
  });
});

describe('one action ends for its own reason, not the stream (issue 18)', () => {
  it('a record ring that fills up ends only that action (rtmixer): the stream and a concurrent playBuffer go on, the dropped frames are in its stats', async () => {
    const m = track(new MixerAndRecorder({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 8 }));
    await m.start();
    const play = m.playBuffer(new Float32Array(SR / 4), 1);
    const ring = new RingBuffer(4, 1024); // nobody reads it: full after 1024 frames
    const rec = m.recordRingbuffer(ring, 1);
    await m.wait(rec);
    expect(rec.outcome).toBe('done');
    expect(rec.doneFrames).toBe(1024);
    expect(ring.readAvailable).toBe(1024);
    expect(rec.stats.framesLost).toBeGreaterThan(0); // the rest of the block that did not fit
    expect(m.active).toBe(true);
    await m.wait(play);
    expect(play.outcome).toBe('done');
    expect(play.doneFrames).toBe(SR / 4);
    const s = await m.fetchAndResetStats();
    expect(s.outcome).toBe('done');
    expect(s.stats.blocks).toBeGreaterThan(0);
  });

  it('a play ring that runs empty ends the action; doneFrames counts played frames, not silence', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 8 }));
    await m.start();
    const rb = RingBuffer.forFrames(1, 4096);
    rb.write(new Float32Array(1000).fill(0.5));
    const p = m.playRingbuffer(rb, 1);
    await m.wait(p);
    expect(p.outcome).toBe('done');
    expect(p.doneFrames).toBe(1000);
    expect(p.stats.framesLost).toBe(256 - (1000 % 256)); // the producer did not say it was done
    const q = RingBuffer.forFrames(1, 4096);
    q.write(new Float32Array(1000).fill(0.5));
    q.setProducerDone(true);
    const p2 = m.playRingbuffer(q, 1);
    await m.wait(p2);
    expect(p2.doneFrames).toBe(1000);
    expect(p2.stats.framesLost).toBe(0); // its end was the end of the audio
  });

  it('untilDone: true keeps a play ring through an underrun until its producer is done', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 8 }));
    await m.start();
    const rb = RingBuffer.forFrames(1, 4096);
    rb.write(new Float32Array(300).fill(0.5));
    const p = m.playRingbuffer(rb, 1, { untilDone: true });
    // All 300 frames played: the ring ran dry in the block that took the last of them.
    await until(() => p.doneFrames >= 300);
    expect(p.outcome).toBe('pending');
    rb.write(new Float32Array(300).fill(0.5));
    rb.setProducerDone(true);
    await m.wait(p);
    expect(p.outcome).toBe('done');
    expect(p.doneFrames).toBe(600); // played frames only, not the silence between
    expect(p.stats.outputUnderflows).toBeGreaterThan(0);
    expect((await caught(() => m.playRingbuffer(rb, 1, { untilDone: 1 } as never))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('fetchAndResetStats() takes time and allowBelated, and works on a stopped stream', async () => {
    const m = track(new Recorder({ device: 'virtual:null', channels: 1, blocksize: 128, speed: 8 }));
    expect(m.stats.blocks).toBe(0);
    const idle = await m.fetchAndResetStats();
    expect(idle.outcome).toBe('done');
    expect(idle.stats.blocks).toBe(0);
    await m.start();
    const at = ahead(m, 8);
    const a = await m.fetchAndResetStats({ time: at });
    expect(a.requestedTime).toBe(at);
    expect(a.actualTime).toBeGreaterThanOrEqual(at - 128 / SR);
    expect(a.stats.blocks).toBeGreaterThan(0);
    // Past for certain: the block time of the fetch just done (m.time - 0.01 could still be ahead
    // of the next block when the clock thread is held back).
    const late = await m.fetchAndResetStats({ time: a.actualTime, allowBelated: false });
    expect(late.outcome).toBe('dropped');
    expect(late.actualTime).toBe(0);
    await m.stop();
    const after = await m.fetchAndResetStats();
    expect(after.outcome).toBe('done');
    expect(after.stats.blocks).toBeGreaterThan(0);
    expect(m.stats.blocks).toBe(0); // reset by the fetch
    expect((await caught(() => m.fetchAndResetStats({ time: m.time + 10 }))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it("each action says its channels and one-based mapping (rtmixer's action.channels / action.mapping)", async () => {
    const m = track(new MixerAndRecorder({ device: 'virtual:null', channels: [3, 2], blocksize: 256, speed: 8 }));
    await m.start();
    const p = m.playBuffer(new Float32Array(8), [2, 1]);
    const r = m.recordBuffer(new Float32Array(9), [3, 1, 2]);
    const ring = m.playRingbuffer(new RingBuffer(8, 16));
    const c = m.cancel(p);
    expect([p.channels, p.mapping]).toEqual([2, [2, 1]]);
    expect([r.channels, r.mapping]).toEqual([3, [3, 1, 2]]);
    expect([ring.channels, ring.mapping]).toEqual([2, [1, 2]]);
    expect([c.channels, c.mapping]).toEqual([0, []]);
    expect(Object.isFrozen(p.mapping)).toBe(true);
  });

  it('a belated cancel with allowBelated: false is not applied: outcome dropped, actualTime 0; a cancel exposes its target as action', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 8 }));
    await m.start();
    // Long enough (0.25 s of wall clock at speed 8) to still play when the cancel comes, so that a
    // cancel wrongly applied would cut it short.
    const p = m.playBuffer(new Float32Array(2 * SR), 1);
    await until(() => p.actualTime > 0);
    // p's start is past for every block after the one that started it. (`m.time - 0.01` was not:
    // m.time runs on from the last callback by the wall clock, ahead of a clock thread that a
    // loaded machine holds back, so that time could still be ahead of the next block.)
    const c = m.cancel(p, { time: p.actualTime, allowBelated: false });
    expect(c.action).toBe(p);
    await m.wait(c);
    expect(c.outcome).toBe('dropped');
    expect(c.actualTime).toBe(0);
    await m.wait(p);
    expect(p.outcome).toBe('done');
    expect(p.doneFrames).toBe(2 * SR);
  });

  it('a panic in the callback settles wait() (ERR_PANIC) and every action, and closes the mixer', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 8, faults: { panicAtBlock: 3 } }));
    // Queued before start(): block 3 comes 2 ms after it, sooner than a loaded machine returns
    // here; start() itself may then be the first to see the panic.
    const p = m.playBuffer(new Float32Array(SR), 1);
    await m.start().catch(() => undefined);
    const e = await caught(() => m.wait());
    expect(e.code).toBe(ErrorCode.PANIC);
    expect((await p.done).outcome).toBe('stopped');
    expect(m.closed).toBe(true);
    expect((await caught(() => m.playBuffer(new Float32Array(4), 1))).code).toBe(ErrorCode.STREAM_CLOSED);
  });

  it('a lost device rejects wait() with ERR_DEVICE_NOT_FOUND and settles every action', async () => {
    const m = track(new Mixer({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 8, faults: { vanishAtBlock: 5 } }));
    let failed: Error | undefined;
    m.on('error', (err: Error) => (failed = err));
    // Queued before start(): block 5 comes 3 ms after it, sooner than a loaded machine returns
    // here; start() itself may then be the first to see the loss.
    const p = m.playBuffer(new Float32Array(SR), 1);
    const later = m.playBuffer(new Float32Array(SR), 1, { start: 100 });
    await m.start().catch(() => undefined);
    const e = await caught(() => m.wait());
    expect(e.code).toBe(ErrorCode.DEVICE_NOT_FOUND);
    expect((failed as { code?: string } | undefined)?.code).toBe(ErrorCode.DEVICE_NOT_FOUND);
    expect((await p.done).outcome).toBe('stopped');
    expect((await later.done).outcome).toBe('stopped');
    expect((await caught(() => m.wait(p))).code).toBe(ErrorCode.DEVICE_NOT_FOUND);
  });
});

describe('a mixer takes every option a stream takes', () => {
  // One value per stream option (the list InputStream and friends check): an option added there
  // without a value here fails the typecheck.
  const values: Record<(typeof KNOWN.stream)[number], unknown> = {
    host: 'virtual',
    device: 'virtual:loopback',
    samplerate: 44_100,
    channels: 1,
    blocksize: 128,
    dtype: 'float32',
    latency: 'low',
    bufferSize: 4096,
    map: [1],
    convert: false,
    driftCorrection: true,
    mix: 'average',
    speed: Infinity,
    faults: {},
    loopback: false,
  };
  const kinds = { Recorder, Mixer, MixerAndRecorder } as const;

  for (const [name, Kind] of Object.entries(kinds)) {
    it(`${name} opens with each of them, one at a time and all at once`, async () => {
      const duplex = name === 'MixerAndRecorder';
      const value = (k: keyof typeof values) => (k === 'map' && duplex ? [[1], [1]] : values[k]);
      for (const k of KNOWN.stream) {
        const m = track(new Kind({ device: 'virtual:loopback', channels: 1, speed: Infinity, [k]: value(k) } as never));
        await m.close();
      }
      // All at once but drift correction, which convert: false refuses (a bad-input row).
      const all = { ...Object.fromEntries(KNOWN.stream.map((k) => [k, value(k)])), driftCorrection: false };
      const m = track(new Kind(all as never));
      expect(m.samplerate).toBe(44_100);
      expect(m.blocksize).toBe(128);
      await m.start();
      await m.close();
    });
  }
});
