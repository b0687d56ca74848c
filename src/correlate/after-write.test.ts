// The OAB virtual directory set back counts only after a script was written into it on the same
// server within the rule's hours (rules/README.md, after_rules).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/types.js';
import { keepFollowers } from './after-write.js';
import { aFinding } from './test-helpers/findings.js';

const HOUR = 3_600_000;
const RULES = [
  { id: 'restored', after: { rules: ['written', 'written-too'], withinMs: HOUR } },
  { id: 'written', after: undefined },
];

const write = (time: string | undefined, over: Partial<Finding> = {}): Finding =>
  aFinding({ ruleId: 'written', title: 'script written into the OAB directory', time, origin: { path: 'ecp.log', line: 4, offset: 0 }, ...over });
const restore = (time: string | undefined, over: Partial<Finding> = {}): Finding =>
  aFinding({ ruleId: 'restored', title: 'OAB directory set back', time, origin: { path: 'ecp.log', line: 9, offset: 0 }, ...over });

const kept = (findings: Finding[]): string[] => keepFollowers(findings, RULES).map((f) => `${f.ruleId} ${f.time ?? '-'}`);

void test('a set-back after a write on the same server within the hour is kept and says which write', () => {
  const r = restore('2021-03-03T02:30:00Z');
  assert.deepEqual(kept([write('2021-03-03T02:00:00Z'), r]), ['written 2021-03-03T02:00:00Z', 'restored 2021-03-03T02:30:00Z']);
  assert.equal(r.fields['after'], 'script written into the OAB directory, 2021-03-03T02:00:00Z (ecp.log:4)');
});

void test('the earliest write within the hour is the one named, in whatever order the findings come', () => {
  for (const order of [0, 1]) {
    const writes = [
      write('2021-03-03T02:20:00Z', { origin: { path: 'late.log', line: 2, offset: 0 } }),
      write('2021-03-03T02:10:00Z', { ruleId: 'written-too' }),
    ];
    if (order) writes.reverse();
    const r = restore('2021-03-03T02:30:00Z');
    keepFollowers([...writes, r], RULES);
    assert.equal(r.fields['after'], 'script written into the OAB directory, 2021-03-03T02:10:00Z (ecp.log:4)', `order ${order}`);
  }
});

void test('of two writes at the same second, the one listed first is named', () => {
  const r = restore('2021-03-03T02:30:00Z');
  keepFollowers([write('2021-03-03T02:10:00Z'), write('2021-03-03T02:10:00Z', { origin: { path: 'other.log', line: 2, offset: 0 } }), r], RULES);
  assert.equal(r.fields['after'], 'script written into the OAB directory, 2021-03-03T02:10:00Z (ecp.log:4)');
});

void test('a write at the same second or exactly an hour before counts; after it, or longer before, does not', () => {
  assert.deepEqual(kept([write('2021-03-03T02:30:00Z'), restore('2021-03-03T02:30:00Z')]).length, 2);
  assert.deepEqual(kept([write('2021-03-03T01:30:00Z'), restore('2021-03-03T02:30:00Z')]).length, 2);
  assert.deepEqual(kept([write('2021-03-03T01:29:59Z'), restore('2021-03-03T02:30:00Z')]), ['written 2021-03-03T01:29:59Z']);
  assert.deepEqual(kept([write('2021-03-03T02:30:01Z'), restore('2021-03-03T02:30:00Z')]), ['written 2021-03-03T02:30:01Z']);
});

void test("without a write of the rules named, on its server, dated, a set-back is an administrator's change and is dropped", () => {
  const at = '2021-03-03T02:30:00Z';
  const before = '2021-03-03T02:00:00Z';
  assert.deepEqual(kept([restore(at)]), []);
  assert.deepEqual(kept([write(before, { server: 'EX02' }), restore(at)]), ['written 2021-03-03T02:00:00Z']);
  assert.deepEqual(kept([write(before, { ruleId: 'other' }), restore(at)]), ['other 2021-03-03T02:00:00Z']);
  assert.deepEqual(kept([write(undefined), restore(at)]), ['written -']);
  assert.deepEqual(kept([write(before), restore(undefined)]), ['written 2021-03-03T02:00:00Z']);
  assert.deepEqual(kept([write(before), restore('not a time')]), ['written 2021-03-03T02:00:00Z']);
});

void test('findings of rules that follow nothing are all kept, with nothing added', () => {
  const plain = [aFinding(), aFinding({ ruleId: 'restored', time: undefined })];
  assert.deepEqual(keepFollowers(plain, [{ id: 'written', after: undefined }]), plain);
  assert.deepEqual(keepFollowers([aFinding()], RULES), [aFinding()]);
});
