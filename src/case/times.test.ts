import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseTime, parseInstant } from './times.js';

test('typed times need a zone and come back as UTC ISO text', () => {
  assert.equal(parseInstant('2021-03-05T15:00+01:00', 't'), '2021-03-05T14:00:00.000Z');
  assert.equal(parseInstant('2021-03-05 14:00:30Z', 't'), '2021-03-05T14:00:30.000Z');
  assert.equal(parseInstant('2021-03-05T14:00:00.5-0230', 't'), '2021-03-05T16:30:00.500Z');
  assert.equal(parseInstant('2021-03-05', 't'), '2021-03-05T00:00:00.000Z');
  assert.throws(() => parseInstant('2021-03-05 14:00', 'aware'), /aware: .* not a time with a zone/);
  assert.throws(() => parseInstant('yesterday', 'aware'), /zone/);
  assert.throws(() => parseInstant('2021-02-30T10:00Z', 'aware'), /zone/);
});

test('scan times are normalised to milliseconds, unreadable ones dropped', () => {
  assert.equal(normaliseTime('2021-03-02T11:00:00.1234567Z'), '2021-03-02T11:00:00.123Z');
  assert.equal(normaliseTime('not a time'), undefined);
  assert.equal(normaliseTime(undefined), undefined);
});
