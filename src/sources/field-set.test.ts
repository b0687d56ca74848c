import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldSetOf, fieldSetsByText, perFieldSet } from './field-set.js';

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

test('a blank row holds the columns a row of that many values is read by, in the order setting them gives, and is new each time', () => {
  const set = fieldSetOf(['time', '2', 'Agent', '__proto__', '10', 'time', 'x'], ',');
  for (const values of [set.count, set.span]) {
    const oneByOne: Record<string, string> = {};
    for (const [name] of set.columns(values)) oneByOne[name] = '';
    const row = set.blankRow(values);
    assert.deepEqual(Object.keys(row), Object.keys(oneByOne));
    assert.ok(Object.values(row).every((v) => v === ''));
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    row['Agent'] = 'changed';
    row['added'] = 'y';
    assert.deepEqual(set.blankRow(values), oneByOne, 'a row handed out earlier and changed leaves the next one blank');
  }
  assert.deepEqual(Object.keys(set.blankRow(set.count)), ['2', '10', 'time', 'Agent', 'x']);
  assert.deepEqual(Object.keys(set.blankRow(set.span)), ['2', '10', 'time', 'Agent']);
});

test("a header's text is split once, and gives the set its names give", () => {
  const split: string[] = [];
  const setOf = fieldSetsByText(',', (text) => {
    split.push(text);
    return text.split(',').map((n) => n.trim());
  });
  const a = setOf('DateTime,RequestId');
  assert.equal(setOf('DateTime,RequestId'), a);
  assert.equal(setOf('DateTime, RequestId'), a, 'other text, the same names: the same set');
  assert.equal(a, fieldSetOf(['DateTime', 'RequestId'], ','));
  assert.notEqual(setOf('DateTime,ClientIp'), a);
  assert.deepEqual(split, ['DateTime,RequestId', 'DateTime, RequestId', 'DateTime,ClientIp']);
  assert.notEqual(fieldSetsByText(' ', (text) => text.split(' '))('DateTime RequestId'), a, 'another separator, another set');
});
