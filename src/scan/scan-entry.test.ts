import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EvidenceOpener } from '../evidence/open.js';
import { loadEngine } from './engine.js';
import { scanEntry } from './scan-entry.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-entry-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a file that cannot be read is unreadable, not a file hashed and listed', async () => {
  // Listed, then gone before it is read: the large-file path opens it only as it streams.
  const entry = { path: 'EX01/gone.log', location: { kind: 'file' as const, file: join(dir, 'gone.log') }, size: 64 * 1024 * 1024, layoutServer: 'EX01' };
  const opener = new EvidenceOpener();
  try {
    const { evidence, warnings } = await scanEntry(entry, await loadEngine({ noShippedRules: true }), opener);
    assert.equal(evidence.unreadable, true);
    assert.match(evidence.note ?? '', /^unreadable after 0 bytes/);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /read failed: ENOENT/);
    assert.equal(warnings[0]?.where, 'EX01/gone.log');
  } finally {
    await opener.close();
  }
});
