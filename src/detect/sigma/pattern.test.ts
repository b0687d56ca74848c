import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lowerPattern, normalise, parseWildcards, plain, plainText, withLeadingStar, withTrailingStar, type Pattern } from './pattern.js';

/** A readable form: text as is, `<*>` and `<?>` for wildcards. */
function show(p: Pattern): string {
  return p.map((x) => (x.kind === 'text' ? x.text : x.kind === 'star' ? '<*>' : x.kind === 'one' ? '<?>' : '<->')).join('');
}

void test('wildcards * and ? are recognised', () => {
  assert.equal(show(parseWildcards('a*b?c')), 'a<*>b<?>c');
  assert.equal(show(parseWildcards('**x')), '<*>x');
});

void test('escaping follows the spec', () => {
  // \* and \? are plain; \\ is one backslash; a backslash before anything else is itself.
  assert.equal(show(parseWildcards('a\\*b')), 'a*b');
  assert.equal(show(parseWildcards('a\\?b')), 'a?b');
  assert.equal(show(parseWildcards('C:\\Windows\\System32')), 'C:\\Windows\\System32');
  assert.equal(show(parseWildcards('C:\\\\Windows')), 'C:\\Windows');
  assert.equal(show(parseWildcards('dir\\\\*')), 'dir\\<*>');
  assert.equal(show(parseWildcards('dir\\\\\\*')), 'dir\\*');
  assert.equal(show(parseWildcards('\\\\\\\\')), '\\\\');
  assert.equal(show(parseWildcards('\\\\\\')), '\\\\');
  assert.equal(show(parseWildcards('end\\')), 'end\\');
});

void test('plainText only for wildcard-free patterns; normalise joins pieces', () => {
  assert.equal(plainText(parseWildcards('a\\*b')), 'a*b');
  assert.equal(plainText(parseWildcards('a*b')), undefined);
  const joined = normalise([{ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }, { kind: 'star' }, { kind: 'star' }, { kind: 'text', text: '' }]);
  assert.equal(show(joined), 'ab<*>');
  assert.equal(joined.length, 2);
});

const star = { kind: 'star' } as const;
const one = { kind: 'one' } as const;
const dash = { kind: 'dash' } as const;
const txt = (text: string) => ({ kind: 'text', text }) as const;

void test('a parsed pattern holds no empty text pieces, and one star for a run of them', () => {
  // The matchers read the first and last pieces to choose startswith/endswith paths: an empty piece would hide a star.
  assert.deepEqual(parseWildcards('*a*'), [star, txt('a'), star]);
  assert.deepEqual(parseWildcards('?*?'), [one, star, one]);
  assert.deepEqual(parseWildcards('a**?b'), [txt('a'), star, one, txt('b')]);
  assert.deepEqual(parseWildcards('*\\\\*'), [star, txt('\\'), star]);
  assert.deepEqual(parseWildcards(''), []);
  assert.deepEqual(plain(''), []);
  assert.deepEqual(plain('a*'), [txt('a*')], 'plain text keeps its wildcard characters');
});

void test('plainText of a pattern of text pieces joins them; any wildcard kind makes it undefined', () => {
  assert.equal(plainText([txt('a'), txt('b')]), 'ab');
  assert.equal(plainText([]), '');
  for (const w of [star, one, dash]) assert.equal(plainText([txt('a'), w]), undefined, w.kind);
});

void test('a leading or trailing star is added once', () => {
  assert.deepEqual(withLeadingStar([txt('a')]), [star, txt('a')]);
  assert.deepEqual(withLeadingStar([star, txt('a')]), [star, txt('a')]);
  assert.deepEqual(withLeadingStar([txt('a'), star]), [star, txt('a'), star]);
  assert.deepEqual(withLeadingStar([]), [star]);
  assert.deepEqual(withTrailingStar([txt('a')]), [txt('a'), star]);
  assert.deepEqual(withTrailingStar([txt('a'), star]), [txt('a'), star]);
  assert.deepEqual(withTrailingStar([star, txt('a')]), [star, txt('a'), star]);
  assert.deepEqual(withTrailingStar([]), [star]);
});

void test('lowerPattern lowers text only', () => {
  assert.deepEqual(lowerPattern([txt('AbC'), star, one, dash, txt('X')]), [txt('abc'), star, one, dash, txt('x')]);
});

void test('normalise keeps every one-character wildcard and joins only text to text and star to star', () => {
  assert.deepEqual(normalise([one, one, dash, dash]), [one, one, dash, dash]);
  assert.deepEqual(normalise([star, one, star]), [star, one, star]);
  assert.deepEqual(normalise([one, star, star, txt('a'), txt(''), txt('b'), one]), [one, star, txt('ab'), one]);
  assert.deepEqual(normalise([txt(''), txt('a'), star, txt('b')]), [txt('a'), star, txt('b')]);
  assert.deepEqual(normalise([txt('a'), one, txt('b')]), [txt('a'), one, txt('b')]);
});
