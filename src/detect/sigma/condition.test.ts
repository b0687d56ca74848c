import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCondition, selectionPattern, type Condition } from './condition.js';
import { RuleProblem } from './problem.js';

/** Fully parenthesised form, to read precedence. */
function show(c: Condition): string {
  switch (c.op) {
    case 'and':
    case 'or':
      return `(${c.args.map(show).join(` ${c.op} `)})`;
    case 'not':
      return `not ${show(c.arg)}`;
    case 'ref':
      return c.name;
    case 'of':
      return `[${c.count} of ${c.pattern ?? 'them'}]`;
  }
}

void test('precedence: not binds tighter than and, and tighter than or', () => {
  assert.equal(show(parseCondition('a or b and c')), '(a or (b and c))');
  assert.equal(show(parseCondition('a and b or c')), '((a and b) or c)');
  assert.equal(show(parseCondition('not a and b')), '(not a and b)');
  assert.equal(show(parseCondition('not a or not b and c')), '(not a or (not b and c))');
  assert.equal(show(parseCondition('not (a or b)')), 'not (a or b)');
  assert.equal(show(parseCondition('a and (b or c)')), '(a and (b or c))');
  assert.equal(show(parseCondition('not not a')), 'not not a');
  assert.equal(show(parseCondition('a and b and c or d')), '((a and b and c) or d)');
});

void test('x of forms', () => {
  assert.equal(show(parseCondition('1 of sel* and not 1 of filter*')), '([1 of sel*] and not [1 of filter*])');
  assert.equal(show(parseCondition('all of them')), '[all of them]');
  assert.equal(show(parseCondition('1 of them')), '[1 of them]');
  assert.equal(show(parseCondition('2 of s*')), '[2 of s*]');
  assert.equal(show(parseCondition('not all of sel_*')), 'not [all of sel_*]');
  // `all` that is not followed by `of` is a selection name.
  assert.equal(show(parseCondition('all and x')), '(all and x)');
});

void test('offsets of names are kept', () => {
  const c = parseCondition('  sel and   other');
  assert.ok(c.op === 'and');
  const [a, b] = c.args;
  assert.deepEqual(a, { op: 'ref', name: 'sel', at: 2 });
  assert.deepEqual(b, { op: 'ref', name: 'other', at: 12 });
});

void test('malformed conditions are rule problems with an offset', () => {
  const cases: [string, number][] = [
    ['a and', 5],
    ['(a or b', 7],
    ['a b', 2],
    ['a )', 2],
    ['1 of', 4],
    ['0 of x', 0],
    ['and a', 0],
    ['', 0],
    ['sel | count() > 5', 4],
  ];
  for (const [src, at] of cases) {
    assert.throws(
      () => parseCondition(src),
      (e: unknown) => e instanceof RuleProblem && e.at === at,
      `${JSON.stringify(src)} should fail at ${at}`,
    );
  }
});

void test('selection patterns: * is the only wildcard', () => {
  assert.equal(selectionPattern('sel*').test('selection_1'), true);
  assert.equal(selectionPattern('sel*').test('xsel'), false);
  assert.equal(selectionPattern('*_1').test('selection_1'), true);
  assert.equal(selectionPattern('a.b').test('axb'), false);
  assert.equal(selectionPattern('a.b').test('a.b'), true);
});
