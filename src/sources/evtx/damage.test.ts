// Real samples damaged in memory: every undamaged record must still come out, unchanged, and
// every damage must be reported with its byte offset.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { collect, type Collected } from './test-helpers/collect.js';
import type { WinEvent } from './types.js';
import { corpusMissing, skipIf } from '../../test-support/skips.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/evtx-attack-samples/', import.meta.url));
const FILE = 'privexchange_dirkjan.evtx';
const CHUNK = 0x1000;

/**
 * privexchange_dirkjan.evtx: one chunk, eight records. Offsets in the file, and the records
 * (by EventRecordID) that share a template, as read from the file.
 */
const RECORDS = [
  { id: 65966, offset: 4608, eventId: 4776 },
  { id: 65967, offset: 6544, eventId: 4624 },
  { id: 65968, offset: 8816, eventId: 4776 },
  { id: 65969, offset: 9224, eventId: 4624 },
  { id: 65970, offset: 9880, eventId: 4662 },
  { id: 65971, offset: 11408, eventId: 4624 },
  { id: 65972, offset: 12040, eventId: 5136 },
  { id: 65973, offset: 35000, eventId: 5136 },
];

async function setUp(t: TestContext): Promise<{ bytes: Buffer; clean: Collected } | undefined> {
  const path = CORPUS + FILE;
  if (skipIf(t, 'corpus', corpusMissing(path))) return undefined;
  const bytes = readFileSync(path);
  const clean = await collect(bytes);
  assert.deepEqual(
    clean.events.map((e) => [e.recordId, e.origin.offset, e.eventId]),
    RECORDS.map((r) => [r.id, r.offset, r.eventId]),
  );
  assert.deepEqual(clean.damage, []);
  return { bytes, clean };
}

/** Every clean event except `lost` (by record id) comes out of `damaged`, unchanged. */
function assertKept(damaged: Collected, clean: Collected, lost: number[] = [], shift = 0): void {
  const expected = clean.events
    .filter((e) => !lost.includes(e.recordId))
    .map((e): WinEvent => ({ ...e, origin: { chunk: e.origin.chunk + shift / 0x10000, offset: e.origin.offset + shift } }));
  assert.deepEqual(damaged.events, expected);
  assert.equal(damaged.stats.events, expected.length);
  assert.equal(damaged.stats.damaged, damaged.damage.length);
}

function offsets(r: Collected): number[] {
  return r.damage.map((d) => d.offset);
}

test('a chunk header byte changed: checksum reported at the chunk, every record still read', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.from(s.bytes);
  bytes[CHUNK + 60] = bytes[CHUNK + 60]! ^ 0xff;
  const r = await collect(bytes);
  assertKept(r, s.clean);
  assert.deepEqual(offsets(r), [CHUNK]);
  assert.match(r.damage[0]!.reason, /chunk header checksum mismatch/);
  assert.equal(r.damage[0]!.chunk, 0);
});

test('the chunk magic destroyed: reported, and the records found by scanning', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.from(s.bytes);
  bytes.write('XXXXXXXX', CHUNK, 'latin1');
  const r = await collect(bytes);
  assertKept(r, s.clean);
  assert.deepEqual(offsets(r), [CHUNK]);
  assert.match(r.damage[0]!.reason, /no ElfChnk magic/);
});

test('a record size changed: that record is lost and located, the others read', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.from(s.bytes);
  const victim = RECORDS[4]!;
  bytes.writeUInt32LE(0x7777, victim.offset + 4);
  const r = await collect(bytes);
  assertKept(r, s.clean, [victim.id]);
  assert.deepEqual(offsets(r), [CHUNK + 512, victim.offset]);
  assert.match(r.damage[0]!.reason, /record data checksum mismatch/);
  assert.match(r.damage[1]!.reason, /record size 30583 does not match its trailing copy \d+; 1528 bytes skipped/);
});

test('a BinXML token changed: that record is lost and located, the others read', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.from(s.bytes);
  // 65969 uses the 4624 template that 65967 defined; its template-instance token goes bad.
  const victim = RECORDS[3]!;
  assert.equal(bytes[victim.offset + 28], 0x0c);
  bytes[victim.offset + 28] = 0x3f;
  const r = await collect(bytes);
  assertKept(r, s.clean, [victim.id]);
  assert.deepEqual(offsets(r), [CHUNK + 512, victim.offset]);
  assert.match(r.damage[1]!.reason, /^record \d+: unexpected BinXML token 0x3f/);
});

test('a token inside a template definition changed: the records using it are lost, each located', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.from(s.bytes);
  // Security events share one outer template; their EventData is nested BinXML with a template
  // per event type. 65966 defines the 4776 one inline and 65968 uses it: break its first token.
  const first = RECORDS[0]!;
  const nested = bytes.indexOf(Buffer.from([0x0f, 0x01, 0x01, 0x00, 0x0c]), first.offset + 40);
  const defAt = bytes.readUInt32LE(nested + 10);
  assert.equal(CHUNK + defAt, nested + 14, 'the nested template is defined inline');
  assert.equal(bytes[CHUNK + defAt + 28], 0x01, '<EventData> opens it');
  bytes[CHUNK + defAt + 28] = 0x3f;
  const r = await collect(bytes);
  assertKept(r, s.clean, [65966, 65968]);
  assert.deepEqual(offsets(r), [CHUNK + 512, first.offset, RECORDS[2]!.offset]);
  assert.match(r.damage[1]!.reason, /^record \d+: template at chunk offset \d+: unexpected BinXML token 0x3f/);
  assert.equal(r.damage[1]!.reason.slice(r.damage[1]!.reason.indexOf(':')), r.damage[2]!.reason.slice(r.damage[2]!.reason.indexOf(':')));
});

test('a file cut short inside its last record: the records before it are read', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const last = RECORDS[7]!;
  const r = await collect(s.bytes.subarray(0, last.offset + 100));
  assertKept(r, s.clean, [last.id]);
  assert.deepEqual(offsets(r), [last.offset + 100, last.offset]);
  assert.match(r.damage[0]!.reason, /chunk cut short/);
  assert.match(r.damage[1]!.reason, /does not fit the chunk/);
});

test('a zero-filled chunk is reported, and the next chunk read', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const chunk = s.bytes.subarray(CHUNK);
  const bytes = Buffer.concat([s.bytes.subarray(0, CHUNK), Buffer.alloc(chunk.length), chunk]);
  const r = await collect(bytes);
  assertKept(r, s.clean, [], 0x10000);
  assert.deepEqual(offsets(r), [CHUNK]);
  assert.match(r.damage[0]!.reason, /zero-filled/);
  assert.equal(r.stats.chunks, 1);
});

test('zero-filled space after the last chunk is unused space, not damage', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const r = await collect(Buffer.concat([s.bytes, Buffer.alloc(3 * 0x10000)]));
  assertKept(r, s.clean);
  assert.deepEqual(r.damage, []);
});

test('garbage after the last chunk, whole slots or a part of one, is reported', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  let x = 12345;
  const noise = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24));
  const end = s.bytes.length;
  const r = await collect(Buffer.concat([s.bytes, noise(2 * 0x10000 + 1000)]));
  assertKept(r, s.clean);
  assert.deepEqual(offsets(r), [end, end + 2 * 0x10000]);
  assert.match(r.damage[0]!.reason, /2 chunk slots \(1 to 2\) are neither a chunk nor zeros/);
  assert.match(r.damage[1]!.reason, /the 1000 bytes after the last whole chunk/);
});

test('a damaged file header is reported, and the chunks read anyway', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.from(s.bytes);
  bytes.write('NotAnEvtx', 0, 'latin1');
  const r = await collect(bytes);
  assertKept(r, s.clean);
  assert.deepEqual(offsets(r), [0]);
  assert.match(r.damage[0]!.reason, /no ElfFile magic/);
});

test('empty and tiny files are damage, not errors', async () => {
  for (const [bytes, reason] of [
    [Buffer.alloc(0), /empty file/],
    [Buffer.from('ElfFile\0'), /shorter than the 4096-byte file header/],
  ] as const) {
    const r = await collect(bytes);
    assert.deepEqual(r.stats, { events: 0, damaged: 1, chunks: 0 });
    assert.equal(r.damage[0]!.offset, 0);
    assert.match(r.damage[0]!.reason, reason);
  }
});

test('damage is the same whatever the piece sizes', async (t) => {
  const s = await setUp(t);
  if (s === undefined) return;
  const bytes = Buffer.concat([s.bytes, Buffer.alloc(0x10000, 0x55), s.bytes.subarray(CHUNK, CHUNK + 30000)]);
  bytes.writeUInt32LE(0x7777, RECORDS[2]!.offset + 4);
  const whole = await collect(bytes);
  assert.ok(whole.damage.length >= 4);
  for (const size of [1, 4097]) assert.deepEqual(await collect(bytes, size), whole);
});
