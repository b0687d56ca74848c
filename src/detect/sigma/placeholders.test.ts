import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandedOnce, expandValues, withPlaceholders } from './placeholders.js';
import { RuleProblem } from './problem.js';
import type { ItemValue } from './rule-data.js';
import { problemOf } from './test-helpers/problem-of.js';

const pages = new Map([
  ['stock.pages-1', ['/owa/a.aspx', '/owa/b.aspx']],
  ['one', ['x']],
  ['none', []],
]);

void test('each %name% value becomes its list, every value located where the name was written', () => {
  const values: ItemValue[] = [
    { kind: 'string', text: '%stock.pages-1%', at: 12 },
    { kind: 'string', text: '%one%' },
  ];
  assert.deepEqual(
    withPlaceholders(pages, () => expandValues(values)),
    [
      { kind: 'string', text: '/owa/a.aspx', at: 12 },
      { kind: 'string', text: '/owa/b.aspx', at: 12 },
      { kind: 'string', text: 'x' },
    ],
  );
});

void test('a value that names no placeholder, an unknown one and an empty one are the rule’s mistakes, at the value', () => {
  const refused: [ItemValue, string][] = [
    [{ kind: 'string', text: 'one', at: 3 }, "expand needs a %placeholder% value, got 'one'"],
    [{ kind: 'string', text: '%one', at: 3 }, "expand needs a %placeholder% value, got '%one'"],
    [{ kind: 'string', text: 'x%one%', at: 3 }, "expand needs a %placeholder% value, got 'x%one%'"],
    [{ kind: 'string', text: '%one%x', at: 3 }, "expand needs a %placeholder% value, got '%one%x'"],
    [{ kind: 'string', text: '%%', at: 3 }, "expand needs a %placeholder% value, got '%%'"],
    [{ kind: 'string', text: '%o ne%', at: 3 }, "expand needs a %placeholder% value, got '%o ne%'"],
    [{ kind: 'number', text: '%one%', at: 3 }, "expand needs a %placeholder% value, got '%one%'"],
    [{ kind: 'string', text: '%two%', at: 3 }, 'unknown placeholder %two%'],
    [{ kind: 'string', text: '%none%', at: 3 }, 'placeholder %none% is empty'],
  ];
  for (const [value, message] of refused) {
    const p = problemOf(() => withPlaceholders(pages, () => expandValues([value])));
    assert.equal(p.message, message);
    assert.equal(p.at, 3, message);
  }
});

void test('placeholders hold for the compile they are given to, and no longer, even when it fails', () => {
  const value: ItemValue[] = [{ kind: 'string', text: '%one%' }];
  assert.match(problemOf(() => expandValues(value)).message, /unknown placeholder %one%/);
  const other = new Map([['one', ['y']]]);
  withPlaceholders(pages, () => {
    assert.deepEqual(
      withPlaceholders(other, () => expandValues(value)).map((v) => v.text),
      ['y'],
    );
    assert.deepEqual(
      expandValues(value).map((v) => v.text),
      ['x'],
      'the outer set again after the inner',
    );
    assert.throws(() =>
      withPlaceholders(other, () => {
        throw new Error('boom');
      }),
    );
    assert.deepEqual(
      expandValues(value).map((v) => v.text),
      ['x'],
      'and after an inner one that threw',
    );
  });
  assert.match(problemOf(() => expandValues(value)).message, /unknown placeholder %one%/);
});

void test('an item naming placeholders is compiled once per set of them; a failure is not kept', () => {
  const calls: string[][] = [];
  const compile = (expanded: ItemValue[]) => {
    calls.push(expanded.map((v) => v.text));
    return { made: calls.length };
  };
  const page: ItemValue[] = [{ kind: 'string', text: '%stock.pages-1%' }];
  const set = new Map(pages);
  const first = withPlaceholders(set, () => expandedOnce('uri|expand', page, compile));
  assert.deepEqual(calls, [['/owa/a.aspx', '/owa/b.aspx']]);
  assert.equal(
    withPlaceholders(set, () => expandedOnce('uri|expand', page, compile)),
    first,
  );
  assert.equal(calls.length, 1, 'the same key and values again: the one compiled');
  withPlaceholders(set, () => expandedOnce('url|expand', page, compile));
  withPlaceholders(set, () => expandedOnce('uri|expand', [{ kind: 'string', text: '%one%' }], compile));
  assert.equal(calls.length, 3, 'another key or other values: compiled again');
  withPlaceholders(new Map(pages), () => expandedOnce('uri|expand', page, compile));
  assert.equal(calls.length, 4, 'another set of placeholders: compiled again');

  let tries = 0;
  const failing = () => {
    tries++;
    throw new RuleProblem('no');
  };
  assert.throws(() => withPlaceholders(set, () => expandedOnce('f|expand', page, failing)), /no/);
  assert.throws(() => withPlaceholders(set, () => expandedOnce('f|expand', page, failing)), /no/);
  assert.equal(tries, 2);
});
