import { describe } from '../../common/bytes.js';
import { invalidArg, invalidType } from '../../common/errors.js';
import { finite, numbers } from './args.js';
import { SignalBase } from './base.js';
import { resampled } from './edit.js';

/**
 * A value written into a signal or combined with it: a Signal, a number,
 * a flat array (one value per channel when several channels take it, else
 * one per frame, as numpy lines a 1-D array up with the last axis), or one
 * array per channel.
 */
export type Operand = SignalBase | number | readonly number[] | Float32Array | readonly (readonly number[] | Float32Array)[];

/** @internal An operand as the kernels take it. */
export interface Samples {
  data: Float32Array;
  channels: number;
  /** One frame that goes to every frame (a number or one value per channel). */
  constant: boolean;
}

/**
 * @internal `value` as samples for `channels` channels of a signal at
 * `samplerate` (a Signal at another rate is resampled first, as `append`
 * and `add` do).
 */
export function operand(value: unknown, channels: number, samplerate: number): Samples {
  if (typeof value === 'number') return { data: Float32Array.of(finite(value, 'value')), channels: 1, constant: true };
  if (value instanceof SignalBase) {
    const layout = { channels: value.channels, samplerate: value.samplerate };
    const data = value.samplerate === samplerate ? value.sig : resampled(value.sig, layout, { samplerate, rate: 1, kind: 'sinc' });
    return { data, channels: value.channels, constant: false };
  }
  if (!Array.isArray(value) && !(value instanceof Float32Array)) {
    throw invalidType(`the value must be a Signal, a number or an array of numbers, got ${describe(value)}`);
  }
  if (value.length > 0 && (value as unknown[]).every((c) => Array.isArray(c) || ArrayBuffer.isView(c))) {
    const s = new SignalBase(value as readonly number[][], { samplerate });
    return { data: s.sig, channels: s.channels, constant: false };
  }
  const data = value instanceof Float32Array ? value : Float32Array.from(numbers(value, 'value'));
  if (channels === 1) return { data, channels: 1, constant: false };
  if (data.length !== channels) {
    throw invalidArg(
      `a flat array goes one value per channel when ${channels} channels take it: give ${channels} values, or one array per channel, got ${data.length} values`,
    );
  }
  return { data, channels, constant: true };
}
