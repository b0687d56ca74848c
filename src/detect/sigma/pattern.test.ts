import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise, parseWildcards, plainText, type Pattern } from './pattern.js';

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
