// The house's shape, checked: src/ is in folders that mirror the crates, each
// folder a layer that imports only the layers below it (never up, never in
// a circle), and every module reaches the native addon through src/native/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(__dirname, '..', 'src');
/** Lowest first; a folder may import its own layer's files and any lower layer. */
const LAYERS: readonly (readonly string[])[] = [
  ['common'],
  ['native'],
  ['device', 'ring', 'files'],
  ['stream'],
  ['mixer'],
  ['toolkit'],
  ['cli'],
  ['.'], // index.ts and cli.ts: the entry points
];
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

const sources = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
const folderOf = (file: string) => (file.includes(sep) ? file.split(sep)[0]! : '.');

/** Every relative import of a file, as a path relative to src/ (or outside it). */
function imports(file: string): string[] {
  const text = readFileSync(join(src, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => relative(src, normalize(join(src, dirname(file), s))).replace(/\.js$/, '.ts'));
}

describe('the layers of src/', () => {
  it('every folder of src/ has a layer', () => {
    const folders = new Set(sources.map(folderOf));
    for (const f of folders) expect(layerOf(f), f).toBeGreaterThanOrEqual(0);
    expect(folders.size).toBeGreaterThan(6);
  });

  it('no module imports a layer above its own', () => {
    const up: string[] = [];
    for (const file of sources) {
      for (const target of imports(file)) {
        if (target.startsWith('..')) continue; // the root loader: checked below
        const [from, to] = [layerOf(folderOf(file)), layerOf(folderOf(target))];
        if (to > from || (to === from && folderOf(file) !== folderOf(target))) up.push(`${file} -> ${target}`);
      }
    }
    expect(up).toEqual([]);
  });

  it('no import circle between modules', () => {
    const graph = new Map(sources.map((f) => [f, imports(f).filter((t) => sources.includes(t))]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of sources) visit(f, []);
    expect(circles).toEqual([]);
  });

  it('only src/native/ loads the addon (the root index.js)', () => {
    const loaders = sources.filter((f) => imports(f).some((t) => t === join('..', 'index.ts') || t === join('..', 'index')));
    expect(loaders.length).toBeGreaterThan(0);
    for (const f of loaders) expect(folderOf(f), f).toBe('native');
  });
});
