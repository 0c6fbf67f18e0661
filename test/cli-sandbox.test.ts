// The ringstream command on a real device: the audio sandbox's ALSA
// `loopback` (/work/shared/audio-sandbox.sh, started by .ci/run), named by
// its id. Without the sandbox this test is skipped, never passed.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav, writeWav } from '../src/index';
import { cli, type CliResult } from './cli-helpers';
import { findDelay, noise } from './helpers';

const sandbox = Boolean(process.env.JACK_DEFAULT_SERVER && process.env.ALSA_CONFIG_PATH);
const dir = mkdtempSync(join(tmpdir(), 'ringstream-cli-alsa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!sandbox)('ringstream on the sandbox ALSA loopback', () => {
  it('-l lists alsa:loopback; playrec through -D alsa:loopback brings the signal back sample-exact', async () => {
    const list = cli(['-l']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toBe('');
    expect(list.stdout.toString()).toMatch(/^. +\d+ {2}alsa:loopback +loopback +alsa +\d+ +\d+ +\d+ Hz$/m);

    const sig = noise(2 * 24000, 5).map((x) => x * 0.5);
    const input = join(dir, 'in.wav');
    const output = join(dir, 'out.wav');
    await writeWav(input, sig, { samplerate: 48000, channels: 2, format: 'f32' });
    // The sandbox may be shared: one retry if an xrun spoiled the first run.
    let r: CliResult | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      r = cli([input, output, '-D', 'alsa:loopback', '-p', '0.5', '-b', '256'], { timeout: 20_000 });
      if (r.status !== 0 || /xruns: 0,/.test(r.stderr)) break;
    }
    expect(r!.status, r!.stderr).toBe(0);
    expect(r!.stderr).toMatch(/on alsa:loopback \(alsa\), 48000 Hz/);
    expect(r!.stderr).toMatch(/xruns: 0,/);
    const rec = await readWav(output);
    expect(rec.frames).toBe(24000 + 24000);
    const d = findDelay(rec.data, sig, 2);
    expect(d, 'the signal came back').toBeGreaterThan(0);
    const back = rec.data.subarray(2 * d, 2 * (d + 24000));
    expect(back.length).toBe(sig.length);
    expect(Buffer.from(back.buffer, back.byteOffset, back.byteLength).equals(Buffer.from(sig.buffer))).toBe(true);

    // pastream's two devices: ALSA's loopback and default are two PCMs with a clock each, which one
    // stream cannot share; that is said (exit 1), and nothing is written.
    const two = cli([input, join(dir, 'two.wav'), '-D', 'alsa:loopback,alsa:default'], { timeout: 20_000 });
    expect(two.status, two.stderr).toBe(1);
    expect(two.stderr).toMatch(
      /recording on alsa:default and playing on alsa:loopback at once needs two devices on one clock.*\[ERR_UNSUPPORTED_CONFIG\]/,
    );
    expect(existsSync(join(dir, 'two.wav'))).toBe(false);
  });

  it('a record-only run shows its input latency in the header, never a bare "latency"', () => {
    const out = join(dir, 'rec.wav');
    const r = cli(['null', out, '-D', 'alsa:loopback', '-d', '0.5'], { timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    const header = r.stderr.split('\n')[0];
    console.log(`record-only header: ${header}`);
    expect(header).toMatch(
      /^ringstream: null -> .*rec\.wav on alsa:loopback \(alsa\), 48000 Hz, \d+ ch, blocksize \d+, latency in [\d.]+ ms$/,
    );
    expect(Number(/latency in ([\d.]+) ms/.exec(header)![1])).toBeGreaterThan(0);
  });
});
