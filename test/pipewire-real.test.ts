// The PipeWire and PulseAudio hosts against a real PipeWire session: the
// project's own sandbox (scripts/pipewire-sandbox.sh), which .ci/run starts.
// Without it these tests are skipped, never passed; under .ci/run
// (RINGSTREAM_REQUIRE_PIPEWIRE=1) a missing sandbox fails.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputStream, OutputStream, Recorder, chunks, devices, hosts, readWav } from '../src/index';
import { cli, start } from './cli-helpers';
import { closeAfterEach, noise } from './helpers';
import { exactAfterDelay, paplay, parecord, pwRequired, pwSandbox, pwSink } from './pipewire';

const root = resolve(__dirname, '..');
const sink = pwSink ?? '';
const source = process.env.PIPEWIRE_SANDBOX_SOURCE ?? '';
const track = closeAfterEach();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the PipeWire sandbox', () => {
  it.runIf(pwRequired)('is running where the run requires it (.ci/run)', () => {
    expect(pwSandbox).toBe(true);
  });

  it.skipIf(!pwSandbox)('plays paplay into its sink and parecord records it back from the monitor, exactly', async () => {
    const sig = noise(2 * 24_000, 5);
    const rec = parecord(`${sink}.monitor`);
    await sleep(300);
    await paplay(sink, sig);
    await sleep(300);
    exactAfterDelay(await rec.stop(), sig);
  });
});

describe.skipIf(!pwSandbox)('the pipewire and pulseaudio hosts', () => {
  it('are listed while their servers answer', () => {
    expect(hosts()).toEqual(expect.arrayContaining(['pipewire', 'pulseaudio']));
  });

  it('list the sandbox nodes by the names the desktop shows, sinks recordable', () => {
    const pw = devices({ host: 'pipewire', refresh: true });
    expect(pw.find((d) => d.id === `pipewire:${sink}`)).toMatchObject({
      name: 'Sandbox Sink',
      host: 'pipewire',
      maxInputChannels: 0,
      maxOutputChannels: 2,
      loopback: true,
    });
    // cpal 0.18 lists Audio/Source nodes, not the sandbox's Audio/Source/Virtual one: PulseAudio shows it.
    expect(pw.find((d) => d.id === 'pipewire:default')).toMatchObject({ isDefaultOutput: true, loopback: true });
    const pa = devices({ host: 'pulseaudio', refresh: true });
    expect(pa.find((d) => d.id === `pulseaudio:${sink}`)).toMatchObject({
      name: 'Sandbox Sink',
      maxOutputChannels: 2,
      loopback: true,
    });
    expect(pa.find((d) => d.id === `pulseaudio:${sink}.monitor`)).toMatchObject({
      name: 'Monitor of Sandbox Sink',
      maxInputChannels: 2,
    });
    expect(pa.find((d) => d.id === `pulseaudio:${source}`)).toMatchObject({
      name: 'Sandbox Source',
      maxInputChannels: 2,
      maxOutputChannels: 0,
      loopback: false,
    });
  });

  it('make PipeWire the system default host (defaults.host unset)', () => {
    const script = `
      const r = require(${JSON.stringify(root)});
      const s = new r.OutputStream({ channels: 2 });
      setImmediate(async () => { console.log(JSON.stringify({ host: s.host, device: s.device })); await s.close(); });`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ host: 'pipewire', device: 'pipewire:default' });
  });

  it('refuse loopback on a device that cannot be recorded, and on an output stream', () => {
    expect(() => new InputStream({ device: `pulseaudio:${source}`, loopback: true, channels: 2 })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_CONFIG' }),
    );
    expect(() => new OutputStream({ device: `pipewire:${sink}`, loopback: true, channels: 2 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG' }),
    );
  });

  for (const host of ['pipewire', 'pulseaudio'] as const) {
    it(`${host}: a tone ringstream plays into the sink comes back exactly from parecord on its monitor`, async () => {
      const sig = noise(2 * 24_000, 11);
      const s = track(new OutputStream({ device: `${host}:${sink}`, channels: 2, samplerate: 48000 }));
      expect(s.host).toBe(host);
      const rec = parecord(`${sink}.monitor`);
      await sleep(300);
      await s.play(sig);
      await sleep(300);
      const got = await rec.stop();
      expect(s.xruns).toBe(0);
      exactAfterDelay(got, sig);
    });

    it(`${host}: what paplay plays into the sink, a loopback InputStream records exactly`, async () => {
      const sig = noise(2 * 24_000, 13);
      const s = track(new InputStream({ device: `${host}:${sink}`, loopback: true, channels: 2, samplerate: 48000 }));
      const recording = s.record(48_000 * 2);
      await sleep(300);
      await paplay(sink, sig);
      const got = (await recording) as Float32Array;
      expect(s.xruns).toBe(0);
      const d = exactAfterDelay(got, sig);
      console.log(`${host} loopback: paplay's noise at frame ${d} of the recording`);
    });

    it(`${host}: a loopback Recorder's recordBuffer holds what paplay plays, exactly`, async () => {
      const sig = noise(2 * 24_000, 19);
      const r = track(new Recorder({ device: `${host}:${sink}`, loopback: true, channels: 2, samplerate: 48000 }));
      await r.start();
      const buf = new Float32Array(2 * 48_000 * 3);
      const action = r.recordBuffer(buf, 2);
      await sleep(300);
      await paplay(sink, sig);
      await r.wait(action);
      expect(action.outcome).toBe('done');
      expect(r.xruns).toBe(0);
      exactAfterDelay(buf, sig);
    });

    it(`${host}: chunks({ loopback: true }) yields what paplay plays, exactly`, async () => {
      const sig = noise(2 * 24_000, 23);
      const got = new Float32Array(2 * 48_000 * 3);
      let at = 0;
      let played: Promise<void> | undefined;
      const opts = { device: `${host}:${sink}`, loopback: true, channels: 2, samplerate: 48000, chunksize: 4800, frames: 3 * 48_000 };
      for await (const c of chunks(opts)) {
        got.set(c, at);
        at += c.length;
        // paplay starts once the loop runs (0.3 s in).
        if (!played && at >= 2 * 14_400) played = paplay(sink, sig);
      }
      await played;
      expect(at).toBe(got.length);
      exactAfterDelay(got, sig);
    });
  }
});

const pwPlugin = readdirSync(root).find((f) => /^ringstream-cpal-pipewire\..+\.so$/.test(f));
const hasPatchelf = spawnSync('sh', ['-c', 'command -v patchelf']).status === 0;

describe('without libpipewire', () => {
  it.skipIf(!pwPlugin || !hasPatchelf)(
    'the other hosts stay (PulseAudio too, where its server answers) and pipewire says what to install',
    () => {
      // The PipeWire plugin with its libpipewire dependency renamed to one that exists nowhere:
      // what the dynamic loader meets on a machine without libpipewire-0.3-0.
      const dir = mkdtempSync(join(tmpdir(), 'ringstream-nopw-'));
      const copy = join(dir, pwPlugin!);
      copyFileSync(join(root, pwPlugin!), copy);
      execFileSync('patchelf', ['--replace-needed', 'libpipewire-0.3.so.0', 'libpipewire-missing.so.0', copy]);
      const script = `
        const r = require(${JSON.stringify(root)});
        const out = { hosts: r.hosts() };
        try { new r.OutputStream({ host: 'pipewire' }); out.pw = 'opened'; } catch (e) { out.pw = { code: e.code, message: e.message }; }
        console.log(JSON.stringify(out));`;
      const run = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, RINGSTREAM_CPAL_PIPEWIRE_PLUGIN: copy },
      });
      expect(run.status, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out.hosts).toEqual(expect.arrayContaining(['virtual', 'alsa', 'jack', ...(pwSandbox ? ['pulseaudio'] : [])]));
      expect(out.hosts).not.toContain('pipewire');
      expect(out.pw.code).toBe('ERR_DEVICE_NOT_FOUND');
      expect(out.pw.message).toMatch(/libpipewire-missing\.so\.0/);
      expect(out.pw.message).toMatch(/libpipewire-0\.3-0/);
    },
  );
});

describe.skipIf(!pwSandbox)('the CLI', () => {
  it('ringstream --loopback -D SINK out.wav records what paplay plays there, exactly', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ringstream-cli-lb-')), 'out.wav');
    const sig = noise(2 * 24_000, 17);
    const run = start(['--loopback', '-D', `pipewire:${sink}`, '-d', '3', '-r', '48000', '-c', '2', out]);
    // Its first line comes once the stream is open: paplay starts after that (a loaded machine
    // may take a second to start Node).
    while (!/latency in/.test(run.stderr())) await sleep(20);
    await sleep(300);
    await paplay(sink, sig);
    const { status, stderr } = await run.done;
    expect(status, stderr).toBe(0);
    const wav = await readWav(out);
    expect(wav.samplerate).toBe(48_000);
    exactAfterDelay(wav.data as Float32Array, sig);
  });

  it('--loopback takes one OUTPUT only', () => {
    const r = cli(['--loopback', 'in.wav', 'out.wav']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--loopback records only/);
  });
});

describe.skipIf(!pwSandbox)('a PipeWire server that dies', () => {
  it('rejects the pending play() with ERR_DEVICE_NOT_FOUND, without a hang', async () => {
    // A second session of its own, so that killing it leaves the shared one alone.
    const dir = mkdtempSync(join(tmpdir(), 'ringstream-pw-kill-'));
    const script = join(root, 'scripts', 'pipewire-sandbox.sh');
    const env: NodeJS.ProcessEnv = { ...process.env, PIPEWIRE_SANDBOX_DIR: dir };
    const up = spawnSync(script, ['start'], { encoding: 'utf8', env });
    expect(up.status, up.stderr).toBe(0);
    try {
      for (const line of up.stdout.split('\n')) {
        const m = line.match(/^export (\w+)=(.*)$/);
        if (m) env[m[1]!] = m[2]!;
      }
      const child = `
        const r = require(${JSON.stringify(root)});
        const s = new r.OutputStream({ device: 'pipewire:${sink}', channels: 2, samplerate: 48000 });
        const t = Date.now();
        console.log('playing');
        s.play(new Float32Array(2 * 48000 * 20)).then(
          () => console.log(JSON.stringify({ ok: true })),
          (e) => console.log(JSON.stringify({ code: e.code, message: e.message, ms: Date.now() - t })),
        ).finally(() => s.close().then(() => process.exit(0)));`;
      const p = spawn(process.execPath, ['-e', child], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      while (!out.includes('playing')) await sleep(20);
      await sleep(1000);
      const pid = readFileSync(join(dir, 'pids'), 'utf8').match(/^pipewire (\d+)$/m)![1]!;
      process.kill(Number(pid), 'SIGKILL');
      const code = await new Promise<number | null>((res) => {
        const timer = setTimeout(() => {
          p.kill('SIGKILL');
          res(null);
        }, 15_000);
        p.on('exit', (c) => {
          clearTimeout(timer);
          res(c);
        });
      });
      expect(code, `hung: ${out}`).toBe(0);
      const result = JSON.parse(out.trim().split('\n').pop()!);
      console.log(`killed PipeWire server: play() rejected after ${result.ms} ms: ${result.message}`);
      expect(result.code).toBe('ERR_DEVICE_NOT_FOUND');
    } finally {
      spawnSync(script, ['stop'], { env });
    }
  });
});
