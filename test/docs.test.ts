// Every code block of the documentation runs here, read from the files
// themselves, so that a snippet cannot drift from the library:
// - README.md and docs/**/*.md: each fenced block whose language is js,
//   javascript, ts or typescript. Blocks that are not meant to run use another
//   language (```sh for commands, ```text for output).
// - src/**/*.ts: each ```ts / ```js block that follows an `@example` tag in a
//   TSDoc comment.
// Each block runs in a fresh Node process, in an empty directory of its own
// (files it writes stay there), where `ringstream` (require or import) is this
// checkout's src/, bundled once by esbuild. A block with an `import` statement
// runs as an ES module (top-level await allowed), one with only `require()` as
// CommonJS: as a user who pastes it into a .mjs or .cjs file on Node 20 would.
// TypeScript blocks are stripped of their types by esbuild first.
// A block that needs setup the reader need not see carries it in an HTML
// comment on the line right above its fence, `<!-- docs-test: CODE -->`
// (Markdown only); CODE runs first, in the same file.
// A block fails on a non-zero exit, an uncaught error or a rejection, or when
// it runs past BLOCK_TIMEOUT_MS (a hang is killed, not waited for).
// DOCS_TEST_OUTPUT=1 prints what each block printed (to check the figures
// its comments give).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import { createRequire } from 'node:module';

const root = path.resolve(__dirname, '..');
/** scripts/bundle.js, which makes dist/index.js the same way. */
const { bundle } = createRequire(__filename)('../scripts/bundle.js') as { bundle: (outfile: string, loader: string) => void };
const BLOCK_TIMEOUT_MS = 30_000;
const RUNNABLE = new Set(['js', 'javascript', 'ts', 'typescript']);

/** One runnable code block and where it came from. */
interface Block {
  /** `file:line` of the opening fence, relative to the repository. */
  where: string;
  lang: string;
  code: string;
}

/** Markdown files of the documentation: README.md and docs/, recursively. */
function markdownFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory() && rel !== path.join('docs', 'reference')) walk(rel);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(rel);
    }
  };
  if (fs.existsSync(path.join(root, 'docs'))) walk('docs');
  return out;
}

/** TypeScript sources under src/, recursively. */
function sourceFiles(dir = 'src'): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return e.isFile() && e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** The fenced blocks of `lines` (already stripped of any comment prefix). */
function fenced(file: string, lines: string[], startsAt: (i: number) => boolean): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    const lang = open[2]!.toLowerCase();
    if (RUNNABLE.has(lang) && startsAt(i)) {
      const setup = /^<!-- docs-test: ([\s\S]*) -->$/.exec(i > 0 ? lines[i - 1]!.trim() : '');
      const body = lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)));
      blocks.push({ where: `${file}:${i + 1}`, lang, code: (setup ? setup[1] + '\n' : '') + body.join('\n') + '\n' });
    }
    i = end;
  }
  return blocks;
}

function markdownBlocks(file: string): Block[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  return fenced(file, lines, () => true);
}

/** The ``` blocks after `@example` tags in the TSDoc comments of a source file. */
function exampleBlocks(file: string): Block[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  // Inside a comment, a line is ` * text`: keep the text, blank the rest, so line numbers hold.
  let inDoc = false;
  let inExample = false;
  const exampleAt = new Set<number>();
  const text = lines.map((l, i) => {
    if (/^\s*\/\*\*/.test(l)) inDoc = true;
    const inside = inDoc;
    if (/\*\//.test(l)) inDoc = false;
    if (!inside) {
      inExample = false;
      return '';
    }
    const t = l.replace(/^\s*\/?\*\*?\/?( ?)/, '').replace(/\s*\*\/\s*$/, '');
    if (/^@example\b/.test(t)) inExample = true;
    else if (/^@\w/.test(t)) inExample = false;
    if (inExample && /^```/.test(t)) exampleAt.add(i);
    return t;
  });
  return fenced(file, text, (i) => exampleAt.has(i));
}

const blocks: Block[] = [...markdownFiles().flatMap(markdownBlocks), ...sourceFiles().flatMap(exampleBlocks)];

let work = '';
beforeAll(() => {
  // `ringstream` for the blocks: src/ in one CommonJS file, as scripts/bundle.js makes dist/index.js.
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ringstream-docs-'));
  const pkg = path.join(work, 'node_modules', 'ringstream');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'ringstream', main: 'index.js' }));
  const out = path.join(pkg, 'index.js');
  bundle(out, path.join(root, 'index.js'));
  return () => fs.rmSync(work, { recursive: true, force: true });
});

/** Runs a file with Node in `cwd`; resolves with its exit code (null when killed) and output. */
function run(file: string, cwd: string): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd, timeout: BLOCK_TIMEOUT_MS, killSignal: 'SIGKILL' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describe('documentation files', () => {
  it('the README stays a front page: under 15 KB', () => {
    expect(fs.statSync(path.join(root, 'README.md')).size).toBeLessThan(15_000);
  });

  it('every relative link points at a file that exists (and a heading, for #anchors)', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
        const [rel, hash] = target!.split('#');
        const dest = rel ? path.resolve(path.dirname(path.join(root, file)), rel) : path.join(root, file);
        if (!fs.existsSync(dest)) broken.push(`${file}: ${target} (no such file)`);
        else if (hash && dest.endsWith('.md')) {
          const headings = [...fs.readFileSync(dest, 'utf8').matchAll(/^#+ (.*)$/gm)].map((m) => anchor(m[1]!));
          if (!headings.includes(hash)) broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('documentation code blocks run', () => {
  it('finds the blocks (README, docs/, @example)', () => {
    expect(blocks.some((b) => b.where.startsWith('README.md'))).toBe(true);
    expect(blocks.some((b) => b.where.startsWith('docs'))).toBe(true);
    expect(blocks.some((b) => b.where.startsWith('src'))).toBe(true);
  });

  for (const [n, b] of blocks.entries()) {
    it(b.where, async () => {
      const dir = path.join(work, `block-${n}`);
      fs.mkdirSync(dir);
      const ts = b.lang === 'ts' || b.lang === 'typescript';
      const code = ts ? transformSync(b.code, { loader: 'ts', format: 'esm', target: 'esnext' }).code : b.code;
      const esm = /^\s*import\s/m.test(code) || !/\brequire\(/.test(code);
      const file = path.join(dir, esm ? 'block.mjs' : 'block.cjs');
      fs.writeFileSync(file, code);
      const r = await run(file, dir);
      if (process.env.DOCS_TEST_OUTPUT) console.log(`${b.where}:\n${r.output}`);
      const how = r.signal ? `killed (${r.signal}) after ${BLOCK_TIMEOUT_MS} ms: a hang` : `exit code ${r.code}`;
      expect(r.code === 0 && r.signal === null, `${b.where}: ${how}\n--- block ---\n${code}--- output ---\n${r.output}`).toBe(true);
    });
  }
});
