import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniff } from '../registry.js';
import { chunksOf, readText, readWith } from '../test-helpers/read.js';
import { sniffTestProxyLogon, testProxyLogonReader } from './test-proxylogon-reader.js';

// As Export-Csv in Windows PowerShell 5.1 writes them (Test-ProxyLogon.ps1, microsoft/CSS-Exchange).
const HTTPPROXY_HEADER = '"DateTime","RequestId","ClientIPAddress","UrlHost","UrlStem","RoutingHint","UserAgent","AnchorMailbox","HttpStatus"';
const CVE_26855 = [
  '#TYPE Selected.System.Management.Automation.PSCustomObject',
  HTTPPROXY_HEADER,
  '"2021-03-03T04:12:33.711Z","6e0c1f2a","86.105.18.116","mail.contoso.je","/ecp/y.js","","ExchangeServicesClient/0.0.0.0","ServerInfo~a]@ex01:444/ecp/proxyLogon.ecp#","241"',
  '"2021-03-03T04:12:35.002Z","7f1d","86.105.18.116","mail.contoso.je","/ecp/x.js","","python-requests/2.25.1","ServerInfo~a]@ex01:444/mapi/emsmdb?","200"',
  '',
].join('\r\n');

const CVE_26857 = [
  '#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord',
  '"TimeCreated","MachineName","Message"',
  '"3/3/2021 4:20:11 AM","EX01.contoso.je","Watson report about to be sent: System.InvalidCastException: Unable to cast',
  'object of type ""A"" to type ""B""."',
  '"3/3/2021 4:21:00 AM","EX01.contoso.je","one line"',
  '',
].join('\r\n');

test('Test-ProxyLogon reports are recognised by their header, with or without the #TYPE line', () => {
  assert.equal(sniffTestProxyLogon(CVE_26855), 'test-proxylogon');
  assert.equal(sniffTestProxyLogon(CVE_26855.split('\r\n').slice(1).join('\r\n')), 'test-proxylogon');
  assert.equal(sniffTestProxyLogon(`\ufeff${CVE_26857}`), 'test-proxylogon');
  assert.equal(sniff(CVE_26857)?.reader, testProxyLogonReader);
  assert.equal(
    sniffTestProxyLogon('#TYPE System.Management.Automation.PSCustomObject\r\n"ComputerName","Type","Path","Name","LastWrite"\r\n'),
    'test-proxylogon',
  );
  // Near misses: a header with one more column, another CSV, a header cut off by the end of the head.
  assert.equal(sniffTestProxyLogon(`#TYPE X\r\n${HTTPPROXY_HEADER},"Extra"\r\n`), undefined);
  assert.equal(sniffTestProxyLogon('"Name","Value"\r\n"a","b"\r\n'), undefined);
  assert.equal(sniffTestProxyLogon(`#TYPE X\r\n"DateTime","RequestId"`), undefined);
});

test('each row names the tool and the check it came from; ISO times are placed, in any chunking', async () => {
  for (const size of [7, 64 * 1024]) {
    const { stats, records } = await readText(testProxyLogonReader, CVE_26855, size);
    assert.equal(stats.kind, 'test-proxylogon');
    assert.equal(stats.records, 2);
    assert.equal(stats.badRecords, 0);
    assert.equal(records[0]?.fields.Tool, 'Test-ProxyLogon');
    assert.equal(records[0]?.fields.Check, 'CVE-2021-26855');
    assert.equal(records[0]?.fields.AnchorMailbox, 'ServerInfo~a]@ex01:444/ecp/proxyLogon.ecp#');
    assert.equal(records[0]?.time, '2021-03-03T04:12:33.711Z');
    assert.deepEqual(
      records.map((r) => r.origin.line),
      [3, 4],
    );
    assert.equal(stats.firstTime, '2021-03-03T04:12:33.711Z');
    assert.equal(stats.lastTime, '2021-03-03T04:12:35.002Z');
  }
});

test('an event message over several lines is one row; culture-formatted times are kept as text and said so', async () => {
  const { stats, records } = await readText(testProxyLogonReader, CVE_26857, 5);
  assert.equal(stats.records, 2);
  assert.equal(records[0]?.fields.Check, 'CVE-2021-26857');
  assert.equal(records[0]?.fields.Message, 'Watson report about to be sent: System.InvalidCastException: Unable to cast\nobject of type "A" to type "B".');
  assert.equal(records[0]?.origin.line, 3);
  assert.equal(records[1]?.origin.line, 5);
  assert.equal(records[0]?.time, undefined);
  assert.equal(records[0]?.fields.TimeCreated, '3/3/2021 4:20:11 AM');
  assert.equal(stats.server, 'EX01.contoso.je');
  assert.match(stats.notes.join('\n'), /2 rows carry a time in the exporting machine's date format/);
});

test('a row of the wrong width and a report cut off inside a quoted value are counted and located', async () => {
  const cut = `${CVE_26855}"2021-03-03T04:13:00Z","x","1.2.3.4"\r\n"2021-03-03T04:14:00Z","y","1.2.3.4","h","/ecp/","","ua","ServerInfo~a]@ex01:444/ecp/`;
  const { stats, records } = await readText(testProxyLogonReader, cut);
  assert.equal(stats.records, 2);
  assert.equal(records.length, 2);
  assert.equal(stats.badRecords, 2);
  assert.deepEqual(
    stats.badSamples.map((b) => b.origin.line),
    [5, 6],
  );
  assert.match(stats.badSamples[0]?.reason ?? '', /3 values where the header names 9/);
  assert.match(stats.badSamples[1]?.reason ?? '', /never closed/);
});

test('the pre-filter passes only rows holding a literal, yet every row is counted', async () => {
  const { stats, records } = await readText(testProxyLogonReader, CVE_26855, 64 * 1024, ['python-requests']);
  assert.equal(stats.records, 2);
  assert.deepEqual(
    records.map((r) => r.fields.UrlStem),
    ['/ecp/x.js'],
  );
});

test("the HttpProxy report's rows name no server: the report's own name, as the tool writes it, does", async () => {
  const data = Buffer.from(CVE_26855);
  const named = await readWith(testProxyLogonReader, chunksOf(data, 1024), undefined, 'bundle.zip!/Test-ProxyLogonLogs/EX01-Cve-2021-26855.csv');
  assert.equal(named.stats.server, 'EX01');
  const renamed = await readWith(testProxyLogonReader, chunksOf(data, 1024), undefined, 'Test-ProxyLogonLogs/report.csv');
  assert.equal(renamed.stats.server, undefined);
});
