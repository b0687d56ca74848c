// Hand-built EVTX files for shapes the real samples lack: UserData, arrays, nested BinXML,
// text times, hostile names, damaged templates. These run without the corpus.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkWriter, el, evtxFile, sub, systemSection, systemValues, v, type Element } from './test-helpers/build-evtx.js';
import { collect } from './test-helpers/collect.js';

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const sys = { provider: 'Test-Provider', eventId: 4624, level: 0, time: v.filetime('2019-03-19T23:34:46.872Z', 512n), recordId: 100, channel: 'Security' };

function eventTemplate(...rest: Element[]): Element {
  return el('Event', [['xmlns', [NS]]], systemSection(), ...rest);
}

test('a templated event: System fields, named and unnamed Data, arrays, empty optional elements', async () => {
  const w = new ChunkWriter();
  const body = eventTemplate(
    el(
      'EventData',
      [],
      el('Data', [['Name', ['SubjectUserName']]], sub(8)),
      el('Data', [['Name', ['SubjectLogonId']]], sub(9)),
      el('Data', [], sub(10)),
      el('Data', [], sub(11)),
      el('Binary', [], sub(12, true)),
    ),
  );
  w.record(1, () =>
    w.fragment(() =>
      w.template(0x1111, body, [
        ...systemValues({ ...sys, userId: 'S-1-5-21-1-2-3-500' }),
        v.str('alice'),
        v.hex64(0x3e7n),
        v.strArray(['first', 'second']),
        v.str('third'),
        v.null(),
      ]),
    ),
  );
  // The second record points back at the definition the first one wrote.
  w.record(2, () =>
    w.fragment(() =>
      w.template(0x1111, body, [
        ...systemValues({ ...sys, eventId: 4625, recordId: 101 }),
        v.str('bob'),
        v.hex64(0x1234567890abn),
        v.strArray([]),
        v.str(''),
        v.raw(0x0e, Buffer.from([0xde, 0xad])),
      ]),
    ),
  );
  const { events, damage, stats } = await collect(evtxFile([w.finish()]));
  assert.deepEqual(damage, []);
  assert.deepEqual(stats, { events: 2, damaged: 0, chunks: 1 });
  assert.deepEqual(events[0], {
    recordId: 100,
    time: '2019-03-19T23:34:46.8720512Z',
    eventId: 4624,
    provider: 'Test-Provider',
    channel: 'Security',
    computer: 'HOST.example.org',
    data: { SubjectUserName: 'alice', SubjectLogonId: '0x3e7', Data: 'first', Data1: 'second', Data2: 'third' },
    origin: { chunk: 0, offset: 0x1000 + 512 },
    level: 0,
    userId: 'S-1-5-21-1-2-3-500',
  });
  assert.equal(events[1]!.eventId, 4625);
  assert.equal(events[1]!.userId, undefined);
  assert.deepEqual(events[1]!.data, { SubjectUserName: 'bob', SubjectLogonId: '0x1234567890ab', Data: '', Binary: 'DEAD' });
});

test('UserData as nested BinXML with its own template: leaves and attributes are flattened', async () => {
  const w = new ChunkWriter();
  w.record(1, () =>
    w.fragment(() =>
      w.template(0x2222, eventTemplate(el('UserData', [], sub(8))), [
        ...systemValues({ ...sys, eventId: 1102, channel: 'Security' }),
        v.binxml((n) =>
          n.fragment(() =>
            n.template(
              0x3333,
              el(
                'LogFileCleared',
                [['xmlns', ['http://manifests.microsoft.com/win/2004/08/windows/eventlog']]],
                el('SubjectUserName', [], sub(0)),
                el('Policy', [
                  ['type', [sub(1)]],
                  ['constant', ['3']],
                ]),
                el('ServiceShutdown'),
                el('SubjectUserName', [], sub(2)),
              ),
              [v.str('mallory'), v.str('AUTHENTICODE'), v.str('again')],
            ),
          ),
        ),
      ]),
    ),
  );
  const { events, damage } = await collect(evtxFile([w.finish()]));
  assert.deepEqual(damage, []);
  assert.deepEqual(events[0]!.data, {
    SubjectUserName: 'mallory',
    'Policy.type': 'AUTHENTICODE',
    'Policy.constant': '3',
    ServiceShutdown: '',
    SubjectUserName1: 'again',
  });
});

test('EventData held in one BinXML substitution straight under Event, as Security events do', async () => {
  const w = new ChunkWriter();
  w.record(1, () =>
    w.fragment(() =>
      w.template(0x4444, el('Event', [], systemSection(), sub(8)), [
        ...systemValues(sys),
        v.binxml((n) =>
          n.fragment(() =>
            n.template(0x5555, el('EventData', [], el('Data', [['Name', ['TargetUserName']]], sub(0)), el('Data', [['Name', ['IpAddress']]], sub(1))), [
              v.str('EXCHANGE$'),
              v.str('192.168.111.87'),
            ]),
          ),
        ),
      ]),
    ),
  );
  const { events } = await collect(evtxFile([w.finish()]));
  assert.deepEqual(events[0]!.data, { TargetUserName: 'EXCHANGE$', IpAddress: '192.168.111.87' });
});

test('a record written without a template, and a TimeCreated written as text', async () => {
  const w = new ChunkWriter();
  const event = el(
    'Event',
    [],
    el(
      'System',
      [],
      el('Provider', [['Name', ['MSExchange CmdletLogs']]]),
      el('EventID', [['Qualifiers', ['16384']]], '1'),
      el('TimeCreated', [['SystemTime', ['2021-11-19T16:52:33.833733500Z']]]),
      el('Channel', [], 'MSExchange Management'),
      el('Computer', [], 'EX01'),
    ),
    el('EventData', [], el('Data', [], 'Set-Mailbox'), el('Data', [], '-ForwardingSmtpAddress "smtp:x@example.com"')),
  );
  w.record(7, () => w.fragment(() => w.node(event, false)));
  // Some writers keep the template-style dependency id outside templates too.
  const w2 = new ChunkWriter();
  w2.record(8, () => w2.fragment(() => w2.node(event, true)));
  const { events, damage } = await collect(evtxFile([w.finish(), w2.finish()]));
  assert.deepEqual(damage, []);
  assert.equal(events.length, 2);
  for (const e of events) {
    assert.equal(e.eventId, 1);
    assert.equal(e.provider, 'MSExchange CmdletLogs');
    assert.equal(e.time, '2021-11-19T16:52:33.8337335Z');
    assert.deepEqual(e.data, { Data: 'Set-Mailbox', Data1: '-ForwardingSmtpAddress "smtp:x@example.com"' });
  }
  // No EventRecordID in the event: the record header's id stands in.
  assert.deepEqual(
    events.map((e) => e.recordId),
    [7, 8],
  );
});

test('a name from the evidence cannot reach Object.prototype', async () => {
  const w = new ChunkWriter();
  w.record(1, () =>
    w.fragment(() =>
      w.template(0x6666, eventTemplate(el('UserData', [], el('X', [], el('__proto__', [], sub(8))))), [...systemValues(sys), v.str('polluted')]),
    ),
  );
  const { events } = await collect(evtxFile([w.finish()]));
  const data = events[0]!.data;
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.ok(Object.hasOwn(data, '__proto__'));
  assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'polluted');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('a damaged template is replaced by the same template from an earlier chunk, and reported', async () => {
  const body = eventTemplate(el('EventData', [], el('Data', [['Name', ['CommandLine']]], sub(8))));
  const chunks = [1, 2].map((c) => {
    const w = new ChunkWriter();
    for (let i = 0; i < 3; i++) {
      w.record(c * 10 + i, () => w.fragment(() => w.template(0x7777, body, [...systemValues({ ...sys, recordId: c * 10 + i }), v.str(`cmd ${c}.${i}`)])));
    }
    return w.finish();
  });
  // Break the second chunk's copy of the template: its BinXML no longer starts with a fragment header.
  const second = chunks[1]!;
  const defAt = second.readUInt32LE(512 + 24 + 4 + 6);
  second[defAt + 24] = 0x77;
  const { events, damage } = await collect(evtxFile(chunks));
  assert.deepEqual(
    events.map((e) => e.data['CommandLine']),
    ['cmd 1.0', 'cmd 1.1', 'cmd 1.2', 'cmd 2.0', 'cmd 2.1', 'cmd 2.2'],
  );
  const reasons = damage.map((d) => d.reason);
  assert.equal(reasons.filter((r) => r.includes('from an earlier chunk')).length, 1, reasons.join('\n'));
  assert.ok(
    reasons.some((r) => r.includes('checksum mismatch')),
    'the edit also breaks the record data checksum',
  );
  assert.equal(damage.find((d) => d.reason.includes('earlier chunk'))?.offset, 0x1000 + 0x10000 + defAt);
});

test('logs written without checksums (flag 4) are not damage', async () => {
  const w = new ChunkWriter();
  w.record(1, () => w.fragment(() => w.template(0x8888, eventTemplate(), systemValues(sys))));
  const { events, damage } = await collect(evtxFile([w.finish(4)], 4));
  assert.deepEqual(damage, []);
  assert.equal(events.length, 1);
});

test('a record with no System section is damage, not an event', async () => {
  const w = new ChunkWriter();
  const at = w.record(1, () => w.fragment(() => w.node(el('Nothing', [], 'here'), false)));
  const { events, damage } = await collect(evtxFile([w.finish()]));
  assert.equal(events.length, 0);
  assert.equal(damage.length, 1);
  assert.equal(damage[0]!.offset, 0x1000 + at);
  assert.match(damage[0]!.reason, /no System section/);
});

test('records past a stale free-space offset are read when they continue the id sequence', async () => {
  const w = new ChunkWriter();
  const body = eventTemplate();
  const at = [1, 2, 3, 4].map((id) => w.record(id, () => w.fragment(() => w.template(0x9999, body, systemValues({ ...sys, recordId: id })))));
  // Old bytes after the records that happen to look like one, but with an id out of sequence.
  const stale = w.record(77, () => w.fragment(() => w.template(0x9999, body, systemValues({ ...sys, recordId: 77 }))));
  const third = at[2]!;
  const { events, damage } = await collect(evtxFile([w.finish(0, third)]));
  assert.deepEqual(
    events.map((e) => e.recordId),
    [1, 2, 3, 4],
  );
  assert.equal(damage.length, 1);
  assert.equal(damage[0]!.offset, 0x1000 + third);
  assert.match(damage[0]!.reason, /^2 record\(s\) past the chunk header's free-space offset/);
  assert.ok(stale > at[3]!);
});
