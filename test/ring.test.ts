import { describe, expect, it } from 'vitest';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { adjustedExternalMemory, NativeRing } from '../index.js';
import { OutputStream, RingBuffer, ErrorCode } from '../src/index';

/** A real `gc()`: vitest runs tests without --expose-gc. */
function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function expectCode(fn: () => unknown, code: string, type: ErrorConstructor = RangeError, text?: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    expect((e as { code?: string }).code).toBe(code);
    if (text) expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error('expected a throw');
}

describe('RingBuffer', () => {
  it('validates its constructor arguments', () => {
    expectCode(() => new RingBuffer(4, 1000), ErrorCode.INVALID_ARG, RangeError, /power of 2.*1000/);
    expectCode(() => new RingBuffer(0, 8), ErrorCode.INVALID_ARG, RangeError, /elementSize.*0/);
    expectCode(() => new RingBuffer(4, 0), ErrorCode.INVALID_ARG, RangeError, /got 0/);
    expectCode(() => new RingBuffer(4, 3.5), ErrorCode.INVALID_ARG, RangeError, /3.5/);
    expectCode(() => new RingBuffer(-1, 8), ErrorCode.INVALID_ARG, RangeError, /-1/);
    const r = new RingBuffer(3, 16);
    expect([r.elementSize, r.size, r.readAvailable, r.writeAvailable]).toEqual([3, 16, 0, 16]);
  });

  it('refuses a caller-provided storage buffer with ERR_INVALID_ARG naming what it takes', () => {
    for (const buffer of [new ArrayBuffer(64), new SharedArrayBuffer(64), new Uint8Array(64), null, 7]) {
      expectCode(() => new RingBuffer(4, 16, buffer as never), ErrorCode.INVALID_ARG, TypeError, /storage.*native.*handle/s);
    }
  });

  it('play(ring, { untilDone: true }) on an empty ring whose producer is done settles at once, playing nothing', async () => {
    const ring = RingBuffer.forFrames(1, 256);
    ring.setProducerDone(true);
    const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 4 });
    try {
      const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('play() never settled')), 10_000).unref());
      await Promise.race([s.play(ring, { untilDone: true }), hung]);
      expect(ring.readAvailable).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('play(ring, { untilDone: true }) waits for data, then ends when the producer says so', async () => {
    const ring = RingBuffer.forFrames(1, 256);
    const s = new OutputStream({ device: 'virtual:null', channels: 1, blocksize: 256, speed: 4 });
    try {
      const played = s.play(ring, { untilDone: true });
      await new Promise((r) => setTimeout(r, 50));
      ring.setProducerDone(true); // a done mark with nothing written also wakes the prebuffer
      const hung = new Promise((_, reject) => setTimeout(() => reject(new Error('play() never settled')), 10_000).unref());
      await Promise.race([played, hung]);
    } finally {
      await s.close();
    }
  });

  it('has PortAudio write/read semantics', () => {
    const r = new RingBuffer(2, 8);
    expect(r.write(new Uint8Array(10).fill(1))).toBe(5);
    expect(r.write(new Uint8Array(10).fill(2))).toBe(3); // only 3 fit, no error
    expect([r.readAvailable, r.writeAvailable]).toEqual([8, 0]);
    expect(r.write(new Uint8Array(2))).toBe(0);
    const a = r.read(2);
    expect(Array.from(a)).toEqual([1, 1, 1, 1]);
    const rest = r.read();
    expect(rest.length).toBe(12);
    expect(Array.from(rest)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(r.read().length).toBe(0);
    expect(r.read(-1).length).toBe(0);
  });

  it('write(data, size) writes at most size elements; any view type works', () => {
    const r = new RingBuffer(4, 8);
    const f = new Float32Array([1, 2, 3, 4]);
    expect(r.write(f, 2)).toBe(2);
    expect(r.write(f.buffer, 1)).toBe(1);
    expect(r.write(new DataView(f.buffer, 12, 4))).toBe(1);
    const out = new Float32Array(8);
    expect(r.readInto(out)).toBe(4);
    expect(Array.from(out.subarray(0, 4))).toEqual([1, 2, 1, 4]);
    expectCode(() => r.write(f, 5), ErrorCode.INVALID_ARG, RangeError, /size/);
  });

  it('refuses partial elements instead of corrupting the ring', () => {
    const r = new RingBuffer(4, 8);
    expectCode(() => r.write(new Uint8Array(6)), ErrorCode.INVALID_ARG, RangeError, /multiple of elementSize \(4\).*6/);
    expectCode(() => r.readInto(new Uint8Array(5)), ErrorCode.INVALID_ARG, RangeError, /multiple of elementSize/);
    expectCode(() => r.write('abc' as never), ErrorCode.INVALID_ARG, TypeError, /typed array/);
    expect(r.readAvailable).toBe(0);
  });

  it('gives zero-copy windows that wrap, and refuses to advance past them', () => {
    const r = new RingBuffer(1, 8);
    r.write(new Uint8Array([1, 2, 3, 4, 5, 6]));
    r.read(4);
    const [n, first, second] = r.getWriteBuffers();
    expect(n).toBe(6);
    expect(first.length).toBe(2);
    expect(second.length).toBe(4);
    first.set([7, 8]);
    second.set([9, 10, 11, 12]);
    expectCode(() => r.advanceWriteIndex(7), ErrorCode.INVALID_ARG, RangeError, /only 6/);
    expect(r.advanceWriteIndex(6)).toBe(12); // element index 6 + 6, modulo 16
    const [m, a, b] = r.getReadBuffers(100);
    expect(m).toBe(8);
    expect([...a, ...b]).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expectCode(() => r.advanceReadIndex(9), ErrorCode.INVALID_ARG, RangeError, /only 8/);
    expect(r.advanceReadIndex(3)).toBe(7);
    const [k, c, d] = r.getReadBuffers(2);
    expect([k, ...c, ...d]).toEqual([2, 8, 9]);
    expect([c.length, d.length]).toEqual([1, 1]); // 8 sits at the last slot, 9 wrapped to the first
    r.flush();
    expect(r.readAvailable).toBe(0);
    expect(r.writeAvailable).toBe(8);
  });

  it('withWriteBuffers / withReadBuffers fill and drain the window in place, wrapping, and publish what the callback says', () => {
    const r = new RingBuffer(2, 8);
    r.write(new Uint8Array(12).fill(1));
    r.read(5);
    // 7 free elements: 2 at the end of the storage, 5 wrapped to the start.
    const seen: number[] = [];
    expect(
      r.withWriteBuffers(undefined, (a, b) => {
        seen.push(a.length, b.length);
        a.fill(7);
        b.fill(9);
      }),
    ).toBe(7);
    expect(seen).toEqual([4, 10]);
    expect(r.readAvailable).toBe(8);
    // Only what the callback reports is released, and the views are the ring's memory.
    expect(r.withReadBuffers(3, (a, b) => (expect([a.length, b.length]).toEqual([6, 0]), 2))).toBe(2);
    // The two released elements were [1, 1] and [7, 7]; the rest follows, wrapped.
    expect(Array.from(r.read())).toEqual([7, 7, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
    expect(r.withWriteBuffers(2, () => 0)).toBe(0);
    expect(r.readAvailable).toBe(0);
    expect(r.withReadBuffers(-1, (a, b) => (expect(a.length + b.length).toBe(0), undefined))).toBe(0);
    // A count that is not a whole number of the elements offered publishes nothing.
    for (const bad of [3, -1, 1.5, '1', NaN]) {
      expectCode(() => r.withWriteBuffers(2, () => bad as number), ErrorCode.INVALID_ARG, RangeError, /whole number from 0 to 2/);
    }
    expect(r.readAvailable).toBe(0);
    expectCode(() => r.withReadBuffers(2.5, () => 0), ErrorCode.INVALID_ARG, RangeError, /size/);
  });

  it("reuses the views of a repeated window, and a cached view stays the ring's memory", () => {
    const r = new RingBuffer(1, 1 << 16);
    const firsts = new Set<Uint8Array>();
    for (let i = 0; i < 3 * 32; i++) {
      r.withWriteBuffers(2048, (a) => void firsts.add(a));
      r.withReadBuffers(2048, () => undefined);
    }
    // 32 windows of 2 KiB, visited three times: one view each (none evicted).
    expect(firsts.size).toBe(32);
    const [, a] = r.getWriteBuffers(4);
    a.set([1, 2, 3, 4]);
    r.advanceWriteIndex(4);
    expect(Array.from(r.read())).toEqual([1, 2, 3, 4]);
  });

  it('views taken inside the callbacks outlive their ring: the memory is not freed or reused under them', async () => {
    const gc = exposeGc();
    const tick = () => new Promise((res) => setImmediate(res));
    let ring: WeakRef<RingBuffer> | undefined;
    const kept: Uint8Array[] = [];
    (() => {
      const r = new RingBuffer(4, 1 << 14);
      ring = new WeakRef(r);
      r.withWriteBuffers(1 << 14, (a) => {
        new Uint32Array(a.buffer, a.byteOffset, a.length / 4).fill(0x5a5a5a5a);
        kept.push(a);
      });
      r.withReadBuffers(16, (a) => void kept.push(a));
    })();
    for (let i = 0; i < 50 && ring?.deref() !== undefined; i++) {
      await tick();
      gc();
      await tick();
    }
    expect(ring?.deref()).toBeUndefined();
    // Rings made (and filled) now would land on the freed block if the views did not hold it.
    const others = Array.from({ length: 64 }, () => {
      const o = new RingBuffer(4, 1 << 14);
      o.withWriteBuffers(undefined, (a) => void a.fill(0xee));
      return o;
    });
    const words = (v: Uint8Array) => new Uint32Array(v.buffer, v.byteOffset, v.length / 4);
    expect(words(kept[0]).every((x) => x === 0x5a5a5a5a)).toBe(true);
    expect(words(kept[1]).every((x) => x === 0x5a5a5a5a)).toBe(true);
    kept[0].fill(1); // still writable: the memory is the views' own
    expect(others.every((o) => o.withReadBuffers(undefined, (a) => void expect(a.every((x) => x === 0xee)).toBe(true)) === 1 << 14)).toBe(
      true,
    );
  });

  it('keeps views valid memory after the ring is collected; V8 counts that memory once, until it is freed', async () => {
    const gc = exposeGc();
    const tick = () => new Promise((res) => setImmediate(res));
    /** Collects until `done()`; a WeakRef target stays alive until the job that deref()ed it ends. */
    const collect = async (done: () => boolean) => {
      for (let i = 0; i < 50 && !done(); i++) {
        await tick();
        gc();
        await tick();
      }
    };
    const bytes = 4 << 22; // 16 MiB: far above anything else the file allocates
    // Settle what earlier tests left, then allow 10% of noise either way.
    for (let i = 0; i < 3; i++) {
      gc();
      await tick();
    }
    const before = adjustedExternalMemory();
    const counted = () => (adjustedExternalMemory() - before) / bytes;
    let ring: WeakRef<RingBuffer> | undefined;
    let native: WeakRef<object> | undefined;
    let view: Uint8Array = new Uint8Array(0);
    (() => {
      const r = new RingBuffer(4, 1 << 22);
      r.write(new Uint32Array(1024).fill(0xabcdef01));
      ring = new WeakRef(r);
      native = new WeakRef(r.native);
      view = r.getReadBuffers()[1];
    })();
    expect(counted()).toBeGreaterThan(0.9);
    expect(counted()).toBeLessThan(1.1); // once, not once per owner (wrapper and ArrayBuffer)
    await collect(() => ring?.deref() === undefined && native?.deref() === undefined);
    expect(ring?.deref()).toBeUndefined();
    expect(native?.deref()).toBeUndefined();
    // The view holds the memory itself: still valid, and still counted.
    const intact = (v: Uint8Array) => new Uint32Array(v.buffer, v.byteOffset, 1024).every((x) => x === 0xabcdef01);
    expect(intact(view)).toBe(true);
    expect(counted()).toBeGreaterThan(0.9);
    view = new Uint8Array(0);
    await collect(() => counted() < 0.1);
    expect(counted()).toBeLessThan(0.1);
  });

  it('a native ring counts its memory before any ArrayBuffer maps it, and gives it back when collected', async () => {
    const gc = exposeGc();
    const tick = () => new Promise((res) => setImmediate(res));
    const bytes = 4 << 22;
    const before = adjustedExternalMemory();
    const counted = () => (adjustedExternalMemory() - before) / bytes;
    let native: WeakRef<NativeRing> | undefined;
    (() => {
      const n = new NativeRing(4, 1 << 22);
      native = new WeakRef(n);
    })();
    expect(counted()).toBeGreaterThan(0.9);
    for (let i = 0; i < 50 && counted() > 0.1; i++) {
      await tick();
      gc();
      await tick();
    }
    expect(native?.deref()).toBeUndefined();
    expect(counted()).toBeLessThan(0.1);
  });

  it('forFrames sizes a float32 frame ring', () => {
    const r = RingBuffer.forFrames(2, 1000);
    expect([r.elementSize, r.size]).toEqual([8, 1024]);
    expectCode(() => RingBuffer.forFrames(0, 8), ErrorCode.INVALID_ARG);
  });

  it('streams millions of elements through with wrap-around in order', () => {
    const r = new RingBuffer(4, 1024);
    const sizes = [1, 7, 13, 255, 1023, 3, 600];
    let next = 0;
    let expected = 0;
    const total = 2_000_000;
    const out = new Uint32Array(777);
    let i = 0;
    while (expected < total) {
      const n = Math.min(sizes[i++ % sizes.length], total - next, r.writeAvailable);
      if (n > 0) {
        const chunk = new Uint32Array(n);
        for (let k = 0; k < n; k++) chunk[k] = next + k;
        expect(r.write(chunk)).toBe(n);
        next += n;
      }
      const got = r.readInto(out.subarray(0, 1 + (i % 777)));
      for (let k = 0; k < got; k++) if (out[k] !== expected++) throw new Error(`element ${expected - 1}`);
    }
    expect(expected).toBe(total);
  });
});
