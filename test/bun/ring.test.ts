// Runs under Bun (`bun test test/bun`): the same addon through Bun's napi.
import { expect, test } from 'bun:test';
import { ErrorCode, RingBuffer } from '../../src/index';

test('RingBuffer copies, wraps and refuses bad input under Bun', () => {
  const r = new RingBuffer(4, 8);
  expect(r.write(new Float32Array([1, 2, 3, 4, 5, 6]))).toBe(6);
  expect(Array.from(new Float32Array(r.read(4).buffer))).toEqual([1, 2, 3, 4]);
  const [n, a, b] = r.getWriteBuffers();
  expect([n, a.length, b.length]).toEqual([6, 8, 16]);
  new Float32Array(a.buffer, a.byteOffset, 2).set([7, 8]);
  new Float32Array(b.buffer, b.byteOffset, 4).set([9, 10, 11, 12]);
  r.advanceWriteIndex(6);
  const out = new Float32Array(8);
  expect(r.readInto(out)).toBe(8);
  expect(Array.from(out)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  let code: string | undefined;
  try {
    new RingBuffer(4, 1000);
  } catch (e) {
    code = (e as { code?: string }).code;
    expect(e).toBeInstanceOf(RangeError);
  }
  expect(code).toBe(ErrorCode.INVALID_ARG);
});
