// Device ids name their host, and the system default is the real device:
// against the audio sandbox (/work/shared/audio-sandbox.sh, started by
// .ci/run). Without the sandbox these tests are skipped, never passed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplexStream, OutputStream, defaults, devices } from '../src/index';
import { closeAfterEach, findDelay, noise } from './helpers';
import { pwSandbox } from './pipewire';

const root = resolve(__dirname, '..');
const sandbox = Boolean(process.env.JACK_DEFAULT_SERVER && process.env.ALSA_CONFIG_PATH);
const track = closeAfterEach();

describe.skipIf(!sandbox)('hosts on a machine with a (sandbox) sound card', () => {
  it("a device id opens on its own host whatever defaults.host says ('alsa:loopback', 'alsa:null')", async () => {
    expect(defaults.host).toBe('virtual'); // test/setup.ts
    const s = track(new DuplexStream({ device: 'alsa:loopback', channels: 2, blocksize: 1024 }));
    expect(s.host).toBe('alsa');
    expect(s.device).toBe('alsa:loopback');
    const sig = noise(2 * 9600, 77);
    const rec = (await s.playrec(sig, { pad: 48_000 })) as Float32Array;
    expect(findDelay(rec, sig, 2)).toBeGreaterThan(0);
    // alsa-lib's null PCM is defined in every configuration (the sandbox's too):
    // its absence is a failure, not a reason to skip the half that opens it.
    const ids = devices({ host: 'alsa' }).map((d) => d.id);
    expect(ids).toContain('alsa:null');
    const n = track(new OutputStream({ device: 'alsa:null', channels: 2 }));
    expect(n.host).toBe('alsa');
    expect(n.device).toBe('alsa:null');
  });

  it('with no host anywhere a stream opens the system default (ALSA default, PipeWire where it answers), without a warning', () => {
    const script = `
      const r = require(${JSON.stringify(root)});
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.code));
      const s = new r.OutputStream({ channels: 2 });
      setImmediate(async () => {
        console.log(JSON.stringify({ host: s.host, device: s.device, warnings }));
        await s.close();
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
    const system = pwSandbox ? 'pipewire' : 'alsa';
    expect(out).toEqual({ host: system, device: `${system}:default`, warnings: [] });
  });
});

/** This environment with the PipeWire / PulseAudio session out of sight: an empty runtime dir, no server variables. */
function hidden(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['PIPEWIRE_RUNTIME_DIR', 'PIPEWIRE_REMOTE', 'PULSE_SERVER', 'PULSE_RUNTIME_PATH']) delete env[k];
  env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'rs-hidden-session-'));
  return env;
}

interface Choice {
  hosts: string[];
  host: string;
  device: string;
  warnings: string[];
}

/** In a fresh process with `env` (defaults.host unset): `hosts()`, and where `new OutputStream()` lands. */
function systemChoice(env: NodeJS.ProcessEnv): Choice {
  const script = `
    const r = require(${JSON.stringify(root)});
    const warnings = [];
    process.on('warning', (w) => warnings.push(w.code));
    const hosts = r.hosts();
    const s = new r.OutputStream({ channels: 2 });
    setImmediate(async () => {
      console.log(JSON.stringify({ hosts, host: s.host, device: s.device, warnings }));
      await s.close();
    });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env, timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Choice;
}

describe('the system default host, server by server (PipeWire, then PulseAudio, then ALSA)', () => {
  it.runIf(pwSandbox)('hosts() lists pipewire and pulseaudio while the session answers, neither when it is hidden', () => {
    const seen = systemChoice(process.env);
    expect(seen.hosts).toEqual(expect.arrayContaining(['pipewire', 'pulseaudio']));
    const hid = systemChoice(hidden());
    expect(hid.hosts).not.toContain('pipewire');
    expect(hid.hosts).not.toContain('pulseaudio');
    expect(hid.host).not.toMatch(/pipewire|pulseaudio/);
  });

  it.runIf(pwSandbox)('without the PipeWire plugin the default is PulseAudio (the same session, through pipewire-pulse)', () => {
    const env = { ...process.env, RINGSTREAM_CPAL_PIPEWIRE_PLUGIN: join(tmpdir(), 'no-such-ringstream-cpal-pipewire.so') };
    const out = systemChoice(env);
    expect(out.hosts).toContain('pulseaudio');
    expect(out.hosts).not.toContain('pipewire');
    expect(out).toMatchObject({ host: 'pulseaudio', device: 'pulseaudio:default', warnings: [] });
  });

  it.runIf(sandbox)("with both servers hidden the default is ALSA's default, without a warning", () => {
    const out = systemChoice(hidden());
    expect(out.hosts).toContain('alsa');
    expect(out).toMatchObject({ host: 'alsa', device: 'alsa:default', warnings: [] });
  });
});
