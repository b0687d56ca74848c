import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldSetOf, perFieldSet } from './field-set.js';

test('the same names give the same field set; other names or another separator give their own', () => {
  const a = fieldSetOf(['date', 'time', 'cs-uri-stem'], ' ');
  assert.equal(fieldSetOf(['date', 'time', 'cs-uri-stem'], ' '), a);
  const other = fieldSetOf(['date', 'time', 'cs-uri-query'], ' ');
  assert.notEqual(other, a);
  assert.equal(other.indexOf('cs-uri-query'), 2);
  assert.equal(a.indexOf('cs-uri-query'), -1);
  const comma = fieldSetOf(['date', 'time', 'cs-uri-stem'], ',');
  assert.notEqual(comma, a);
  assert.equal(comma.headerRow.toString(), 'date,time,cs-uri-stem');
  assert.equal(a.headerRow.toString(), 'date time cs-uri-stem');
  // Names that join to the same text another way are not taken for each other.
  assert.notEqual(fieldSetOf(['a b', 'c'], ' '), fieldSetOf(['a', 'b c'], ' '));
  assert.ok(a.sameAs(fieldSetOf(['date', 'time', 'cs-uri-stem'], ',')));
});

test('a set with repeated names is kept with what it says of them', () => {
  const set = fieldSetOf(['a', 'b', 'a', 'c'], ',');
  assert.deepEqual(set.repeated, ['a']);
  assert.equal(set.span, 2);
  assert.equal(fieldSetOf(['a', 'b', 'a', 'c'], ','), set);
  assert.ok(set.accepts(4) && set.accepts(2) && !set.accepts(3));
});

test("a reader's layout is made once per field set, and apart for another set", () => {
  let made = 0;
  const layoutOf = perFieldSet((f) => ({ n: ++made, time: f.indexOf('time') }));
  const a = fieldSetOf(['date', 'time'], ' ');
  const b = fieldSetOf(['time', 'date'], ' ');
  assert.equal(layoutOf(a), layoutOf(fieldSetOf(['date', 'time'], ' ')));
  assert.deepEqual(layoutOf(b), { n: 2, time: 0 });
  assert.equal(made, 2);
});
