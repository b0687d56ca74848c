import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoClosing } from './demo.js';

test('the demo describes what it scanned, not the sample it would have written', () => {
  const fresh = demoClosing(
    [
      { name: 'EX01', verdict: 'post-exploitation' },
      { name: 'EX02', verdict: 'probed' },
    ],
    true,
    'exir-demo',
  );
  assert.match(fresh, /Scanned the sample evidence the demo wrote: EX01 post-exploitation, EX02 probed\./);
  const other = demoClosing([{ name: 'MAIL7', verdict: 'clean' }], false, 'evidence');
  assert.match(other, /Scanned what evidence already held \(not necessarily the demo's sample\): MAIL7 clean\./);
  assert.doesNotMatch(other, /EX01|attacked server/);
  assert.match(demoClosing([], false, 'empty'), /no Exchange or IIS server/);
});
