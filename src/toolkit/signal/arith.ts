import { dspAdd, dspArith } from '../../native/addon.js';
import { describe } from '../../common/bytes.js';
import { invalidArg } from '../../common/errors.js';
import { checkInteger, checkOptions } from '../../common/validate.js';
import { finite, seconds } from './args.js';
import { SignalBase } from './base.js';
import { notASignal } from './edit.js';
import { operand, type Operand } from './operand.js';
import { SignalSelect } from './select.js';

/**
 * How operands of different lengths combine (pya's `.b` and `.x` before an
 * operator): `'bound'` keeps the shorter length, `'extend'` the longer (past
 * the shorter operand's end it counts as 0 in sums and 1 in products, so
 * `a - b` there is `-b` and `a / b` is `1 / b`, as in pya). Without a mode
 * the lengths must be equal, or one operand a single frame.
 */
export type LengthMode = 'bound' | 'extend';

/** Options of the arithmetic operators. */
export interface ArithOptions {
  /** How unequal lengths combine; default: they must be equal. */
  mode?: LengthMode;
}

/** Options of {@link SignalArith.add}: the operator's `mode`, or pya's `add` method's placement. */
export interface AddOptions extends ArithOptions {
  /** pya's `add`: the frame where `other` starts (the result grows if it runs past the end). */
  pos?: number;
  /** pya's `add`: where `other` starts, in seconds (or `pos`, not both). */
  onset?: number;
  /** pya's `add`: the gain of `other`. */
  amp?: number;
}

type OpName = 'add' | 'sub' | 'mul' | 'div' | 'rsub' | 'rdiv';

/**
 * pya's arithmetic operators (`+ - * /` and the reflected `-` and `/`) on a
 * {@link Signal}, with a Signal, a number or an array (see {@link Operand}),
 * and pya's length rules. Use {@link Signal}.
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const a = new Signal([1, 2, 3], { samplerate: 10 });
 * console.log(a.mul(2).sig, a.rsub(1).sig); // Float32Array [2, 4, 6] Float32Array [0, -1, -2]
 * console.log(a.sub([1, 1], { mode: 'bound' }).sig); // Float32Array [0, 1]
 * ```
 */
export class SignalArith extends SignalSelect {
  /**
   * `this + other` (pya's `+`, lengths as `mode` says); with `pos`, `onset`
   * or `amp`, pya's `add` method instead: `amp * other` (a Signal) mixed in
   * from frame `pos` or from `onset` seconds, the result extended if
   * `other` runs past the end.
   */
  add(other: Operand, options?: AddOptions): this {
    const o = checkOptions(options, ['pos', 'onset', 'amp', 'mode'], 'the add options');
    if (o.pos === undefined && o.onset === undefined && o.amp === undefined) return this.op('add', other, o);
    if (o.mode !== undefined) throw invalidArg("add takes { mode } (the operator) or { pos, onset, amp } (pya's add method), not both");
    if (o.pos !== undefined && o.onset !== undefined) throw invalidArg('add takes { pos } or { onset }, not both');
    const pos = o.onset !== undefined ? Math.floor(seconds(o.onset, 'onset') * this.samplerate + 1e-9) : checkInteger(o.pos ?? 0, 'pos');
    if (!(other instanceof SignalBase)) notASignal('other', other);
    const src = operand(other, other.channels, this.samplerate);
    return this.derive(dspAdd(this.sig, this.layout, src.data, [src.channels, pos, finite(o.amp ?? 1, 'amp')]));
  }

  /** `this - other` (pya's `-`). */
  sub(other: Operand, options?: ArithOptions): this {
    return this.op('sub', other, options);
  }

  /** `this * other` (pya's `*`). */
  mul(other: Operand, options?: ArithOptions): this {
    return this.op('mul', other, options);
  }

  /** `this / other` (pya's `/`; a division by 0 gives an infinity or NaN, as numpy's). */
  div(other: Operand, options?: ArithOptions): this {
    return this.op('div', other, options);
  }

  /** `other - this` (pya's reflected `-`: `1 - signal`). */
  rsub(other: Operand, options?: ArithOptions): this {
    return this.op('rsub', other, options);
  }

  /** `other / this` (pya's reflected `/`: `1 / signal`). */
  rdiv(other: Operand, options?: ArithOptions): this {
    return this.op('rdiv', other, options);
  }

  private op(name: OpName, other: Operand, options: ArithOptions | undefined): this {
    const { mode } = checkOptions(options, ['mode'], `the ${name} options`);
    if (mode !== undefined && mode !== 'bound' && mode !== 'extend') {
      throw invalidArg(`mode must be 'bound' or 'extend' (or none), got ${describe(mode)}`);
    }
    const v = operand(other, this.channels, this.samplerate);
    const lengths = v.constant ? 'strict' : (mode ?? 'strict');
    const r = dspArith(this.sig, this.layout, v.data, v.channels, [name, lengths]);
    const names = r.channels === this.channels ? this.channelNames : other instanceof SignalBase ? other.channelNames : undefined;
    return this.derive(r.data, r.channels, this.samplerate, names);
  }
}
