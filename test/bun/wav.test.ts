import { test, expect } from 'bun:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCode, readWav, writeWav, WavReader, WavWriter, type WavFormat } from '../../src/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-bun-wav-'));

test('readWav / writeWav round trip under Bun', async () => {
  try {
    for (const format of ['f32', 'i16', 'i24', 'i32', 'u8'] as WavFormat[]) {
      const file = path.join(dir, `${format}.wav`);
      const data = new Float32Array(2 * 4800);
      for (let i = 0; i < data.length; i++) data[i] = ((i * 13) % 256) / 128 - 1;
      await writeWav(file, data, { samplerate: 48000, channels: 2, format });
      const back = await readWav(file);
      expect([back.samplerate, back.channels, back.format, back.frames]).toEqual([48000, 2, format, 4800]);
      expect(back.data).toEqual(data);
    }
    const err = await readWav(path.join(dir, 'missing.wav')).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe(ErrorCode.IO);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('WavWriter / WavReader stream under Bun', () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-bun-wav-'));
  try {
    const file = path.join(d, 's.wav');
    const w = WavWriter.create(file, { samplerate: 8000, channels: 1, format: 'i16' });
    const block = new Float32Array(1000).map((_, i) => (i - 500) / 32768);
    for (let k = 0; k < 20; k++) w.write(block);
    w.close();
    const r = WavReader.open(file);
    expect(r.frames).toBe(20_000);
    r.seek(19_500);
    expect(r.read(1000)).toEqual(block.subarray(500));
    expect(r.read(10).length).toBe(0);
    r.close();
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('an open WavWriter loses nothing when the process exits, throws or gets SIGTERM, under Bun', async () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-bun-wav-'));
  const src = path.resolve(import.meta.dir, '../../src/index.ts');
  const script = `
const { WavWriter } = require(${JSON.stringify(src)});
const [file, how] = [process.argv[2], process.argv[3]];
const w = new WavWriter(file, { samplerate: 48000, channels: 1, format: 'f32' });
w.write(new Float32Array(20000).fill(0.25));
if (how === 'exit') process.exit(0);
if (how === 'throw') throw new Error('an uncaught exception (expected by the test)');
if (how === 'sigterm') { process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 10000); }
`;
  const child = path.join(d, 'child.js');
  fs.writeFileSync(child, script);
  try {
    for (const how of ['exit', 'throw', 'sigterm']) {
      const file = path.join(d, `${how}.wav`);
      const r = Bun.spawnSync([process.execPath, child, file, how], { stderr: 'pipe' });
      expect({ how, exitCode: r.exitCode as number | null, signal: r.signalCode ?? null }).toEqual({
        how,
        exitCode: how === 'sigterm' ? null : how === 'throw' ? 1 : 0,
        signal: how === 'sigterm' ? 'SIGTERM' : null,
      });
      expect({ how, frames: (await readWav(file)).frames }).toEqual({ how, frames: 20000 });
    }
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
