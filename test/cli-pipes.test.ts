// Formats through pipes with the real bin: FLAC, µ-law AU, Ogg and MP3 on
// stdin (named by their first bytes, or -t), AU and FLAC on stdout (length
// "unknown", as sox and flac -c write to pipes), -e ulaw/alaw/double into
// WAV and AU; record({ format }) and signal.save in every writable format.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuplexStream, ErrorCode, readAudio, Signal, writeAudio } from '../src/index';
import { cli, ensureBuilt } from './cli-helpers';
import { findDelay } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-cli-pipes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tmp = (name: string) => join(dir, name);
ensureBuilt();

function soxDecode(file: string, type?: string): Float32Array {
  const raw = execFileSync('sox', [...(type ? ['-t', type] : []), file, '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

const soxi = (flag: string, file: string) => execFileSync('soxi', [flag, file], { encoding: 'utf8' }).trim();

/** A 16-bit stereo signal with no sample that a 16-bit file rounds. */
async function source16(name: string, frames = 12000): Promise<{ path: string; sig: Float32Array }> {
  const sig = new Float32Array(2 * frames).map((_, i) => Math.round(9000 * Math.sin(i / 9)) / 32768 + 0);
  const path = tmp(name);
  await writeAudio(path, sig, { samplerate: 48000, channels: 2, encoding: 'pcm_16' });
  return { path, sig };
}

/** Plays `input` bytes from stdin into a loopback recording; returns what was recorded. */
async function throughStdin(input: Buffer, args: string[] = []): Promise<Float32Array> {
  const out = tmp(`rec-${Math.random().toString(36).slice(2)}.wav`);
  const r = cli(['-', out, '-D', 'virtual:loopback', ...args], { input });
  expect(r.status, r.stderr).toBe(0);
  return (await readAudio(out)).data;
}

/**
 * Whether `sent` arrives exactly (after the loopback's delay) in `rec`, up
 * to where the recording ends (it ends with the playback, a delay early).
 */
function arrivedExactly(rec: Float32Array, sent: Float32Array, channels: number): boolean {
  const d = findDelay(rec, sent, channels);
  const n = Math.min(sent.length, rec.length - channels * d);
  if (d < 0 || n < sent.length / 2) return false;
  return sent.subarray(0, n).every((x, i) => rec[channels * d + i] === x);
}

describe('stdin in every format the core names by its first bytes', () => {
  it('flac -c x.wav | ringstream - out.wav (auto-detected), and with -t flac', async () => {
    const { path, sig } = await source16('src.wav');
    const flac = execFileSync('flac', ['-s', '-c', path]);
    expect(flac.subarray(0, 4).toString('latin1')).toBe('fLaC');
    expect(arrivedExactly(await throughStdin(flac), sig, 2)).toBe(true);
    expect(arrivedExactly(await throughStdin(flac, ['-t', 'flac,']), sig, 2)).toBe(true);
  });

  it('µ-law and A-law AU from sox on stdin play as sox decodes them', async () => {
    for (const enc of ['u-law', 'a-law']) {
      const au = execFileSync('sox', ['-n', '-r', '48000', '-t', 'au', '-e', enc, '-', 'synth', '0.3', 'sine', '440'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      // What sox wrote to the pipe (size "unknown"), decoded by sox itself.
      expect(au.readUInt32BE(8)).toBe(0xffffffff);
      const ref = tmp(`ref-${enc}.au`);
      execFileSync('sh', ['-c', `cat > ${ref}`], { input: au });
      expect(arrivedExactly(await throughStdin(au), soxDecode(ref), 1), enc).toBe(true);
    }
  });

  it('Ogg Vorbis (oggenc) and MP3 (lame) on stdin decode as the same file read by name', async () => {
    const { path } = await source16('lossy-src.wav', 24000);
    const ogg = tmp('x.ogg');
    execFileSync('oggenc', ['-Q', '-o', ogg, path]);
    const mp3 = tmp('x.mp3');
    execFileSync('lame', ['--quiet', path, mp3]);
    for (const file of [ogg, mp3]) {
      const byName = (await readAudio(file)).data;
      const rec = await throughStdin(readFileSync(file));
      expect(arrivedExactly(rec, byName.subarray(0, 2 * 20000), 2), file).toBe(true);
    }
  });

  it('AIFF, and WAV in µ-law, A-law and double (which the PCM path does not convert), play as sox decodes them', async () => {
    for (const [name, args] of [
      ['in.aiff', ['-b', '16']],
      ['ulaw.wav', ['-e', 'u-law']],
      ['alaw.wav', ['-e', 'a-law']],
      ['double.wav', ['-e', 'floating-point', '-b', '64']],
    ] as const) {
      const file = tmp(name);
      execFileSync('sox', ['-n', '-r', '48000', ...args, file, 'synth', '0.3', 'sine', '440', 'gain', '-3']);
      // The file read by name is the reference; sox agrees with it (double: sox rounds through 32-bit integers).
      const byName = (await readAudio(file)).data;
      const bySox = soxDecode(file);
      expect(
        byName.every((x, i) => Math.abs(x - bySox[i]) < 1e-7),
        name,
      ).toBe(true);
      expect(arrivedExactly(await throughStdin(readFileSync(file)), byName, 1), name).toBe(true);
    }
  });

  it('refuses what it cannot name, what contradicts -t, and what needs seeking (CAF, Wave64), with ERR_UNSUPPORTED_FORMAT', async () => {
    const { path } = await source16('wav-not-flac.wav', 100);
    for (const t of ['caf', 'w64']) execFileSync('sox', ['-n', '-r', '8000', tmp(`x.${t}`), 'synth', '0.1', 'sine', '440']);
    for (const [input, args, message] of [
      [readFileSync(tmp('x.caf')), [], /caf needs seeking to be read/],
      [readFileSync(tmp('x.w64')), [], /w64 needs seeking to be read/],
      [readFileSync(path), ['-t', 'flac,'], /not a flac stream: it starts with "RIFF" \(wav\)/],
      [Buffer.from('#!/bin/sh\necho hello there\n'), [], /not an audio stream ringstream reads .*starts with "#!\/b"/],
      [Buffer.from('fLaC not a real stream at all'), [], /flac/i],
    ] as const) {
      const r = cli(['-', tmp('never.wav'), '-D', 'virtual:null', ...args], { input });
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/ERR_UNSUPPORTED_FORMAT/);
    }
  });
});

describe('stdout in AU and FLAC', () => {
  it('ringstream in.wav - -t ,au | sox -t au - x.wav: size "unknown", the samples sox reads are the ones played', async () => {
    const { path, sig } = await source16('au-src.wav');
    const r = cli([path, '-', '-t', ',au', '-D', 'virtual:loopback']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.subarray(0, 4).toString('latin1')).toBe('.snd');
    expect(r.stdout.readUInt32BE(8)).toBe(0xffffffff);
    // Float, the recording default: nothing lost.
    expect(r.stdout.readUInt32BE(12)).toBe(6);
    const x = tmp('from-pipe.wav');
    execFileSync('sox', ['-t', 'au', '-', x], { input: r.stdout });
    expect(arrivedExactly(soxDecode(x), sig, 2)).toBe(true);
  });

  it('-t ,flac - writes a stream flac -t accepts and sox decodes; -e ulaw -t ,au writes µ-law', async () => {
    const { path, sig } = await source16('flac-src.wav');
    const r = cli([path, '-', '-t', ',flac', '-f', 'int16', '-D', 'virtual:loopback']);
    expect(r.status, r.stderr).toBe(0);
    const f = tmp('pipe.flac');
    execFileSync('sh', ['-c', `cat > ${f}`], { input: r.stdout });
    execFileSync('flac', ['-s', '-t', f]);
    expect(soxi('-b', f)).toBe('16');
    expect(arrivedExactly(soxDecode(f), sig, 2)).toBe(true);
    const u = cli([path, '-', '-t', ',au', '-e', ',ulaw', '-D', 'virtual:loopback']);
    expect(u.status, u.stderr).toBe(0);
    expect(u.stdout.readUInt32BE(12)).toBe(1);
  });

  it('AIFF to a pipe is refused: its header must count the data first', () => {
    const r = cli(['null', '-', '-t', ',aiff', '-D', 'virtual:null', '-d', '0.1']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/AIFF cannot be written to a pipe/);
  });
});

describe('-e and record({ format }) in the encodings each container holds', () => {
  it('-e ulaw / alaw / double write WAV format tags 7 / 6 / 3 and AU µ-law, as sox reads them', async () => {
    const { path } = await source16('enc-src.wav', 4800);
    for (const [name, enc, soxEnc, tag] of [
      ['u.wav', 'ulaw', 'u-law', 7],
      ['a.wav', 'a-law', 'a-law', 6],
      ['d.wav', 'double', 'floating point', 3],
      ['u.au', 'u-law', 'u-law', undefined],
      ['s8.au', 'pcm_s8', 'signed integer', undefined],
    ] as const) {
      const out = tmp(name);
      const r = cli([path, out, '-e', `,${enc}`, '-D', 'virtual:loopback']);
      expect(r.status, r.stderr).toBe(0);
      expect(soxi('-e', out).toLowerCase(), name).toContain(soxEnc);
      if (tag !== undefined) expect(readFileSync(out).readUInt16LE(20), name).toBe(tag);
      const rec = await readAudio(out);
      expect(rec.data).toEqual(soxDecode(out));
    }
  });

  it('an encoding the container cannot hold is a usage error (exit 2, before any device opens) naming the ones it can', async () => {
    const r = cli(['null', tmp('s8.wav'), '-e', ',pcm_s8', '-D', 'virtual:null', '-d', '0.1']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/WAV files are written as pcm_u8, pcm_16, pcm_24, pcm_32, float, double, ulaw or alaw, not pcm_s8/);
    expect(existsSync(tmp('s8.wav'))).toBe(false);
    // Checked before the device: a device that does not exist is never reached.
    for (const [out, enc, says] of [
      [tmp('s8b.wav'), 'pcm_s8', /WAV files are written as .*not pcm_s8/],
      [tmp('u.aiff'), 'ulaw', /AIFF/],
      ['-', 'pcm_s8', /WAV files are written as .*not pcm_s8/],
    ] as const) {
      const early = cli(['null', out, '-e', `,${enc}`, '-D', 'no such device', '-d', '0.1']);
      expect(early.status, early.stderr).toBe(2);
      expect(early.stderr).toMatch(says);
      expect(early.stderr).not.toMatch(/device/i);
    }
    // What the container holds still records.
    const ok = cli(['null', tmp('ok.au'), '-e', ',pcm_s8', '-D', 'virtual:null', '-d', '0.05']);
    expect(ok.status, ok.stderr).toBe(0);
    const bad = cli(['null', tmp('x.wav'), '-e', ',mp3', '-D', 'virtual:null', '-d', '0.1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--encoding: invalid value "mp3"/);
    const dup = new DuplexStream({ device: 'virtual:loopback', channels: 1, speed: 10 });
    try {
      const e = await dup.record({ frames: 100, out: tmp('x.aiff'), format: 'ulaw' }).then(
        () => undefined,
        (err: { code?: string; message: string }) => err,
      );
      expect(e?.code).toBe(ErrorCode.UNSUPPORTED_FORMAT);
      expect(e?.message).toMatch(/AIFF/);
      await dup.record({ frames: 4800, out: tmp('rec.wav'), format: 'alaw' });
    } finally {
      await dup.close();
    }
    expect(soxi('-e', tmp('rec.wav'))).toBe('A-law');
  });
});

describe('signal.save in every writable format', () => {
  it('chooses the format by extension or format, the encoding by encoding (float or 24-bit by default)', async () => {
    const sig = new Signal(
      new Float32Array(2 * 4000).map((_, i) => Math.round(7000 * Math.sin(i / 5)) / 32768 + 0),
      {
        samplerate: 44100,
        channels: 2,
      },
    );
    for (const [name, options, format, encoding] of [
      ['s.wav', undefined, 'wav', 'float'],
      ['s16.wav', { format: 'i16' }, 'wav', 'pcm_16'],
      ['s.flac', undefined, 'flac', 'flac'],
      ['s.aiff', { encoding: 'pcm_16' }, 'aiff', 'pcm_16'],
      ['s.au', { encoding: 'ulaw' }, 'au', 'ulaw'],
      ['noext', { format: 'au' }, 'au', 'float'],
    ] as const) {
      await sig.save(tmp(name), options);
      const back = await readAudio(tmp(name));
      expect([back.format, back.samplerate, back.channels, back.frames], name).toEqual([format, 44100, 2, 4000]);
      expect(back.encoding, name).toBe(encoding);
      if (encoding !== 'ulaw') expect(back.data, name).toEqual(sig.sig);
      expect(soxDecode(tmp(name), name === 'noext' ? 'au' : undefined), name).toEqual(back.data);
    }
    expect(soxi('-b', tmp('s.flac'))).toBe('24');
    await expect(sig.save(tmp('x.mp3'))).rejects.toMatchObject({ code: ErrorCode.UNSUPPORTED_FORMAT });
    await expect(sig.save(tmp('y.aiff'), { encoding: 'ulaw' })).rejects.toMatchObject({ code: ErrorCode.UNSUPPORTED_FORMAT });
    await expect(sig.save(tmp('z.wav'), { format: 'flac' })).rejects.toMatchObject({ code: ErrorCode.UNSUPPORTED_FORMAT });
  });
});
