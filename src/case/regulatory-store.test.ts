// The regulatory suite against both stores, as store.test.ts runs the main one.

import { after, describe, it } from 'node:test';
import { pgHarnesses, pgUnreachable, sqliteHarnesses } from './test-support/harness.js';
import { regulatorySuite } from './test-support/regulatory-suite.js';

regulatorySuite('SQLite', sqliteHarnesses());

const pgUrl = process.env.EXIR_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const unreachable = await pgUnreachable(pgUrl);
if (unreachable !== undefined) {
  describe('case store (regulatory) on PostgreSQL', () => {
    it('runs against a PostgreSQL server', (t) => {
      t.skip(`PostgreSQL not reachable at ${pgUrl}: ${unreachable}`);
    });
  });
} else {
  const pgRun = pgHarnesses(pgUrl);
  regulatorySuite('PostgreSQL', pgRun.factory);
  after(() => pgRun.drop());
}
