import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFieldItem } from './field-item.js';
import { parseFieldSpec } from './modifiers.js';
import { RuleProblem } from './problem.js';
import type { ItemValue } from './rule-data.js';
import { record } from './test-helpers/rules.js';

const str = (text: string, at?: number): ItemValue => (at === undefined ? { kind: 'string', text } : { kind: 'string', text, at });
const item = (key: string, ...values: (string | ItemValue)[]) =>
  compileFieldItem(
    parseFieldSpec(key),
    values.map((v) => (typeof v === 'string' ? str(v) : v)),
  );
const on = (key: string, values: (string | ItemValue)[], a: string | undefined): boolean => item(key, ...values).match(record(a === undefined ? {} : { a }));

/** The RuleProblem a compile throws. */
function problemOf(compile: () => unknown): RuleProblem {
  try {
    compile();
  } catch (e) {
    assert.ok(e instanceof RuleProblem, String(e));
    return e;
  }
  assert.fail('no problem raised');
}

void test('no values is a mistake; a bad value is located at that value unless it knows better', () => {
  assert.equal(problemOf(() => item('cs-uri')).message, "no value given for 'cs-uri'");
  const bad = problemOf(() => item('a|re', str('ok', 3), str('a(', 17)));
  assert.match(bad.message, /^bad regular expression/);
  assert.equal(bad.at, 17);
  assert.equal(problemOf(() => item('a|cidr', str('10.0.0.0/8', 1), str('10.0.0.0/99', 40))).at, 40);
  assert.equal(problemOf(() => item('a|gt', str('x', 9))).at, 9);
});

void test('a list of values skips the pattern route only when every value is a whole, case-insensitive string', () => {
  // Each modifier below must not be read as a plain equality of the values as written.
  assert.equal(on('a|cased', ['Abc', 'Def'], 'abc'), false);
  assert.equal(on('a|cased', ['Abc', 'Def'], 'Def'), true);
  assert.equal(on('a|contains', ['bc', 'xyz'], 'abcd'), true);
  assert.equal(on('a|startswith', ['ab', 'xyz'], 'abcd'), true);
  assert.equal(on('a|endswith', ['cd', 'xyz'], 'abcd'), true);
  assert.equal(on('a|all', ['abc', 'abd'], 'abc'), false, 'all of two different whole values never holds');
  assert.equal(on('a|all', ['abc', 'ABC'], 'aBc'), true);
  assert.equal(on('a|base64', ['abc', 'def'], 'abc'), false);
  assert.equal(on('a|base64', ['abc', 'def'], 'YWJj'), true);
  assert.equal(on('a|cidr', ['10.0.0.0/8', '192.168.0.0/16'], '10.1.2.3'), true);
  assert.equal(on('a|re', ['^a.c$', 'zz'], 'abc'), true);
  // Wildcards and escapes are patterns, each of the three characters.
  assert.equal(on('a', ['a*', 'zz'], 'axyz'), true);
  assert.equal(on('a', ['a?c', 'zz'], 'abc'), true);
  assert.equal(on('a', ['a\\*', 'zz'], 'a*'), true);
  assert.equal(on('a', ['a\\*', 'zz'], 'a\\*'), false);
  // A null among them means absent or empty, not the text ''.
  const withNull: ItemValue[] = [{ kind: 'null', text: '' }, str('x')];
  assert.equal(on('a', withNull, undefined), true);
  assert.equal(on('a', withNull, ''), true);
  // Keywords search the text.
  const kw = item('', 'needle', 'pin');
  assert.equal(kw.match(record({}, 'a NEEDLE in hay')), true);
  assert.equal(kw.match(record({}, 'hay')), false);
});

void test('whole values: a Set lookup of lower-cased values; absent is no value; literals each, or none if one is too short', () => {
  const eq = item('a', 'GET', '/OWA/auth/', 'Microsoft-Server-ActiveSync', 'ab');
  assert.equal(eq.match(record({ a: 'get' })), true);
  assert.equal(eq.match(record({ a: '/owa/AUTH/' })), true);
  assert.equal(eq.match(record({ a: 'AB' })), true);
  assert.equal(eq.match(record({ a: '/owa/auth' })), false);
  assert.equal(eq.match(record({})), false);
  assert.deepEqual(item('a', '/OWA/auth/', 'Microsoft-Server-ActiveSync').literals, ['/owa/auth/', 'microsoft-server-activesync']);
  assert.equal(eq.literals, null, "'ab' is too short a literal, so the list requires none");
});

void test('three or more whole values beside a pattern: one lookup, the pattern still asked', () => {
  const mixed = item('a', 'one', 'two', 'three', 'f*r');
  for (const [v, want] of [
    ['ONE', true],
    ['Three', true],
    ['four', true],
    ['fr', true],
    ['five', false],
    ['thre', false],
  ] as const)
    assert.equal(mixed.match(record({ a: v })), want, v);
  assert.equal(mixed.match(record({})), false);
  const cased = item('a|cased', 'One', 'Two', 'Three', 'F*r');
  assert.equal(cased.match(record({ a: 'one' })), false);
  assert.equal(cased.match(record({ a: 'Two' })), true);
  assert.equal(cased.match(record({ a: 'Four' })), true);
});

void test('one value, any of several, or all of several, each asked of the same field', () => {
  assert.equal(on('a|contains', ['abc'], 'xABCx'), true);
  assert.equal(on('a|contains', ['abc'], 'xABx'), false);
  assert.equal(on('a|contains', ['ab', 'cd'], 'cd'), true);
  assert.equal(on('a|contains', ['ab', 'cd'], 'xx'), false);
  assert.equal(on('a|contains', ['ab', 'cd'], undefined), false);
  assert.equal(on('a|contains|all', ['ab', 'cd'], 'ab'), false);
  assert.equal(on('a|contains|all', ['ab', 'cd'], 'cd'), false);
  assert.equal(on('a|contains|all', ['ab', 'cd'], 'CDAB'), true);
  assert.equal(on('a|contains|all', ['ab', 'cd'], undefined), false);
  // The pre-filter: any of the values needs one literal of each; all of them needs only one.
  assert.deepEqual(item('a|contains', 'abcdef', 'ghijklmn').literals, ['abcdef', 'ghijklmn']);
  assert.deepEqual(item('a|contains|all', 'abcdef', 'ghijklmn').literals, ['ghijklmn']);
});

void test('keywords: each record text lower-cased afresh', () => {
  const kw = item('', 'needle');
  const texts: [string, boolean][] = [
    ['NEEDLE', true],
    ['hay', false],
    ['a Needle', true],
    ['hay', false],
    ['hay', false],
    ['needle', true],
  ];
  for (const [text, want] of texts) assert.equal(kw.match(record({}, text)), want, text);
  assert.deepEqual(kw.fields, [], 'a keyword reads no field');
});

void test('fields: the item field, then each field referred to once, in order', () => {
  assert.deepEqual(item('a|fieldref', 'b', 'c', 'B', 'b', 'a').fields, ['a', 'b', 'c', 'B']);
  assert.deepEqual(item('a|contains', 'x', 'y').fields, ['a']);
  const ref = item('a|fieldref|endswith', 'b');
  assert.equal(ref.match(record({ a: 'xYZ', b: 'yz' })), true);
  assert.equal(ref.match(record({ a: 'xYZ' })), false);
  assert.equal(ref.match(record({ b: 'yz' })), false);
});
