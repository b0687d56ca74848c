import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogRecord } from '../../core/types.js';
import { utf16leToUtf8 } from '../../evidence/utf16.js';
import { CORPUS, corpusMissing, skipIf } from '../../test-support/skips.js';
import { evtxReader } from '../evtx/evtx-reader.js';
import { sniff } from '../registry.js';
import { chunksOf, readText, readWith } from '../test-helpers/read.js';
import { SYSTEM_COLUMNS } from '../winevent-record.js';
import { ArraySplitter } from './array-splitter.js';
import { wineventJsonArrayReader } from './winevent-json-array-reader.js';
import { wineventJsonReader } from './winevent-json-reader.js';

const WEBSHELL = join(CORPUS, 'evtx-attack-samples', 'LM_typical_IIS_webshell_sysmon_1_10_traces.evtx');

/** An event as `Get-WinEvent | ConvertTo-Json -Depth 4` writes it (PowerShell 5.1: `/Date(ms)/` times). */
function getWinEvent(r: LogRecord): Record<string, unknown> {
  const f = r.fields;
  const system = new Set<string>(SYSTEM_COLUMNS);
  const values = Object.entries(f)
    .filter(([k]) => !system.has(k))
    .map(([, v]) => ({ Value: v }));
  return {
    Id: Number(f['EventID']),
    Version: 5,
    Qualifiers: null,
    Level: Number(f['Level'] ?? 4),
    RecordId: Number(f['EventRecordID']),
    ProviderName: f['Provider_Name'],
    LogName: f['Channel'],
    MachineName: f['Computer'],
    UserId: { BinaryLength: 12, AccountDomainSid: null, Value: f['UserID'] ?? 'S-1-5-18' },
    TimeCreated: `/Date(${Date.parse(r.time ?? '')})/`,
    Properties: values,
    LevelDisplayName: 'Information',
  };
}

/** ConvertTo-Json's layout: four-space indent, two spaces after a key's colon, `\/` in dates. */
function convertToJson(value: unknown): string {
  return JSON.stringify(value, null, 4)
    .replace(/^(\s*"[^"\n]*"): /gm, '$1:  ')
    .replace(/"\/Date\((\d+)\)\/"/g, '"\\/Date($1)\\/"');
}

async function corpusEvents(): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  async function* whole(): AsyncIterable<Buffer> {
    yield await Promise.resolve(readFileSync(WEBSHELL));
  }
  await evtxReader.read(whole(), { path: WEBSHELL, onRecord: (r) => records.push(r) });
  return records;
}

const withoutOrigin = (records: LogRecord[]) => records.map(({ origin: _origin, ...rest }) => rest);

test('ConvertTo-Json arrays (UTF-8 with BOM, UTF-16LE with BOM, compressed) give the records the JSON-lines export gives', async (t) => {
  if (skipIf(t, 'corpus', corpusMissing(WEBSHELL))) return;
  const objects = (await corpusEvents()).slice(0, 40).map(getWinEvent);
  assert.ok(objects.length >= 2, `${objects.length} events`);
  const lines = await readText(wineventJsonReader, objects.map((o) => JSON.stringify(o)).join('\n') + '\n');
  assert.equal(lines.stats.records, objects.length);

  const pretty = convertToJson(objects);
  const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pretty.replace(/\n/g, '\r\n'), 'utf8')]);
  assert.equal(sniff(utf8.toString('utf8').slice(0, 16 * 1024))?.reader.name, 'winevent-json-array');
  for (const size of [7, 4096, 1 << 20]) {
    const read = await readText(wineventJsonArrayReader, utf8, size);
    assert.equal(read.stats.badRecords, 0, JSON.stringify(read.stats.badSamples));
    assert.deepEqual(withoutOrigin(read.records), withoutOrigin(lines.records), `UTF-8 in chunks of ${size}`);
    assert.equal(read.stats.firstTime, lines.stats.firstTime);
    assert.equal(read.stats.server, lines.stats.server);
  }
  // Each record is located at its object's `{`: line and byte offset in the file.
  const first = (await readText(wineventJsonArrayReader, utf8)).records;
  assert.deepEqual(first[0]?.origin, { path: 'test.log', line: 2, offset: 3 + '[\r\n    '.length });
  assert.equal(utf8.toString('utf8', first[1]!.origin.offset, first[1]!.origin.offset + 1), '{');

  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pretty.replace(/\n/g, '\r\n'), 'utf16le')]);
  const decoded = await readWith(wineventJsonArrayReader, utf16leToUtf8(chunksOf(utf16, 999)));
  assert.deepEqual(withoutOrigin(decoded.records), withoutOrigin(lines.records), 'UTF-16LE');

  const compressed = await readText(wineventJsonArrayReader, JSON.stringify(objects), 100);
  assert.deepEqual(withoutOrigin(compressed.records), withoutOrigin(lines.records), 'ConvertTo-Json -Compress');

  // One event is written as an object, not an array of one.
  const single = await readText(wineventJsonArrayReader, convertToJson(objects[0]));
  assert.deepEqual(withoutOrigin(single.records), withoutOrigin(lines.records.slice(0, 1)));
  assert.equal(sniff(convertToJson(objects[0]))?.reader.name, 'winevent-json-array');
  // The evidence's own values reach the record.
  assert.ok(lines.records.some((r) => Object.values(r.fields).some((v) => /w3wp\.exe/i.test(v))));
});

const EVENT = (id: number) => ({
  Id: 4688,
  LogName: 'Security',
  ProviderName: 'Microsoft-Windows-Security-Auditing',
  MachineName: 'EX01.contoso.local',
  RecordId: id,
  TimeCreated: '2021-03-03T02:24:00.0000000+00:00',
  Properties: [{ Value: `C:\\Windows\\System32\\cmd${id}.exe` }],
});

test('a damaged event in an array is counted and located; the events after it are read', async () => {
  const text = convertToJson([EVENT(1), EVENT(2), EVENT(3), EVENT(4), EVENT(5)]);
  const starts = [...text.matchAll(/^ {4}\{/gm)].map((m) => m.index);
  // Event 2 loses a quote (its strings now run across lines); event 4 has a byte flipped in a value.
  const at2 = text.indexOf('"LogName"', starts[1]);
  const at4 = text.indexOf('Security', starts[3]);
  const broken = `${text.slice(0, at2)}${text.slice(at2 + 1, at4)}Secur\u0000ty${text.slice(at4 + 'Security'.length)}`;
  for (const size of [5, 64 * 1024]) {
    const { stats, records } = await readText(wineventJsonArrayReader, broken, size);
    assert.deepEqual(
      records.map((r) => r.fields['EventRecordID']),
      ['1', '3', '5'],
      `chunks of ${size}`,
    );
    assert.equal(stats.badRecords, 2);
    const lineOf = (i: number) => broken.slice(0, i).split('\n').length;
    assert.deepEqual(
      stats.badSamples.map((b) => [b.origin.line, b.origin.offset]),
      [
        [lineOf(starts[1]! + 4), starts[1]! + 4],
        [lineOf(starts[3]! + 3), starts[3]! + 3],
      ],
    );
    assert.match(stats.badSamples[0]!.reason, /line break inside a string/);
    assert.match(stats.badSamples[1]!.reason, /not valid JSON/);
  }
});

test('an array cut off inside an event, and a non-object element, are damage located where they start', async () => {
  const text = convertToJson([EVENT(1), 42, EVENT(3)]);
  const cut = text.slice(0, text.lastIndexOf('RecordId'));
  const { stats, records } = await readText(wineventJsonArrayReader, cut);
  assert.deepEqual(
    records.map((r) => r.fields['EventRecordID']),
    ['1'],
  );
  assert.equal(stats.badRecords, 2);
  assert.match(stats.badSamples[0]!.reason, /not a JSON object/);
  assert.equal(stats.badSamples[0]!.origin.offset, text.indexOf('42'));
  assert.match(stats.badSamples[1]!.reason, /ends inside this event/);
  assert.equal(stats.badSamples[1]!.origin.offset, text.lastIndexOf('\n    {') + 5);
});

test('an over-long event is skipped and the next one read', () => {
  const seen: string[] = [];
  const splitter = new ArraySplitter(
    {
      element: (text, line, offset) => seen.push(`${line}@${offset}:${text}`),
      damage: (line, offset, reason) => seen.push(`bad ${line}@${offset}: ${reason}`),
    },
    20,
  );
  const data = Buffer.from('[\n {"a":1},\n {"b":"far too long for the cap"},\n {"c":3}\n]');
  for (let i = 0; i < data.length; i += 3) splitter.push(data.subarray(i, i + 3));
  splitter.finish();
  assert.deepEqual(seen, ['2@3:{"a":1}', 'bad 3@13: event longer than 20 bytes; skipped', '4@48:{"c":3}']);
});

test('ConvertTo-Json below its -Depth: the cut event data is said, not silently searched as a type name', async () => {
  const event = { ...EVENT(1), Properties: ['System.Diagnostics.Eventing.Reader.EventProperty'] };
  const { stats } = await readText(wineventJsonArrayReader, convertToJson([event, event]));
  assert.equal(stats.records, 2);
  assert.ok(
    stats.notes.some((n) => /^line 2: the event data was cut off by ConvertTo-Json's -Depth/.test(n)),
    stats.notes.join('; '),
  );
});

test('sniff: an array or object of Windows events; not other JSON, not JSON lines', () => {
  assert.equal(sniff(convertToJson([EVENT(1)]))?.reader.name, 'winevent-json-array');
  assert.equal(sniff(`${JSON.stringify(EVENT(1))}\n`)?.reader.name, 'winevent-json', 'JSON lines stay with their reader');
  assert.equal(sniff(convertToJson([{ name: 'x', size: 1 }])), undefined);
  assert.equal(sniff('[1, 2, 3]'), undefined);
  // The first event runs past the head: decided by its keys.
  const long = convertToJson([{ ...EVENT(1), Message: 'x'.repeat(40_000) }]);
  assert.equal(sniff(long.slice(0, 16 * 1024))?.kind, 'winevent');
});
