// The same suite against both stores. PostgreSQL: EXIR_TEST_PG, or the machine's server on
// 127.0.0.1:5432 (user postgres, trust auth); when it cannot be reached the PostgreSQL half is
// skipped and says why.

import { onBothStores } from './test-support/harness.js';
import { storeSuite } from './test-support/store-suite.js';

await onBothStores(storeSuite, 'case store');
