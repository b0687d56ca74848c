import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../core/types.js';
import { chunksOf, readText, readWith, splitAt } from '../test-helpers/read.js';
import { w3cReader } from './w3c-reader.js';

const FIELDS1 =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';
const FIELDS2 = 'date time s-computername cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)';
const TEXT = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2021-10-09 00:00:01',
  `#Fields: ${FIELDS1}`,
  '2021-10-09 00:00:01 10.0.0.1 GET /ecp/ &CorrelationID=<empty>;&cafeReqId=7f1e;&LogoffReason=x 443 - ::1 AMProbe/Local - 302 0 0 33',
  '2021-10-09 00:00:02 10.0.0.1 POST /owa/auth/x.aspx cmd=whoami&cafeReqId=fake; 443 - 1.2.3.4 Mozilla/5.0 (Windows NT 10.0; Win64) - 200 0 0 5',
  '2021-10-09 00:00:03 10.0.0.1 GET /short',
  '#Software: Microsoft Internet Information Services 10.0',
  '#Date: 2021-10-10 00:00:00',
  `#Fields: ${FIELDS2}`,
  '2021-10-10 00:00:04 EXCH01 GET /autodiscover/autodiscover.json @x/ews/exchange.asmx?&CorrelationID=<empty>;&cafeReqId=abc-123; 200 python-requests/2.26.0',
  '2021-10-08 23:59:59 EXCH01 GET / - 200 -',
  '',
].join('\r\n');

test('reads W3C lines by the #Fields in force, follows a changed field set, derives cafeReqId', async () => {
  const { stats, records } = await readText(w3cReader, TEXT);
  assert.equal(stats.kind, 'iis');
  assert.equal(stats.records, 4);
  assert.equal(stats.badRecords, 1);
  assert.deepEqual(
    stats.badSamples.map((b) => [b.origin.line, b.reason]),
    [[7, '5 values, 15 fields']],
  );
  assert.equal(stats.firstTime, '2021-10-08T23:59:59.000Z');
  assert.equal(stats.lastTime, '2021-10-10T00:00:04.000Z');
  assert.equal(stats.server, 'EXCH01');
  assert.deepEqual(stats.notes, [
    'line 6: 19 values for 15 fields; the surplus is read as part of cs(User-Agent)',
    'line 10: #Fields changes the field set to 8 names',
  ]);
  const [probe, shell, proxyshell, last] = records;
  assert.equal(probe?.fields['cs-username'], '', '- is an empty value');
  assert.equal(probe?.fields.cafeReqId, '7f1e');
  assert.equal(probe?.fields.CorrelationID, '<empty>');
  assert.equal(probe?.time, '2021-10-09T00:00:01.000Z');
  assert.equal(shell?.fields['cs(User-Agent)'], 'Mozilla/5.0 (Windows NT 10.0; Win64)');
  assert.equal(shell?.fields['sc-status'], '200');
  assert.equal(shell?.fields.cafeReqId, 'fake', 'a query that ends in the pattern is read as written');
  assert.equal(proxyshell?.fields['s-computername'], 'EXCH01');
  assert.equal(proxyshell?.fields['cs-uri-query'], '@x/ews/exchange.asmx?&CorrelationID=<empty>;&cafeReqId=abc-123;');
  assert.equal(proxyshell?.fields.cafeReqId, 'abc-123');
  assert.equal(proxyshell?.origin.line, 11);
  assert.equal(last?.fields['cs(User-Agent)'], '');
  assert.equal(last?.fields.cafeReqId, undefined);
});

test('the same W3C file in any chunking reads the same', async () => {
  const whole = JSON.stringify(await readText(w3cReader, TEXT, 64 * 1024, ['autodiscover.json', 'whoami']));
  for (const size of [1, 7]) assert.equal(JSON.stringify(await readText(w3cReader, TEXT, size, ['autodiscover.json', 'whoami'])), whole);
  const data = Buffer.from(TEXT);
  for (let cut = 0; cut <= data.length; cut++) {
    assert.equal(JSON.stringify(await readWith(w3cReader, splitAt(data, cut), ['autodiscover.json', 'whoami'])), whole, `cut at ${cut}`);
  }
});

test('surplus values without a user-agent column are a bad record; so are lines before #Fields', async () => {
  const text = 'x y z\n#Fields: date time cs-uri-stem\n2021-01-01 00:00:00 /a b\n2021-01-01 00:00:01 /ok\n';
  const { stats } = await readText(w3cReader, text);
  assert.equal(stats.records, 1);
  assert.deepEqual(
    stats.badSamples.map((b) => [b.origin.line, b.origin.offset, b.reason]),
    [
      [1, 0, 'record before any #Fields line'],
      [3, 37, '4 values, 3 fields'],
    ],
  );
});

test('a time-only field list takes its date from #Date; bad times are left out of the range', async () => {
  const text = '#Date: 2020-05-06 00:00:00\n#Fields: time cs-uri-stem\n10:11:12 /a\nnoon /b\n';
  const { stats, records } = await readText(w3cReader, text);
  assert.equal(stats.records, 2);
  assert.equal(stats.firstTime, '2020-05-06T10:11:12.000Z');
  assert.equal(stats.lastTime, '2020-05-06T10:11:12.000Z');
  assert.deepEqual(
    records.map((r) => r.time),
    ['2020-05-06T10:11:12.000Z', undefined],
  );
});

test('empty and header-only W3C files', async () => {
  const empty = await readText(w3cReader, '');
  assert.deepEqual([empty.stats.records, empty.stats.badRecords, empty.stats.firstTime], [0, 0, undefined]);
  const header = await readText(w3cReader, `#Software: Microsoft Internet Information Services 10.0\n#Fields: ${FIELDS1}\n`, 1);
  assert.deepEqual([header.stats.records, header.stats.badRecords, header.stats.kind], [0, 0, 'iis']);
});

test('a row with too few or too many values stays bad and is offered, read as well as it can be, for a search of its strings', async () => {
  const text = [
    `#Fields: ${FIELDS1}`,
    // The start of the line lost (a NUL run cut it): read from the right.
    'ST /owa/auth/x.aspx cmd=whoami 443 - 1.2.3.4 Mozilla/5.0 - 200 0 0 5',
    '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip sc-status',
    // A raw space in the query and no user-agent column to absorb it.
    '2021-10-09 00:00:03 10.0.0.1 POST /aspnet_client/s.aspx a=1 b=2 443 5.6.7.8 200',
    // Cut off at the end of the file.
    '2021-10-09 00:00:04 10.0.0.1 GET /owa/auth/x.aspx cmd=whoami 4',
  ].join('\n');
  const damaged: LogRecord[] = [];
  const records: LogRecord[] = [];
  const stats = await w3cReader.read(chunksOf(Buffer.from(text), 64 * 1024), {
    path: 'cut.log',
    literals: ['.aspx'],
    onRecord: (r) => records.push(r),
    onDamaged: (r) => damaged.push(r),
  });
  assert.equal(stats.records, 0);
  assert.equal(stats.badRecords, 3, 'every damaged row is still counted as unreadable');
  assert.equal(records.length, 0);
  const [headless, spaced, cut] = damaged;
  assert.equal(headless?.damaged, '12 values, 15 fields');
  assert.equal(headless?.fields['cs-uri-stem'], '/owa/auth/x.aspx');
  assert.equal(headless?.fields['sc-status'], '200');
  assert.equal(headless?.fields['c-ip'], '1.2.3.4');
  assert.equal(headless?.fields['date'], '');
  assert.equal(headless?.time, undefined);
  assert.equal(spaced?.damaged, '10 values, 9 fields');
  assert.equal(spaced?.fields['cs-method'], 'POST');
  assert.equal(spaced?.fields['cs-uri-stem'], '/aspnet_client/s.aspx a=1', 'free text holds every value it may span');
  assert.equal(spaced?.fields['s-port'], '443');
  assert.equal(spaced?.fields['c-ip'], '5.6.7.8');
  assert.equal(spaced?.fields['sc-status'], '200');
  assert.equal(spaced?.time, '2021-10-09T00:00:03.000Z');
  assert.equal(cut?.damaged, 'last line cut off? 7 values, 9 fields');
  assert.equal(cut?.fields['cs-uri-query'], 'cmd=whoami');
  assert.equal(cut?.fields['s-port'], '4');
  assert.equal(cut?.fields['sc-status'], '');
  assert.equal(cut?.origin.line, 5);
});
