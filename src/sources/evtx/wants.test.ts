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
    asked.push(`${s.Channel}/${s.EventID}/${s.Computer}/${s.EventRecordID}`);
    return s.EventID !== '4624';
  });
  assert.deepEqual(asked, ['Security/4624/HOST.example.org/100', 'Security/4688/HOST.example.org/101']);
  assert.deepEqual(gated.stats, whole.stats);
  assert.deepEqual(gated.damage, whole.damage);
  assert.equal(whole.events.length, 3);
  const { data, ...system } = whole.events[0]!;
  assert.deepEqual(data, { TargetUserName: 'alice' });
  assert.deepEqual(gated.events[0], { ...system, data: {}, partial: true });
  assert.deepEqual(gated.events.slice(1), whole.events.slice(1));
});
