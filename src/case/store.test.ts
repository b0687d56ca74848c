// The same suite against both stores. PostgreSQL: EXIR_TEST_PG, or the machine's server on
// 127.0.0.1:5432 (user postgres, trust auth); when it cannot be reached the PostgreSQL half is
// skipped and says why.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from './store.js';
import { onBothStores } from './test-support/harness.js';
import { storeSuite } from './test-support/store-suite.js';

await onBothStores(storeSuite, 'case store');

describe('a lost SQLite store', () => {
  it('a 0-byte file, or a missing file beside its journal, is an error, not a new empty store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exir-lost-'));
    try {
      const file = join(dir, 'exir.db');
      writeFileSync(file, '');
      await assert.rejects(openStore(`sqlite:${file}`, { actor: 't' }), /is empty \(0 bytes\)/);
      assert.equal(statSync(file).size, 0, 'the empty file is left as it was');
      rmSync(file);
      writeFileSync(`${file}-wal`, 'x');
      await assert.rejects(openStore(`sqlite:${file}`, { actor: 't' }), /is missing but its journal/);
      assert.equal(existsSync(file), false);
      rmSync(`${file}-wal`);
      const fresh = await openStore(`sqlite:${file}`, { actor: 't' });
      await fresh.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
