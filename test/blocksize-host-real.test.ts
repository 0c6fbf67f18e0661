// blocksize 0 on the plugin hosts, against the audio sandbox
// (/work/shared/audio-sandbox.sh; the PipeWire sandbox for PipeWire and
// PulseAudio): the stream opens with the host's own period as its block
// (the sandbox's ALSA loopback is a JACK-backed PCM: the JACK period, 1024
// at 48 kHz), reports it as stream.blocksize, and a round trip comes back
// sample-exactly. Without a sandbox these tests are skipped, never passed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuplexStream, InputStream, OutputStream, readWav, writeWav } from '../src/index';
import { cli } from './cli-helpers';
import { closeAfterEach, findDelay, noise } from './helpers';
import { jackLoop, jackPeriod, jackPorts } from './jack';
import { pwSandbox } from './pipewire';

const plugin = readdirSync(resolve(__dirname, '..')).some((f) => /^ringstream-cpal\..+\.so$/.test(f));
const sandbox = Boolean(process.env.JACK_DEFAULT_SERVER && process.env.ALSA_CONFIG_PATH);
const track = closeAfterEach();

/**
 * Plays seeded noise through `s` and checks it comes back sample-exactly; returns the delay. A run with xruns (a loaded machine makes the JACK server miss a period) is retried.
 */
async function exactRoundTrip(s: DuplexStream, label: string): Promise<number> {
  const frames = 24_000;
  for (let attempt = 1; ; attempt++) {
    const sig = noise(2 * frames, 60 + attempt);
    const pad = 8192 + Math.ceil((s.latency[0] + s.latency[1]) * s.samplerate);
    const rec = (await s.playrec(sig, { pad })) as Float32Array;
    if (s.xruns > 0 && attempt < 4) {
      console.log(`${label}: ${s.xruns} xrun(s), run ${attempt} retried`);
      continue;
    }
    expect(s.xruns).toBe(0);
    const delay = findDelay(rec, sig, 2);
    console.log(`${label}: blocksize ${s.blocksize}, round trip ${delay} frames, reported ${(s.latency[0] + s.latency[1]) * s.samplerate}`);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(rec.subarray(2 * delay, 2 * (delay + frames))).toEqual(sig);
    return delay;
  }
}

describe.skipIf(!plugin)("blocksize 0 on ALSA (no sandbox needed: alsa-lib's null PCM)", () => {
  it("a duplex stream's block is its output's period; its input adapts", async () => {
    // null takes any period: each side gets its latency's, 'low' 240 frames and 'high' 4800.
    const s = track(new DuplexStream({ device: 'alsa:null', samplerate: 48000, channels: 2, blocksize: 0, latency: ['high', 'low'] }));
    expect(s.blocksize).toBe(240);
    // The input's period (4800 frames) is in its latency: its blocks are handed over a period at a time.
    expect(s.latency[0]).toBeGreaterThanOrEqual(0.1);
    const rec = (await s.playrec(noise(2 * 4800, 62))) as Float32Array;
    expect(rec.length).toBe(2 * 4800);
    expect(s.xruns).toBe(0);
    const input = track(new InputStream({ device: 'alsa:null', samplerate: 48000, channels: 2, blocksize: 0, latency: 'high' }));
    expect(input.blocksize).toBe(4800);
  });
});

describe.skipIf(!sandbox)('blocksize 0 on the plugin hosts', () => {
  it('JACK: every direction opens with the server period', () => {
    const period = jackPeriod();
    expect(track(new OutputStream({ host: 'jack', channels: 2, blocksize: 0 })).blocksize).toBe(period);
    expect(track(new InputStream({ host: 'jack', channels: 2, blocksize: 0 })).blocksize).toBe(period);
  });

  it('ALSA loopback (a JACK-backed PCM): the period its PCM settles on, the JACK period', () => {
    const period = jackPeriod();
    expect(track(new OutputStream({ device: 'alsa:loopback', channels: 2, blocksize: 0 })).blocksize).toBe(period);
    expect(track(new InputStream({ device: 'alsa:loopback', channels: 2, blocksize: 0 })).blocksize).toBe(period);
    // A latency asked for does not make the JACK-backed PCM's period shorter than JACK's.
    expect(track(new OutputStream({ device: 'alsa:loopback', channels: 2, blocksize: 0, latency: 0.001 })).blocksize).toBe(period);
  });

  it('ALSA loopback, duplex: the round trip is sample-exact with the host block', async () => {
    const s = track(new DuplexStream({ device: 'alsa:loopback', channels: 2, blocksize: 0 }));
    expect(s.blocksize).toBe(jackPeriod());
    const delay = await exactRoundTrip(s, 'ALSA loopback blocksize 0');
    // As devices-real.test.ts allows for a loaded machine's timestamps (measured: +1..+4 frames).
    expect(Math.abs(delay - (s.latency[0] + s.latency[1]) * s.samplerate)).toBeLessThanOrEqual(16);
  });

  it('JACK duplex through the loopback client: the round trip is sample-exact with the host block', async () => {
    const before = jackPorts();
    const s = track(new DuplexStream({ host: 'jack', channels: 2, blocksize: 0 }));
    expect(s.blocksize).toBe(jackPeriod());
    jackLoop(before);
    await exactRoundTrip(s, 'JACK blocksize 0');
  });

  describe('the command: -b 0 through the real bin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringstream-b0-real-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('ALSA loopback: the header says the host block and the recording is exact', async () => {
      const sig = noise(2 * 9600, 61);
      const [input, output] = [join(dir, 'in.wav'), join(dir, 'out.wav')];
      await writeWav(input, sig, { samplerate: 48000, channels: 2, format: 'f32' });
      const r = cli([input, output, '-D', 'alsa:loopback', '-b', '0', '-p', '0.5']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`blocksize ${jackPeriod()},`));
      const rec = await readWav(output);
      const d = findDelay(rec.data as Float32Array, sig, 2);
      expect(rec.data.subarray(2 * d, 2 * (d + 9600))).toEqual(sig);
    });

    it('JACK: a recording opens with the server period', () => {
      const r = cli(['null', join(dir, 'jack.wav'), '-H', 'jack', '-d', '0.1', '-b', '0']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`blocksize ${jackPeriod()},`));
    });
  });
});

describe.skipIf(!pwSandbox)('blocksize 0 on the desktop servers', () => {
  it('PipeWire: the power-of-two quantum nearest the latency asked; PulseAudio: the fragment asked', async () => {
    // 'low' is 5 ms: 240 frames at 48 kHz, so the 256-frame quantum; 'high' (100 ms) 4096.
    const low = track(new OutputStream({ host: 'pipewire', samplerate: 48000, channels: 2, blocksize: 0 }));
    expect(low.blocksize).toBe(256);
    await low.play(noise(2 * 4800, 63));
    expect(low.frameCount % 256).toBe(0);
    expect(low.frameCount).toBeGreaterThanOrEqual(4800);
    const high = new OutputStream({ host: 'pipewire', samplerate: 48000, channels: 2, blocksize: 0, latency: 'high' });
    expect(track(high).blocksize).toBe(4096);
    expect(track(new OutputStream({ host: 'pulseaudio', samplerate: 48000, channels: 2, blocksize: 0 })).blocksize).toBe(240);
  });
});
