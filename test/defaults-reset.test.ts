// OsSom's configuration reset and a readable `console.log(defaults)`.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaults } from '../src/index';

describe('defaults.reset() and how defaults print', () => {
  it('reset() puts every default back to its initial value, and nothing else shows as a default', () => {
    const host = defaults.host; // the test setup may have chosen one
    const bufferSize = defaults.bufferSize;
    defaults.samplerate = 44100;
    defaults.blocksize = 64;
    defaults.host = 'virtual';
    defaults.latency = 'high';
    expect([defaults.samplerate, defaults.blocksize, defaults.host]).toEqual([44100, 64, 'virtual']);
    defaults.reset();
    try {
      const initial = {
        host: undefined,
        device: undefined,
        samplerate: 48000,
        blocksize: 512,
        channels: 2,
        dtype: 'float32',
        latency: 'low',
        bufferSize,
      };
      expect({ ...defaults }).toEqual(initial);
      expect(Object.keys(defaults)).toEqual(['host', 'device', 'samplerate', 'blocksize', 'channels', 'dtype', 'latency', 'bufferSize']);
    } finally {
      defaults.host = host;
    }
  });

  it('prints as its values (console.log, JSON), not as getters', () => {
    defaults.samplerate = 22050;
    try {
      const shown = inspect(defaults);
      expect(shown).toMatch(/samplerate: 22050/);
      expect(shown).not.toMatch(/Getter|Setter|reset/);
      expect(JSON.parse(JSON.stringify(defaults)).samplerate).toBe(22050);
    } finally {
      defaults.reset();
    }
  });
});
