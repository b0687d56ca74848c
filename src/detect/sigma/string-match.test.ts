import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWildcards } from './pattern.js';
import { compileStringTest, patternRegExp } from './string-match.js';

void test('each pattern shape decides correctly', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['abc*', 'abcd', true],
    ['abc*', 'xabc', false],
    ['*abc', 'xabc', true],
    ['*abc', 'abcx', false],
    ['*abc*', 'xxabcxx', true],
    ['*abc*', 'xxabxcx', false],
    ['a*c', 'abbbc', true],
    ['a*c', 'ac', true],
    ['a*c', 'abcd', false],
    ['ab*bc', 'abc', false], // head and tail must not overlap
    ['ab*bc', 'abbc', true],
    ['*a*b*c*', 'xaybzc', true],
    ['*a*b*c*', 'xcybza', false],
    // A middle piece must end before the tail begins: found only where it overlaps the tail is not found.
    ['a*ab*b', 'aab', false],
    ['a*ab*b', 'aabb', true],
    ['ab*cd*de', 'abcde', false],
    ['ab*cd*de', 'abcdde', true],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a?c', 'a\nc', true],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
  ];
  for (const [pattern, value, want] of cases) {
    assert.equal(compileStringTest(parseWildcards(pattern))(value), want, `${pattern} on ${JSON.stringify(value)}`);
  }
});

/** A tiny deterministic generator, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

void test('the fast closures agree with a plain RegExp on random patterns and strings', () => {
  const rand = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const alphabet = ['a', 'b', 'ab', 'ba', '*', '*', '?', '.', '\n'];
  let matches = 0;
  for (let i = 0; i < 4000; i++) {
    const pattern = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(alphabet)).join('');
    const value = Array.from({ length: Math.floor(rand() * 8) }, () => pick(['a', 'b', '.', '\n'])).join('');
    const parsed = parseWildcards(pattern);
    const want = patternRegExp(parsed).test(value);
    if (want) matches++;
    assert.equal(compileStringTest(parsed)(value), want, `${JSON.stringify(pattern)} on ${JSON.stringify(value)}`);
  }
  assert.ok(matches > 200, `the generator must produce matches too (${matches})`);
});
