// Conversion on real devices (the audio sandbox, /work/shared/audio-sandbox.sh):
// an ALSA PCM that offers only 48 kHz stereo, defined here over the sandbox's
// loopback client with no plug layer (so ALSA cannot convert for us), and the
// JACK host (48 kHz, the server's rate). Without the sandbox these tests are
// skipped, never passed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, InputStream } from '../src/index';
import { caught, closeAfterEach } from './helpers';
import { jackLoop, jackPeriod, jackPortLatency, jackPorts } from './jack';

const sandbox = Boolean(process.env.JACK_DEFAULT_SERVER && process.env.ALSA_CONFIG_PATH);
const hasJackTools = spawnSync('sh', ['-c', 'command -v jack_lsp && command -v jack_connect']).status === 0;
const track = closeAfterEach();

if (sandbox) {
  // Read once, when this process first opens ALSA (each test file runs in its own process).
  const conf = join(mkdtempSync(join(tmpdir(), 'ringstream-convert-')), 'asound.conf');
  writeFileSync(
    conf,
    `pcm.stereo48 {
  type jack
  hint { show on description "48 kHz stereo only, over the sandbox loopback" }
  playback_ports { 0 loopback:input_1 1 loopback:input_2 }
  capture_ports { 0 loopback:output_1 1 loopback:output_2 }
}
`,
  );
  process.env.ALSA_CONFIG_PATH = `${process.env.ALSA_CONFIG_PATH}:${conf}`;
}

/** A sine of `freq` Hz with 10 ms raised-cosine fades, `len` seconds long, at `t` seconds. */
function tone(freq: number, len: number, t: number): number {
  if (t <= 0 || t >= len) return 0;
  const edge = (x: number) => 0.5 - 0.5 * Math.cos(Math.PI * Math.min(x / 0.01, 1));
  return 0.5 * edge(t) * edge(len - t) * Math.sin(2 * Math.PI * freq * t);
}

/** Least-squares sine of `freq` in `x` at rate `sr`: [sin, cos] coefficients. */
function sineFit(x: Float32Array, sr: number, freq: number): [number, number] {
  let s = 0;
  let c = 0;
  x.forEach((v, j) => {
    s += v * Math.sin((2 * Math.PI * freq * j) / sr);
    c += v * Math.cos((2 * Math.PI * freq * j) / sr);
  });
  return [(2 * s) / x.length, (2 * c) / x.length];
}

/** The tone's frequency (phase advance between two halves) and THD+N in dB (residual of the best sine). */
function analyse(x: Float32Array, sr: number, near: number): { freq: number; thdn: number } {
  const half = Math.floor(x.length / 2);
  const [s1, c1] = sineFit(x.subarray(0, half), sr, near);
  const [s2, c2] = sineFit(x.subarray(half, 2 * half), sr, near);
  const advance = Math.atan2(c2, s2) - Math.atan2(c1, s1) - (((2 * Math.PI * near * half) / sr) % (2 * Math.PI));
  const wrapped = Math.atan2(Math.sin(advance), Math.cos(advance));
  const freq = near + (wrapped * sr) / (2 * Math.PI * half);
  const [s, c] = sineFit(x, sr, freq);
  let res = 0;
  let sig = 0;
  x.forEach((v, j) => {
    const w = (2 * Math.PI * freq * j) / sr;
    const model = s * Math.sin(w) + c * Math.cos(w);
    res += (v - model) ** 2;
    sig += model ** 2;
  });
  return { freq, thdn: 10 * Math.log10(res / sig) };
}

/**
 * A duplex mono stream on `where`, connected to the loopback, and the part of
 * its reported round trip (seconds) that the loopback does not add: JACK
 * reports its ports' hardware latency, which the loopback client passes by.
 */
function open(where: 'alsa' | 'jack', samplerate: number): { s: DuplexStream; unlooped: number } {
  if (where === 'alsa') {
    return { s: track(new DuplexStream({ host: 'alsa', device: 'stereo48', samplerate, channels: 1 })), unlooped: 0 };
  }
  const before = jackPorts();
  const s = track(new DuplexStream({ host: 'jack', samplerate, channels: 1 }));
  const { outs, ins } = jackLoop(before, 1);
  return { s, unlooped: jackPortLatency(outs, ins) / s.deviceFormat.samplerate };
}

async function playrec(s: DuplexStream, src: Float32Array, label: string): Promise<Float32Array> {
  for (let attempt = 1; ; attempt++) {
    const back = (await s.playrec(src, { pad: Math.round(0.5 * s.samplerate) })) as Float32Array;
    if (s.xruns === 0 || attempt === 3) {
      expect(s.xruns).toBe(0);
      return back;
    }
    console.log(`${label}: ${s.xruns} xrun(s), run ${attempt} retried`);
  }
}

/**
 * The lag (fractional frames) at which `y` best matches `ideal`, from `start`:
 * Gauss-Newton on the squared error, the ideal signal being known at any time.
 */
function lag(y: Float32Array, ideal: (t: number) => number, sr: number, start: number): number {
  // First the best whole frame near `start`: the highest tone's period is a couple of frames.
  const corr = (d: number) => y.reduce((acc, v, j) => acc + v * ideal((j - d) / sr), 0);
  let d = Math.round(start);
  for (let k = Math.round(start) - 16; k <= Math.round(start) + 16; k++) if (corr(k) > corr(d)) d = k;
  for (let it = 0; it < 6; it++) {
    let num = 0;
    let den = 0;
    y.forEach((v, j) => {
      const t = (j - d) / sr;
      // d(residual)/d(lag), per frame.
      const slope = ideal(t + 0.5 / sr) - ideal(t - 0.5 / sr);
      num += (v - ideal(t)) * slope;
      den += slope * slope;
    });
    d -= num / den;
  }
  return d;
}

const hosts = [
  ['alsa' as const, sandbox],
  ['jack' as const, sandbox && hasJackTools],
] as const;

describe.skipIf(!sandbox)('conversion on real devices (sandbox)', () => {
  it('the ALSA PCM offers only 48 kHz stereo: convert: false is refused, and says what it offers', async () => {
    const e = await caught(() => new InputStream({ host: 'alsa', device: 'stereo48', samplerate: 16000, channels: 1, convert: false }));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED_CONFIG);
    console.log(`stereo48, convert: false: ${e.message}`);
    const s = track(new InputStream({ host: 'alsa', device: 'stereo48', samplerate: 16000, channels: 1 }));
    expect(s.deviceFormat).toEqual({ samplerate: 48000, channels: 2 });
  });

  it("blocksize 0 while converting: the block is the device period's frame count, at the stream's rate", async () => {
    const s = track(new InputStream({ host: 'alsa', device: 'stereo48', samplerate: 16000, channels: 1, blocksize: 0 }));
    expect(s.deviceFormat.samplerate).toBe(48000);
    // stereo48 is a JACK PCM: its period is the JACK server's.
    expect(s.blocksize).toBe(jackPeriod());
    const rec = (await s.record(3200)) as Float32Array;
    expect(rec.length).toBe(3200);
  });

  it.each(hosts)('%s: a 1 kHz tone at 16 kHz mono comes back at 1 kHz (0.1 Hz), THD+N below -90 dB', async (where, ok) => {
    if (!ok) return;
    const sr = 16_000;
    const { s, unlooped } = open(where, sr);
    expect(s.deviceFormat.samplerate).toBe(48_000);
    const len = 2;
    const src = Float32Array.from({ length: len * sr }, (_, j) => tone(1000, len, j / sr));
    const back = await playrec(s, src, `${where} 16 kHz`);
    const at = Math.round((s.latency[0] + s.latency[1] - unlooped) * sr);
    const steady = back.subarray(at + sr / 4, at + sr / 4 + sr);
    const { freq, thdn } = analyse(steady, sr, 1000);
    console.log(`${where} 16 kHz mono: ${freq.toFixed(4)} Hz, THD+N ${thdn.toFixed(1)} dB`);
    expect(Math.abs(freq - 1000)).toBeLessThan(0.1);
    expect(thdn).toBeLessThan(-90);
  });

  it.each(hosts)('%s: 44.1 kHz played and recorded back: the reported latency within 4 frames, error below -90 dB', async (where, ok) => {
    if (!ok) return;
    const sr = 44_100;
    const { s, unlooped } = open(where, sr);
    const len = 1;
    // Band-limited, so the ideal signal at any fractional delay is known; below
    // 0.7 of Nyquist, where the two filters' passband ripple is far below -90 dB
    // (at 19 kHz, 0.86 of Nyquist, it is -72 dB of the tone: within the 0.1 dB
    // the passband promises, not within -90 dB).
    const sig = (t: number) => (tone(1000, len, t) + tone(7000, len, t) + tone(15000, len, t)) / 3;
    const src = Float32Array.from({ length: len * sr }, (_, j) => sig(j / sr));
    const back = await playrec(s, src, `${where} 44.1 kHz`);
    const reported = (s.latency[0] + s.latency[1] - unlooped) * sr;
    const measured = lag(back, sig, sr, reported);
    console.log(`${where} 44.1 kHz: round trip ${measured.toFixed(3)} frames, reported ${reported.toFixed(3)}`);
    expect(Math.abs(measured - reported)).toBeLessThan(4);
    let err = 0;
    back.forEach((v, j) => {
      err = Math.max(err, Math.abs(v - sig((j - measured) / sr)));
    });
    console.log(`${where} 44.1 kHz: largest error ${(20 * Math.log10(err / 0.5)).toFixed(1)} dB`);
    expect(20 * Math.log10(err / 0.5)).toBeLessThan(-90);
  });
});
