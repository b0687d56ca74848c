import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFieldItem } from './field-item.js';
import { parseFieldSpec } from './modifiers.js';
import type { ItemValue } from './rule-data.js';
import { record } from './test-helpers/rules.js';
import { problemOf } from './test-helpers/problem-of.js';

const str = (text: string, at?: number): ItemValue => (at === undefined ? { kind: 'string', text } : { kind: 'string', text, at });
const item = (key: string, ...values: (string | ItemValue)[]) =>
  compileFieldItem(
    parseFieldSpec(key),
    values.map((v) => (typeof v === 'string' ? str(v) : v)),
  );
const on = (key: string, values: (string | ItemValue)[], a: string | undefined): boolean => item(key, ...values).match(record(a === undefined ? {} : { a }));

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
  const many = item('a', 'one', 'two', 'three', 'f*r', 'g*s', 'h*t');
  for (const v of ['one', 'TWO', 'three', 'fr', 'gas', 'hat']) assert.equal(many.match(record({ a: v })), true, v);
  assert.equal(many.match(record({ a: 'hats' })), false);
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

void test('null: only as a whole value of a field, and never with a modifier', () => {
  const nul: ItemValue = { kind: 'null', text: '' };
  assert.equal(problemOf(() => item('a|contains|all', nul)).message, 'null cannot be used with modifiers contains|all');
  assert.equal(problemOf(() => item('a|re', nul)).message, 'null cannot be used with modifiers re');
  assert.equal(problemOf(() => item('a|base64offset|contains', nul)).message, 'null cannot be used with modifiers base64offset|contains');
  assert.equal(problemOf(() => item('a|base64', nul)).message, 'null cannot be used with modifiers base64');
  assert.equal(problemOf(() => item('', nul)).message, 'null is not a keyword');
  assert.equal(on('a|cased', [nul], undefined), true);
  assert.equal(on('a|cased', [nul], 'x'), false);
});

void test('exists and the number comparisons take only their kind of value', () => {
  const bool = (text: string): ItemValue => ({ kind: 'boolean', text });
  const num = (text: string): ItemValue => ({ kind: 'number', text });
  assert.equal(problemOf(() => item('a|exists', 'true')).message, "exists takes true or false, not 'true'");
  assert.equal(on('a|exists', [bool('false')], undefined), true);
  assert.equal(on('a|exists', [bool('false')], ''), false);
  assert.equal(problemOf(() => item('a|gte', bool('true'))).message, "gte needs a number, not 'true'");
  assert.equal(problemOf(() => item('a|lt', num('.inf'))).message, "lt needs a number, not '.inf'");
  assert.equal(problemOf(() => item('a|lte', ' ')).message, "lte needs a number, not ' '");
  // Whole numbers with white space around them; a number written as a string counts.
  assert.equal(on('a|gt', [' 10 '], ' 11 '), true);
  assert.equal(on('a|gt', ['10'], '10'), false);
  assert.equal(on('a|gte', [num('1e1')], '10'), true);
  assert.equal(on('a|gte', [num('1e1')], '9.5'), false);
  assert.equal(on('a|lte', [num('0x10')], '16'), true);
  assert.equal(on('a|lte', [num('0x10')], '17'), false);
  assert.equal(on('a|lt', [num('5')], '  '), false, 'blank is no number, not 0');
  assert.equal(on('a|lt', [num('5')], '4x'), false);
  assert.equal(on('a|cidr', ['10.0.0.0/8'], undefined), false);
});

void test("regular expressions: PCRE's leading flags read as modifiers, once; others refused", () => {
  assert.equal(on('a|re', ['(?i)^abc$'], 'ABC'), true);
  assert.equal(on('a|re', ['^abc$'], 'ABC'), false);
  assert.equal(on('a|re|i', ['(?i)^abc$'], 'ABC'), true, 'i given twice is one i');
  assert.equal(on('a|re', ['(?s)a.c'], 'a\nc'), true);
  assert.equal(on('a|re', ['(?m)^c'], 'a\nc'), true);
  assert.equal(on('a|re', ['(?im)^C$'], 'a\nc'), true);
  assert.equal(problemOf(() => item('a|re', '(?x)a b')).message, "unsupported inline regular expression flag 'x'");
  assert.equal(problemOf(() => item('a|re', '(?iU)a')).message, "unsupported inline regular expression flag 'U'");
  // Only at the start; elsewhere JavaScript refuses it.
  assert.match(problemOf(() => item('a|re', 'x(?i)')).message, /^bad regular expression: .*Invalid group/);
  assert.equal(on('a|re', ['.*'], undefined), false);
});

void test('fieldref needs a field name; the whole value compared unless a position is given', () => {
  assert.equal(problemOf(() => item('a|fieldref', '')).message, 'fieldref needs a field name');
  assert.equal(problemOf(() => item('a|fieldref', { kind: 'number', text: '5' })).message, 'fieldref needs a field name');
  const ref = (key: string, a: string, b: string) => item(key, 'b').match(record({ a, b }));
  assert.equal(ref('a|fieldref', 'xyz', 'XYZ'), true);
  assert.equal(ref('a|fieldref', 'xyz', 'xy'), false);
  assert.equal(ref('a|fieldref', 'xyz', 'yz'), false);
  assert.equal(ref('a|fieldref|contains', 'xyz', 'Y'), true);
  assert.equal(ref('a|fieldref|contains', 'xyz', 'q'), false);
  assert.equal(ref('a|fieldref|startswith', 'xyz', 'X'), true);
  assert.equal(ref('a|fieldref|startswith', 'xyz', 'y'), false);
  assert.equal(ref('a|fieldref|cased|contains', 'xYz', 'Y'), true);
  assert.equal(ref('a|fieldref|cased|contains', 'xyz', 'Y'), false);
});

void test('string values: transforms in order, keywords searched anywhere unless anchored, several patterns any of them', () => {
  assert.equal(problemOf(() => item('a|wide|windash|base64', 'x')).message, 'windash cannot follow utf16le');
  assert.equal(problemOf(() => item('a|utf16be|windash|base64offset', 'x')).message, 'windash cannot follow utf16be');
  assert.equal(on('a|wide|base64', ['ab'], 'YQBiAA=='), true);
  assert.equal(on('a|utf16be|base64', ['ab'], 'AGEAYg=='), true);
  // A keyword with no position is contains; one the rule anchors stays anchored.
  const kw = (key: string, text: string) => item(key, 'abc').match(record({}, text));
  assert.equal(kw('', 'xx ABC yy'), true);
  assert.equal(kw('|startswith', 'xx abc'), false);
  assert.equal(kw('|startswith', 'abc yy'), true);
  assert.equal(kw('|endswith', 'abc yy'), false);
  assert.equal(kw('|endswith', 'xx ABC'), true);
  // windash gives several patterns: any of them, cased or not, and never an absent field.
  for (const [key, v, want] of [
    ['a|windash|contains', 'X /Enc y', true],
    ['a|windash|contains', 'X –enc y', true],
    ['a|windash|contains', 'X +enc y', false],
    ['a|windash|contains|cased', 'X /Enc y', false],
    ['a|windash|contains|cased', 'X /enc y', true],
    ['a|windash|contains|cased', 'X ―enc y', true],
  ] as const)
    assert.equal(on(key, ['-enc'], v), want, `${key} ${v}`);
  // Whole values too: each variant, not the first alone.
  assert.equal(on('a|windash', ['-enc'], '/ENC'), true);
  assert.equal(on('a|windash', ['-enc'], '-enc'), true);
  assert.equal(on('a|windash', ['-enc'], 'x-enc'), false);
  assert.equal(on('a|windash|contains', ['-enc'], undefined), false);
  assert.equal(on('a|windash|contains|cased', ['-enc'], undefined), false);
  assert.equal(on('a|contains|cased', ['Enc'], undefined), false);
  assert.equal(on('a|contains', ['enc'], undefined), false);
});
