// The record made from data a reader gives up is the record made from a copy: same fields, same
// order, same text, whatever names the data holds.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { winEventRecord, winEventRecordTaking, type WinEventFields } from './winevent-record.js';

const origin = { path: 'Security.evtx', line: 7, offset: 4096 };

/** The data as the .evtx renderer makes it for records: a null-prototype object, and its keys in order. */
function given(pairs: [string, string][]): { data: Record<string, string>; keys: string[] } {
  const data = Object.create(null) as Record<string, string>;
  for (const [k, v] of pairs) {
    if (k === '__proto__') Object.defineProperty(data, k, { value: v, enumerable: true, writable: true, configurable: true });
    else data[k] = v;
  }
  return { data, keys: pairs.map(([k]) => k) };
}

function event(data: Record<string, string>, extra: Partial<WinEventFields> = {}): WinEventFields {
  return {
    eventId: 4624,
    channel: 'Security',
    provider: 'Microsoft-Windows-Security-Auditing',
    computer: 'EX01.corp.local',
    time: '2021-03-03T01:02:03.4567891Z',
    recordId: 55,
    data,
    ...extra,
  };
}

const cases: [string, [string, string][], Partial<WinEventFields>][] = [
  [
    'plain data',
    [
      ['TargetUserName', 'alice'],
      ['IpAddress', '10.0.0.5'],
      ['LogonType', '3'],
    ],
    { level: 0, userId: 'S-1-5-18' },
  ],
  [
    'a data item named as a system column keeps its place with the system value',
    [
      ['Level', 'data level'],
      ['Payload', 'x'],
      ['UserID', 'data user'],
    ],
    { level: 4, userId: 'S-1-5-18' },
  ],
  [
    'a data item named as a column the event does not set keeps its own value',
    [
      ['UserID', 'data user'],
      ['Level', '9'],
    ],
    {},
  ],
  [
    'names that are array indices come first in an object',
    [
      ['Payload', 'x'],
      ['2', 'two'],
      ['0', 'zero'],
      ['10a', 'not an index'],
    ],
    { level: 2 },
  ],
  [
    'a __proto__ name is data like any other',
    [
      ['__proto__', 'p'],
      ['Channel', 'data channel'],
    ],
    {},
  ],
  ['no data', [], { recordId: undefined }],
];

for (const [name, pairs, extra] of cases) {
  test(`record from taken data: ${name}`, () => {
    const copied = winEventRecord(event(given(pairs).data, extra), origin);
    const { data, keys } = given(pairs);
    const taken = winEventRecordTaking(event(data, extra), keys, origin);
    assert.equal(taken.raw, copied.raw);
    assert.deepEqual(Object.entries(taken.fields), Object.entries(copied.fields));
    assert.equal(Object.getPrototypeOf(taken.fields), null);
    assert.deepEqual({ ...taken, fields: undefined, raw: undefined }, { ...copied, fields: undefined, raw: undefined });
  });
}

test('record from taken data: the data object becomes the fields, system columns set in it', () => {
  const { data, keys } = given([['Payload', 'x']]);
  const record = winEventRecordTaking(event(data), keys, origin);
  assert.equal(record.fields, data);
  assert.equal(record.raw, 'x\n4624\nSecurity\nMicrosoft-Windows-Security-Auditing\nEX01.corp.local\n55\n');
  assert.equal(record.time, '2021-03-03T01:02:03.456Z');
});
