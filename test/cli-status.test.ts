// The ringstream command's live status line on a terminal: the real bin under
// a pseudo-terminal (`script`) of a given width, its redraws checked one by one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav, writeWav } from '../src/index';
import { bin, ensureBuilt } from './cli-helpers';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-cli-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RATE = 48000;
const input = join(dir, 'loud.wav');
let loudSamples = 0;
/** Samples past full scale in a recorded float WAV. */
const recordedLoud = async (path: string) => (await readWav(path)).data.filter((x) => Math.abs(x) > 1).length;
ensureBuilt();

beforeAll(async () => {
  // 1.2 s of stereo float peaking at 1.5 (+3.5 dBFS): a file that clips.
  const sig = new Float32Array(2 * 1.2 * RATE);
  for (let i = 0; i < sig.length; i++) sig[i] = 1.5 * Math.sin(i / 20);
  loudSamples = sig.filter((x) => Math.abs(x) > 1).length;
  await writeWav(input, sig, { samplerate: RATE, channels: 2, format: 'f32' });
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs `ringstream ...args` on a pseudo-terminal of `columns` columns; returns what it drew. */
function onTerminal(columns: number, args: string[]): { status: number | null; text: string } {
  const cmd = `stty cols ${columns} rows 24; ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { timeout: 30_000 });
  return { status: r.status, text: r.stdout.toString() };
}

/** The status line's redraws: what follows each carriage return, up to the erase-to-end. */
function redraws(text: string): string[] {
  return text
    .split('\r')
    .map((s) => s.split('\x1b[K').join('').replace(/\n$/, ''))
    .filter((s) => /^\d+:\d\d\.\d /.test(s));
}

/** The header: its first line (`ringstream: IN -> ...`) and the indented lines that continue it. */
function headerLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.startsWith('ringstream: '));
  const rest = lines.slice(first + 1);
  const end = rest.findIndex((l) => !l.startsWith('  '));
  return [lines[first], ...rest.slice(0, end < 0 ? rest.length : end)];
}

describe('ringstream: the status line on a terminal', () => {
  for (const columns of [80, 200]) {
    it(`at ${columns} columns a duplex stereo run never wraps and shows time, remaining, meters, clips and xruns`, async () => {
      const r = onTerminal(columns, [input, join(dir, `out${columns}.wav`), '-D', 'virtual:loopback']);
      expect(r.status, r.text).toBe(0);
      const lines = redraws(r.text);
      expect(lines.length, r.text).toBeGreaterThan(3);
      for (const l of lines) {
        expect(l.length, l).toBeLessThan(columns);
        expect(l).toMatch(/^\d:\d\d\.\d {1,2}(left |-)\d:\d\d\.\d /);
        expect(l).toMatch(/out [^a-z]*\+3\.5.* CLIP \d+/);
        expect(l).toMatch(/ in [^a-z]*\+3\.5.* CLIP \d+/);
        // The count itself can be 1 on a loaded machine (the virtual card runs in real time).
        expect(l).toMatch(/ xr(uns)? \d+/);
      }
      // sox's Out: the frames written so far, growing, in sox's three figures.
      const written = lines.map((l) => /(?:written|w) (\d+(?:\.\d+)?)(k?) /.exec(l)).map((m) => Number(m![1]) * (m![2] ? 1000 : 1));
      expect(written[written.length - 1]).toBeGreaterThan(written[0]);
      expect(written[written.length - 1]).toBeLessThanOrEqual(1.2 * RATE);
      // The header (paths, device, rate, channels, blocksize, latency) breaks between fields to fit.
      const header = headerLines(r.text);
      expect(header.length, r.text).toBeGreaterThanOrEqual(columns === 80 ? 2 : 1);
      for (const l of header) expect(l.length, l).toBeLessThan(columns);
      expect(header.map((l) => l.trim()).join(' ')).toMatch(
        /loud\.wav -> .*out\d+\.wav on virtual:loopback \(virtual\), 48000 Hz, 2 out \/ 2 in ch, blocksize \d+, latency out [\d.]+ ms, in [\d.]+ ms$/,
      );
      if (columns === 200) {
        // Room for everything: the bars and the callback load.
        expect(lines[lines.length - 1]).toMatch(/\[=+ *\] +\d+%/);
        expect(lines[lines.length - 1]).toMatch(/#+\.* +\+3\.5 \| /);
        expect(lines[lines.length - 1]).toMatch(/cpu \d+\.\d%/);
      }
      // sox's "clipped N samples": every sample of the file past full scale, counted in the callback.
      // (At 80 columns the two directions take a line each, so that the summary does not wrap either.)
      const m = /clipped: out (\d+) samples \(peak \+3\.5 dBFS\),\s+in (\d+) samples \(peak \+3\.5 dBFS\)/.exec(r.text);
      for (const l of r.text.split(/\r?\n/).filter((x) => /^ {2}/.test(x))) expect(l.length, l).toBeLessThan(columns);
      expect(m, r.text).not.toBeNull();
      expect(Number(m![1])).toBe(loudSamples);
      expect(Number(m![2])).toBeGreaterThanOrEqual(await recordedLoud(join(dir, `out${columns}.wav`)));
      expect(Number(m![2])).toBeLessThanOrEqual(loudSamples);
    });
  }

  it('at 40 columns the line is cut to fit, never wrapped', () => {
    const r = onTerminal(40, [input, join(dir, 'out40.wav'), '-D', 'virtual:loopback']);
    expect(r.status, r.text).toBe(0);
    const lines = redraws(r.text);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l.length, l).toBeLessThan(40);
  });
});
