import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRules } from './rule-file.js';
import type { RuleError } from './types.js';

const good = (id: string) => `title: Rule ${id}
id: ${id}
logsource:
    category: webserver
detection:
    sel:
        cs-method: POST
    condition: sel
`;

/** The error at the given line and column, or a failure that shows what there was. */
function errorAt(errors: readonly RuleError[], line: number, column: number): RuleError {
  const e = errors.find((x) => x.line === line && x.column === column);
  assert.ok(e, `no error at ${line}:${column}; got ${JSON.stringify(errors)}`);
  return e;
}

void test('metadata as written; other top-level keys are custom', () => {
  const text = `title: Exchange ProxyShell Pattern
id: 23eee45e-933b-49f9-ae1b-df706d2d52ef
status: test
description: Detects URL patterns
references:
    - https://example.org/a
tags:
    - attack.initial_access
author: Someone
date: 2021-08-07
logsource:
    category: webserver
    product: windows
detection:
    sel:
        sc-status: 401
    condition: sel
falsepositives:
    - Unknown
level: high
stage: probe
cites:
    - doc: x
`;
  const { rules, errors } = compileRules(text, 'r.yml');
  assert.deepEqual(errors, []);
  const r = rules[0];
  assert.ok(r);
  assert.deepEqual(r.rule, {
    id: '23eee45e-933b-49f9-ae1b-df706d2d52ef',
    title: 'Exchange ProxyShell Pattern',
    status: 'test',
    level: 'high',
    description: 'Detects URL patterns',
    references: ['https://example.org/a'],
    tags: ['attack.initial_access'],
    logsource: { category: 'webserver', product: 'windows' },
    falsepositives: ['Unknown'],
    custom: { author: 'Someone', date: '2021-08-07', stage: 'probe', cites: [{ doc: 'x' }] },
  });
  assert.deepEqual(r.location, { file: 'r.yml', line: 1, column: 1 });
});

void test('several documents: each rule located at its own start', () => {
  const text = `${good('a')}---\n${good('b')}---\n`;
  const { rules, errors } = compileRules(text, 'multi.yml');
  assert.deepEqual(errors, []);
  assert.deepEqual(
    rules.map((r) => [r.rule.id, r.location.line]),
    [
      ['a', 1],
      ['b', 10],
    ],
  );
});

void test('a YAML syntax error is located and the other documents still load', () => {
  const text = `${good('a')}---\ntitle: broken\nlogsource: [webserver\n---\n${good('c')}`;
  const { rules, errors } = compileRules(text, 'f.yml');
  assert.deepEqual(
    rules.map((r) => r.rule.id),
    ['a', 'c'],
  );
  assert.ok(errors.length >= 1);
  const e = errors[0] as RuleError;
  assert.equal(e.file, 'f.yml');
  assert.match(e.message, /^YAML: /);
  assert.ok(e.line !== undefined && e.line >= 11 && e.line <= 13, `line ${String(e.line)}`);
  assert.ok(!e.message.includes('\n'), 'one line');
});

void test('duplicate keys are YAML errors', () => {
  const { rules, errors } = compileRules(`title: a\ntitle: b\n`, 'd.yml');
  assert.equal(rules.length, 0);
  assert.match(errors[0]?.message ?? '', /unique/i);
  assert.equal(errors[0]?.line, 2);
});

void test('missing title, logsource, detection, condition', () => {
  const noTitle = compileRules(`id: x\nlogsource:\n    category: a\ndetection:\n    s: k\n    condition: s\n`, 'f.yml');
  assert.equal(noTitle.rules.length, 0);
  assert.match(noTitle.errors[0]?.message ?? '', /no title/);
  assert.equal(noTitle.errors[0]?.ruleId, 'x');
  const noLog = compileRules(`title: t\ndetection:\n    s: k\n    condition: s\n`, 'f.yml');
  assert.match(noLog.errors[0]?.message ?? '', /no logsource/);
  const noDet = compileRules(`title: t\nlogsource:\n    category: a\n`, 'f.yml');
  assert.match(noDet.errors[0]?.message ?? '', /no detection/);
  const noCond = compileRules(`title: t\nlogsource:\n    category: a\ndetection:\n    s: k\n`, 'f.yml');
  assert.match(noCond.errors[0]?.message ?? '', /no condition/);
  assert.equal(noCond.errors[0]?.line, 5, 'at the detection map');
  const notMap = compileRules(`- just\n- a list\n`, 'f.yml');
  assert.match(notMap.errors[0]?.message ?? '', /must be a YAML map/);
});

void test('errors point at the offending node: modifier key, regex value, CIDR value, condition name', () => {
  const text = `title: t
id: bad-1
logsource:
    category: webserver
detection:
    sel:
        cs-method: POST
        cs-uri-query|containz: x
    sel2:
        cs-uri-query|re: 'a(b'
    sel3:
        c-ip|cidr:
            - 10.0.0.0/8
            - 10.0.0.0/99
    condition: sel and sel2 and sel3 and nope
`;
  const { rules, errors } = compileRules(text, 'bad.yml');
  assert.equal(rules.length, 0);
  assert.match(errorAt(errors, 8, 9).message, /unknown modifier 'containz'/);
  assert.match(errorAt(errors, 10, 26).message, /bad regular expression/);
  assert.match(errorAt(errors, 14, 15).message, /bad CIDR/);
  const cond = errorAt(errors, 15, 42);
  assert.match(cond.message, /unknown selection 'nope'/);
  assert.equal(cond.ruleId, 'bad-1');
  assert.equal(cond.file, 'bad.yml');
});

void test('a quoted condition still locates the unknown name', () => {
  const text = `title: t\nlogsource:\n    category: a\ndetection:\n    sel:\n        a: 1\n    condition: 'sel or nope'\n`;
  const { errors } = compileRules(text, 'q.yml');
  errorAt(errors, 7, 24);
});

void test('unsupported rule kinds are reported with their location', () => {
  const correlation = `title: many failures\nid: c1\ncorrelation:\n    type: event_count\n    rules: [a]\n    group-by: [x]\n    timespan: 5m\n    condition:\n        gte: 10\n`;
  const c = compileRules(correlation, 'c.yml');
  assert.equal(c.rules.length, 0);
  assert.match(errorAt(c.errors, 3, 1).message, /correlation rules are not supported/);
  const timeframe = `title: t\nlogsource:\n    category: a\ndetection:\n    sel:\n        a: 1\n    timeframe: 1h\n    condition: sel | count() by c-ip > 10\n`;
  const t = compileRules(timeframe, 't.yml');
  assert.equal(t.rules.length, 0);
  assert.match(errorAt(t.errors, 7, 5).message, /timeframe/);
  assert.match(errorAt(t.errors, 8, 20).message, /aggregations/);
});

void test('a broken rule is skipped and the rest of the file loads', () => {
  const text = `${good('a')}---\ntitle: bad\nlogsource:\n    category: x\ndetection:\n    sel:\n        f|expand: '%x%'\n    condition: sel\n---\n${good('c')}`;
  const { rules, errors } = compileRules(text, 'f.yml');
  assert.deepEqual(
    rules.map((r) => r.rule.id),
    ['a', 'c'],
  );
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.message ?? '', /unknown placeholder %x%/);
  assert.equal(errors[0]?.line, 15);
});

void test('never throws, whatever the text', () => {
  const pieces = [
    'title: t\n',
    'detection:\n',
    '  sel:\n',
    '    a|re: "("\n',
    '  condition: (\n',
    '---\n',
    '&a [*a]\n',
    ': :\n',
    '"\n',
    '- \n',
    'logsource: {}\n',
    '\t',
    '*x\n',
  ];
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 500; i++) {
    const text = Array.from({ length: 1 + Math.floor(rand() * 10) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    const { errors } = compileRules(text, 'fuzz.yml');
    for (const e of errors) assert.equal(e.file, 'fuzz.yml');
  }
});

void test('alias bombs are refused, not expanded', () => {
  const lines = ['title: t', 'logsource: {category: a}', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++)
    lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
  lines.push('detection:', '    sel:', '        f: *a11', '    condition: sel');
  const { rules, errors } = compileRules(lines.join('\n'), 'bomb.yml');
  assert.equal(rules.length, 0);
  // Refused by the alias bound, before anything is expanded: the message says why.
  assert.match(errors[0]?.message ?? '', /alias/i);
});
