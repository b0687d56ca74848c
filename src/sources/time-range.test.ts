import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeRange } from './time-range.js';

test('the range keeps the earliest and latest times offered, from anywhere in a buffer', () => {
  const range = new TimeRange();
  assert.equal(range.first(), undefined);
  const row = (time: string): Buffer => Buffer.from(`xx ${time} yy`, 'latin1');
  const offer = (time: string): void => range.offer(row(time), 3, 3 + time.length);
  offer('2021-03-03 02:00:00');
  assert.equal(range.first(), '2021-03-03 02:00:00');
  assert.equal(range.last(), '2021-03-03 02:00:00');
  offer('2021-03-03 02:00:01');
  offer('2021-03-03 02:00:01');
  offer('2021-03-02 23:59:59');
  offer('2021-03-03 01:00:00');
  assert.equal(range.first(), '2021-03-02 23:59:59');
  assert.equal(range.last(), '2021-03-03 02:00:01');
  // A longer time sorts after its own prefix; a shorter one replaces the longer without leftovers.
  offer('2021-03-03 02:00:01.5');
  assert.equal(range.last(), '2021-03-03 02:00:01.5');
  offer('2021-03-04');
  assert.equal(range.last(), '2021-03-04');
  offer('2021-03-01');
  assert.equal(range.first(), '2021-03-01');
  range.offerText('2021-02-28 12:00:00');
  assert.equal(range.first(), '2021-02-28 12:00:00');
  // Nothing, or more than the range holds, is not a time.
  range.offer(row('x'), 3, 3);
  range.offer(Buffer.alloc(80, 0x30), 0, 65);
  assert.equal(range.first(), '2021-02-28 12:00:00');
  assert.equal(range.last(), '2021-03-04');
});
