// Real devices through the cpal plugin (ALSA and JACK), against the audio
// sandbox (/work/shared/audio-sandbox.sh, started by .ci/run). Without the
// sandbox these tests are skipped, never passed.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, OutputStream, devices, hosts } from '../src/index';
import { caught, closeAfterEach, findDelay, noise } from './helpers';

const root = resolve(__dirname, '..');
const sandbox = Boolean(process.env.JACK_DEFAULT_SERVER && process.env.ALSA_CONFIG_PATH);
const plugin = readdirSync(root).find((f) => /^ringstream-cpal\..+\.so$/.test(f));
const hasTool = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

const track = closeAfterEach();

/**
 * Plays 1 s of seeded noise through `s` and checks it comes back sample-exactly after one
 * constant delay. The guarantee holds while there is no xrun; a run with xruns (they are
 * counted, e.g. when a loaded machine makes the JACK server miss a period) is retried.
 */
async function roundTrip(s: DuplexStream, label: string): Promise<number> {
  const frames = 48_000;
  for (let attempt = 1; ; attempt++) {
    const sig = noise(2 * frames, 42 + attempt);
    const rec = (await s.playrec(sig, { pad: 16_384 })) as Float32Array;
    if (s.xruns > 0 && attempt < 4) {
      console.log(`${label}: ${s.xruns} xrun(s) (${JSON.stringify(s.status)}), run ${attempt} retried`);
      continue;
    }
    expect(s.xruns).toBe(0);
    const delay = findDelay(rec, sig, 2);
    console.log(`${label}: round-trip delay ${delay} frames, latency [${s.latency.join(', ')}] s`);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(rec.subarray(0, 2 * delay).every((v) => v === 0)).toBe(true);
    const back = rec.subarray(2 * delay, 2 * (delay + frames));
    let mismatches = 0;
    for (let i = 0; i < sig.length; i++) if (back[i] !== sig[i]) mismatches++;
    expect(mismatches).toBe(0);
    return delay;
  }
}

describe('cpal plugin (no sandbox needed)', () => {
  it.skipIf(!plugin)('offers alsa and jack next to virtual', () => {
    expect(hosts()).toEqual(['virtual', 'alsa', 'jack']);
  });

  it.skipIf(!plugin)('enumerates without printing anything, in a fraction of a second', () => {
    const script = `
      const r = require(${JSON.stringify(root)});
      const t = process.hrtime.bigint();
      const alsa = r.devices({ host: 'alsa' });
      const jack = r.devices({ host: 'jack' });
      console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6, alsa: alsa.map((d) => d.id), jack: jack.map((d) => d.id) }));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    console.log(`enumeration: alsa + jack in ${out.ms.toFixed(0)} ms`);
    expect(out.ms).toBeLessThan(1000);
    if (sandbox) {
      expect(out.alsa).toEqual(expect.arrayContaining(['alsa:default', 'alsa:loopback']));
      expect(out.jack).toEqual(['jack:default']);
    }
  });

  it.skipIf(!plugin || !hasTool('patchelf'))(
    'without libasound.so.2 the module still loads: virtual works, alsa says what to install',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ringstream-noasound-'));
      const copy = join(dir, plugin!);
      copyFileSync(join(root, plugin!), copy);
      execFileSync('patchelf', ['--replace-needed', 'libasound.so.2', 'libasound-missing.so.2', copy]);
      const script = `
        const r = require(${JSON.stringify(root)});
        const out = { hosts: r.hosts() };
        const rb = new r.RingBuffer(4, 16);
        rb.write(new Float32Array([1, 2, 3]));
        const b = rb.read(3);
        out.ring = Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
        try { new r.OutputStream({ host: 'alsa' }); out.alsa = 'opened'; } catch (e) { out.alsa = { code: e.code, message: e.message }; }
        console.log(JSON.stringify(out));`;
      const run = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, RINGSTREAM_CPAL_PLUGIN: copy },
      });
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout);
      expect(out.hosts).toContain('virtual');
      expect(out.hosts).not.toContain('alsa');
      expect(out.ring).toEqual([1, 2, 3]);
      expect(out.alsa.code).toBe(ErrorCode.DEVICE_NOT_FOUND);
      expect(out.alsa.message).toMatch(/libasound-missing\.so\.2/);
      expect(out.alsa.message).toMatch(/libasound2/);
    },
  );
});

describe.skipIf(!sandbox || !plugin)('real devices in the audio sandbox', () => {
  it('ALSA loopback: a duplex stream records what it plays, sample-exactly, after a constant delay', async () => {
    const s = track(new DuplexStream({ host: 'alsa', device: 'loopback', samplerate: 48000, channels: 2 }));
    expect(s.device).toBe('alsa:loopback');
    const first = await roundTrip(s, 'ALSA loopback');
    // Same stream, second run: again exact (the handoff is reset on start).
    const second = await roundTrip(s, 'ALSA loopback, again');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
  });

  it('a panic in the engine on a cpal device becomes ERR_PANIC; the process and the device live on', async () => {
    const s = track(new OutputStream({ host: 'alsa', device: 'default', samplerate: 48000, channels: 2, faults: { panicAtBlock: 3 } }));
    const e = await caught(() => s.play(new Float32Array(2 * 48_000)));
    expect(e.code).toBe(ErrorCode.PANIC);
    await s.close();
    // The same device opens and plays again.
    const again = track(new OutputStream({ host: 'alsa', device: 'default', samplerate: 48000, channels: 2 }));
    await again.play(new Float32Array(2 * 4800));
    expect(again.frameCount).toBeGreaterThanOrEqual(4800);
  });

  it('ALSA default: 2 s of output take about 2 s', async () => {
    const s = track(new OutputStream({ host: 'alsa', device: 'default', samplerate: 48000, channels: 2 }));
    const t = performance.now();
    await s.play(noise(2 * 96_000, 3));
    const took = (performance.now() - t) / 1000;
    console.log(`ALSA default: 2 s played in ${took.toFixed(3)} s`);
    expect(took).toBeGreaterThan(1.8);
    expect(took).toBeLessThan(2.8);
    expect(s.frameCount).toBeGreaterThanOrEqual(96_000);
    expect(s.xruns).toBe(0);
  });

  it.skipIf(!hasTool('jack_lsp') || !hasTool('jack_connect'))(
    'JACK through the sandbox loopback client: the same exact round trip',
    async () => {
      const ports = () => new Set(execFileSync('jack_lsp', { encoding: 'utf8' }).split('\n').filter(Boolean));
      const before = ports();
      const s = track(new DuplexStream({ host: 'jack', samplerate: 48000, channels: 2 }));
      expect(s.device).toBe('jack:default');
      const mine = [...ports()].filter((p) => !before.has(p));
      const byIndex = (re: RegExp) =>
        mine.filter((p) => re.test(p)).sort((a, b) => Number(a.match(/(\d+)$/)![1]) - Number(b.match(/(\d+)$/)![1]));
      const outs = byIndex(/:out_\d+$/);
      const ins = byIndex(/:in_\d+$/);
      expect(outs).toHaveLength(2);
      expect(ins).toHaveLength(2);
      outs.forEach((p, i) => execFileSync('jack_connect', [p, `loopback:input_${i + 1}`]));
      ins.forEach((p, i) => execFileSync('jack_connect', [`loopback:output_${i + 1}`, p]));
      await roundTrip(s, 'JACK via loopback');
    },
  );
});
