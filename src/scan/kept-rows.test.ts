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

/** Keeps each row at its index and gives back what `row` makes of it. */
function keptAgain(rows: EvidenceFile[], paths = rows.map((r) => r.path)): EvidenceFile[] {
  const keeper = new RowKeeper(paths.map(entry));
  rows.forEach((r, i) => keeper.keep(i, r));
  return rows.map((_, i) => keeper.row(i));
}

test('a kept row is made again with the same keys in the same order and the same values: the same JSON', () => {
  const unreadable: EvidenceFile = { ...row('b/cut.log', { sha256: '', firstTime: undefined }) };
  delete unreadable.serverNames;
  unreadable.unreadable = true;
  unreadable.note = 'unreadable after 0 bytes; the hash covers only what was read';
  const originals = [
    row('b/u_ex1.log', { lastTime: '2021-03-03T01:59:59.999Z', build: '15.1.2176.2' }),
    row('b/u_ex2.log', { badRecords: 1, badSamples: [{ origin: { path: 'b/u_ex2.log', line: 4, offset: 90 }, reason: 'short row' }] }),
    row('b/listing.csv', { kind: 'unknown', note: 'not a log format exir reads; hashed and listed only', build: '15.1.2176.2' }),
    row('b/x.log', { server: undefined, serverNames: undefined }),
    // Kept beside the columns: a time toISOString would write otherwise, a hash that is not one, a size past 2^31.
    row('b/odd.log', { firstTime: '2021-03-03T01:00:00Z', lastTime: '2021-03-03 02:00', sha256: 'AB'.repeat(32), size: 2 ** 33 + 0.5 }),
    unreadable,
  ];
  const again = keptAgain(originals);
  for (const [i, original] of originals.entries()) {
    assert.deepEqual(Object.keys(again[i] as EvidenceFile), Object.keys(original), original.path);
    assert.equal(JSON.stringify(again[i]), JSON.stringify(original), original.path);
  }
});

test('a row whose path is not its entry’s keeps its own', () => {
  const keeper = new RowKeeper([entry('b/1.log')]);
  keeper.keep(0, row('b/1.log [entry 2]'));
  assert.equal(keeper.row(0).path, 'b/1.log [entry 2]');
});

test('what the passes ask of a row is what it was kept with', () => {
  const keeper = new RowKeeper([entry('b/1.log'), entry('b/2.log')]);
  keeper.keep(1, row('b/2.log', { build: '15.1.2176.2', lastTime: '2021-03-04T00:00:00.000Z' }));
  assert.ok(!keeper.has(0) && keeper.has(1));
  assert.equal(keeper.kind(1), 'iis');
  assert.equal(keeper.server(1), 'EX01');
  assert.equal(keeper.build(1), '15.1.2176.2');
  assert.equal(keeper.sha256(1), 'ab'.repeat(32));
  assert.equal(keeper.firstTime(1), '2021-03-03T01:00:00.000Z');
  assert.equal(keeper.lastTime(1), '2021-03-04T00:00:00.000Z');
});

test("rows with the same server spellings share one frozen list, and no spelling list is joined into another's", () => {
  const [a, b, joined, other] = keptAgain([
    row('b/1.log'),
    row('b/2.log'),
    // A name holding the separator a joined key would use must not meet the two names it would join.
    row('b/3.log', { serverNames: ['EX01\0ex01.corp.local'] }),
    row('b/4.log', { serverNames: ['EX02'] }),
  ]);
  assert.equal(a?.serverNames, b?.serverNames, 'one list for both');
  assert.deepEqual(joined?.serverNames, ['EX01\0ex01.corp.local']);
  assert.deepEqual(other?.serverNames, ['EX02']);
  assert.deepEqual(a?.serverNames, ['EX01', 'ex01.corp.local']);
  assert.throws(() => (a?.serverNames as string[]).push('EX03'), TypeError);
});

test('the shared empty list of bad records cannot be added to, so no row gains another row’s', () => {
  const [a, b] = keptAgain([row('b/1.log'), row('b/2.log')]);
  assert.equal(a?.badSamples, b?.badSamples);
  assert.throws(() => a?.badSamples.push({ origin: { path: 'b/1.log', line: 1, offset: 0 }, reason: 'x' }), TypeError);
  assert.deepEqual(b?.badSamples, []);
});

test('a file found to be a listing becomes an inventory of its rows, its note gone and its other keys where they were', () => {
  const keeper = new RowKeeper([entry('b/listing.csv')]);
  const original = row('b/listing.csv', { kind: 'unknown', records: 0, note: 'not a log format exir reads; hashed and listed only' });
  keeper.keep(0, original);
  const bad = [{ origin: { path: 'b/listing.csv', line: 3, offset: 40 }, reason: 'unreadable listing row' }];
  keeper.listed(0, 12, 1, bad);
  const expected: EvidenceFile = { ...original, kind: 'inventory', records: 12, badRecords: 1, badSamples: bad };
  delete expected.note;
  assert.equal(JSON.stringify(keeper.row(0)), JSON.stringify(expected));
  assert.equal(keeper.kind(0), 'inventory');
});
