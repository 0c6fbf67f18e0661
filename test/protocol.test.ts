// TypeScript and Rust share the ring header, event bits, states and status
// flags through memory; these tests fail when the two sides disagree.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NativeRingProbe, protocolConstants } from '../index.js';
import * as protocol from '../src/native/protocol';
import { ErrorCode, RingBuffer } from '../src/index';

const root = path.join(__dirname, '..');
const rust = protocolConstants();

function bytes(from: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('protocol constants', () => {
  it('src/native/protocol.ts exports every Rust constant with its value, and nothing else', () => {
    const ts = protocol as unknown as Record<string, number>;
    expect(rust.length).toBeGreaterThan(20);
    for (const { name, value } of rust) expect([name, ts[name]]).toEqual([name, value]);
    expect(Object.keys(ts).sort()).toEqual(rust.map((c) => c.name).sort());
  });

  it('the generated index.d.ts declares each one (the bindings are not stale)', () => {
    const dts = fs.readFileSync(path.join(root, 'index.d.ts'), 'utf8');
    const declared = new Set([...dts.matchAll(/^export declare const (\w+): number$/gm)].map((m) => m[1]));
    for (const { name } of rust) expect(declared.has(name), name).toBe(true);
  });

  it('groups hold distinct values: flags are single bits, ring words do not overlap the data', () => {
    const group = (prefix: string) => rust.filter((c) => c.name.startsWith(prefix)).map((c) => c.value);
    for (const prefix of ['EV_', 'STATUS_']) {
      const bits = group(prefix);
      expect(new Set(bits).size).toBe(bits.length);
      for (const b of bits) expect(b > 0 && (b & (b - 1)) === 0, `${prefix} ${b}`).toBe(true);
    }
    const states = group('STATE_');
    expect(new Set(states).size).toBe(states.length);
    const words = [
      protocol.RING_WRITE_INDEX,
      protocol.RING_READ_INDEX,
      protocol.RING_WRITE_HELD,
      protocol.RING_READ_HELD,
      protocol.RING_PRODUCER_DONE,
    ];
    expect(new Set(words).size).toBe(words.length);
    for (const w of words) expect(w).toBeLessThan(protocol.RING_CONTROL_WORDS);
    expect(protocol.RING_CONTROL_WORDS * 4).toBeLessThanOrEqual(protocol.RING_DATA_OFFSET);
  });

  it('no TypeScript source copies a protocol number by hand', () => {
    // Files not yet switched to src/native/protocol.ts; the entry must go once they are.
    const pending = new Set<string>();
    const names = rust.map((c) => c.name.replace(/^(EV|STATE|STATUS|RING)_/, ''));
    const copy = new RegExp(`^\\s*(?:export\\s+)?const\\s+(?:(?:EV|STATE|STATUS|RING)_)?(${names.join('|')})\\s*=\\s*(?:\\d|1\\s*<<)`, 'm');
    const src = path.join(root, 'src');
    const sources = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    // Every folder of src/ is read, the CLI's and the toolkit's included.
    expect(sources).toContain(path.join('cli', 'run.ts'));
    expect(sources).toContain(path.join('toolkit', 'signal', 'signal.ts'));
    for (const f of sources) {
      const copies = copy.test(fs.readFileSync(path.join(src, f), 'utf8'));
      expect(copies, pending.has(f) ? `${f} no longer copies: remove it from 'pending'` : `${f} copies a protocol constant`).toBe(
        pending.has(f),
      );
    }
  });
});

describe('the ring header, written by Rust and read by TypeScript (and back)', () => {
  it('indices, hold flags, data offset and the producer-done flag', () => {
    const r = new RingBuffer(4, 8);
    const p = new NativeRingProbe(r.native);

    // Rust writes 5 elements: TS sees them at the write index word, in the data.
    expect(p.write(bytes(0, 20))).toBe(5);
    expect([r.readAvailable, r.writeAvailable]).toEqual([5, 3]);
    // Rust holds the producer role: TS sees the write-held word.
    expect(code(() => r.write(bytes(0, 4)))).toBe(ErrorCode.INVALID_ARG);
    expect(r.read().length).toBe(20); // reading is still free
    p.release();
    expect(p.readAvailable).toBe(0); // TS moved the read index word

    // TS writes across the end of the storage; Rust reads it in order.
    expect(r.write(bytes(100, 32))).toBe(8);
    expect(p.readAvailable).toBe(8);
    expect(Array.from(p.read(3))).toEqual(Array.from(bytes(100, 12)));
    // Rust holds the consumer role: TS sees the read-held word.
    expect(code(() => r.read())).toBe(ErrorCode.INVALID_ARG);
    expect(code(() => r.getReadBuffers())).toBe(ErrorCode.INVALID_ARG);
    expect(r.readAvailable).toBe(5);
    p.release();
    const [n, a, b] = r.getReadBuffers();
    expect([n, ...a, ...b]).toEqual([5, ...bytes(112, 20)]);

    // The producer-done word, both ways.
    expect([r.producerDone, p.producerDone]).toEqual([false, false]);
    r.setProducerDone(true);
    expect(p.producerDone).toBe(true);
    p.setProducerDone(false);
    expect(r.producerDone).toBe(false);
  });

  it('thousands of alternating transfers keep order across wrap-arounds of both indices', () => {
    const r = new RingBuffer(3, 16);
    const p = new NativeRingProbe(r.native);
    let next = 0; // next byte value to write
    let want = 0; // next byte value to read
    for (let i = 0; i < 3000; i++) {
      const tsWrites = i % 2 === 0;
      const n = 1 + ((i * 7) % 16);
      if (tsWrites) {
        p.release();
        next += 3 * r.write(bytes(next, 3 * Math.min(n, r.writeAvailable)));
        // Rust reads what TS wrote.
        const got = p.read(n);
        for (const v of got) expect(v).toBe(want++ & 0xff);
      } else {
        p.release();
        next += 3 * p.write(bytes(next, 3 * Math.min(n, 16 - p.readAvailable)));
        p.release();
        const got = r.read(n);
        for (const v of got) expect(v).toBe(want++ & 0xff);
      }
      expect(r.readAvailable).toBe(p.readAvailable);
    }
    expect(want).toBeGreaterThan(3 * 16 * 100);
  });
});
