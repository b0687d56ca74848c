import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from '../test-support/source-files.js';

// `exir --help` and a scan of one file must start in a blink: what main.ts loads before a command
// runs is only the command line's own code and commander. A command's library (the rules, the
// case store's database drivers, PDF and DOCX, the queue) is loaded by its action with `import()`.
// This walks the static imports, which run at start-up; `import type` and `import()` do not.
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) found.push(m[1] as string);
  return found;
}

function loadedAtStartup(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
        continue;
      }
      const target = join(dirname(file), spec.replace(/\.js$/, '.ts'));
      assert.ok(existsSync(target), `${relative(SRC, file)} imports ${spec}, which is not a file`);
      queue.push(target);
    }
  }
  return { files: [...files].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

test("start-up loads commander and the command line's own small modules, no library", () => {
  const { files, packages } = loadedAtStartup(join(SRC, 'cli', 'main.ts'));
  // picocolors is one small file (the colours of `exir rules`).
  assert.deepEqual(packages, ['commander', 'picocolors']);
  // What a command's help shows before it runs (choices, defaults) and the case's text views; each
  // of these imports no package, which the line above checks.
  const library = files.filter((f) => !/^(cli|core)[\\/]/.test(f));
  assert.deepEqual(library, [
    'case/render-text.ts',
    'case/types.ts',
    'correlate/coverage.ts',
    'correlate/exchange-host.ts',
    'correlate/verdict.ts',
    'detect/rules-dirs.ts',
    'evidence/zip-limits.ts',
    'regulatory/pack-names.ts',
    'report/packs/formats.ts',
  ]);
});

test('the walk sees what a static import loads (it would catch a heavy module brought back)', () => {
  assert.ok(loadedAtStartup(join(SRC, 'detect', 'sigma', 'rule-read.ts')).packages.includes('yaml'));
  assert.ok(loadedAtStartup(join(SRC, 'scan', 'run.ts')).files.some((f) => f.startsWith('detect')));
});

// A package imported as an ES module is read through Node's lexer for its names on every run, in
// every thread: yauzl's 43 KB cost each of them about 45 ms of CPU, zip or none (src/evidence/yauzl.ts).
// A scan loads its packages when it uses them: the zip reader when an archive is opened.
test('a scan, in this thread and in its workers, imports no package before it uses one', () => {
  for (const entry of [join(SRC, 'scan', 'run.ts'), join(SRC, 'scan', 'worker.ts')]) {
    assert.deepEqual(loadedAtStartup(entry).packages, [], relative(SRC, entry));
  }
});

// A CommonJS package imported as an ES module is read through Node's lexer for its exports each time
// a process (or thread) loads it: yauzl's 43 KB cost about 45 ms of CPU a thread, tldts's 221 KB
// 60-70 ms. A large one is required where it is used instead (src/evidence/yauzl.ts).
const LEXED_MAX_BYTES = 8 * 1024;

/** Whether Node loads this package entry as CommonJS: `.cjs`, or `.js` under a package.json that is not `"type": "module"`. */
function isCommonJs(entry: string): boolean {
  if (entry.endsWith('.cjs')) return true;
  if (entry.endsWith('.mjs')) return false;
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type !== 'module';
  }
  return true;
}

test('no module imports a large CommonJS package as an ES module: it is required where used', () => {
  const large: string[] = [];
  // Each package resolved once: commander alone is imported by eighteen modules.
  const isLarge = new Map<string, boolean>();
  for (const file of sourceFiles(SRC)) {
    for (const spec of staticImports(file)) {
      if (spec.startsWith('node:') || spec.startsWith('.')) continue;
      let lexed = isLarge.get(spec);
      if (lexed === undefined) {
        const entry = fileURLToPath(import.meta.resolve(spec));
        lexed = isCommonJs(entry) && statSync(entry).size > LEXED_MAX_BYTES;
        isLarge.set(spec, lexed);
      }
      if (lexed) large.push(`${relative(SRC, file)}: ${spec}`);
    }
  }
  // The walk sees the packages the code imports (it would pass on seeing none).
  assert.ok(isLarge.has('commander') && isLarge.has('yaml'), [...isLarge.keys()].join(', '));
  assert.deepEqual(large, []);
});
