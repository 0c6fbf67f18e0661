import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DuplexStream,
  ErrorCode,
  InputStream,
  OutputStream,
  RingBuffer,
  defaults,
  devices,
  hosts,
  readAudio,
  readWav,
  type XrunEvent,
} from '../src/index';
import { caught, closeAfterEach, findDelay, noise } from './helpers';

const fast = { device: 'virtual:loopback', blocksize: 256, speed: Infinity } as const;
const track = closeAfterEach();

describe('devices', () => {
  it('lists the virtual host and its devices with stable ids', () => {
    expect(hosts()).toContain('virtual');
    const list = devices({ host: 'virtual' });
    expect(list.map((d) => d.id)).toEqual(['virtual:loopback', 'virtual:null', 'virtual:stereo48']);
    expect(list[0]).toMatchObject({ host: 'virtual', maxInputChannels: 32, maxOutputChannels: 32, isDefaultInput: true });
    expect(devices({ host: 'virtual' })).toEqual(list);
  });

  it('says what each virtual device opens natively, per direction', () => {
    const any = { samplerates: [{ min: 8000, max: 384000 }], channels: [{ min: 1, max: 32 }] };
    const [loopback, nul] = devices({ host: 'virtual' });
    expect(loopback.native).toEqual({ input: any, output: any });
    expect(nul.native).toEqual({ input: any, output: any });
    // The edges of the listed range open; past them the device refuses (convert: false).
    for (const samplerate of [8000, 384000]) {
      track(new OutputStream({ ...fast, samplerate, convert: false })).close();
    }
    expect(() => new OutputStream({ ...fast, samplerate: 7999, convert: false })).toThrow(/8000 to 384000/);
  });

  it('refuses invalid defaults and keeps the old value', async () => {
    // One bad value per field; each refused with a coded error and every
    // field unchanged afterwards (not only the one assigned).
    const bad: Record<string, unknown> = {
      host: '',
      device: -1,
      samplerate: 12.5,
      blocksize: -1,
      channels: 0,
      dtype: 'float64',
      latency: -1,
      bufferSize: 1000,
    };
    const fields = Object.keys(bad) as (keyof typeof defaults)[];
    const before = Object.fromEntries(fields.map((k) => [k, defaults[k]]));
    const writable = defaults as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(bad)) {
      const e = await caught(() => (writable[k] = v));
      expect([k, e.code]).toEqual([k, ErrorCode.INVALID_ARG]);
      expect(e.message, k).toMatch(new RegExp(k));
      expect(Object.fromEntries(fields.map((f) => [f, defaults[f]])), `after defaults.${k} = ${String(v)}`).toEqual(before);
    }
    expect((await caught(() => (defaults.bufferSize = 1000))).message).toMatch(/power of 2.*1000/);
    expect((await caught(() => devices({ host: 'nope' }))).code).toBe(ErrorCode.DEVICE_NOT_FOUND);
  });
});

describe('loopback round trip', () => {
  it('returns the played signal sample-exactly after the reported latency', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 2 }));
    const sig = noise(2 * 10_000, 7);
    const rec = (await s.playrec(sig, { pad: 2048 })) as Float32Array;
    expect(rec.length).toBe(2 * 12_048);
    const delay = findDelay(rec, sig, 2);
    const [li, lo] = s.latency;
    expect(delay).toBe(Math.round((li + lo) * s.samplerate));
    expect(rec.subarray(2 * delay, 2 * (delay + 10_000))).toEqual(sig);
    expect(rec.subarray(0, 2 * delay).every((v) => v === 0)).toBe(true);
    expect(s.xruns).toBe(0);
    expect(s.frameCount).toBeGreaterThanOrEqual(12_048);
  });

  it("pastream's latency: [input, output] asks each direction for its own; the round trip is their sum", async () => {
    const s = track(new DuplexStream({ ...fast, channels: 2, latency: [0.05, 0.125] }));
    expect(s.latency).toEqual([0.05, 0.125]);
    const sig = noise(2 * 4000, 9);
    const rec = (await s.playrec(sig, { pad: 9000 })) as Float32Array;
    expect(findDelay(rec, sig, 2)).toBe(2400 + 6000);
    const named = track(new DuplexStream({ ...fast, channels: 2, latency: ['high', 0.2] }));
    expect(named.latency).toEqual([0.1, 0.2]);
  });

  it("pastream's device: [input, output] opens one device named twice; two devices are refused, saying why", async () => {
    const s = track(new DuplexStream({ ...fast, host: 'virtual', device: [0, 'virtual:loopback'], channels: 2 }));
    expect(s.device).toBe('virtual:loopback');
    const e = await caught(() => new DuplexStream({ ...fast, device: ['virtual:loopback', 'virtual:null'] }));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED_CONFIG);
    expect(e.message).toMatch(/recording on virtual:loopback and playing on virtual:null at once needs two devices on one clock/);
  });

  it('round-trips int16 data', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 1, dtype: 'int16' }));
    const sig = Int16Array.from(noise(5000, 3), (v) => Math.round(v * 32767));
    const rec = (await s.playrec(sig, { pad: 512 })) as Int16Array;
    expect(rec).toBeInstanceOf(Int16Array);
    expect(rec.subarray(512, 5512)).toEqual(sig);
  });
});

describe('frames / pad / offset (pastream rules)', () => {
  it('record() returns frames - offset frames, dropping the first offset', async () => {
    const s = track(new InputStream({ ...fast, device: 'virtual:null', channels: 3 }));
    const rec = (await s.record({ frames: 5000, offset: 1200 })) as Float32Array;
    expect(rec.length).toBe(3 * 3800);
    expect((await caught(() => s.record({ frames: 10, offset: 20 }))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('playrec() returns frames - offset + max(pad, 0) frames, the offset taken off the front', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 1 }));
    const sig = noise(3000, 11);
    const whole = (await s.playrec(sig, { pad: 1000 })) as Float32Array;
    const cut = (await s.playrec(sig, { frames: 2000, pad: 700, offset: 300 })) as Float32Array;
    expect(cut.length).toBe(2000 - 300 + 700);
    // The same stream clock: the offset version is the plain one shifted by 300 frames,
    // and only the first 2000 source frames were played.
    expect(cut.subarray(0, 212)).toEqual(whole.subarray(300, 512));
    expect(cut.subarray(212, 212 + 2000)).toEqual(sig.subarray(0, 2000));
    expect(cut.subarray(2212).every((v) => v === 0)).toBe(true);
    const auto = (await s.playrec(sig, { frames: 4000, pad: -1 })) as Float32Array;
    expect(auto.length).toBe(4000);
    expect(auto.subarray(512, 3512)).toEqual(sig);
  });

  it('frames larger than the source reject with ERR_BUFFER_EMPTY (pad >= 0)', async () => {
    const s = track(new OutputStream({ ...fast, channels: 2 }));
    const e = await caught(() => s.play(noise(2 * 1000), { frames: 5000 }));
    expect(e.code).toBe(ErrorCode.BUFFER_EMPTY);
    expect(s.status.outputUnderflow).toBe(true);
    expect(s.xruns).toBe(1);
    // pad < 0 pads up to frames instead
    await s.play(noise(2 * 1000), { frames: 5000, pad: -1 });
    expect(s.frameCount).toBeGreaterThanOrEqual(5000);
  });

  it('loops a buffer source', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 1 }));
    const sig = noise(700, 5);
    const rec = (await s.playrec(sig, { frames: 2100, loop: true, pad: 512 })) as Float32Array;
    for (let k = 0; k < 3; k++) expect(rec.subarray(512 + 700 * k, 512 + 700 * (k + 1))).toEqual(sig);
  });
});

describe('channel maps', () => {
  it('routes output and input channels one-based, 0 = silence (random maps)', async () => {
    // Seeded shuffles: a failure reproduces.
    const rand = noise(64, 1234);
    for (let trial = 0; trial < 5; trial++) {
      const slots = [0, 1, 2, 3]
        .map((v, i) => [rand[trial * 4 + i], v])
        .sort((a, b) => a[0] - b[0])
        .map(([, v]) => v);
      const outMap = [0, 0, 0, 0];
      outMap[slots[0]] = 1;
      outMap[slots[1]] = 2;
      // Output: 2 data channels onto 4 device channels. Input: the 4 device
      // channels recorded as they are, so we see where each data channel went.
      const s = track(new DuplexStream({ ...fast, channels: [4, 2], map: [undefined, outMap] }));
      const sig = noise(2 * 2000, 100 + trial);
      const rec = (await s.playrec(sig, { pad: 512 })) as Float32Array;
      for (let i = 0; i < 2000; i++) {
        const frame = rec.subarray(4 * (512 + i), 4 * (513 + i));
        expect(frame[slots[0]]).toBe(sig[2 * i]);
        expect(frame[slots[1]]).toBe(sig[2 * i + 1]);
        expect(frame[slots[2]]).toBe(0);
        expect(frame[slots[3]]).toBe(0);
      }
      // And back: an input map that puts device channel slots[0] + 1 into data channel 2.
      const inMap = [0, 0, 0, 0];
      inMap[slots[0]] = 2;
      const t = track(new DuplexStream({ ...fast, channels: [2, 2], map: [inMap, outMap] }));
      const back = (await t.playrec(sig, { pad: 512 })) as Float32Array;
      for (let i = 0; i < 2000; i++) {
        expect(back[2 * (512 + i)]).toBe(0);
        expect(back[2 * (512 + i) + 1]).toBe(sig[2 * i]);
      }
      await s.close();
      await t.close();
    }
  });

  it('swaps channels with a map', async () => {
    const s = track(new DuplexStream({ ...fast, channels: [2, 2], map: [undefined, [2, 1]] }));
    const sig = noise(2 * 1000, 9);
    const rec = (await s.playrec(sig, { pad: 512 })) as Float32Array;
    for (let i = 0; i < 1000; i++) {
      expect(rec[2 * (512 + i)]).toBe(sig[2 * i + 1]);
      expect(rec[2 * (512 + i) + 1]).toBe(sig[2 * i]);
    }
  });

  it('refuses duplicate or out-of-range entries', async () => {
    expect((await caught(() => new OutputStream({ ...fast, map: [1, 1] }))).message).toMatch(/twice/);
    expect((await caught(() => new OutputStream({ ...fast, channels: 2, map: [3] }))).code).toBe(ErrorCode.INVALID_ARG);
  });
});

describe('lifecycle', () => {
  it("says whether it is duplex and each sample's size in bytes (pastream's isduplex, samplesize)", () => {
    const d = track(new DuplexStream({ ...fast, channels: 2, dtype: 'int16' }));
    const i = track(new InputStream({ ...fast, channels: 1, dtype: 'int32' }));
    const o = track(new OutputStream({ ...fast, channels: 1 }));
    expect([d.isDuplex, i.isDuplex, o.isDuplex]).toEqual([true, false, false]);
    expect([d.samplesize, i.samplesize, o.samplesize]).toEqual([2, 4, 4]);
  });

  it("toFile() gives a writer at the stream's rate and input channels (pastream's to_file), in any format record() writes", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rs-tofile-')), 'x.wav');
    const d = track(new DuplexStream({ ...fast, samplerate: 44100, channels: [3, 1] }));
    const w = d.toFile(path, { format: 'i24' });
    w.write(new Float32Array(3 * 10));
    w.close();
    expect(await readWav(path)).toMatchObject({ samplerate: 44100, channels: 3, format: 'i24', frames: 10 });
    const i = track(new InputStream({ ...fast, channels: 2 }));
    const v = i.toFile(path);
    v.close();
    expect(await readWav(path)).toMatchObject({ channels: 2, format: 'f32' });
    expect((await caught(() => i.toFile(path, { fmt: 'i16' } as never))).code).toBe(ErrorCode.INVALID_ARG);
    // Any format a recording writes, by the same rules.
    const flac = i.toFile(`${path}.flac`);
    flac.write(new Float32Array(2 * 5000).fill(0.5));
    flac.close();
    expect([flac.spec.format, flac.spec.encoding]).toEqual(['flac', 'pcm_24']);
    expect(await readAudio(`${path}.flac`)).toMatchObject({ format: 'flac', channels: 2, frames: 5000 });
    const au = i.toFile(`${path}-noext`, { fileFormat: 'au', format: 'ulaw' });
    au.close();
    expect(await readAudio(`${path}-noext`)).toMatchObject({ format: 'au', encoding: 'ulaw', frames: 0 });
    expect((await caught(() => i.toFile(`${path}.opus`))).code).toBe(ErrorCode.UNSUPPORTED_FORMAT);
  });

  it('replays: finish, abort and stop across restarts, counters reset', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 1 }));
    const sig = noise(4000, 2);
    const a = (await s.playrec(sig)) as Float32Array;
    expect(s.finished).toBe(true);
    expect(s.active).toBe(false);
    const b = (await s.playrec(sig)) as Float32Array;
    expect(b).toEqual(a);
    // 4000 frames, then silence until the last one has reached the DAC (the output latency).
    expect(s.frameCount).toBeLessThanOrEqual(4000 + Math.round(s.latency[1] * s.samplerate) + 2 * 256);

    const slow = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
    const p = slow.play(noise(48_000), { frames: 48_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(slow.active).toBe(true);
    await slow.abort();
    await p; // resolves: an abort is not an error
    expect(slow.aborted).toBe(true);
    expect(slow.frameCount).toBeLessThan(48_000);
    await slow.play(noise(2560));
    expect(slow.aborted).toBe(false);
    expect(slow.frameCount).toBeGreaterThanOrEqual(2560);
  });

  it('stop() takes no more data and resolves within the output latency plus two blocks (Pa_StopStream)', async () => {
    for (const loop of [false, true]) {
      const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
      const ring = RingBuffer.forFrames(1, 1 << 16);
      ring.write(noise(1 << 16));
      // An endless source (a looped buffer) and a long one (a ring with 1.4 s queued).
      const p = loop ? s.play(noise(4800), { loop: true }) : s.play(ring, { frames: -1, pad: -1 });
      await new Promise((r) => setTimeout(r, 50));
      const before = s.frameCount;
      const t0 = performance.now();
      await s.stop();
      const took = performance.now() - t0;
      await p;
      const bound = s.latency[1] * 1000 + (2 * 256 * 1000) / s.samplerate;
      // + the event's trip to JS on a loaded machine (11 ms past the bound at load 13, so 300 ms);
      // a stop() that waited for its source instead (1.4 s queued, or endless) is far past it. How
      // little the device took after stop() is bounded in device frames below.
      expect(took).toBeLessThan(bound + 300);
      expect(s.frameCount - before).toBeLessThanOrEqual(Math.round(s.latency[1] * s.samplerate) + 3 * 256);
      expect(s.finished).toBe(true);
      if (!loop) expect(ring.readAvailable).toBeGreaterThan(40_000); // the rest was not taken
      await s.close();
    }
  });

  it('after stop() a pending record() resolves with the frames recorded so far; abort() likewise', async () => {
    for (const how of ['stop', 'abort'] as const) {
      const s = track(new InputStream({ device: 'virtual:null', channels: 2, blocksize: 256 }));
      const p = s.record(48_000 * 10);
      await new Promise((r) => setTimeout(r, 100));
      await s[how]();
      const got = (await p) as Float32Array;
      expect(got.length % 2).toBe(0);
      expect(got.length / 2).toBeGreaterThan(0);
      expect(got.length / 2).toBeLessThanOrEqual(s.frameCount);
      expect(got.length / 2).toBeLessThan(48_000);
      // With out given: the filled part of out.
      const out = new Float32Array(2 * 48_000 * 10);
      const q = s.record({ out });
      await new Promise((r) => setTimeout(r, 100));
      await s[how]();
      const part = (await q) as Float32Array;
      expect(part.buffer).toBe(out.buffer);
      expect(part.length).toBeGreaterThan(0);
      expect(part.length).toBeLessThan(out.length);
    }
  });

  it('record({ out }) without frames fills out and resolves to out itself', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 1 }));
    const out = new Float32Array(3000);
    const got = await s.record({ out });
    expect(got).toBe(out);
    const withOffset = new Float32Array(1000);
    expect(await s.record({ out: withOffset, offset: 100 })).toBe(withOffset);
  });

  it('play() resolves only once the device has played the last frame (its DAC time has passed)', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
    await s.play(noise(4800));
    // The clock is past the DAC time of the last frame: nothing is cut by a close() now.
    expect(s.time).toBeGreaterThanOrEqual(s.native.playedUntil);
    expect(s.native.playedUntil).toBeGreaterThan(0.1);
  });

  it('wait() resolves true when finished and false on timeout', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 480 }));
    const p = s.play(new Float32Array(48_000));
    expect(await s.wait(20)).toBe(false);
    expect(await s.wait()).toBe(true);
    await p;
  });

  it('closes idempotently; a closed stream throws ERR_STREAM_CLOSED', async () => {
    const s = new OutputStream(fast);
    await s.close();
    await s.close();
    expect(s.closed).toBe(true);
    expect((await caught(() => s.play(new Float32Array(8)))).code).toBe(ErrorCode.STREAM_CLOSED);
    expect((await caught(() => s.start())).code).toBe(ErrorCode.STREAM_CLOSED);
    let disposed: OutputStream;
    {
      await using t = new OutputStream(fast);
      disposed = t;
      await t.play(new Float32Array(512));
      expect(t.closed).toBe(false);
    }
    // `await using` closed it at the end of the block.
    expect(disposed.closed).toBe(true);
    expect((await caught(() => disposed.play(new Float32Array(8)))).code).toBe(ErrorCode.STREAM_CLOSED);
  });
});

describe('bad options', () => {
  it('throws at construction with a code and a message that says what is expected', async () => {
    const cases: [object, string, RegExp][] = [
      [{ samplerate: 0 }, ErrorCode.INVALID_ARG, /samplerate/],
      [{ blocksize: -1 }, ErrorCode.INVALID_ARG, /blocksize/],
      [{ channels: 0 }, ErrorCode.INVALID_ARG, /channels/],
      [{ channels: [1, 2] }, ErrorCode.INVALID_ARG, /number for an output stream/],
      [{ dtype: 'float64' }, ErrorCode.INVALID_ARG, /dtype/],
      [{ bufferSize: 3 }, ErrorCode.INVALID_ARG, /power of 2/],
      [{ latency: -1 }, ErrorCode.INVALID_ARG, /latency/],
      [{ speed: 0 }, ErrorCode.INVALID_ARG, /speed/],
      [{ host: 'nope', device: undefined }, ErrorCode.DEVICE_NOT_FOUND, /no host 'nope'/],
      [{ host: 'virtual', device: 'alsa:loopback' }, ErrorCode.INVALID_ARG, /belongs to host 'alsa'/],
      [{ sampleRate: 44100 } as never, ErrorCode.INVALID_ARG, /unknown option 'sampleRate'.*'samplerate'/],
      [{ blockSize: 64 } as never, ErrorCode.INVALID_ARG, /'blocksize'/],
      [{ bufsize: 64 } as never, ErrorCode.INVALID_ARG, /'bufferSize'/],
      [{ faults: { skipBlock: [1] } } as never, ErrorCode.INVALID_ARG, /'skipBlocks'/],
      [{ faults: { skipBlocks: ['1'] } } as never, ErrorCode.INVALID_ARG, /skipBlocks\[0\]/],
      [{ faults: { delayMs: -1 } }, ErrorCode.INVALID_ARG, /delayMs/],
      [{ samplerate: '48000' } as never, ErrorCode.INVALID_ARG, /samplerate/],
      [{ latency: 'medium' } as never, ErrorCode.INVALID_ARG, /latency/],
      [{ device: 'no-such-device' }, ErrorCode.DEVICE_NOT_FOUND, /virtual:loopback/],
      [{ device: 7 }, ErrorCode.DEVICE_NOT_FOUND, /no device/],
      [{ channels: 33 }, ErrorCode.UNSUPPORTED_CONFIG, /32 output channels/],
      [{ samplerate: 1000, convert: false }, ErrorCode.UNSUPPORTED_CONFIG, /8000 to 384000/],
      [{ faults: { failOnOpen: true } }, ErrorCode.DEVICE_BUSY, /refused/],
    ];
    for (const [opts, code, msg] of cases) {
      const e = await caught(() => new OutputStream({ ...fast, ...opts }));
      expect(e.code, JSON.stringify(opts)).toBe(code);
      expect(e.message, JSON.stringify(opts)).toMatch(msg);
    }
  });

  it('refuses unknown option names in every options object, naming the nearest', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 1 }));
    const sig = new Float32Array(256);
    expect((await caught(() => s.play(sig, { frame: 10 } as never))).message).toMatch(/'frame'.*'frames'/);
    expect((await caught(() => s.record({ frames: 10, ofset: 1 } as never))).message).toMatch(/'offset'/);
    expect((await caught(() => s.playrec(sig, { padding: 1 } as never))).message).toMatch(/'pad'/);
    expect((await caught(() => s.start({ preBuffer: true } as never))).message).toMatch(/'prebuffer'/);
    expect((await caught(() => s.chunks({ chunkSize: 64 } as never).next())).message).toMatch(/'chunksize'/);
    expect((await caught(() => s.toReadable({ buffersize: 64 } as never))).code).toBe(ErrorCode.INVALID_ARG);
  });

  it('rejects bad sources and sinks before anything plays', async () => {
    const s = track(new DuplexStream({ ...fast, channels: 2 }));
    expect((await caught(() => s.play(new Float32Array(3)))).message).toMatch(/multiple of its 2 channels/);
    expect((await caught(() => s.play(new Int16Array(4) as never))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => s.play(42 as never))).code).toBe(ErrorCode.INVALID_ARG);
    expect((await caught(() => s.play('/no/such/file.wav'))).code).toBe(ErrorCode.IO);
    expect((await caught(() => s.play(new RingBuffer(4, 8)))).message).toMatch(/elementSize/);
    expect((await caught(() => s.playrec(new Float32Array(8), { out: new Float32Array(2) }))).message).toMatch(/frames/);
    // nothing was left queued by the failed calls
    const rec = (await s.playrec(new Float32Array(2 * 256))) as Float32Array;
    expect(rec.length).toBe(2 * 256);
  });
});

describe('the realtime contract', () => {
  it('a 2 s ring-fed playback survives a 400 ms busy loop with no xrun and ends on time', async () => {
    const sr = 48_000;
    // Blocks of 1024 frames (21 ms): the virtual clock flags a block late by more
    // than one period, and a loaded CI machine can delay a thread by a few ms.
    const s = track(new OutputStream({ device: 'virtual:null', channels: 2, blocksize: 1024, samplerate: sr }));
    const ring = RingBuffer.forFrames(2, 32_768);
    const total = 2 * sr;
    const sig = noise(2 * total, 4);
    let written = ring.write(sig);
    const t0 = performance.now();
    const done = s.play(ring, { frames: total });
    const feeder = setInterval(() => {
      if (written < total) written += ring.write(sig.subarray(2 * written));
    }, 20);
    await new Promise((r) => setTimeout(r, 300));
    const spin = performance.now();
    while (performance.now() - spin < 400) {
      /* a busy event loop */
    }
    await done;
    clearInterval(feeder);
    const took = performance.now() - t0;
    expect(s.xruns).toBe(0);
    expect(s.status.outputUnderflow).toBe(false);
    expect(took).toBeGreaterThan(1900);
    expect(took).toBeLessThan(2600);
  });

  it('a stall longer than the ring is counted, flagged and reported', async () => {
    // 'high' latency: the virtual card counts a wake-up later than the latency as an xrun too,
    // and a loaded machine wakes its clock thread more than 'low''s 20 ms late.
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, latency: 'high' }));
    const ring = RingBuffer.forFrames(1, 4096);
    ring.write(noise(4096));
    const events: XrunEvent[] = [];
    s.on('xrun', (e: XrunEvent) => events.push(e));
    const e = await caught(() => s.play(ring, { frames: 48_000 }));
    expect(e.code).toBe(ErrorCode.BUFFER_EMPTY);
    expect(s.xruns).toBe(1);
    expect(s.status.outputUnderflow).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(events.map((x) => [x.xruns, x.total])).toEqual([[1, 1]]);
  });

  it('device xruns (skipped callbacks) are counted and emitted', async () => {
    const s = track(new OutputStream({ ...fast, faults: { skipBlocks: [3, 9] } }));
    const events: XrunEvent[] = [];
    s.on('xrun', (e: XrunEvent) => events.push(e));
    await s.play(new Float32Array(2 * 256 * 20));
    expect(s.xruns).toBe(2);
    // An output stream's device xrun is an output underflow (no input to lose).
    expect(s.status).toMatchObject({ outputUnderflow: true, inputOverflow: false });
    await new Promise((r) => setTimeout(r, 10));
    // However the events coalesced, they account for every xrun and every lost frame.
    expect(events.reduce((n, e) => n + e.xruns, 0)).toBe(2);
    expect(events.at(-1)!.total).toBe(2);
    expect(events.reduce((n, e) => n + e.framesLost, 0)).toBe(2 * 256);
    expect(s.framesLost).toBe(2 * 256);
  });

  it('a late callback is an xrun (delayed block at real-time pace)', async () => {
    // A 300 ms latency and a 400 ms delay (the watchdog's limit is twice the latency): a loaded
    // machine's own late wake-ups (more than 20 ms at load 13) stay within the latency, and only
    // the injected one is an xrun.
    const s = track(new OutputStream({ device: 'virtual:null', blocksize: 256, latency: 0.3, faults: { delayBlock: 5, delayMs: 400 } }));
    await s.play(new Float32Array(2 * 256 * 30));
    expect(s.xruns).toBe(1);
    expect(s.status.outputUnderflow).toBe(true);
  });

  it('a device that vanishes ends the stream with ERR_DEVICE_NOT_FOUND', async () => {
    const s = track(new OutputStream({ ...fast, faults: { vanishAtBlock: 4 } }));
    const e = await caught(() => s.play(new Float32Array(2 * 256 * 50)));
    expect(e.code).toBe(ErrorCode.DEVICE_NOT_FOUND);
    expect(e.message).toMatch(/vanished/);
  });

  it('a panic in the callback becomes ERR_PANIC, the process lives on', async () => {
    const s = track(new OutputStream({ ...fast, faults: { panicAtBlock: 2 } }));
    const e = await caught(() => s.play(new Float32Array(2 * 256 * 50)));
    expect(e.code).toBe(ErrorCode.PANIC);
    expect(e).toBeInstanceOf(Error);
  });

  it('records into a RingBuffer that JS reads while it fills; overflow is ERR_BUFFER_FULL', async () => {
    // Real-time pace and a 170 ms ring: a 1 ms reader keeps up even on a loaded machine.
    const s = track(new DuplexStream({ ...fast, speed: 1, channels: 1 }));
    const ring = RingBuffer.forFrames(1, 8192);
    const got: number[] = [];
    const sig = noise(20_000, 8);
    const reader = setInterval(() => {
      const b = new Float32Array(ring.readAvailable);
      ring.readInto(b);
      got.push(...b);
    }, 1);
    const trip = Math.round((s.latency[0] + s.latency[1]) * s.samplerate);
    const rec = await s.playrec(sig, { frames: 20_000, pad: trip, out: ring });
    clearInterval(reader);
    expect(rec).toBe(ring);
    const rest = new Float32Array(ring.readAvailable);
    ring.readInto(rest);
    got.push(...rest);
    expect(Float32Array.from(got.slice(trip, trip + 20_000))).toEqual(sig);
    // nobody reads: the ring fills and recording stops with an error
    const e = await caught(() => s.record({ frames: 10_000, out: RingBuffer.forFrames(1, 1024) }));
    expect(e.code).toBe(ErrorCode.BUFFER_FULL);
    expect(s.status.inputOverflow).toBe(true);
  });

  it('a ring attached to a stream cannot be read from JS at the same time', async () => {
    const s = track(new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256 }));
    const ring = RingBuffer.forFrames(1, 1 << 16);
    ring.write(new Float32Array(48_000)); // a second of audio: far more than plays before abort()
    const p = s.play(ring, { frames: -1, pad: -1 });
    await new Promise((r) => setTimeout(r, 20));
    expect((await caught(() => ring.read())).message).toMatch(/being read elsewhere/);
    expect(ring.write(new Float32Array(16))).toBe(16); // the writer side is free
    await s.abort();
    await p;
    // Released after the stream: JS can read it again, and gets what the stream left.
    const left = ring.readAvailable;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(48_000 + 16);
    expect(ring.read().length).toBe(4 * left);
  });
});

describe('native memory is reported to V8', () => {
  it('a buffer a stream plays counts while the job holds it, and no longer after', async () => {
    const { adjustedExternalMemory } = await import('../index.js');
    const s = track(new OutputStream({ ...fast, channels: 1 }));
    const big = new Float32Array(4_000_000); // 16 MB, copied into the job
    const before = adjustedExternalMemory(); // V8 counts `big` itself already
    const p = s.play(big);
    const during = adjustedExternalMemory();
    await p;
    expect(during - before).toBeGreaterThanOrEqual(16_000_000);
    expect(adjustedExternalMemory() - before).toBeLessThan(1_000_000);
  });
});
