// Argument errors beyond the bad-input table of docs/bad-input.md (test/bad-input.test.ts,
// which tries every public entry): exact messages, valid edge values, and
// the WAV format default.
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { devices, ErrorCode, OutputStream, readWav, RingBuffer, WavReader, WavWriter, writeWav } from '../src/index';
import { detachedBuffer } from './bad-input/values';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-args-'));
const tmp = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ring(): RingBuffer {
  const r = new RingBuffer(4, 16);
  r.write(new Uint32Array(8));
  return r;
}
const any = (v: unknown) => v as never;

describe('argument errors', () => {
  it('messages say what was expected and what was given', () => {
    const msg = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(msg(() => new RingBuffer(4, 1000))).toMatch(/^size must be a power of 2.*got 1000$/);
    expect(msg(() => new RingBuffer(4, any('16')))).toBe('size must be a number, got "16" (a string)');
    expect(msg(() => new RingBuffer(any(10n), 8))).toBe('elementSize must be a number, got 10n (a BigInt)');
    expect(msg(() => ring().read(NaN))).toBe('size must be an integer (a negative one meaning all), got NaN');
    expect(msg(() => ring().advanceReadIndex(-1))).toBe('size must be a non-negative integer, got -1');
    expect(msg(() => ring().write(detachedBuffer()))).toMatch(/detached/);
    expect(msg(() => devices(any({ hots: 'virtual' })))).toMatch(/unknown option 'hots'.*did you mean 'host'/);
  });

  it('a host that does not exist is ERR_DEVICE_NOT_FOUND, not a raw error', () => {
    const e = (() => {
      try {
        devices({ host: 'no-such-host' });
      } catch (err) {
        return err as Error & { code?: string };
      }
      return undefined;
    })();
    expect(e?.code).toBe(ErrorCode.DEVICE_NOT_FOUND);
  });

  it('valid edge values still work', () => {
    const r = ring();
    expect(r.read(-1).length).toBe(8 * 4); // negative = everything, as in PortAudio
    expect(r.getWriteBuffers(-1)[0]).toBe(16);
    expect(r.write(new Uint8Array(0))).toBe(0); // empty, not detached
    expect(new RingBuffer(1, 1).size).toBe(1);
    expect(devices().length).toBeGreaterThan(0);
    expect(devices({ host: 'virtual' }).length).toBeGreaterThan(0);
  });
});

describe('stream waits', () => {
  it('wait(Infinity) and waits beyond what setTimeout holds last until the run ends (setTimeout would fire at once)', async () => {
    for (const ms of [Infinity, 2 ** 31]) {
      const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 64, speed: 1 });
      const played = s.play(new Float32Array(4800)); // 0.1 s
      await new Promise((r) => setTimeout(r, 10));
      expect(await s.wait(ms)).toBe(true);
      expect(s.active).toBe(false);
      await played;
      await s.close();
    }
  });
});

describe('WAV format default', () => {
  it("writeWav without format writes 16-bit PCM ('i16')", async () => {
    const file = tmp('default.wav');
    await writeWav(file, new Float32Array([0.5, -0.5, 0.25, -0.25]), { samplerate: 8000, channels: 2 });
    const back = await readWav(file);
    expect(back.format).toBe('i16');
    expect(Array.from(back.data)).toEqual([0.5, -0.5, 0.25, -0.25]);
    expect(fs.readFileSync(file).readUInt16LE(34)).toBe(16); // bits per sample in the fmt chunk
  });

  it("WavWriter.create without format writes 'i16'", () => {
    const w = WavWriter.create(tmp('default-w.wav'), { samplerate: 8000, channels: 1 });
    expect(w.spec.format).toBe('i16');
    w.write(new Float32Array([0.5]));
    w.close();
    expect(WavReader.open(tmp('default-w.wav')).format).toBe('i16');
  });
});
