import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkZone, inZone } from './zoned-time.js';

test('Jersey time is GMT in winter and GMT+1 in summer', () => {
  assert.equal(inZone('2021-03-03T02:14:22.123Z'), '2021-03-03 02:14:22 GMT');
  assert.equal(inZone('2021-07-03T02:14:22Z'), '2021-07-03 03:14:22 GMT+1');
  // The March 2021 change: 01:00 UTC on the 28th.
  assert.equal(inZone('2021-03-28T00:59:59Z'), '2021-03-28 00:59:59 GMT');
  assert.equal(inZone('2021-03-28T01:00:00Z'), '2021-03-28 02:00:00 GMT+1');
  assert.equal(inZone('2021-03-03T02:14:22Z', 'UTC'), '2021-03-03 02:14:22 GMT');
  assert.equal(inZone(undefined), 'time unknown');
});

test('an unknown zone is a clear error', () => {
  assert.throws(() => checkZone('Mars/Olympus'), /unknown time zone "Mars\/Olympus"/);
});

test('a value that is not a time is shown as it is', () => {
  assert.equal(inZone('yesterday'), 'yesterday');
});
