import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { Signal } from '../src/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-svg-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Picture {
  width: number;
  height: number;
  /** RGB of pixel (x, y). */
  at(x: number, y: number): [number, number, number];
}

/** A PNG decoder for what rsvg-convert writes (8-bit RGB or RGBA, any filter). */
function decodePng(buf: Buffer): Picture {
  expect(buf.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  let width = 0,
    height = 0,
    type = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const kind = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      type = data[9];
    } else if (kind === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= bpp ? px[y * stride + i - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? px[(y - 1) * stride + i - bpp] : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      px[y * stride + i] = (x + [0, a, b, (a + b) >> 1, paeth][f]) & 255;
    }
  }
  return {
    width,
    height,
    at(x, y) {
      const o = y * stride + x * bpp;
      // Transparent pixels read as white (the drawings paint their own background anyway).
      if (bpp === 4 && px[o + 3] === 0) return [255, 255, 255];
      return [px[o], px[o + 1], px[o + 2]];
    },
  };
}

function render(svg: string, name: string): Picture {
  const f = path.join(dir, `${name}.svg`);
  fs.writeFileSync(f, svg);
  try {
    execFileSync('rsvg-convert', ['-o', path.join(dir, `${name}.png`), f]);
  } catch (e) {
    // The one prerequisite of these tests that the README lists apart: say what is missing, in one line.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('rsvg-convert not found: install librsvg2-bin (sudo apt-get install librsvg2-bin)');
    throw e;
  }
  return decodePng(fs.readFileSync(path.join(dir, `${name}.png`)));
}

const WAVE: [number, number, number] = [0x1f, 0x6f, 0xeb];
const near = (c: [number, number, number], ref: [number, number, number], d = 80) =>
  Math.abs(c[0] - ref[0]) + Math.abs(c[1] - ref[1]) + Math.abs(c[2] - ref[2]) < d;

/** Rows of column x whose colour is near `ref`: [first, last] or null. */
function extent(p: Picture, x: number, ref: [number, number, number]): [number, number] | null {
  let lo = -1,
    hi = -1;
  for (let y = 0; y < p.height; y++) if (near(p.at(x, y), ref)) lo < 0 && (lo = y), (hi = y);
  return lo < 0 ? null : [lo, hi];
}

// The drawings' margins (src/toolkit/svg.ts): plot area from x 52 to width - 12, y 22 to height - 22.
const LEFT = 52,
  RIGHT = 12,
  TOP = 22,
  BOTTOM = 22;

describe('SVG drawings render (rsvg-convert) to the expected pictures', () => {
  it('waveform: drawn where the signal sounds, with its amplitude', () => {
    const silence = new Signal(new Float32Array(3 * 8000), { samplerate: 8000 });
    const s = silence.add(Signal.sine({ freq: 1000, amp: 0.5, dur: 1, samplerate: 8000 }), { onset: 1 });
    const p = render(s.toSvg({ width: 600, height: 200 }), 'wave');
    expect([p.width, p.height]).toEqual([600, 200]);
    const pw = 600 - LEFT - RIGHT;
    const mid = TOP + (200 - TOP - BOTTOM) / 2;
    const full = (200 - TOP - BOTTOM) / 2 - 2;
    const loud: number[] = [];
    for (let x = LEFT; x < LEFT + pw; x++) {
      const e = extent(p, x, WAVE);
      expect(e, `column ${x} draws something`).not.toBeNull();
      if (e![1] - e![0] > 4) loud.push(x);
    }
    // Loud columns are those of 1 s to 2 s, and all of them.
    expect(Math.min(...loud)).toBeGreaterThanOrEqual(LEFT + Math.floor(pw / 3) - 1);
    expect(Math.max(...loud)).toBeLessThanOrEqual(LEFT + Math.ceil((2 * pw) / 3) + 1);
    expect(loud.length).toBeGreaterThan(pw / 3 - 3);
    const [top, bottom] = extent(p, LEFT + Math.round(pw / 2), WAVE)!;
    expect(Math.abs(top - (mid - 0.5 * full))).toBeLessThanOrEqual(2);
    expect(Math.abs(bottom - (mid + 0.5 * full))).toBeLessThanOrEqual(2);
  });

  it('waveform of a stereo signal: one lane per channel', () => {
    const l = Signal.sine({ freq: 5, amp: 1, dur: 1, samplerate: 1000 });
    const st = l.stereo([1, 0.25]);
    const p = render(st.toSvg({ width: 300, height: 300 }), 'stereo');
    const lane = (300 - TOP - BOTTOM) / 2;
    const [t0, b0] = extent(p, 150, WAVE)!;
    expect(t0).toBeGreaterThanOrEqual(TOP);
    expect(b0).toBeGreaterThan(TOP + lane); // the second lane draws too
    let leftLane: [number, number] | null = null;
    for (let x = LEFT; x < 300 - RIGHT; x++) {
      const e = extent(p, x, WAVE)!;
      if (e[0] < TOP + lane) leftLane = leftLane ? [Math.min(leftLane[0], e[0]), leftLane[1]] : [e[0], e[0]];
    }
    expect(leftLane![0]).toBeLessThanOrEqual(TOP + 4); // full scale reaches the lane's top
  });

  it('spectrum: the line peaks at the tone', () => {
    const s = Signal.sine({ freq: 1000, amp: 0.5, dur: 1, samplerate: 8000 });
    const peakColumn = (p: Picture) => {
      let best = { x: -1, y: Infinity };
      for (let x = LEFT; x < 600 - RIGHT; x++) {
        const e = extent(p, x, WAVE);
        if (e && e[0] < best.y) best = { x, y: e[0] };
      }
      return best;
    };
    const pw = 600 - LEFT - RIGHT;
    const lin = render(s.spectrum().toSvg({ width: 600, height: 300, xScale: 'linear' }), 'spectrum');
    expect([lin.width, lin.height]).toEqual([600, 300]);
    const l = peakColumn(lin);
    expect(Math.abs(l.x - (LEFT + (1000 / 4000) * pw))).toBeLessThanOrEqual(2);
    // 0.5 is -6 dB: a fifteenth of the way down a 100 dB plot... plus the top margin.
    expect(Math.abs(l.y - (TOP + (6.02 / 100) * (300 - TOP - BOTTOM)))).toBeLessThanOrEqual(2);
    // Log axis (the default): 20 Hz to Nyquist.
    const log = peakColumn(render(s.spectrum().toSvg({ width: 600, height: 300 }), 'spectrum-log'));
    expect(Math.abs(log.x - (LEFT + (pw * Math.log(1000 / 20)) / Math.log(4000 / 20)))).toBeLessThanOrEqual(2);
  });

  it("spectrogram: bright at the tone's frequency only while it sounds", () => {
    const tone = Signal.sine({ freq: 1000, amp: 0.8, dur: 1, samplerate: 8000 });
    const s = new Signal(new Float32Array(16000), { samplerate: 8000 }).add(tone, { onset: 1 });
    const p = render(s.spectrogram({ nfft: 512 }).toSvg({ width: 500, height: 300 }), 'spectrogram');
    expect([p.width, p.height]).toEqual([500, 300]);
    const ph = 300 - TOP - BOTTOM;
    const pw = 500 - LEFT - RIGHT;
    const y = Math.round(TOP + ph - (ph * 1000) / 4000);
    const lum = (x: number, yy: number) => p.at(x, yy).reduce((a, b) => a + b, 0);
    const late = lum(LEFT + Math.round(pw * 0.75), y);
    const early = lum(LEFT + Math.round(pw * 0.25), y);
    const elsewhere = lum(LEFT + Math.round(pw * 0.75), TOP + 10);
    expect(late).toBeGreaterThan(500);
    expect(early).toBeLessThan(100);
    expect(elsewhere).toBeLessThan(100);
  });

  it('an hour of audio draws in well under a second (min/max in the core)', () => {
    const hour = new Float32Array(48000 * 3600);
    for (let i = 0; i < hour.length; i += 997) hour[i] = ((i % 7) - 3) / 4;
    const s = new Signal(hour, { samplerate: 48000 });
    s.toSvg(); // warm up
    const t0 = performance.now();
    const svg = s.toSvg({ width: 1000 });
    const ms = performance.now() - t0;
    expect(svg.length).toBeGreaterThan(1000);
    // Target 100 ms; the bound is loose for a loaded machine.
    expect(ms).toBeLessThan(1000);
  });
});

describe('examples/plots.js', () => {
  it('writes three SVG files that render, and a WAV file', () => {
    const out = path.join(dir, 'plots');
    execFileSync(process.execPath, [path.resolve(__dirname, '../examples/plots.js'), '--out', out], { encoding: 'utf8' });
    for (const name of ['waveform', 'spectrum', 'spectrogram']) {
      const svg = fs.readFileSync(path.join(out, `${name}.svg`), 'utf8');
      const p = render(svg, `example-${name}`);
      expect(p.width).toBe(900);
      const colours = new Set<string>();
      for (let x = 0; x < p.width; x += 7) for (let y = 0; y < p.height; y += 7) colours.add(p.at(x, y).join());
      expect(colours.size, `${name} is not blank`).toBeGreaterThan(5);
    }
    expect(fs.statSync(path.join(out, 'piece.wav')).size).toBeGreaterThan(1000);
  });
});
