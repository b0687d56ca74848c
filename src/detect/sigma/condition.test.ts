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

void test('white space after the last token is not a mistake (a block scalar condition ends in a line break)', () => {
  assert.equal(show(parseCondition('sel and not filter\n')), '(sel and not filter)');
  assert.equal(show(parseCondition('1 of sel*  \t ')), '[1 of sel*]');
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

void test('a malformed condition says what was expected and what was found, for the rule author', () => {
  const cases: [string, string][] = [
    ['a and', 'expected a selection at end of condition'],
    ['', 'expected a selection at end of condition'],
    ['and a', "expected a selection, found 'and'"],
    ['(a or b', "expected ')' at end of condition"],
    ['(a or b c)', "expected ')', found 'c'"],
    ['a b', "expected 'and' or 'or', found 'b'"],
    ['1 of', "expected 'them' or a selection pattern at end of condition"],
    ['1 of and', "expected 'them' or a selection pattern, found 'and'"],
    ['all of )', "expected 'them' or a selection pattern, found ')'"],
    ['0 of x', "expected '1 of' or 'all of', found '0'"],
    ['| count() > 5', 'aggregations in conditions (| count() …) are not supported'],
    ['a and b c', "expected 'and' or 'or', found 'c'"],
  ];
  // A keyword is never a selection's name or an `of` pattern (but `them` is one after `of`).
  for (const kw of ['and', 'or', 'not', 'of', 'them', '(', ')']) {
    if (kw !== 'not' && kw !== '(') cases.push([`${kw} a`, `expected a selection, found '${kw}'`]);
    if (kw !== 'them') cases.push([`1 of ${kw}`, `expected 'them' or a selection pattern, found '${kw}'`]);
  }
  for (const [src, message] of cases) {
    assert.throws(() => parseCondition(src), { message }, JSON.stringify(src));
  }
});

void test('a count is a whole number of any length; a name holding digits is a name', () => {
  assert.equal(show(parseCondition('12 of sel*')), '[12 of sel*]');
  assert.deepEqual(parseCondition('  10 of them'), { op: 'of', count: 10, pattern: null, at: 2 });
  // `them` is the keyword only when whole: a pattern that begins with it is a pattern.
  assert.equal(show(parseCondition('1 of them*')), '[1 of them*]');
  for (const src of ['x1 of y', '1x of y', '1.5 of y']) {
    assert.throws(
      () => parseCondition(src),
      (e: unknown) => e instanceof RuleProblem && e.message === "expected 'and' or 'or', found 'of'",
      `${src}: not a count, so 'of' follows a name`,
    );
  }
});

void test('selection patterns: * is the only wildcard', () => {
  assert.equal(selectionPattern('sel*').test('selection_1'), true);
  assert.equal(selectionPattern('sel*').test('xsel'), false);
  assert.equal(selectionPattern('*_1').test('selection_1'), true);
  assert.equal(selectionPattern('a.b').test('axb'), false);
  assert.equal(selectionPattern('a.b').test('a.b'), true);
  // Characters special in a regular expression stand for themselves.
  for (const name of ['a+b', 'a(b)', 'a[1]', 'a$b', 'a^b', 'a|b', 'a?', 'a{2}', 'a\\b', 'a/b', 'a-b']) {
    assert.equal(selectionPattern(name).test(name), true, name);
  }
  assert.equal(selectionPattern('a+b').test('aab'), false);
  assert.equal(selectionPattern('a?').test('a'), false);
  assert.equal(selectionPattern('sel*_b*').test('sel_x_b2'), true);
  assert.equal(selectionPattern('sel*_b*').test('sel_x_c2'), false);
});
