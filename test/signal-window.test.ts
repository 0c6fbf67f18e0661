// window / windowOp: pya's test_asig.py test_windowing, case by case, and
// scipy's get_window numbers.
import { describe, expect, it } from 'vitest';
import { Signal } from '../src/index';
import { maxDiff, refuses } from './dsp-reference';

const A = 0.70710677;
const expected = [1, A, A, A, A, A, A, A, A, 1];

describe("pya's test_windowing", () => {
  it("mono: window_op(nperseg=2, stride=1, win='hann', fn='rms', pad='mirror') of ones", () => {
    const s = new Signal(new Float32Array(10).fill(1), { samplerate: 2 });
    const w = s.windowOp(2, 1, 'hann', 'rms', 'mirror');
    expect(maxDiff(w.sig, expected)).toBeLessThan(1e-6);
    expect([w.samplerate, w.label]).toEqual([2, 'window_oped']);
  });

  it('two channels: the same column in each', () => {
    const s = new Signal(new Float32Array(20).fill(1), { samplerate: 2, channels: 2 });
    const w = s.windowOp(2, 1, 'hann', 'rms', 'mirror');
    expect(w.channels).toBe(2);
    expect(
      maxDiff(
        w.sig,
        expected.flatMap((v) => [v, v]),
      ),
    ).toBeLessThan(1e-6);
  });

  it('fn as a function of the segment gives the same as rms', () => {
    const s = new Signal(new Float32Array(10).fill(1), { samplerate: 2 });
    const w = s.windowOp(2, 1, 'hann', (seg) => seg.rms());
    expect(maxDiff(w.sig, expected)).toBeLessThan(1e-6);
  });
});

describe('window as scipy.signal.get_window (periodic)', () => {
  it('every name on ones of 5 frames', () => {
    const ones = new Signal(new Float32Array(5).fill(1), { samplerate: 5, label: 'o' });
    const cases: [Parameters<Signal['window']>[0], number[]][] = [
      ['triang', [0.166666666667, 0.5, 0.833333333333, 0.833333333333, 0.5]],
      ['hann', [0, 0.345491502813, 0.904508497187, 0.904508497187, 0.345491502813]],
      ['hamming', [0.08, 0.397852182588, 0.912147817412, 0.912147817412, 0.397852182588]],
      ['blackman', [0, 0.200770143263, 0.849229856737, 0.849229856737, 0.200770143263]],
      ['bartlett', [0, 0.4, 0.8, 0.8, 0.4]],
      ['boxcar', [1, 1, 1, 1, 1]],
    ];
    for (const [win, want] of cases) {
      const w = ones.window(win);
      expect(maxDiff(w.sig, want), win).toBeLessThan(1e-6);
      expect(w.label).toBe(`o_${win}`);
    }
    expect(maxDiff(ones.window().sig, cases[0]![1])).toBeLessThan(1e-6); // pya's default: 'triang'
  });

  it('refuses what pya cannot do, with what was expected', () => {
    const s = new Signal(new Float32Array(10).fill(1), { samplerate: 2 });
    refuses(() => s.window('kaiser' as 'hann'), /win must be/);
    refuses(() => s.windowOp(0, 1), /nperseg/);
    refuses(() => s.windowOp(2, 1, 'hann', 'rms', 'zeros'), /pad must be 'mirror'/);
    expect(() => s.windowOp(2, 1, 'hann', (() => 'x') as never)).toThrow(/fn must return/);
  });
});
