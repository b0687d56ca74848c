// readEvtx's `wants`: an event it refuses is given back with its System fields only, the same
// fields a whole read gives; an event whose channel or id could not be read is never asked about.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkWriter, el, evtxFile, sub, systemSection, systemValues, v } from './test-helpers/build-evtx.js';
import { collect } from './test-helpers/collect.js';

const sys = { provider: 'Test-Provider', eventId: 4624, level: 0, time: v.filetime('2019-03-19T23:34:46.872Z', 512n), recordId: 100, channel: 'Security' };

function file(): Buffer {
  const w = new ChunkWriter();
  const body = el('Event', [], systemSection(), el('EventData', [], el('Data', [['Name', ['TargetUserName']]], sub(8))));
  w.record(1, () => w.fragment(() => w.template(0x1111, body, [...systemValues(sys), v.str('alice')])));
  w.record(2, () => w.fragment(() => w.template(0x1111, body, [...systemValues({ ...sys, eventId: 4688, recordId: 101 }), v.str('bob')])));
  // No Channel element at all: nothing to decide by.
  const bare = el('Event', [], el('System', [], el('EventID', [], sub(0))), el('EventData', [], el('Data', [['Name', ['X']]], sub(1))));
  w.record(3, () => w.fragment(() => w.template(0x2222, bare, [v.u16(4688), v.str('carol')])));
  return evtxFile([w.finish()]);
}

test('a refused event keeps its System fields and loses only its data; the others are read whole', async () => {
  const whole = await collect(file());
  const asked: string[] = [];
  const gated = await collect(file(), undefined, (s) => {
    asked.push(JSON.stringify(s));
    return s.EventID !== '4624';
  });
  // Asked with the event's kind alone: not its machine, record id, level or user.
  assert.deepEqual(asked, [
    JSON.stringify({ EventID: '4624', Channel: 'Security', Provider_Name: 'Test-Provider' }),
    JSON.stringify({ EventID: '4688', Channel: 'Security', Provider_Name: 'Test-Provider' }),
  ]);
  assert.deepEqual(gated.stats, whole.stats);
  assert.deepEqual(gated.damage, whole.damage);
  assert.equal(whole.events.length, 3);
  const { data, ...system } = whole.events[0]!;
  assert.deepEqual(data, { TargetUserName: 'alice' });
  assert.deepEqual(gated.events[0], { ...system, data: {}, partial: true });
  assert.deepEqual(gated.events.slice(1), whole.events.slice(1));
});

test('each kind of event is asked about once per file, and the answer kept holds for every event of that kind', async () => {
  const w = new ChunkWriter();
  const body = el('Event', [], systemSection(), el('EventData', [], el('Data', [['Name', ['TargetUserName']]], sub(8))));
  // Kinds differ by channel, provider or id alone; each comes back, out of order, with another record id, level and user.
  const kinds = [
    { channel: 'Security', provider: 'P', eventId: 4624 },
    { channel: 'Security', provider: 'P', eventId: 4625 },
    { channel: 'Security', provider: 'Q', eventId: 4624 },
    { channel: 'System', provider: 'P', eventId: 4624 },
  ];
  const order = [0, 1, 2, 3, 3, 0, 2, 1, 0, 0];
  order.forEach((k, i) => {
    const kind = kinds[k]!;
    const values = systemValues({ ...sys, ...kind, recordId: 200 + i, level: i % 3, ...(i % 2 ? { userId: 'S-1-5-18' } : {}) });
    w.record(200 + i, () => w.fragment(() => w.template(0x1111, body, [...values, v.str(`user${i}`)])));
  });
  const bytes = evtxFile([w.finish()]);
  const asked: string[] = [];
  const gated = await collect(bytes, undefined, (s) => {
    asked.push(`${s.Channel}/${s.Provider_Name}/${s.EventID}`);
    return s.Provider_Name === 'P' && s.EventID === '4624';
  });
  assert.deepEqual(asked, ['Security/P/4624', 'Security/P/4625', 'Security/Q/4624', 'System/P/4624']);
  const whole = await collect(bytes);
  assert.equal(gated.events.length, order.length);
  gated.events.forEach((e, i) => {
    const kind = kinds[order[i]!]!;
    if (kind.provider === 'P' && kind.eventId === 4624) assert.deepEqual(e, whole.events[i], `event ${i} read whole`);
    else assert.deepEqual(e, { ...whole.events[i], data: {}, partial: true }, `event ${i} refused`);
  });
});

test('a file of more kinds than are kept asks again about those past the first 4,096, and only those', async () => {
  const body = el('Event', [], systemSection(), el('EventData', [], el('Data', [['Name', ['TargetUserName']]], sub(8))));
  const chunks: Buffer[] = [];
  let w = new ChunkWriter();
  let id = 1;
  const write = (eventId: number): void => {
    // A chunk holds 64 KiB: a new one before this one is full.
    if (w.pos > 60_000) {
      chunks.push(w.finish());
      w = new ChunkWriter();
    }
    const values = systemValues({ ...sys, provider: 'P', eventId, recordId: id });
    w.record(id++, () => w.fragment(() => w.template(0x1111, body, [...values, v.str('x')])));
  };
  // 4,200 kinds, then ten of the first and ten of the last again.
  for (let k = 0; k < 4200; k++) write(k);
  for (const k of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4190, 4191, 4192, 4193, 4194, 4195, 4196, 4197, 4198, 4199]) write(k);
  chunks.push(w.finish());
  const asked: number[] = [];
  const gated = await collect(evtxFile(chunks), undefined, (s) => {
    asked.push(Number(s.EventID));
    return Number(s.EventID) % 2 === 0;
  });
  assert.equal(gated.events.length, 4220);
  assert.equal(gated.damage.length, 0);
  assert.equal(asked.length, 4210);
  assert.deepEqual(asked.slice(4200), [4190, 4191, 4192, 4193, 4194, 4195, 4196, 4197, 4198, 4199]);
  // Kept or asked again, each event gets its own kind's answer.
  for (const e of gated.events) assert.equal(e.partial === true, e.eventId % 2 === 1, `event ${e.recordId}`);
});
