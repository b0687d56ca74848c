// Joins the CLI's compiled modules (dist/) into a few files under dist/bundle/, which bin/exir.js runs:
// Node 20 resolves, reads and links each ES module on its own, and for a scan of one small file that
// was a fifth of its CPU (issue #17). What a command imports with `import()` stays in its own chunk,
// loaded only when the command runs. Packages stay outside, loaded from node_modules as before.
//
// Modules find their data files relative to themselves (`new URL('../../data/…', import.meta.url)`), at
// different depths; in a bundle every chunk sits in dist/bundle/, so each module's `import.meta.url` is
// given back its own place in dist/ and those paths still land where they did.
//
// It also writes dist/build-id.txt, a hash of the compiled code: the compiled rules cache
// (src/detect/ruleset-cache.ts) is kept per build, so that a changed compiler never reads an old cache.

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

const ownPlace = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const fromOut = relative(OUT, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

const code = (await readdir(join(ROOT, 'dist'), { recursive: true }))
  .map((f) => f.split(sep).join('/'))
  .filter((f) => f.endsWith('.js') && !f.startsWith('bundle/'))
  .sort();
const hash = createHash('sha256');
for (const file of code) hash.update(`${file}\0${await readFile(join(ROOT, 'dist', file))}\0`);
await writeFile(join(ROOT, 'dist', 'build-id.txt'), `${hash.digest('hex')}\n`);

// Chunks are named by their content: last build's would stay beside this one's.
await rm(OUT, { recursive: true, force: true });
await build({
  // The scan's worker threads load a bundle too: each thread loads its modules on its own.
  entryPoints: { main: join(ROOT, 'dist', 'cli', 'main.js'), worker: join(ROOT, 'dist', 'scan', 'worker.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [ownPlace],
  logLevel: 'warning',
});
