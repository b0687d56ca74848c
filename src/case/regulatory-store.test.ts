// The regulatory suite against both stores, as store.test.ts runs the main one.

import { onBothStores } from './test-support/harness.js';
import { regulatorySuite } from './test-support/regulatory-suite.js';

await onBothStores(regulatorySuite, 'case store (regulatory)');
