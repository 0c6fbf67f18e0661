// pya's tests/test_aserver.py (play_float, blocking and non-blocking play,
// custom and default channels) and test_arecorder.py (record, pause,
// record, stop; reset), plus play({ rate }) heard through virtual:loopback:
// what the server plays, a recorder on the same loopback records.
import { describe, expect, it } from 'vitest';
import { Arecorder, Server, Signal } from '../src/index';

const SR = 48_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const peak = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** A server and a recorder on virtual:loopback, both booted; quits both after `fn`. */
async function onLoopback(fn: (s: Server, ar: Arecorder) => Promise<void>, speed = 4): Promise<void> {
  const s = await new Server({ device: 'virtual:loopback', blocksize: 512, speed }).boot();
  const ar = await new Arecorder({ device: 'virtual:loopback', channels: 2, speed }).boot();
  try {
    await fn(s, ar);
  } finally {
    await ar.quit();
    await s.quit();
  }
}

describe("pya's test_aserver.py", () => {
  it('test_play_float: a float sine of amplitude 1 comes out at 1 (2 places) on the 2 default channels', async () => {
    await onLoopback(async (s, ar) => {
      expect(s.mixer!.native.deviceChannels[1]).toBe(2);
      ar.record();
      const a = await Signal.sine({ freq: 440, dur: 0.25, samplerate: SR }).play({ server: s });
      await a.done;
      const take = await ar.stop();
      expect(take.channels).toBe(2);
      expect(peak(take.channel(0).sig)).toBeCloseTo(1, 2);
      expect(peak(take.channel(1).sig)).toBe(0);
    });
  });

  it('test_custom_channels: 1, 5, 7 and 10 channels boot and quit', async () => {
    for (const ch of [1, 5, 7, 10]) {
      const s = await new Server({ device: 'virtual:null', channels: ch, speed: 8 }).boot();
      expect([s.booted, s.mixer!.native.deviceChannels[1]]).toEqual([true, ch]);
      s.stop();
      await s.quit();
      expect(s.booted).toBe(false);
    }
  });

  it('test_default_channels: 2 (pya: all of the device, 10 on its DummyBackend)', async () => {
    const s = await new Server({ device: 'virtual:null', speed: 8 }).boot();
    const ar = await new Arecorder({ device: 'virtual:null', speed: 8 }).boot();
    try {
      expect([s.mixer!.native.deviceChannels[1], ar.recorder!.native.deviceChannels[0]]).toEqual([2, 2]);
    } finally {
      await ar.quit();
      await s.quit();
    }
  });

  it('test_none_blocking_play: three plays of a 1 s sine return at once', async () => {
    const sine = Signal.sine({ freq: 440, dur: 1, samplerate: SR });
    const s = await new Server({ device: 'virtual:null' }).boot();
    try {
      const t0 = performance.now();
      const actions = [await sine.play({ server: s }), await sine.play({ server: s }), await sine.play({ server: s })];
      expect(performance.now() - t0).toBeLessThan(1000 * sine.duration);
      expect(actions.map((a) => a.outcome)).toEqual(['pending', 'pending', 'pending']);
      s.stop();
    } finally {
      await s.quit();
    }
  });

  it('test_blocking_play (block=True is awaiting done): three plays take three times the sound, plus under 1 s', async () => {
    const speed = 8;
    const sine = Signal.sine({ freq: 440, dur: 1, samplerate: SR });
    const t0 = performance.now();
    {
      await using s = await new Server({ device: 'virtual:null', speed }).boot();
      for (let i = 0; i < 3; i++) await (await sine.play({ server: s })).done;
    }
    const delta = (performance.now() - t0) / 1000 - (3 * sine.duration) / speed;
    expect(delta).toBeGreaterThan(0);
    expect(delta).toBeLessThan(1);
  });
});

describe("pya's test_arecorder.py", () => {
  it('test_arecorder: record, pause, record, stop gives one take at the rate, without the paused stretch', async () => {
    await onLoopback(async (_, ar) => {
      const r = ar.recorder!;
      expect(r.samplerate).toBe(SR);
      const t0 = r.time;
      ar.record();
      await sleep(250);
      ar.pause();
      const t1 = r.time;
      await sleep(200);
      const t2 = r.time;
      ar.record();
      await sleep(250);
      const t3 = r.time;
      const take = await ar.stop();
      expect(Array.isArray(ar.recordings)).toBe(true);
      expect(ar.recordings.at(-1)).toBe(take);
      expect(take.samplerate).toBe(SR);
      // The two stretches recorded, to 0.1 s (a few blocks, and the clock's
      // reading under load); the pause (t1 to t2: 0.8 s of device time at
      // speed 4, 0.2 s at the least) is not in it.
      const recorded = (t1 - t0 + (t3 - t2)) * SR;
      expect(t2 - t1).toBeGreaterThan(0.2);
      expect(Math.abs(take.samples - recorded)).toBeLessThan(0.1 * SR);
      ar.recordings.length = 0;
      expect(ar.recordings).toHaveLength(0);
    });
  });

  it('reset(): takes keep every channel at 0 dB again after setTracks', async () => {
    await onLoopback(async (s, ar) => {
      const tone = Signal.sine({ freq: 440, amp: 0.5, dur: 0.1, samplerate: SR });
      const take = async () => {
        ar.record();
        await (await tone.play({ server: s })).done;
        return ar.stop();
      };
      ar.setTracks([0], [-6]);
      const tracked = await take();
      expect(tracked.channels).toBe(1);
      expect(peak(tracked.sig)).toBeCloseTo(0.5 * 10 ** (-6 / 20), 3);
      ar.reset();
      const whole = await take();
      expect(whole.channels).toBe(2);
      expect(peak(whole.channel(0).sig)).toBeCloseTo(0.5, 3);
    });
  });
});

describe("pya's play(rate): the sound is resampled", () => {
  it('rate 2 plays a 0.25 s 1000 Hz tone in 0.125 s at 2000 Hz; rate 0.5 in 0.5 s at 500 Hz', async () => {
    const tone = Signal.sine({ freq: 1000, amp: 0.5, dur: 0.25, samplerate: SR });
    for (const rate of [2, 0.5]) {
      await onLoopback(async (s, ar) => {
        ar.record();
        await sleep(20);
        await (await tone.play({ server: s, rate })).done;
        await sleep(100); // the loopback's latency: what played reaches the input a little later
        const take = (await ar.stop()).channel(0).sig;
        // The sound is where the samples are not silent: its first and last loud frames.
        let first = -1;
        let last = -1;
        take.forEach((v, i) => {
          if (Math.abs(v) > 1e-3) {
            if (first < 0) first = i;
            last = i;
          }
        });
        const heard = last - first + 1;
        expect(Math.abs(heard - (0.25 * SR) / rate), `rate ${rate}: ${heard} frames`).toBeLessThan(SR / 1000);
        // Pitch: rising zero crossings per second.
        let ups = 0;
        for (let i = first + 1; i <= last; i++) if (take[i - 1]! < 0 && take[i]! >= 0) ups++;
        expect(Math.abs(ups / (heard / SR) - 1000 * rate), `rate ${rate}`).toBeLessThan(1000 * rate * 0.01);
      });
    }
  });
});
