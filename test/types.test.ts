// The published types as a strict consumer sees them: the .d.ts files the
// build emits (internals stripped), installed with the package's declared
// dependencies only (no @types/node of the consumer's own), compiled with
// `strict`, `exactOptionalPropertyTypes` and `skipLibCheck: false`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;

interface Manifest {
  dependencies?: Record<string, string>;
}

function run(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [tsc, ...args], { cwd, encoding: 'utf8' });
  return (r.stdout + r.stderr).trim() + (r.status === 0 ? '' : `\n(exit ${r.status})`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ringstream-types-'));
  const pkg = join(dir, 'node_modules', 'ringstream');
  mkdirSync(pkg, { recursive: true });
  // The declarations exactly as `npm run build:ts` emits them.
  expect(
    run(
      ['-p', 'tsconfig.json', '--emitDeclarationOnly', '--declarationMap', 'false', '--sourceMap', 'false', '--outDir', join(pkg, 'dist')],
      root,
    ),
  ).toBe('');
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'index.d.ts'), join(pkg, 'index.d.ts'));
  // What npm installs next to it: the declared dependencies and theirs, nothing else.
  const deps = (dir: string): string[] =>
    Object.keys((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest).dependencies ?? {});
  const todo = deps(root);
  for (const seen = new Set<string>(); todo.length > 0; ) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    cpSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), { recursive: true });
    todo.push(...deps(join(root, 'node_modules', name)));
  }
  cpSync(join(root, 'test', 'fixtures', 'strict-consumer'), join(dir, 'app'), { recursive: true });
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the published types', () => {
  it('compile the README snippets in a strict consumer without @types/node of its own, without casts', () => {
    expect(run(['-p', join(dir, 'app', 'tsconfig.json')], join(dir, 'app'))).toBe('');
  }, 120_000);
});
