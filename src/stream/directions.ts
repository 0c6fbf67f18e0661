/**
 * Options given per direction: pastream's `[input, output]` pairs of a
 * duplex stream (`device`, `latency`) and its channel maps.
 * @internal
 * @packageDocumentation
 */
import { describe } from '../common/bytes.js';
import { invalidArg, invalidType } from '../common/errors.js';

/**
 * @internal pastream's `(input, output)` pair of a duplex stream's option: `[input,
 * output]` checked each, or one value for both (`[undefined, value]`).
 */
export function pairOption<T>(v: unknown, dir: string, what: string, checkOne: (x: unknown) => T): [T | undefined, T | undefined] {
  if (!Array.isArray(v)) return [undefined, v === undefined ? undefined : checkOne(v)];
  if (dir !== 'duplex') throw invalidArg(`${what} must be one value for an ${dir} stream, got [${v.join(', ')}]`);
  if (v.length !== 2) throw invalidArg(`${what} must be one value or an [input, output] pair, got ${v.length} values`);
  if (v.includes(undefined)) throw invalidArg(`${what} pair must give both values, got [${v.map(String).join(', ')}]`);
  return [checkOne(v[0]), checkOne(v[1])];
}

/** The shape of a map; its entries are checked by the core when the stream opens. */
function mapArg(map: unknown, what: string): number[] | undefined {
  if (map === undefined) return undefined;
  if (!Array.isArray(map) || !map.every((x) => Number.isInteger(x))) {
    throw invalidType(`${what} must be an array of one-based channel numbers (0 = none), got ${describe(map)}`);
  }
  return map as number[];
}

/** @internal A stream's `map` option as `[inputMap, outputMap]`. */
export function maps(dir: string, map: unknown): [number[] | undefined, number[] | undefined] {
  if (map === undefined) return [undefined, undefined];
  if (dir !== 'duplex') {
    const m = mapArg(map, 'map');
    return dir === 'input' ? [m, undefined] : [undefined, m];
  }
  if (!Array.isArray(map) || map.length !== 2 || !map.every((m) => m === undefined || Array.isArray(m))) {
    throw invalidArg('map of a DuplexStream must be [inputMap, outputMap]');
  }
  return [mapArg(map[0], 'input map'), mapArg(map[1], 'output map')];
}
