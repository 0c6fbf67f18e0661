// readAudio / writeAudio / AudioReader through the addon: formats decided by
// content on read and by extension or `format` on write, sox as the referee.
// The exhaustive per-encoding comparison with sox runs in Rust
// (crates/core/tests/formats_sox.rs); this checks the JS surface.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AudioReader, DuplexStream, ErrorCode, readAudio, RingBuffer, Signal, writeAudio } from '../src/index';
import { findDelay } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-audio-'));
const tmp = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function soxDecode(file: string): Float32Array {
  const raw = execFileSync('sox', [file, '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as { code?: string; message: string },
  );
}

const ramp = new Float32Array(2 * 3000).map((_, i) => Math.round(((i % 200) - 100) * 300) / 32768);

describe('readAudio', () => {
  it('reads sox-made FLAC, AIFF, AU, CAF and Ogg with their format, encoding, duration and tags', async () => {
    const src = tmp('src.wav');
    execFileSync('sox', ['-n', '-r', '22050', '-c', '2', '-b', '16', src, 'synth', '0.25', 'sine', '440', 'sine', '660', 'gain', '-3']);
    const cases: [string, string[], string, string][] = [
      ['a.flac', [], 'flac', 'flac'],
      ['a.aiff', [], 'aiff', 'pcm_16'],
      ['a.au', ['-e', 'u-law'], 'au', 'ulaw'],
      ['a.caf', [], 'caf', 'pcm_16'],
    ];
    for (const [name, args, format, encoding] of cases) {
      execFileSync('sox', [src, ...args, tmp(name)]);
      const got = await readAudio(tmp(name));
      expect([got.format, got.encoding, got.samplerate, got.channels, got.frames]).toEqual([format, encoding, 22050, 2, 5512]);
      expect(got.duration).toBeCloseTo(5512 / 22050, 9);
      expect(maxDiff(got.data, soxDecode(tmp(name)))).toBeLessThanOrEqual(1 / 32768);
    }
    execFileSync('sox', [src, '--comment', 'TITLE=Two tones', '--add-comment', 'ARTIST=sox', tmp('t.flac')]);
    const tagged = await readAudio(tmp('t.flac'));
    expect([tagged.title, tagged.artist]).toEqual(['Two tones', 'sox']);
  });

  it('reads IMA and MS ADPCM (WAV and Wave64) exactly as sox decodes them', async () => {
    const src = tmp('adpcm-src.wav');
    execFileSync('sox', ['-n', '-r', '22050', '-c', '2', '-b', '16', src, 'synth', '0.25', 'sine', '440', 'pinknoise', 'gain', '-3']);
    for (const [name, enc, format, encoding] of [
      ['ima.wav', 'ima-adpcm', 'wav', 'ima_adpcm'],
      ['ms.wav', 'ms-adpcm', 'wav', 'ms_adpcm'],
      ['ima.w64', 'ima-adpcm', 'w64', 'ima_adpcm'],
    ]) {
      execFileSync('sox', [src, '-e', enc, tmp(name)]);
      const got = await readAudio(tmp(name));
      expect([got.format, got.encoding, got.channels], name).toEqual([format, encoding, 2]);
      expect(got.data).toEqual(soxDecode(tmp(name)));
    }
  });

  it('reads RAW with an explicit spec, and refuses what is not audio', async () => {
    await writeAudio(tmp('r.raw'), ramp, { samplerate: 8000, channels: 2, encoding: 'pcm_16', bigEndian: true });
    const back = await readAudio(tmp('r.raw'), { raw: { samplerate: 8000, channels: 2, encoding: 'pcm_16', bigEndian: true } });
    expect(back.data).toEqual(ramp);
    expect(back.format).toBe('raw');
    fs.writeFileSync(tmp('notes.txt'), 'hello world');
    const e = await rejection(readAudio(tmp('notes.txt')));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED_FORMAT);
    expect(e.message).toMatch(/is not an audio file ringstream reads/);
  });
});

describe('writeAudio', () => {
  it.each([
    ['w.flac', 'pcm_16'],
    ['w.flac', 'pcm_24'],
    ['w.aiff', 'pcm_24'],
    ['w.au', 'float'],
    ['w.au', 'alaw'],
    ['w.wav', 'pcm_32'],
    ['w.w64', 'pcm_24'],
  ] as const)('%s as %s reads back in sox as it does here', async (name, encoding) => {
    const file = tmp(`${encoding}-${name}`);
    await writeAudio(file, ramp, { samplerate: 44100, channels: 2, encoding });
    const ours = await readAudio(file);
    expect(ours.data).toEqual(soxDecode(file));
    if (encoding !== 'alaw') expect(ours.data).toEqual(ramp);
  });

  it('refuses lossy formats, mismatched and unknown names, and encodings a format cannot hold', async () => {
    const spec = { samplerate: 8000, channels: 2 };
    const cases: [string, object, RegExp][] = [
      ['x.mp3', {}, /mp3 files can be read but not written/],
      ['x.ogg', {}, /ogg files can be read but not written/],
      ['x.wav', { format: 'flac' }, /names a wav file but the format asked for is flac/],
      ['x.take', {}, /cannot tell which format to write/],
      ['x.flac', { encoding: 'float' }, /FLAC files are written as pcm_s8, pcm_16 or pcm_24/],
      ['x.wav', { encoding: 'vorbis' }, /encoding must be one of/],
    ];
    for (const [name, extra, message] of cases) {
      const e = await rejection(writeAudio(tmp(name), ramp, { ...spec, ...extra }));
      expect(e.code, name).toBe(ErrorCode.UNSUPPORTED_FORMAT);
      expect(e.message).toMatch(message);
      expect(fs.existsSync(tmp(name))).toBe(false);
    }
  });
});

describe('AudioReader', () => {
  it('reads blocks and seeks to the exact frame in FLAC and Ogg Vorbis', async () => {
    execFileSync('sox', ['-n', '-r', '44100', '-c', '1', tmp('s.ogg'), 'synth', '1', 'sine', '300', 'gain', '-6']);
    await writeAudio(tmp('s.flac'), ramp, { samplerate: 8000, channels: 2 });
    for (const name of ['s.ogg', 's.flac']) {
      const all = (await readAudio(tmp(name))).data;
      const r = AudioReader.open(tmp(name));
      const ch = r.channels;
      r.seek(1234);
      expect(r.position).toBe(1234);
      const block = r.read(500);
      expect(block.length).toBe(500 * ch);
      expect(maxDiff(block, all.subarray(1234 * ch, 1734 * ch))).toBeLessThan(1e-6);
      expect(() => r.seek(1e9)).toThrow(/at most/);
      r.close();
      expect(() => r.read(1)).toThrow(/closed/);
    }
  });
});

describe('streams from and to any format', () => {
  it('playrec(path.flac, { out: take.aiff / take.au / take.flac }): decoded and encoded on native threads, sample-exact', async () => {
    const input = tmp('in.flac');
    const sig = new Float32Array(2 * 9000).map((_, i) => Math.round(9000 * Math.sin(i / 5)) / 32768 + 0); // + 0: no -0, which files do not keep
    await writeAudio(input, sig, { samplerate: 48000, channels: 2 });
    expect((await Signal.load(input)).sig).toEqual(sig);
    for (const [name, format] of [
      ['take.aiff', 'i16'],
      ['take.au', undefined],
      ['take.flac', 'i24'],
    ] as const) {
      const dup = DuplexStream.fromFile(input, { device: 'virtual:loopback', speed: 10 });
      try {
        expect([dup.samplerate, dup.channels]).toEqual([48000, [2, 2]]);
        await dup.playrec(input, { pad: 4800, out: tmp(name), ...(format && { format }) });
      } finally {
        await dup.close();
      }
      const rec = await readAudio(tmp(name));
      expect(rec.frames, name).toBe(9000 + 4800);
      expect(rec.data).toEqual(soxDecode(tmp(name)));
      const d = findDelay(rec.data, sig, 2);
      expect(Array.from(rec.data.subarray(2 * d, 2 * d + sig.length)), name).toEqual(Array.from(sig));
    }
    expect((await readAudio(tmp('take.au'))).encoding).toBe('float');
  });

  it('play(path, { offset }) starts a compressed file at the exact frame, without decoding it ahead in JS', async () => {
    // 1000 loud frames, then quiet ones: played at gain 2, only the loud
    // frames clip, so the clip count says exactly where the play started.
    const sig = new Float32Array(2 * 4000).map((_, i) => (i < 2000 ? 0.75 : 0.125));
    await writeAudio(tmp('step.flac'), sig, { samplerate: 48000, channels: 2 });
    execFileSync('sox', [tmp('step.flac'), '-e', 'ima-adpcm', tmp('step-ima.wav')]);
    for (const name of ['step.flac', 'step-ima.wav']) {
      // ADPCM takes a few frames to follow the step down: count from its decode.
      const decoded = (await readAudio(tmp(name))).data;
      const clips = (from: number) => decoded.subarray(2 * from).filter((x) => Math.abs(2 * x) > 1).length;
      expect(clips(0)).toBeGreaterThanOrEqual(2000);
      for (const offset of [0, 1, 999, 1000, 3999]) {
        const dup = DuplexStream.fromFile(tmp(name), { device: 'virtual:loopback', speed: 10 });
        try {
          await dup.play(tmp(name), { offset, gain: 2 });
          expect(dup.clippedSamples[1], `${name} from ${offset}`).toBe(clips(offset));
        } finally {
          await dup.close();
        }
      }
      expect(clips(999) - clips(1000), name).toBe(2);
    }
    const dup = DuplexStream.fromFile(tmp('step.flac'), { device: 'virtual:loopback', speed: 10 });
    try {
      const past = await rejection(dup.play(tmp('step.flac'), { offset: 4001 }));
      expect([past.code, past.message]).toEqual([
        ErrorCode.INVALID_ARG,
        expect.stringMatching(/offset must be at most the file's 4000 frames, got 4001/),
      ]);
      const negative = await rejection(dup.play(tmp('step.flac'), { offset: -1 }));
      expect(negative.code).toBe(ErrorCode.INVALID_ARG);
      const ring = await rejection(dup.play(new RingBuffer(8, 1024), { offset: 1 }));
      expect([ring.code, ring.message]).toEqual([ErrorCode.INVALID_ARG, expect.stringMatching(/RingBuffer source cannot skip/)]);
      // A typed array starts there too.
      await dup.play(sig, { offset: 990, gain: 2 });
      expect(dup.clippedSamples[1]).toBe(20);
    } finally {
      await dup.close();
    }
  });

  it('chunks({ playback: x.flac }) and setSource(x.ogg) play compressed files decoded on the reader thread', async () => {
    const sig = new Float32Array(2 * 6000).map((_, i) => Math.round(9000 * Math.sin(i / 11)) / 32768 + 0);
    await writeAudio(tmp('pb.flac'), sig, { samplerate: 48000, channels: 2 });
    const dup = new DuplexStream({ device: 'virtual:loopback', channels: 2, samplerate: 48000, speed: 10 });
    try {
      const heard: Float32Array[] = [];
      for await (const c of dup.chunks({ chunksize: 1000, playback: tmp('pb.flac'), pad: 2048 })) heard.push(c.slice()); // chunks are reused
      const all = Float32Array.from(heard.flatMap((c) => Array.from(c)));
      const d = findDelay(all, sig, 2);
      expect(Array.from(all.subarray(2 * d, 2 * d + sig.length))).toEqual(Array.from(sig));
    } finally {
      await dup.close();
    }
    // Ogg Vorbis, made by sox: what plays is what readAudio decodes, sample for sample.
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', tmp('src.ogg'), 'synth', '0.25', 'sine', '523']);
    const ogg = (await readAudio(tmp('src.ogg'))).data;
    const mono = new DuplexStream({ device: 'virtual:loopback', channels: 1, samplerate: 48000, speed: 10 });
    try {
      expect(mono.setSource(tmp('src.ogg'))).toBeNull();
      mono.setSink(tmp('sink.au')); // float, as a recording writes AU: exact
      await mono.start();
      await mono.wait();
    } finally {
      await mono.close();
    }
    const rec = await readAudio(tmp('sink.au'));
    const d = findDelay(rec.data, ogg, 1);
    expect(d).toBeGreaterThanOrEqual(0);
    // The recording ends with the source: all of it but the loopback's latency.
    const heard = rec.data.subarray(d);
    expect(heard.length).toBeGreaterThan(ogg.length - 2048);
    expect(Array.from(heard)).toEqual(Array.from(ogg.subarray(0, heard.length)));
  });

  it("the native recordRing refuses a file's format and fileFormat itself; record() into a ring or an array refuses format", async () => {
    const dup = new DuplexStream({ device: 'virtual:loopback', channels: 1, speed: 10 });
    try {
      const ring = new RingBuffer(4, 256);
      // Past the TypeScript guard: the binding itself refuses what it would otherwise drop.
      for (const [key, opts] of [
        ['fileFormat', { fileFormat: 'flac' }],
        ['format', { format: 'pcm_16' }],
      ] as const) {
        let thrown: { code?: string; message: string } | undefined;
        try {
          dup.native.recordRing(ring.native, { frames: 100, offset: 0, ...opts });
        } catch (e) {
          thrown = e as { code?: string; message: string };
        }
        expect([thrown?.code, thrown?.message]).toEqual([
          ErrorCode.INVALID_ARG,
          `${key} is for a file path out, not a RingBuffer or a typed array`,
        ]);
      }
      for (const out of [ring, new Float32Array(100), undefined]) {
        const e = await rejection(dup.record({ frames: 100, out, format: 'pcm_16' }));
        expect([e.code, e.message]).toEqual([
          ErrorCode.INVALID_ARG,
          expect.stringMatching(/^format is the encoding of a file path out, not of/),
        ]);
      }
      // Nothing was queued by the refusals: a recording into the ring still runs.
      expect(await dup.record({ frames: 100, out: ring })).toBe(ring);
      expect(ring.readAvailable).toBe(100);
    } finally {
      await dup.close();
    }
  });

  it('record({ out }) writes no format under another name: x.mp3 and x.opus refused, fileFormat for a path naming none', async () => {
    const dup = new DuplexStream({ device: 'virtual:loopback', channels: 1, speed: 10 });
    try {
      const mp3 = await rejection(dup.record({ frames: 100, out: tmp('x.mp3') }));
      expect(mp3.code).toBe(ErrorCode.UNSUPPORTED_FORMAT);
      expect(mp3.message).toMatch(/mp3 files can be read but not written/);
      // An extension that names no format is refused, not written as WAV bytes.
      const opus = await rejection(dup.record({ frames: 100, out: tmp('take.opus') }));
      expect([opus.code, opus.message]).toEqual([ErrorCode.UNSUPPORTED_FORMAT, expect.stringMatching(/cannot tell which format to write/)]);
      expect(fs.existsSync(tmp('take.opus'))).toBe(false);
      const clash = await rejection(dup.record({ frames: 100, out: tmp('take.wav'), fileFormat: 'flac' }));
      expect([clash.code, clash.message]).toEqual([
        ErrorCode.UNSUPPORTED_FORMAT,
        expect.stringMatching(/names a wav file but the format asked for is flac/),
      ]);
      const ring = await rejection(dup.record({ frames: 100, out: new RingBuffer(4, 256), fileFormat: 'flac' }));
      expect([ring.code, ring.message]).toEqual([
        ErrorCode.INVALID_ARG,
        expect.stringMatching(/fileFormat is for a file path out, not a RingBuffer/),
      ]);
      // A path that names no format: WAV, or what fileFormat says.
      await dup.record({ frames: 100, out: tmp('take') });
      await dup.record({ frames: 100, out: tmp('take-flac'), fileFormat: 'flac', format: 'pcm_16' });
      await dup.playrec(new Float32Array(100), { out: tmp('take-w64'), fileFormat: 'w64' });
    } finally {
      await dup.close();
    }
    expect(fs.readFileSync(tmp('take')).subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect((await readAudio(tmp('take-flac'))).format).toBe('flac');
    expect(execFileSync('soxi', ['-t', tmp('take-flac')], { encoding: 'utf8' }).trim()).toBe('flac');
    expect(execFileSync('soxi', ['-b', tmp('take-flac')], { encoding: 'utf8' }).trim()).toBe('16');
    const w64 = await readAudio(tmp('take-w64'));
    expect([w64.format, w64.frames]).toEqual(['w64', 100]);
  });
});
