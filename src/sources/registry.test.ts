import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../test-support/random.js';
import { READERS, sniff, sniffBytes } from './registry.js';

test('sniff picks the reader and kind from the content', () => {
  const exchange = sniff('#Software: Microsoft Exchange Server\r\n#Version: 15.01.2375.007\r\n#Log-type: HttpProxy Logs\r\n#Fields: DateTime,RequestId\r\n');
  assert.equal(exchange?.reader.name, 'exchange-csv');
  assert.equal(exchange?.kind, 'httpproxy');
  const iis = sniff('#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time cs-uri-stem\r\n');
  assert.equal(iis?.reader.name, 'w3c');
  assert.equal(iis?.kind, 'iis');
  assert.equal(sniff('MZ\x90\x00 binary'), undefined);
  assert.equal(sniff(''), undefined);
  const evtx = sniff('ElfFile\0\0\0\0\0\0\0\0');
  assert.equal(evtx?.reader.name, 'evtx');
  assert.equal(evtx?.kind, 'winevent');
  const json = sniff('{"@timestamp":"2021-03-03T02:20:11.042Z","winlog":{"event_id":4688,"channel":"Security"}}\n');
  assert.equal(json?.reader.name, 'winevent-json');
  assert.equal(json?.kind, 'winevent');
  const xml = sniff("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='x'/>");
  assert.equal(xml?.reader.name, 'winevent-xml');
  assert.equal(xml?.kind, 'winevent');
  assert.deepEqual(
    READERS.map((r) => r.name),
    ['evtx', 'exchange-csv', 'w3c', 'winevent-json', 'winevent-json-array', 'winevent-xml', 'test-proxylogon', 'eomt', 'msert'],
  );
});

test('sniffBytes reads the head as UTF-8 whether or not it is plain ASCII', () => {
  const iis = '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time cs-uri-stem\r\n';
  assert.equal(sniffBytes(Buffer.from(iis, 'utf8'))?.kind, 'iis');
  // A byte-order mark is three bytes above 0x7f: read byte by byte, the head would not start with `#`.
  assert.equal(sniffBytes(Buffer.from(`\uFEFF${iis}`, 'utf8'))?.kind, 'iis');
  assert.equal(sniffBytes(Buffer.from('\uFEFF#Fields: date time cs-uri-stem\r\n', 'utf8'))?.kind, 'iis');
  const exchange = '\uFEFF#Software: Microsoft Exchange Server\r\n#Log-type: HttpProxy Logs\r\n#Fields: DateTime,RequestId\r\n2021-03-03T02:01:07.000Z,é\r\n';
  assert.equal(sniffBytes(Buffer.from(exchange, 'utf8'))?.kind, 'httpproxy');
  assert.equal(sniffBytes(Buffer.from('MZ\x90\x00 binary', 'latin1')), undefined);
});

test('sniffBytes, which decodes the `#` lines first, knows every head as sniff of the whole head does', () => {
  const lines = [
    '#Software: Microsoft Exchange Server',
    '#Software: Microsoft Internet Information Services 10.0',
    '#Version: 15.01.2375.007',
    '#Log-type: HttpProxy Logs',
    '#Log-type: Rps Http Logs',
    '#Log-type: Something Else',
    '#Fields: DateTime,RequestId,ServerHostName',
    '#Fields: DateTime,StartTime,RequestId,MajorVersion,UrlStem,AuthenticatedUser',
    '#Fields: date time cs-uri-stem sc-status',
    '# Fields: date time c-ip',
    '#Date: 2021-03-03 00:00:00',
    'DateTime,StartTime,RequestId',
    '2021-03-03T02:01:07.000Z,é,x',
    `2021-03-03 00:00:09 10.0.0.1 GET /owa/ ${'q'.repeat(600)}`,
    '{"@timestamp":"2021-03-03T02:20:11.042Z","winlog":{"event_id":4688,"channel":"Security"}}',
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='x'/>",
    'ElfFile\0\0\0\0',
    '',
  ];
  const next = seededRandom(2021);
  for (let doc = 0; doc < 2000; doc++) {
    const count = 1 + next(60);
    const picked: string[] = [];
    for (let i = 0; i < count; i++) picked.push(lines[next(lines.length)]!);
    const text = (next(5) === 0 ? '\uFEFF' : '') + picked.join(next(2) === 0 ? '\r\n' : '\n') + (next(2) === 0 ? '\n' : '');
    const head = Buffer.from(text, 'utf8').subarray(0, 16 * 1024);
    const want = sniff(head.toString('utf8'));
    const got = sniffBytes(head);
    assert.deepEqual([got?.reader.name, got?.kind], [want?.reader.name, want?.kind], JSON.stringify(text.slice(0, 400)));
  }
});
