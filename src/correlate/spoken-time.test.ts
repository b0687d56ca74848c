import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spokenIn, spokenTime } from './verdict.js';

test("a time in a sentence is said in UTC for the JSON, and in the reader's zone with its abbreviation", () => {
  assert.equal(spokenTime('2021-07-03T02:14:59Z'), 'at 02:14 UTC on 3 July 2021');
  assert.equal(spokenTime('2021-07-03T02:14:59Z', 'Europe/Jersey'), 'at 03:14 BST on 3 July 2021');
  assert.equal(spokenTime('2021-03-03T23:30:00Z', 'Europe/Paris'), 'at 00:30 CET on 4 March 2021');
  assert.equal(spokenTime(undefined, 'Europe/Jersey'), 'at an unknown time');
});

test("a stored sentence has its spoken times moved to the reader's zone and nothing else changed", () => {
  const stored = 'exploited: a web shell was written at 23:10 UTC on 2 March 2021, then used at 00:20 UTC on 28 March 2021 from 2 IP addresses';
  assert.equal(
    spokenIn(stored, 'Europe/Jersey'),
    'exploited: a web shell was written at 23:10 GMT on 2 March 2021, then used at 00:20 GMT on 28 March 2021 from 2 IP addresses',
  );
  assert.equal(spokenIn('used at 01:30 UTC on 28 March 2021', 'Europe/Jersey'), 'used at 02:30 BST on 28 March 2021');
  assert.equal(spokenIn(stored, 'UTC'), stored);
  assert.equal(spokenIn('no time here: 25:99 UTC on 40 Smarch 2021', 'Europe/Jersey'), 'no time here: 25:99 UTC on 40 Smarch 2021');
});

test('a time that is not one is said as unknown, in any zone', () => {
  assert.equal(spokenTime('not a time'), 'at an unknown time');
  assert.equal(spokenTime(''), 'at an unknown time');
});

test('every month is said by its name, in UTC and in a zone', () => {
  const names = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const said = names.map((_, i) => `2021-${String(i + 1).padStart(2, '0')}-15T12:00:00Z`);
  assert.deepEqual(
    said.map((iso) => spokenTime(iso).split(' ').at(-2)),
    names,
  );
  assert.deepEqual(
    said.map((iso) => spokenTime(iso, 'Europe/Jersey').split(' ').at(-2)),
    names,
  );
  assert.deepEqual(
    said.map((iso) => spokenIn(spokenTime(iso), 'Asia/Tokyo').split(' ').at(-2)),
    names,
  );
});
