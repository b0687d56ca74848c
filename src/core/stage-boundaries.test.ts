import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from '../test-support/source-files.js';

// The design's one rule of shape, enforced: data flows one way, so a stage imports only from the
// stages before it and from core. `scan` runs the first stages; `cli` and `demo` sit on top.
const ORDER = ['core', 'evidence', 'sources', 'detect', 'correlate', 'scan', 'case', 'assess', 'regulatory', 'report', 'web', 'demo', 'cli'];
const SAME_LEVEL: Record<string, string[]> = { assess: ['regulatory'], regulatory: ['assess'] };
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

test('every stage imports only from the stages before it', () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const stage = relative(SRC, file).split(/[\\/]/)[0] as string;
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
      const target = relative(SRC, normalize(join(dirname(file), m[1] as string))).split(/[\\/]/)[0] as string;
      if (target === stage || !ORDER.includes(target) || SAME_LEVEL[stage]?.includes(target)) continue;
      if (ORDER.indexOf(target) > ORDER.indexOf(stage)) wrong.push(`${relative(SRC, file)} imports ${m[1]}`);
    }
  }
  assert.ok(ORDER.length > 0);
  assert.deepEqual(wrong, []);
});
