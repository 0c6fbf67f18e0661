import { dspGet, dspMix, dspSet, dspShiftChannels, dspSlice } from '../../native/addon.js';
import { checkInteger, checkOptions } from '../../common/validate.js';
import { describe } from '../../common/bytes.js';
import { invalidArg } from '../../common/errors.js';
import { finite } from './args.js';
import { SignalBase } from './base.js';
import { sliceArgs, steppedRate } from './edit.js';
import { operand, type Operand } from './operand.js';
import { channelsOf, resolveWhere, type ChannelSelection, type Where } from './where.js';

/**
 * How {@link SignalSelect.set} writes a value whose length differs from the
 * selection: pya's `.o` (`'overwrite'`: the selected frames replaced by the
 * value, the signal growing or shrinking), `.b` (`'bound'`: the value cut
 * to the selection) or `.x` (`'extend'`: a selection running to the end
 * grows to take the value). Without a mode the lengths must match.
 */
export type WriteMode = 'overwrite' | 'bound' | 'extend';

const WRITE_MODES: readonly string[] = ['overwrite', 'bound', 'extend'];

/**
 * pya's reading and writing forms (`__getitem__`, `__setitem__`) of a
 * {@link Signal}: frames by index, list, mask, step or seconds; channels by
 * index, name, list, mask or typed array. Use {@link Signal}.
 * @example
 * ```ts
 * import { Signal } from 'ringstream';
 *
 * const s = new Signal([[0, 1, 2, 3], [10, 11, 12, 13]], { samplerate: 4, channelNames: ['l', 'r'] });
 * console.log(s.get({ frames: [3, 0], channels: 'r' }).sig); // Float32Array [13, 10]
 * console.log(s.set({ frames: { start: 2 }, channels: [false, true] }, 0).sig); // Float32Array [0, 10, 1, 11, 2, 0, 3, 0]
 * ```
 */
export class SignalSelect extends SignalBase {
  /**
   * The frames and channels `where` selects (pya's `signal[rows, cols]`),
   * channels in the order given with their names. A range with a step
   * other than 1 makes the rate `int(samplerate / |step|)`, as pya's.
   */
  get(where?: Where): this {
    const { at, names } = resolveWhere(this, where);
    const rate = at.step === undefined ? this.samplerate : steppedRate(this.samplerate, at.step);
    return this.derive(dspGet(this.sig, this.layout, at), at.channels.length, rate, names);
  }

  /**
   * A new signal with `value` written where `where` selects (pya's
   * `signal[rows, cols] = value`, `signal.b[...]`, `.x[...]`, `.o[...]`):
   * signals are immutable, this one is unchanged. A number fills the
   * selection; a flat array gives one value per selected channel (or, with
   * one channel selected, one per frame); one array per channel, or a
   * Signal (mono goes to every selected channel), gives frames, which must
   * be as many as selected unless `mode` says otherwise (see
   * {@link WriteMode}).
   */
  set(where: Where | undefined, value: Operand, options?: { mode?: WriteMode }): this {
    const { mode } = checkOptions(options, ['mode'], 'the set options');
    if (mode !== undefined && !WRITE_MODES.includes(mode)) {
      throw invalidArg(`mode must be one of 'overwrite', 'bound', 'extend' (or none), got ${describe(mode)}`);
    }
    const { at } = resolveWhere(this, where);
    const v = operand(value, at.channels.length, this.samplerate);
    const how = { channels: v.channels, constant: v.constant, mode: mode ?? 'strict' };
    return this.derive(dspSet(this.sig, this.layout, at, v.data, how));
  }

  /**
   * The channels `refs` selects, in that order: indices or names, a mask of
   * one boolean per channel, or an integer typed array of indices.
   */
  channel(refs: ChannelSelection): this {
    const idx = channelsOf(this, refs);
    const names = this.channelNames && idx.map((i) => this.channelNames![i]!);
    const data = dspMix(this.sig, this.layout, { kind: 'select', channels: idx });
    return this.derive(data, idx.length, this.samplerate, names);
  }

  /**
   * Frames `start` to `end` (exclusive) every `step` frames: Python's
   * `[start:end:step]` on the frames (negative indices count from the end,
   * a negative step walks backwards, `undefined` is the open end). As in
   * pya, a step other than 1 makes the rate `int(samplerate / |step|)`.
   */
  sliceSamples(start?: number, end?: number, step = 1): this {
    const [s, e, st] = sliceArgs(start, end, step);
    const rate = steppedRate(this.samplerate, st);
    return this.derive(dspSlice(this.sig, this.layout, s, e, st), this.channels, rate);
  }

  /** The part from `start` to `end` seconds (negative counts from the end; default the whole signal). */
  slice(options?: { start?: number; end?: number }): this {
    const o = checkOptions(options, ['start', 'end'], 'the slice options');
    const at = (t: unknown, what: string) => Math.round(finite(t, what) * this.samplerate);
    return this.sliceSamples(at(o.start ?? 0, 'start'), o.end === undefined ? undefined : at(o.end, 'end'));
  }

  /**
   * pya's `shift_channel`: a positive `shift` moves the channels up by
   * `shift` (silent channels named `'unnamed'` below them), a negative one
   * drops the first `-shift` channels.
   */
  shiftChannel(shift = 0): this {
    const n = checkInteger(shift, 'shift', -Number.MAX_SAFE_INTEGER);
    const data = dspShiftChannels(this.sig, this.layout, n);
    const channels = this.channels + n;
    const names = this.channelNames && [...Array<string>(Math.max(n, 0)).fill('unnamed'), ...this.channelNames.slice(Math.max(-n, 0))];
    return this.derive(data, channels, this.samplerate, names);
  }
}
