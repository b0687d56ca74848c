import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateDemo } from '../demo/generate.js';
import { poisonReleasedBuffers } from '../evidence/open.js';
import { CORPUS, corpusMissing, skipIf } from '../test-support/skips.js';
import { scan } from './run.js';

// Both passes read a small file into a buffer the opener lends and lends again for a later file.
// A view of a file's bytes kept past its release would read another file's bytes: with every buffer
// given back filled with junk, the scan must say exactly what it says otherwise.

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-lent-'));
  // The attackers in most logs: the follow pass reads many files record by record from lent bytes.
  await generateDemo({ outDir: join(dir, 'bundle'), targetBytes: 1_500_000, attackerEverywhere: true });
});
after(async () => {
  poisonReleasedBuffers(false);
  await rm(dir, { recursive: true, force: true });
});

async function bothWays(inputs: string[]): Promise<{ plain: string; poisoned: string }> {
  const plain = JSON.stringify(await scan({ inputs, threads: 1, now: new Date(0) }));
  poisonReleasedBuffers(true);
  try {
    return { plain, poisoned: JSON.stringify(await scan({ inputs, threads: 1, now: new Date(0) })) };
  } finally {
    poisonReleasedBuffers(false);
  }
}

test('no view of a lent buffer outlives its file: the demo bundle scans the same with released buffers spoiled', async () => {
  const { plain, poisoned } = await bothWays([join(dir, 'bundle')]);
  assert.equal(poisoned, plain);
  // And the hashes are of the files' own bytes.
  const result = JSON.parse(plain) as { evidence: { path: string; sha256: string }[] };
  for (const e of result.evidence.slice(0, 50)) {
    const bytes = await readFile(join(dir, e.path));
    assert.equal(e.sha256, createHash('sha256').update(bytes).digest('hex'), e.path);
  }
});

test('the corpus scans the same with released buffers spoiled', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(CORPUS))) return;
  const { plain, poisoned } = await bothWays([CORPUS]);
  assert.equal(poisoned, plain);
});
