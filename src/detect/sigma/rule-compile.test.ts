import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRuleData } from './rule-compile.js';
import type { DocData, RuleFileData } from './rule-data.js';
import { readRuleFile } from './rule-read.js';
import { record } from './test-helpers/rules.js';

const detection = 'detection:\n    sel:\n        a: x\n    condition: sel\n';

void test('metadata: scalars as text, a single value as a list of one, nulls left out, absent keys absent', () => {
  const text = `title: Title\nid: 42\nstatus: true\nlevel: 3\nreferences: https://a\ntags: [x, 1, null, {k: v}]\nfalsepositives: ~\nlogsource:\n    product: 1\n    service: [a]\n    other: z\n${detection}`;
  const { rules, errors } = compileRuleData(readRuleFile(text), 'm.yml');
  assert.deepEqual(errors, []);
  assert.deepEqual(rules[0]?.rule, {
    id: '42',
    title: 'Title',
    status: 'true',
    level: '3',
    references: ['https://a'],
    tags: ['x', '1', '{"k":"v"}'],
    logsource: { product: '1', service: '["a"]' },
    falsepositives: [],
    custom: {},
  });
  const bare = compileRuleData(readRuleFile(`title: t\nlogsource: {}\n${detection}`), 'b.yml').rules[0]?.rule;
  assert.deepEqual(bare, { id: '', title: 't', references: [], tags: [], logsource: {}, falsepositives: [], custom: {} });
});

void test("a rule's match, fields and pre-filter are its detection's; the literals are the rule's own copy", () => {
  const text = `title: t\nlogsource: {}\ndetection:\n    sel:\n        a|contains: needle\n        b: x\n    condition: sel\n`;
  const data = readRuleFile(text);
  const first = compileRuleData(data, 'r.yml').rules[0];
  assert.ok(first);
  assert.deepEqual(first.fields, ['a', 'b']);
  assert.deepEqual(first.literals, ['needle']);
  assert.equal(first.match(record({ a: 'the NEEDLE', b: 'x' })), true);
  assert.equal(first.match(record({ a: 'the NEEDLE', b: 'y' })), false);
  first.literals?.push('changed');
  assert.deepEqual(compileRuleData(data, 'r.yml').rules[0]?.literals, ['needle']);
  const none = compileRuleData(readRuleFile(`title: t\nlogsource: {}\ndetection:\n    sel:\n        a: null\n    condition: sel\n`), 'n.yml').rules[0];
  assert.equal(none?.literals, null);
});

void test('common literals and placeholders given to one compile apply to it alone', () => {
  const text = `title: t\nlogsource: {}\ndetection:\n    sel:\n        a|contains|all: [abcdef, zzzqqqq]\n        b|expand: '%p%'\n    condition: sel\n`;
  const data = readRuleFile(text);
  const placeholders = new Map([['p', ['one', 'two']]]);
  const chosen = compileRuleData(data, 'c.yml', { placeholders, commonLiterals: ['ZZZQQQQ'] }).rules[0];
  assert.deepEqual(chosen?.literals, ['abcdef']);
  assert.equal(chosen?.match(record({ a: 'abcdef zzzqqqq', b: 'TWO' })), true);
  const plain = compileRuleData(data, 'c.yml', { placeholders });
  assert.deepEqual(plain.rules[0]?.literals, ['zzzqqqq']);
  const without = compileRuleData(data, 'c.yml');
  assert.deepEqual(without.rules, []);
  assert.deepEqual(
    without.errors.map((e) => [e.message, e.line, e.column, e.ruleId]),
    [['unknown placeholder %p%', 6, 19, undefined]],
  );
});

void test('errors: each located in the file, with the rule id when there is one; a located YAML error kept as given', () => {
  const text = `title: t\nid: r1\nlogsource: 5\ntimeframe: 1h\n${detection}---\ntitle: [\n---\nid: r2\ndetection:\n    condition: nope\n`;
  const { rules, errors } = compileRuleData(readRuleFile(text), 'e.yml');
  assert.deepEqual(rules, []);
  assert.deepEqual(errors, [
    { file: 'e.yml', line: 4, column: 1, message: 'timeframe (aggregation over time) is not supported', ruleId: 'r1' },
    { file: 'e.yml', line: 3, column: 12, message: 'logsource must be a map', ruleId: 'r1' },
    { file: 'e.yml', line: 11, column: 1, message: 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
    { file: 'e.yml', line: 12, column: 1, message: 'rule has no title', ruleId: 'r2' },
    { file: 'e.yml', line: 12, column: 1, message: 'rule has no logsource', ruleId: 'r2' },
    { file: 'e.yml', line: 14, column: 16, message: "condition names unknown selection 'nope'", ruleId: 'r2' },
  ]);
  // A stopped rule's detection is not compiled: its mistakes would only repeat the first.
  const stopped = compileRuleData(readRuleFile(`title: t\ncorrelation: {}\n${detection.replace('sel\n', 'nope\n')}`), 's.yml');
  assert.deepEqual(
    stopped.errors.map((e) => e.message),
    ['correlation rules are not supported'],
  );
});

void test('an offset unknown gives the file alone; a defect of ours is a located error, and the next rule still loads', () => {
  const good = readRuleFile(`title: g\nlogsource: {}\n${detection}`);
  const doc = good.docs[0] as DocData;
  const unplaced: DocData = { problems: [{ problem: 'somewhere' }], stop: true, data: {} };
  // A value whose text is not a string cannot come from the reader; compiling it fails inside the engine.
  const defect = structuredClone(doc);
  const detectionData = defect.detection;
  assert.ok(detectionData && 'entries' in detectionData);
  const sel = detectionData.entries[0];
  assert.ok(sel && 'data' in sel && 'map' in sel.data);
  sel.data.map = [{ key: 'a|contains', values: [{ kind: 'string', text: null as unknown as string }] }];
  const badCondition = structuredClone(doc);
  assert.ok(badCondition.detection && 'entries' in badCondition.detection);
  badCondition.detection.condition = { items: [{ text: 5 as unknown as string, at: 0, shift: 0 }] };
  const data: RuleFileData = { lineStarts: good.lineStarts, docs: [unplaced, defect, badCondition, doc] };
  const { rules, errors } = compileRuleData(data, 'd.yml');
  assert.deepEqual(
    rules.map((r) => r.rule.title),
    ['g'],
  );
  assert.equal(errors.length, 3);
  assert.deepEqual(errors[0], { file: 'd.yml', message: 'somewhere' });
  for (const e of errors.slice(1)) {
    assert.equal(e.file, 'd.yml');
    assert.equal(e.line, 1);
    assert.equal(e.column, 1);
    assert.match(e.message, /^internal error compiling rule: .+/);
  }
});
