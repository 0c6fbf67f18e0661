// pya's test_helpers.py's audio_from_file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { util, writeAudio } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'ringstream-pya-asig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pya's audio_from_file", () => {
  it('reads every format readAudio reads: FLAC and AIFF written with writeAudio', async () => {
    const data = Float32Array.from({ length: 2 * 480 }, (_, i) => Math.round(8000 * Math.sin(i / 7)) / 32768);
    for (const ext of ['flac', 'aiff']) {
      const path = join(dir, `take.${ext}`);
      await writeAudio(path, data, { samplerate: 44100, channels: 2, encoding: 'pcm_16' });
      const got = await util.audioFromFile(path);
      expect([got.samplerate, got.channels], ext).toEqual([44100, 2]);
      expect(got.data, ext).toEqual(data);
    }
  });
});
