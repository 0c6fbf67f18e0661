// The "Bad input" table of docs/bad-input.md, checked: every row of the table has a case
// here (test/bad-input/*-rows.ts) and every case a row, with the same call,
// input, `code` and error class. Each case makes its bad calls and checks
// the code, the class, that the message says what was expected, and that no
// raw napi error ("Failed to convert", `NumberExpected`) got through. Rows
// marked `accepted` are inputs that must work (SharedArrayBuffer-backed
// views where data is copied in or out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeWav } from '../src/index';
import { audioRows } from './bad-input/audio-rows';
import { dataRows } from './bad-input/data-rows';
import { signalRows } from './bad-input/signal-rows';
import { streamRows } from './bad-input/stream-rows';
import type { Row } from './bad-input/values';
import { closeAfterEach } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-bad-'));
const file = (name: string) => path.join(dir, name);
const wav = file('in.wav');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await writeWav(wav, new Float32Array(200), { samplerate: 8000, channels: 2, format: 'f32' });
  fs.writeFileSync(file('text.wav'), 'this is not a WAV file, just some text');
  const alaw = fs.readFileSync(wav);
  alaw.writeUInt16LE(6, 20); // format tag 6: A-law
  fs.writeFileSync(file('alaw.wav'), alaw);
});

const track = closeAfterEach();
const rows: Row[] = [...dataRows(file, wav), ...audioRows(file), ...streamRows(track, file), ...signalRows()];

/** The class column: rows without one mix TypeErrors (wrong kinds) and RangeErrors (bad values). */
const thrownAs = (r: Row) => r.error ?? (r.code === 'accepted' ? '—' : 'TypeError or RangeError');
/** The table's cells for a row. */
const cells = (r: Row) => [r.call, r.input, r.code, thrownAs(r)];

/** The rows of the table in docs/bad-input.md, backticks stripped. */
function docsTable(): string[][] {
  const text = fs.readFileSync(path.join(__dirname, '..', 'docs', 'bad-input.md'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
    .slice(1) // the header
    .map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.replace(/`/g, '').trim()),
    );
}

/** The table as it should read (printed when it does not). */
function markdown(): string {
  const q = (s: string) => '`' + s + '`';
  return rows.map((r) => `| ${q(r.call)} | ${r.input} | ${r.code === 'accepted' ? 'accepted' : q(r.code)} | ${thrownAs(r)} |`).join('\n');
}

/** What `run` threw or rejected with. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  return undefined;
}

const CLASSES = { TypeError, RangeError, Error } as const;

describe('docs/bad-input.md table', () => {
  it('has one row per case, and the same cells', () => {
    // BAD_INPUT_TABLE=file writes the table as it should read, to paste.
    if (process.env.BAD_INPUT_TABLE) fs.writeFileSync(process.env.BAD_INPUT_TABLE, markdown() + '\n');
    const table = docsTable();
    expect(table, `docs/bad-input.md table should read:\n${markdown()}\n`).toEqual(rows.map(cells));
  });

  for (const [i, r] of rows.entries()) {
    it(`${i + 1}. ${r.call}: ${r.input}`, async () => {
      for (const [k, t] of r.tries.entries()) {
        const e = await failure(t);
        const where = `try ${k + 1}`;
        if (r.code === 'accepted') {
          expect(e, `${where}: ${String(e)}`).toBeUndefined();
          continue;
        }
        expect(e, `${where}: no error`).toBeInstanceOf(Error);
        const err = e as Error & { code?: unknown };
        expect(err.code, `${where}: ${err.constructor.name}: ${err.message}`).toBe(r.code);
        if (r.error) expect(err, `${where}: ${err.constructor.name}: ${err.message}`).toBeInstanceOf(CLASSES[r.error]);
        expect(err.message, where).not.toMatch(/Failed to convert|Expected$|napi|undefined \(reading/);
        // Says what was expected (or what is wrong), not just that something was.
        expect(err.message, where).toMatch(
          /must|expected|need|takes|unknown option|did you mean|closed|no |not |only|exceed|cannot|already|at most|whole|one per|more than|pass |got |first|give /i,
        );
        if (r.says) expect(err.message, where).toMatch(r.says);
      }
    });
  }
});
