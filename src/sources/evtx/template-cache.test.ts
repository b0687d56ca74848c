// Templates compiled once for every chunk that holds the same one: a copy elsewhere in another chunk
// is found again, and a copy whose names read otherwise is not.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { u32 } from './bytes.js';
import { newChunkContext } from './chunk-context.js';
import { compileFragment } from './compile.js';
import { Z_ROOT } from './plan.js';
import { TemplateCache } from './template-cache.js';
import { ChunkWriter, el, evtxFile, sub, systemSection, systemValues, v } from './test-helpers/build-evtx.js';
import { collect } from './test-helpers/collect.js';

const sys = { provider: 'P', eventId: 1, level: 4, time: v.filetime('2021-03-03T01:02:03.004Z'), recordId: 1, channel: 'Application' };

/**
 * A chunk of two events. The first defines `name` in its template; the second's template (id
 * 0x2222, the one under test) points at that name and writes 'Shared' inline. A longer `provider`
 * moves the second record, and its template with it.
 */
function twoEvents(name: string, provider: string, link = 0): { chunk: Buffer; second: number } {
  const w = new ChunkWriter();
  w.record(1, () =>
    w.fragment(() =>
      w.template(0x1111, el('Event', [], systemSection(), el('UserData', [], el('Lead', [], el(name, [], sub(8))))), [
        ...systemValues({ ...sys, provider }),
        v.str('lead'),
      ]),
    ),
  );
  const second = w.record(2, () =>
    w.fragment(() =>
      w.template(0x2222, el('Event', [], systemSection(), el('UserData', [], el('Shared', [], el(name, [], sub(8))))), [
        ...systemValues({ ...sys, recordId: 2 }),
        v.str('value'),
      ]),
    ),
  );
  if (link !== 0) {
    // The inline name's link to the next name of its hash bucket, which differs from chunk to chunk.
    w.buf.writeUInt32LE(link, w.buf.indexOf(Buffer.from('Shared', 'utf16le'), second) - 8);
  }
  return { chunk: Buffer.from(w.finish()), second };
}

/** The body of the template the record at `record` defines: after the record header, fragment header and instance header. */
function bodyOf(chunk: Buffer, record: number): { start: number; size: number } {
  const def = record + 24 + 4 + 10;
  return { start: def + 24, size: u32(chunk, def + 20) };
}

function context(chunk: Buffer) {
  return newChunkContext(chunk, chunk.length, () => assert.fail('no damage expected'));
}

test('a template moved to another offset in another chunk, its inline name linked elsewhere, is found compiled', () => {
  const a = twoEvents('Target', 'P');
  const b = twoEvents('Target', 'A-longer-provider-name', 0x1234);
  assert.notEqual(a.second, b.second);
  const cache = new TemplateCache();
  const at = bodyOf(a.chunk, a.second);
  const ca = context(a.chunk);
  const compiled = compileFragment(ca, at.start, at.start + at.size, Z_ROOT, true);
  assert.ok(compiled.refs !== undefined);
  cache.add(ca, 0x2222, Z_ROOT, at.start, at.size, compiled.plan, compiled.refs);
  const bt = bodyOf(b.chunk, b.second);
  assert.equal(bt.size, at.size);
  assert.equal(cache.find(context(b.chunk), 0x2222, Z_ROOT, bt.start, bt.size), compiled.plan);
  // Another zone, or a body changed by one byte, is another template.
  assert.equal(cache.find(context(b.chunk), 0x2222, Z_ROOT + 1, bt.start, bt.size), undefined);
  const changed = Buffer.from(b.chunk);
  changed[bt.start + bt.size - 2] = changed[bt.start + bt.size - 2]! ^ 1;
  assert.equal(cache.find(context(changed), 0x2222, Z_ROOT, bt.start, bt.size), undefined);
});

test('the same template bytes at the same offset whose pointed-to name reads otherwise are not taken for it', async () => {
  const a = twoEvents('AAAA', 'P');
  const b = twoEvents('BBBB', 'P');
  const at = bodyOf(a.chunk, a.second);
  const bt = bodyOf(b.chunk, b.second);
  assert.equal(bt.start, at.start);
  assert.ok(a.chunk.subarray(at.start, at.start + at.size).equals(b.chunk.subarray(bt.start, bt.start + bt.size)));
  const cache = new TemplateCache();
  const ca = context(a.chunk);
  const compiled = compileFragment(ca, at.start, at.start + at.size, Z_ROOT, true);
  cache.add(ca, 0x2222, Z_ROOT, at.start, at.size, compiled.plan, compiled.refs!);
  assert.equal(cache.find(context(b.chunk), 0x2222, Z_ROOT, bt.start, bt.size), undefined);

  // Read through, each chunk's events carry their own names.
  const { events, damage } = await collect(evtxFile([a.chunk, b.chunk, a.chunk]));
  assert.deepEqual(damage, []);
  assert.deepEqual(
    events.map((e) => e.data),
    [{ AAAA: 'lead' }, { AAAA: 'value' }, { BBBB: 'lead' }, { BBBB: 'value' }, { AAAA: 'lead' }, { AAAA: 'value' }],
  );
});

test('events read through moved templates are the same as read from their own chunk alone', async () => {
  const a = twoEvents('Target', 'P');
  const b = twoEvents('Target', 'A-longer-provider-name', 0x1234);
  const together = await collect(evtxFile([a.chunk, b.chunk]));
  const alone = await collect(evtxFile([b.chunk]));
  assert.deepEqual(together.damage, []);
  assert.equal(together.events.length, 4);
  assert.deepEqual(together.events[3]!.data, { Target: 'value' });
  assert.deepEqual(
    together.events.slice(2).map((e) => ({ ...e, origin: undefined })),
    alone.events.map((e) => ({ ...e, origin: undefined })),
  );
});
