// The same suite against both stores. PostgreSQL: EXIR_TEST_PG, or the machine's server on
// 127.0.0.1:5432 (user postgres, trust auth); when it cannot be reached the PostgreSQL half is
// skipped and says why.

import { after, describe, it } from 'node:test';
import { pgHarnesses, pgUnreachable, sqliteHarnesses } from './test-support/harness.js';
import { storeSuite } from './test-support/store-suite.js';

storeSuite('SQLite', sqliteHarnesses());

const pgUrl = process.env.EXIR_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const unreachable = await pgUnreachable(pgUrl);
if (unreachable !== undefined) {
  describe('case store on PostgreSQL', () => {
    it('runs against a PostgreSQL server', (t) => {
      t.skip(`PostgreSQL not reachable at ${pgUrl}: ${unreachable}`);
    });
  });
} else {
  const pgRun = pgHarnesses(pgUrl);
  storeSuite('PostgreSQL', pgRun.factory);
  after(() => pgRun.drop());
}
