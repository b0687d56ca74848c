import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerUrl } from '../scan/pool.js';

// bin/exir.js runs the bundle that `npm run build` makes (scripts/bundle-cli.mjs): these check that
// bundling kept what start-up.test.ts checks on the sources, and that modules still find their data.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'bundle');

function bundleText(file: string): string {
  const path = join(BUNDLE, file);
  assert.ok(existsSync(path), `${path} is missing: run npm run build`);
  return readFileSync(path, 'utf8');
}

/** The chunks and packages a bundle file imports statically (what runs before any `import()`). */
function loadedAtStartup(entry: string): { chunks: string[]; packages: string[] } {
  const chunks = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (chunks.has(file)) continue;
    chunks.add(file);
    for (const m of bundleText(file).matchAll(/^import\s+(?:[^'";]*?\sfrom\s+)?"([^"]+)"/gm)) {
      const spec = m[1] as string;
      if (spec.startsWith('./')) queue.push(spec.slice(2));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  return { chunks: [...chunks], packages: [...packages].sort() };
}

test('the CLI runs from the bundle', () => {
  assert.match(readFileSync(join(ROOT, 'bin', 'exir.js'), 'utf8'), /from '\.\.\/dist\/bundle\/main\.js'/);
});

test("the bundle's start-up loads commander and picocolors only: each command's library stays in a chunk of its own", () => {
  const { chunks, packages } = loadedAtStartup('main.js');
  assert.deepEqual(packages, ['commander', 'picocolors']);
  const startup = chunks.map(bundleText).join('\n');
  // The rules' loader and the case store would mean a command's library came back into start-up.
  for (const name of ['function loadRuleset', 'function openStore', 'function loadEngine']) assert.ok(!startup.includes(name), `${name} is loaded at start-up`);
  // ...while the lazy chunks do hold it (the check above would pass on an empty bundle otherwise).
  const all = readdirSync(BUNDLE)
    .filter((f) => f.endsWith('.js'))
    .map(bundleText)
    .join('\n');
  assert.ok(all.includes('function loadRuleset'));
});

test('every module in the bundle reads its data files from its own place in dist/, not from the bundle folder', () => {
  for (const file of readdirSync(BUNDLE).filter((f) => f.endsWith('.js'))) {
    const text = bundleText(file);
    const all = text.match(/import\.meta\.url/g)?.length ?? 0;
    const placed = [...text.matchAll(/new URL\("\.\.\/[a-z-]+\/[^"]*\.js", import\.meta\.url\)\.href/g)].length;
    assert.equal(placed, all, `${file}: an import.meta.url left as the bundle's own`);
  }
  assert.match(bundleText('main.js') + readdirSync(BUNDLE).map(bundleText).join(''), /new URL\("\.\.\/detect\/rules-dirs\.js", import\.meta\.url\)\.href/);
});

test("the scan's worker threads start from a bundle of their own, which loads the rules but not the command line", () => {
  const { chunks, packages } = loadedAtStartup('worker.js');
  assert.ok(!packages.includes('commander'), 'the worker loads the command line');
  const startup = chunks.map(bundleText).join('\n');
  assert.ok(startup.includes('function loadEngine'), "the worker's bundle does not hold the scan");
  // pool.ts starts the bundled worker where there is one: built, it is dist/bundle/worker.js.
  assert.equal(fileURLToPath(workerUrl(pathToFileURL(join(ROOT, 'dist', 'scan', 'pool.js')).href)), join(BUNDLE, 'worker.js'));
});
