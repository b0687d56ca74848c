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

/** The row setting a set's names one by one on `{}` gives: what `row` must give. */
function oneByOne(columns: readonly (readonly [string, number])[], parts: readonly string[]): Record<string, string> {
  const row: Record<string, string> = {};
  for (const [name, i] of columns) row[name] = parts[i] ?? '';
  return row;
}

test('a row holds the columns a row of that many values is read by, in the order setting them gives, and is new each time', () => {
  const set = fieldSetOf(['time', '2', 'Agent', '__proto__', '10', 'time', 'x'], ',');
  for (const values of [set.count, set.span]) {
    const parts = ['t', 'two', 'agent', 'proto', 'ten', 't again', 'x'].slice(0, values);
    const row = set.row(values, parts);
    assert.deepEqual(row, oneByOne(set.columns(values), parts));
    assert.deepEqual(Object.keys(row), Object.keys(oneByOne(set.columns(values), parts)));
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    row['Agent'] = 'changed';
    row['added'] = 'y';
    assert.deepEqual(set.row(values, parts), oneByOne(set.columns(values), parts), 'a row handed out earlier and changed leaves the next one as it was');
    assert.deepEqual(set.row(values, []), oneByOne(set.columns(values), []), 'values past the end are empty');
  }
  assert.deepEqual(Object.keys(set.row(set.count, [])), ['2', '10', 'time', 'Agent', 'x']);
  assert.deepEqual(Object.keys(set.row(set.span, [])), ['2', '10', 'time', 'Agent']);
});

test("a row is made from the log's own names, whatever they hold, as setting them one by one makes it", () => {
  // A header is evidence: the names are the attacker's to choose. Each must be a name, never code.
  const hostile = [
    'date-time',
    'a"b',
    "a'b",
    'back\\slash',
    '"}; globalThis.hacked = 1; ({"',
    '${globalThis.hacked = 2}',
    '`tick`',
    'line\nbreak',
    'para\u2028sep\u2029',
    'lone \ud800 surrogate',
    '\u0000nul',
    'constructor',
    'toString',
    'hasOwnProperty',
    '0',
    '4294967295',
    '-1',
    '',
    ' ',
    'x'.repeat(10_000),
  ];
  const set = fieldSetOf(hostile, ',');
  const parts = hostile.map((_, i) => `v${i}`);
  const row = set.row(set.count, parts);
  assert.deepEqual(row, oneByOne(set.columns(set.count), parts));
  assert.deepEqual(Object.keys(row), Object.keys(oneByOne(set.columns(set.count), parts)));
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  assert.equal((globalThis as { hacked?: number }).hacked, undefined);
  // Repeated names, and more columns than are compiled (past 256 a row is made by setting them), read the same.
  for (const names of [['a', 'b', 'a', 'c'], Array.from({ length: 300 }, (_, i) => `c${i}`)]) {
    const other = fieldSetOf(names, ',');
    const values = names.map((n) => `${n}!`);
    for (const count of [other.count, other.span]) assert.deepEqual(other.row(count, values), oneByOne(other.columns(count), values));
  }
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
