// Streams at a rate or channel count their device cannot run: the device runs
// at what it offers (virtual:stereo48: 48 kHz, 2 channels each way, like a raw
// ALSA hw: device) and the engine converts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { devices, DuplexStream, ErrorCode, InputStream, MixerAndRecorder, OutputStream, readWav, writeWav } from '../src/index';
import { cli } from './cli-helpers';
import { ahead, caught, closeAfterEach } from './helpers';

const track = closeAfterEach();
const fixed = { device: 'virtual:stereo48', speed: Infinity } as const;

/** A 1 kHz tone of `len` seconds with 10 ms raised-cosine fades, at `t` seconds. */
function tone(t: number, len: number): number {
  if (t <= 0 || t >= len) return 0;
  const edge = (x: number) => 0.5 - 0.5 * Math.cos(Math.PI * Math.min(x / 0.01, 1));
  return 0.5 * edge(t) * edge(len - t) * Math.sin(2 * Math.PI * 1000 * t);
}

describe('conversion', () => {
  it('lists a device that offers only 48 kHz stereo', () => {
    const d = devices({ host: 'virtual' }).find((x) => x.id === 'virtual:stereo48');
    expect(d).toMatchObject({ maxInputChannels: 2, maxOutputChannels: 2, defaultSamplerate: 48000 });
    const only = { samplerates: [{ min: 48000, max: 48000 }], channels: [{ min: 2, max: 2 }] };
    expect(d?.native).toEqual({ input: only, output: only });
  });

  it('records 16 kHz mono from a 48 kHz stereo device, and says what the device runs', () => {
    const s = track(new InputStream({ ...fixed, samplerate: 16000, channels: 1, blocksize: 160 }));
    expect(s.samplerate).toBe(16000);
    expect(s.channels).toBe(1);
    expect(s.deviceFormat).toEqual({ samplerate: 48000, channels: 2 });
    const same = track(new InputStream({ ...fixed, samplerate: 48000, channels: 2 }));
    expect(same.deviceFormat).toEqual({ samplerate: 48000, channels: 2 });
  });

  it('convert: false keeps the refusal, naming what the device offers', async () => {
    const e = await caught(() => new InputStream({ ...fixed, samplerate: 16000, channels: 1, convert: false }));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED_CONFIG);
    expect(e.message).toMatch(/only at 48000 Hz with 2 channels/);
    const more = await caught(() => new InputStream({ ...fixed, samplerate: 16000, channels: 4 }));
    expect(more.code).toBe(ErrorCode.UNSUPPORTED_CONFIG);
    expect(more.message).toMatch(/2 input channels, 4 requested/);
    const mix = await caught(() => new InputStream({ ...fixed, channels: 1, mix: 'sum' as 'average' }));
    expect([mix.code, mix.message]).toEqual([ErrorCode.INVALID_ARG, "mix must be 'first' or 'average', got 'sum'"]);
  });

  it.each([16000, 44100])('a %i Hz mono round trip lands at the reported latency', async (rate) => {
    const dup = track(new DuplexStream({ ...fixed, samplerate: rate, channels: 1, blocksize: 256 }));
    const len = 0.1;
    const src = Float32Array.from({ length: Math.round(len * rate) }, (_, j) => tone(j / rate, len));
    const back = await dup.playrec(src, { pad: rate / 10 });
    const trip = dup.latency[0] + dup.latency[1];
    let err = 0;
    back.forEach((v, j) => {
      err = Math.max(err, Math.abs(v - tone(j / rate - trip, len)));
    });
    // Float32 data, a sinc resampler each way: far below -80 dB everywhere,
    // from the first frame to the last.
    expect(20 * Math.log10(err / 0.5)).toBeLessThan(-80);
    expect(dup.deviceFormat).toEqual({ samplerate: 48000, channels: [2, 2] });
    expect(dup.xruns).toBe(0);
  });

  it('a Mixer click at 16 kHz lands at its frame of the stream clock', async () => {
    const sr = 16000;
    const m = track(new MixerAndRecorder({ ...fixed, samplerate: sr, channels: 1, blocksize: 160, speed: 4 }));
    expect(m.deviceFormat).toEqual({ samplerate: 48000, channels: [2, 2] });
    await m.start();
    const t0 = ahead(m, 4);
    const rec = new Float32Array(sr / 2);
    const r = m.recordBuffer(rec, 1, { start: t0 });
    const plays = [0.0123, 0.1, 0.20001, 0.3337].map((d) => m.playBuffer(new Float32Array([0.5]), 1, { start: t0 + d }));
    await m.wait(r);
    expect(plays.map((p) => p.outcome)).toEqual(['done', 'done', 'done', 'done']);
    // Each click comes back band-limited, its peak where the play started on
    // the stream clock: the output and input grids of a converting stream
    // are a fraction of a frame apart, so the peak is found to a fraction
    // (a parabola through the three highest samples).
    const off = plays.map((p) => {
      const exact = (p.actualTime - r.actualTime) * sr;
      let best = Math.round(exact) - 20;
      for (let j = best; j <= Math.round(exact) + 20; j++) if (rec[j] > rec[best]) best = j;
      const [a, b, c] = [rec[best - 1], rec[best], rec[best + 1]];
      return Math.abs(best + (0.5 * (a - c)) / (a - 2 * b + c) - exact);
    });
    expect(Math.max(...off)).toBeLessThan(0.25);
  });

  it('4 channels on the stereo device: refused without a map, opened and routed with one (at 44.1 kHz, converting)', async () => {
    const rate = 44100;
    const more = await caught(() => new DuplexStream({ ...fixed, samplerate: rate, channels: 4 }));
    expect([more.code, more.message]).toEqual([ErrorCode.UNSUPPORTED_CONFIG, 'virtual:stereo48 has 2 input channels, 4 requested']);
    // Out: device channel 1 plays data channel 2, device channel 2 data channel 4. In: device
    // channel 1 feeds data channel 3, device channel 2 data channel 1. Through the loopback, data
    // channel 2 comes back on 3 and 4 on 1; 2 and 4 stay silent.
    const dup = track(
      new DuplexStream({
        ...fixed,
        samplerate: rate,
        channels: 4,
        blocksize: 256,
        map: [
          [3, 1],
          [2, 4],
        ],
      }),
    );
    expect(dup.channels).toEqual([4, 4]);
    expect(dup.deviceFormat).toEqual({ samplerate: 48000, channels: [2, 2] });
    const len = 0.1;
    const n = Math.round(len * rate);
    const gains = [0.9, 0.5, -0.7, 0.25];
    const src = new Float32Array(4 * n);
    for (let j = 0; j < n; j++) for (let c = 0; c < 4; c++) src[4 * j + c] = gains[c] * tone(j / rate, len);
    const back = (await dup.playrec(src, { pad: rate / 10 })) as Float32Array;
    const trip = dup.latency[0] + dup.latency[1];
    const err = [0, 0, 0, 0];
    for (let j = 0; j < back.length / 4; j++) {
      const want = [gains[3], 0, gains[1], 0].map((g) => g * tone(j / rate - trip, len));
      for (let c = 0; c < 4; c++) err[c] = Math.max(err[c], Math.abs(back[4 * j + c] - want[c]));
    }
    expect(err.map((e) => 20 * Math.log10(e / 0.5) < -80)).toEqual([true, true, true, true]);
    expect(dup.xruns).toBe(0);
  });

  it('plays a 44.1 kHz stereo source for its length on the 48 kHz device', async () => {
    const out = track(new OutputStream({ ...fixed, samplerate: 44100, channels: 2 }));
    const data = new Float32Array(2 * 44100 * 0.2);
    await out.play(data);
    expect(out.frameCount).toBeGreaterThanOrEqual(8820);
  });
});

describe('the CLI on a 48 kHz stereo device', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringstream-convert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('-r 16k -c 1 records 16 kHz mono; --exact refuses', async () => {
    const out = join(dir, 'asr.wav');
    const r = cli(['null', out, '-D', 'virtual:stereo48', '-r', '16k', '-c', '1', '-d', '0.2', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const w = await readWav(out);
    expect([w.samplerate, w.channels, w.frames]).toEqual([16000, 1, 3200]);
    const exact = cli(['null', out, '-D', 'virtual:stereo48', '-r', '16k', '-c', '1', '-d', '0.2', '--exact']);
    expect(exact.status).toBe(1);
    expect(exact.stderr).toMatch(/only at 48000 Hz/);
  });

  it('plays a 44.1 kHz file at its pitch and records it back at 44.1 kHz', async () => {
    const src = join(dir, 'tone44.wav');
    const back = join(dir, 'back44.wav');
    const rate = 44100;
    const data = Float32Array.from({ length: rate / 2 }, (_, j) => tone(j / rate, 0.5));
    await writeWav(src, data, { samplerate: rate, channels: 1, format: 'f32' });
    const r = cli([src, back, '-D', 'virtual:stereo48', '-p', '0.2', '-q']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const w = await readWav(back);
    expect([w.samplerate, w.channels]).toEqual([rate, 1]);
    // 1 kHz: two zero crossings a millisecond, over a steady 0.2 s in the middle of the tone.
    const mid = w.data.subarray(Math.round(0.15 * rate), Math.round(0.35 * rate));
    let crossings = 0;
    for (let j = 1; j < mid.length; j++) if (mid[j - 1] < 0 !== mid[j] < 0) crossings++;
    expect(Math.abs(crossings - 400)).toBeLessThanOrEqual(2);
  });
});
