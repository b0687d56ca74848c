import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAll } from './resolve.js';

test('names are asked in batches no bigger than the rate, with a wait between batches, and each answer kept', async () => {
  const asked: string[][] = [];
  let batch: string[] = [];
  const waits: number[] = [];
  const registered = new Set(['examp1e.com']);
  // Each question takes 40 ms on this clock, so each batch of two must wait out the other 920 ms.
  let clock = 0;
  const answers = await resolveAll(
    ['a.com', 'b.com', 'examp1e.com', 'c.com', 'd.com'],
    (n) => {
      batch.push(n);
      clock += 40;
      return Promise.resolve(n === 'c.com' ? undefined : registered.has(n));
    },
    {
      perSecond: 2,
      now: () => clock,
      sleep: (ms) => {
        waits.push(ms);
        asked.push(batch);
        batch = [];
        return Promise.resolve();
      },
    },
  );
  asked.push(batch);
  assert.deepEqual(asked, [['a.com', 'b.com'], ['examp1e.com', 'c.com'], ['d.com']]);
  assert.deepEqual(waits, [920, 920], 'each batch waits out the rest of its second');
  assert.deepEqual(
    [...answers],
    [
      ['a.com', false],
      ['b.com', false],
      ['examp1e.com', true],
      ['c.com', undefined],
      ['d.com', false],
    ],
  );
});
