// pya's tests/test_aserver.py and test_arecorder.py on the virtual host
// (pya's DummyBackend): the default server's startup and shutdown, stop(),
// devices, set_device, repr, the context manager (`await using`).
import { describe, expect, it } from 'vitest';
import { Arecorder, ErrorCode, Server, Signal, shutdown, startup } from '../src/index';
import { caught } from './helpers';

const sine = () => Signal.sine({ freq: 440, dur: 1, samplerate: 48_000 });

describe("pya's test_aserver.py", () => {
  it('test_default_server: startupDefault makes and boots Server.default; stop() ends the sound; shutdownDefault quits it', async () => {
    const s = await Server.startupDefault({ device: 'virtual:null', blocksize: 512, channels: 4, speed: 8 });
    try {
      expect(Server.default).toBe(s);
      expect(s.booted).toBe(true);
      expect(s.mixer!.native.deviceChannels[1]).toBe(4);
      const a = await sine().play();
      await new Promise((r) => setTimeout(r, 30));
      s.stop();
      await a.done;
      expect(a.outcome).toBe('cancelled');
      expect(s.booted).toBe(true);
    } finally {
      await Server.shutdownDefault();
    }
    expect(s.booted).toBe(false);
    expect(Server.default).not.toBe(s);
  });

  it("module-level startup() and shutdown(), as pya's", async () => {
    const s = await startup({ device: 'virtual:null', speed: 8 });
    expect([Server.default, s.booted]).toEqual([s, true]);
    await shutdown();
    expect(s.booted).toBe(false);
  });

  it('test_invalid_channels: more channels than the device has are refused at boot', async () => {
    const e = await caught(() => new Server({ device: 'virtual:null', channels: 100 }).boot());
    expect(e.code).toBeDefined();
    expect(e.message).toMatch(/100/);
  });

  it('test_play_in_context_manager: await using quits the server at the end of the scope', async () => {
    let kept: Server | undefined;
    {
      await using s = await new Server({ device: 'virtual:null', speed: 8 }).boot();
      kept = s;
      expect(s.booted).toBe(true);
    }
    expect(kept.booted).toBe(false);
  });

  it('test_repr: a readable toString, booted or not', async () => {
    const s = new Server({ device: 'virtual:null', samplerate: 48_000 });
    expect(String(s)).toBe('Server(device virtual:null, 48000 Hz: not booted)');
    await s.boot();
    try {
      expect(String(s)).toMatch(/^Server\(device virtual:null, 48000 Hz: virtual:null, 48000 Hz, 2 ch, booted\)$/);
    } finally {
      await s.quit();
    }
  });

  it('test_get_devices: the devices of the host; setDevice reboots on another', async () => {
    const s = new Server({ host: 'virtual', device: 'virtual:null', speed: 8 });
    const ids = s.getDevices().map((d) => d.id);
    expect(ids).toContain('virtual:null');
    expect(ids).toContain('virtual:loopback');
    await s.boot();
    try {
      await s.setDevice('virtual:loopback');
      expect([s.booted, s.mixer!.device]).toEqual([true, 'virtual:loopback']);
      expect((await caught(() => s.setDevice(3 as never))).code).toBe(ErrorCode.INVALID_ARG);
    } finally {
      await s.quit();
    }
  });

  it('test_boot_twice, test_quit_not_booted: both harmless', async () => {
    const s = new Server({ device: 'virtual:null', speed: 8 });
    await s.quit();
    await s.boot();
    expect(await s.boot()).toBe(s);
    await s.quit();
  });
});

describe("pya's test_arecorder.py", () => {
  it('test_boot, set_device, repr', async () => {
    const ar = await new Arecorder({ device: 'virtual:loopback', channels: 1, speed: 8 }).boot();
    try {
      expect(String(ar)).toBe('Arecorder(virtual:loopback, 48000 Hz, 1 ch, booted, 0 take(s))');
      ar.record();
      await new Promise((r) => setTimeout(r, 30));
      await ar.setDevice('virtual:null');
      expect(ar.recordings).toHaveLength(1);
      expect(ar.recordings[0]!.samples).toBeGreaterThan(0);
      expect(String(ar)).toMatch(/^Arecorder\(virtual:null, .*, 1 take\(s\)\)$/);
    } finally {
      await ar.quit();
    }
    expect(String(ar)).toBe('Arecorder(not booted, 1 take(s))');
  });
});
