// Run as a child process by the store's tests: starts recording a large scan, says so from inside
// the transaction, and waits there to be killed (SIGKILL) by the parent.

import { writeSync } from 'node:fs';
import { openStore } from '../store.js';
import { largeScan } from './scan-fixtures.js';

const [url, ref, files, perFile] = process.argv.slice(2);
if (!url || !ref || !files || !perFile) throw new Error('usage: killed-scan-child URL CASE FILES PER_FILE');

const store = await openStore(url, { actor: 'child' });
await store.recordScan(ref, largeScan(Number(files), Number(perFile)), {
  actor: 'child',
  args: ['scan', '--case', ref],
  progress: async (done, total) => {
    // Synchronous write: the parent must hear this even though we never return to the event loop's idle phase.
    writeSync(1, `INSIDE ${done}/${total}\n`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  },
});
writeSync(1, 'COMPLETED\n');
await store.close();
