import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readText } from '../test-helpers/read.js';
import { LineSplitter } from './line-splitter.js';
import { sniffWinEventJson, wineventJsonReader } from './winevent-json-reader.js';
import { runBounded } from '../../test-support/bounded.js';

// Hand-written events in each writer's shape (values of the kind the real tools write).
const WINLOGBEAT = JSON.stringify({
  '@timestamp': '2021-03-03T02:20:11.0421234Z',
  event: { code: '1', kind: 'event', provider: 'Microsoft-Windows-Sysmon' },
  log: { level: 'information' },
  host: { name: 'ex01.contoso.local' },
  winlog: {
    channel: 'Microsoft-Windows-Sysmon/Operational',
    provider_name: 'Microsoft-Windows-Sysmon',
    computer_name: 'EX01.contoso.local',
    event_id: '1',
    record_id: 48213,
    user: { identifier: 'S-1-5-18' },
    event_data: {
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c whoami',
      ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
      User: 'NT AUTHORITY\\SYSTEM',
    },
  },
  message: 'Process Create:\nRuleName: -',
});

const NXLOG = JSON.stringify({
  EventTime: '2021-03-03 02:21:00',
  Hostname: 'EX01.contoso.local',
  EventType: 'ERROR',
  SeverityValue: 4,
  EventID: 1,
  SourceName: 'MSExchange Unified Messaging',
  Channel: 'Application',
  RecordNumber: 9912,
  Category: 'UMWorkerProcess',
  Message: 'An unhandled exception occurred: System.InvalidCastException',
  Data: 'System.InvalidCastException: Unable to cast object',
  SourceModuleName: 'eventlog',
});

const MORDOR = JSON.stringify({
  '@timestamp': '2021-03-03T02:22:00.123Z',
  EventTime: '2021-03-03 02:22:00',
  Hostname: 'EX01.contoso.local',
  EventID: 4688,
  Channel: 'Security',
  SourceName: 'Microsoft-Windows-Security-Auditing',
  NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
  ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
  '@version': '1',
  host: 'wec.contoso.local',
});

const EVTX_DUMP = JSON.stringify({
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'MSExchange CmdletLogs' } },
      EventID: { '#attributes': { Qualifiers: 49152 }, '#text': 1 },
      Level: 4,
      TimeCreated: { '#attributes': { SystemTime: '2021-03-03T02:23:00.500000Z' } },
      EventRecordID: 77,
      Channel: 'MSExchange Management',
      Computer: 'EX01.contoso.local',
      Security: { '#attributes': { UserID: 'S-1-5-18' } },
    },
    EventData: { Data: { '#text': ['Set-OabVirtualDirectory', '-ExternalUrl "http://f/<script>"'] } },
  },
});

const GET_WINEVENT = JSON.stringify({
  Id: 6,
  LogName: 'MSExchange Management',
  ProviderName: 'MSExchange CmdletLogs',
  MachineName: 'EX01.contoso.local',
  RecordId: 78,
  Level: 2,
  TimeCreated: '/Date(1614738240000)/',
  UserId: { Value: 'S-1-5-21-1-2-3-500' },
  Properties: [{ Value: 'New-MailboxExportRequest' }, { Value: '-FilePath "\\\\localhost\\c$\\x.aspx"' }],
  Message: 'Cmdlet failed.',
});

test("each writer's shape becomes one winevent record with Sigma's system columns", async () => {
  const text = [WINLOGBEAT, NXLOG, MORDOR, EVTX_DUMP, GET_WINEVENT].join('\n') + '\n';
  const { stats, records } = await readText(wineventJsonReader, text);
  assert.equal(stats.records, 5);
  assert.equal(stats.badRecords, 0);
  const [beat, nx, mordor, dump, ps] = records;

  assert.equal(beat?.source, 'winevent');
  assert.equal(beat?.time, '2021-03-03T02:20:11.042Z');
  assert.deepEqual(
    { ...beat?.fields },
    {
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c whoami',
      ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
      User: 'NT AUTHORITY\\SYSTEM',
      Message: 'Process Create:\nRuleName: -',
      EventID: '1',
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Computer: 'EX01.contoso.local',
      EventRecordID: '48213',
      Level: '4',
      UserID: 'S-1-5-18',
    },
  );
  assert.deepEqual(beat?.origin, { path: 'test.log', line: 1, offset: 0 });
  assert.match(beat?.raw ?? '', /^C:\\Windows\\System32\\cmd\.exe\n/, 'raw holds the values, one per line, not the names');

  assert.equal(nx?.fields['Provider_Name'], 'MSExchange Unified Messaging');
  assert.equal(nx?.fields['Level'], '2', 'NXLog EventType ERROR is Windows level 2');
  assert.equal(nx?.fields['Data'], 'System.InvalidCastException: Unable to cast object');
  assert.equal(nx?.fields['Message'], 'An unhandled exception occurred: System.InvalidCastException');
  assert.equal(nx?.fields['SourceModuleName'], undefined, "NXLog's own fields are not event data");
  assert.equal(nx?.time, '2021-03-03T02:21:00.000Z');
  assert.equal(nx?.origin.line, 2);
  assert.equal(nx?.origin.offset, WINLOGBEAT.length + 1);

  assert.equal(mordor?.time, '2021-03-03T02:22:00.123Z', 'UTC @timestamp wins over a zoneless EventTime');
  assert.equal(mordor?.fields['NewProcessName'], 'C:\\Windows\\System32\\whoami.exe');
  assert.equal(mordor?.fields['Computer'], 'EX01.contoso.local');
  assert.equal(mordor?.fields['host'], undefined);

  assert.equal(dump?.fields['EventID'], '1');
  assert.equal(dump?.fields['Provider_Name'], 'MSExchange CmdletLogs');
  assert.equal(dump?.fields['Data'], 'Set-OabVirtualDirectory');
  assert.equal(dump?.fields['Data1'], '-ExternalUrl "http://f/<script>"');
  assert.equal(dump?.fields['UserID'], 'S-1-5-18');
  assert.equal(dump?.time, '2021-03-03T02:23:00.500Z');

  assert.equal(ps?.fields['EventID'], '6');
  assert.equal(ps?.fields['Data1'], '-FilePath "\\\\localhost\\c$\\x.aspx"');
  assert.equal(ps?.fields['UserID'], 'S-1-5-21-1-2-3-500');
  assert.equal(ps?.time, '2021-03-03T02:24:00.000Z');

  assert.equal(stats.server, 'EX01.contoso.local');
  assert.equal(stats.firstTime, '2021-03-03T02:20:11.042Z');
  assert.equal(stats.lastTime, '2021-03-03T02:24:00.000Z');
  assert.ok(
    stats.notes.some((n) => /line 2: 1 event time\(s\) name no time zone/.test(n)),
    stats.notes.join('; '),
  );
  assert.ok(stats.notes.some((n) => /Get-WinEvent/.test(n)));
});

test('bad lines are counted and located, and reading goes on', async () => {
  const lines = [WINLOGBEAT, '{"EventID": 4624, "Channel": "Security"', '[1,2]', '{"hello":"world"}', '', '   ', MORDOR];
  const text = lines.join('\r\n') + '\r\n';
  const { stats, records } = await readText(wineventJsonReader, text, 5);
  assert.equal(stats.records, 2);
  assert.equal(stats.badRecords, 3);
  const offsetOf = (i: number) => lines.slice(0, i).reduce((n, l) => n + Buffer.byteLength(l) + 2, 0);
  assert.deepEqual(
    stats.badSamples.map((b) => [b.origin.line, b.origin.offset]),
    [
      [2, offsetOf(1)],
      [3, offsetOf(2)],
      [4, offsetOf(3)],
    ],
  );
  assert.match(stats.badSamples[0]!.reason, /^not valid JSON/);
  assert.doesNotMatch(stats.badSamples[0]!.reason, /Security/, 'the reason does not quote the evidence');
  assert.equal(stats.badSamples[1]!.reason, 'not a JSON object');
  assert.match(stats.badSamples[2]!.reason, /not a Windows event/);
  assert.equal(records[1]?.origin.line, 7);
  assert.equal(records[1]?.origin.offset, offsetOf(6));
  assert.equal(records[0]?.fields['Computer'], 'EX01.contoso.local', 'no CR is left on a CRLF line');
});

test('the same records whatever the chunking, with a BOM and a multi-byte character across chunks', async () => {
  const text = `\ufeff${WINLOGBEAT}\n${MORDOR.replace('whoami', 'whoämi')}\n${EVTX_DUMP}`;
  const whole = await readText(wineventJsonReader, text);
  assert.equal(whole.records.length, 3);
  assert.equal(whole.records[1]?.fields['NewProcessName'], 'C:\\Windows\\System32\\whoämi.exe');
  assert.ok(whole.stats.notes.some((n) => /line 3: the last line has no line end/.test(n)));
  for (const size of [1, 2, 3, 7, 100]) {
    const parts = await readText(wineventJsonReader, text, size);
    assert.deepEqual(parts.records, whole.records, `chunks of ${size}`);
    assert.deepEqual(parts.stats, whole.stats, `chunks of ${size}`);
  }
});

test('a last line cut short is bad and says so', async () => {
  const { stats, records } = await readText(wineventJsonReader, `${WINLOGBEAT}\n${MORDOR.slice(0, 80)}`);
  assert.equal(records.length, 1);
  assert.equal(stats.badRecords, 1);
  assert.match(stats.badSamples[0]!.reason, /^last line cut off\? not valid JSON/);
  assert.equal(stats.badSamples[0]!.origin.line, 2);
});

test('literals: only records holding one are handed on; every record is counted and timed', async () => {
  const text = [WINLOGBEAT, NXLOG, MORDOR].join('\n') + '\n';
  const hit = await readText(wineventJsonReader, text, 64 * 1024, ['invalidcastexception']);
  assert.deepEqual(
    hit.records.map((r) => r.origin.line),
    [2],
  );
  assert.equal(hit.stats.records, 3);
  assert.equal(hit.stats.lastTime, '2021-03-03T02:22:00.123Z');
  const none = await readText(wineventJsonReader, text, 64 * 1024, []);
  assert.equal(none.records.length, 0);
  assert.equal(none.stats.records, 3);
  // The literal is looked for in the record's text, where JSON escapes are undone.
  const escaped = await readText(wineventJsonReader, `${MORDOR.replace('whoami', 'who\\u0061mi')}\n`, 64 * 1024, ['whoami.exe']);
  assert.equal(escaped.records.length, 1);
});

test('an over-long line is reported and skipped, the next line read', () => {
  const seen: string[] = [];
  const splitter = new LineSplitter(
    {
      line: (text, line, offset) => seen.push(`${line}@${offset}:${text}`),
      damage: (line, offset, reason) => seen.push(`bad ${line}@${offset}: ${reason}`),
    },
    10,
  );
  const data = Buffer.from('short\nthis line is far too long\nok\n0123456789AB');
  for (let i = 0; i < data.length; i += 4) splitter.push(data.subarray(i, i + 4));
  splitter.finish();
  assert.deepEqual(seen, ['1@0:short', 'bad 2@6: line longer than 10 bytes; skipped', '3@32:ok', 'bad 4@35: line longer than 10 bytes; skipped']);
});

test('sniff: Windows events in each shape, nothing else', () => {
  for (const line of [WINLOGBEAT, NXLOG, MORDOR, EVTX_DUMP, GET_WINEVENT]) {
    assert.equal(sniffWinEventJson(`${line}\n${line}\n`), 'winevent', line.slice(0, 40));
  }
  assert.equal(sniffWinEventJson(`\ufeff\r\n  ${MORDOR}\r\n`), 'winevent');
  // The first line runs past the 64 KiB head: decided by its keys.
  const long = JSON.stringify({ EventID: 4104, Channel: 'Microsoft-Windows-PowerShell/Operational', ScriptBlockText: 'x'.repeat(70_000) });
  assert.equal(sniffWinEventJson(long.slice(0, 65_536)), 'winevent');
  assert.equal(sniffWinEventJson('{"level":"info","msg":"started"}\n'), undefined);
  assert.equal(sniffWinEventJson('{"EventID": 4624}\n'), undefined, 'an id alone is not enough');
  assert.equal(sniffWinEventJson('#Software: Microsoft Internet Information Services 10.0\n'), undefined);
  assert.equal(sniffWinEventJson('{"EventID": 4624, "Channel": "Security", "Tar'), 'winevent', 'a cut first line, read and reported as damage');
  assert.equal(sniffWinEventJson('{"EventID": 4624, "Channel": "Security"}x\n{}'), undefined, 'a whole first line that is not JSON');
  assert.equal(sniffWinEventJson(''), undefined);
});

test('sniff: a damaged or non-event first line does not hide the events after it', () => {
  assert.equal(sniffWinEventJson(`{"EventID": 46\u0000\u0000garbage\n${WINLOGBEAT}\n${WINLOGBEAT}\n`), 'winevent');
  assert.equal(sniffWinEventJson(`{"exported_by":"collector 2.1"}\n${NXLOG}\n`), 'winevent');
  assert.equal(sniffWinEventJson(`\n\n${MORDOR}`), 'winevent', 'a whole file of one event, no line end');
  assert.equal(sniffWinEventJson('{"level":"info"}\n{"level":"warn"}\n'), undefined);
});

test('a data name from the evidence cannot reach Object.prototype', async () => {
  const line = '{"EventID": 1, "Channel": "Security", "__proto__": "x", "constructor": "y", "toString": "z"}\n';
  const { records } = await readText(wineventJsonReader, line);
  const fields = { ...records[0]?.fields };
  assert.deepEqual(Object.keys(fields).slice(0, 3), ['__proto__', 'constructor', 'toString']);
  assert.deepEqual(Object.values(fields).slice(0, 3), ['x', 'y', 'z']);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
  assert.equal(Object.hasOwn(Object.prototype, 'x'), false);
});

test('the literal test: every literal, case and regular-expression characters taken literally', async () => {
  const { literalTest } = await import('./literal-test.js');
  const wanted = literalTest(['w3wp.exe', 'a|b', '(x)', 'Backdoor:ASP/']);
  assert.equal(wanted('Image: C:\\Windows\\System32\\inetsrv\\W3WP.EXE\n'), true);
  assert.equal(wanted('Image: C:\\w3wpXexe\n'), false, 'a dot is a dot');
  assert.equal(wanted('x a|b y'), true);
  assert.equal(wanted('x a y'), false);
  assert.equal(wanted('f(x)'), true);
  assert.equal(wanted('Threat Name: Backdoor:ASP/SecChecker.A'), true);
  assert.equal(literalTest(undefined)('anything'), true);
  assert.equal(literalTest([])('anything'), false);
  assert.equal(literalTest(['', 'zzz'])('anything'), true);
});

test('sniffing a hostile first line stays fast', async () => {
  const result = await runBounded(new URL('./test-helpers/hostile-json.ts', import.meta.url), 'hostileFirstLines');
  assert.deepEqual(result, [undefined, 'winevent']);
});

test('many data items of one name are named in one pass: Data, Data1 ... Data59999', async () => {
  const result = await runBounded(new URL('./test-helpers/hostile-json.ts', import.meta.url), 'manyDataItems');
  assert.deepEqual(result, { first: '0', last: '59999' });
});
