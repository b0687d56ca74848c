import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile } from '../core/types.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { RowKeeper } from './kept-rows.js';

function entry(path: string): EvidenceEntry {
  return { path, location: { kind: 'file', file: `/evidence/${path}` }, size: 10, layoutServer: 'EX01' };
}

function row(path: string, more: Partial<EvidenceFile> = {}): EvidenceFile {
  return {
    path,
    sha256: 'ab'.repeat(32),
    kind: 'iis',
    server: 'EX01',
    size: 10,
    records: 3,
    badRecords: 0,
    firstTime: '2021-03-03T01:00:00.000Z',
    lastTime: undefined,
    badSamples: [],
    serverNames: ['EX01', 'ex01.corp.local'],
    ...more,
  };
}

test('a kept row writes the same JSON, keys in the same order', () => {
  const rows = new RowKeeper();
  const bad = row('b/u_ex2.log', { badRecords: 1, badSamples: [{ origin: { path: 'b/u_ex2.log', line: 4, offset: 90 }, reason: 'short row' }] });
  const inventory = row('b/listing.csv', { kind: 'unknown', note: 'not a log format exir reads; hashed and listed only', build: '15.1.2176.2' });
  for (const original of [row('b/u_ex1.log'), bad, inventory, row('b/x.log', { server: undefined, serverNames: undefined })]) {
    const json = JSON.stringify(original);
    assert.equal(JSON.stringify(rows.keep(original, entry(original.path))), json);
  }
});

test("rows with the same server spellings share one list, rows with others keep theirs, and no spelling list is joined into another's", () => {
  const rows = new RowKeeper();
  const a = rows.keep(row('b/1.log'), entry('b/1.log'));
  const b = rows.keep(row('b/2.log'), entry('b/2.log'));
  assert.equal(a.serverNames, b.serverNames, 'one list for both');
  // A name holding the separator a joined key would use must not meet the two names it would join.
  const joined = rows.keep(row('b/3.log', { serverNames: ['EX01\0ex01.corp.local'] }), entry('b/3.log'));
  assert.deepEqual(joined.serverNames, ['EX01\0ex01.corp.local']);
  const other = rows.keep(row('b/4.log', { serverNames: ['EX02'] }), entry('b/4.log'));
  assert.deepEqual(other.serverNames, ['EX02']);
  assert.deepEqual(a.serverNames, ['EX01', 'ex01.corp.local']);
});

test('the shared empty list of bad records cannot be added to, so no row gains another row’s', () => {
  const rows = new RowKeeper();
  const a = rows.keep(row('b/1.log'), entry('b/1.log'));
  const b = rows.keep(row('b/2.log'), entry('b/2.log'));
  assert.equal(a.badSamples, b.badSamples);
  assert.throws(() => a.badSamples.push({ origin: { path: 'b/1.log', line: 1, offset: 0 }, reason: 'x' }), TypeError);
  assert.deepEqual(b.badSamples, []);
  assert.throws(() => (a.serverNames as string[]).push('EX03'), TypeError);
});

test("a first-pass result taken on arrival keeps its row and shares one frozen empty list for what it found none of; another pass's result is left as it came", () => {
  const rows = new RowKeeper();
  const finding = { ruleId: 'r' } as never;
  const a = rows.take(entry('b/1.log'), { kind: 'detect', result: { evidence: row('b/1.log'), findings: [], warnings: [], context: [] } });
  const b = rows.take(entry('b/2.log'), { kind: 'detect', result: { evidence: row('b/2.log'), findings: [finding], warnings: [], context: [] } });
  assert.ok(a.kind === 'detect' && b.kind === 'detect');
  assert.equal(a.result.findings, b.result.warnings);
  assert.equal(a.result.context, a.result.warnings);
  assert.deepEqual(b.result.findings, [finding]);
  assert.equal(a.result.evidence.serverNames, b.result.evidence.serverNames, 'the row is kept as keep keeps it');
  assert.throws(() => a.result.findings.push(finding), TypeError);
  const follow = { kind: 'follow' as const, entries: [] };
  assert.equal(rows.take(entry('b/1.log'), follow), follow);
  assert.equal(follow.entries.length, 0);
  assert.ok(!Object.isFrozen(follow.entries));
});
