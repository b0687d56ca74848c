import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineEntry } from '../core/types.js';
import { timelineCsv, timelineJsonl } from './timeline-csv.js';
import { ENTRIES, HOSTILE } from './test-support/sample-result.js';

// A user agent as an attacker can send it: an ANSI escape, a C1 "next line", a right-to-left
// override that reverses what follows, and a field that a spreadsheet would run after its spaces.
const HOSTILE_ENTRY: TimelineEntry = {
  time: '2021-03-03T02:00:00.000Z',
  server: 'EX01',
  source: 'iis',
  kind: 'activity',
  summary: 'GET /owa/',
  origin: { path: 'EX01/u_ex210303.log', line: 5, offset: 100 },
  userAgent: 'curl\u001b[2J\u0085hidden\u202Egpj.exe\u007f',
  fields: { 'cs-uri-query': ' \n=HYPERLINK("http://x")' },
};

test('the timeline CSV escapes control characters and bidi overrides, and neutralises formulas after white space', () => {
  const csv = timelineCsv([HOSTILE_ENTRY], 'UTC');
  assert.doesNotMatch(csv.split('\n')[1] ?? '', /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.match(csv, /curl\\e\[2J\\x85hidden\\u202egpj\.exe\\x7f/);
  assert.match(csv, /"' \\n=HYPERLINK\(""http:\/\/x""\)"/);
});

test('the timeline JSON lines hold no raw control character or bidi override, and parse back to the evidence', () => {
  const line = timelineJsonl([HOSTILE_ENTRY], 'UTC').trimEnd();
  assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.equal((JSON.parse(line) as TimelineEntry).userAgent, HOSTILE_ENTRY.userAgent);
});

/** Splits the CSV this module writes (quoted cells never span lines here). */
function rows(csv: string): string[][] {
  return csv
    .trimEnd()
    .split('\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
        .map((m) => m[1] as string)
        .slice(0, -1)
        .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)),
    );
}

function byColumn(csv: string): Record<string, string>[] {
  const [head, ...body] = rows(csv);
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

test('Timesketch columns first, then one field_ column per field name, sorted', () => {
  const [head] = rows(timelineCsv(ENTRIES));
  assert.deepEqual(head!.slice(0, 4), ['message', 'datetime', 'timestamp_desc', 'local_time']);
  assert.deepEqual(
    head!.filter((h) => h.startsWith('field_')),
    ['field_UrlStem', 'field_cs-method'],
  );
  assert.equal(head!.length, 21);
});

test('datetime stays UTC whatever the zone; local_time is the one shown in the zone', () => {
  const [march, july, none] = byColumn(timelineCsv(ENTRIES, 'Europe/London'));
  assert.equal(march!['datetime'], '2021-03-03T02:15:00.000Z');
  assert.equal(march!['local_time'], '2021-03-03 02:15:00 GMT');
  assert.equal(july!['datetime'], '2021-07-01T12:00:00.000Z');
  assert.equal(july!['local_time'], '2021-07-01 13:00:00 BST');
  assert.equal(byColumn(timelineCsv(ENTRIES, 'America/New_York'))[1]!['datetime'], '2021-07-01T12:00:00.000Z');
  assert.equal(none!['datetime'], '');
  assert.equal(none!['local_time'], 'time unknown');
});

test('each row says what it is and where it came from', () => {
  const [finding, activity] = byColumn(timelineCsv(ENTRIES));
  assert.equal(finding!['message'], 'ProxyLogon SSRF on EX01');
  assert.equal(finding!['timestamp_desc'], 'Detection rule match');
  assert.equal(activity!['timestamp_desc'], 'Attacker activity');
  assert.equal(finding!['cves'], 'CVE-2021-26855');
  assert.equal(finding!['session'], 'S1');
  assert.equal(finding!['field_UrlStem'], '/ecp/y.js');
  assert.equal(finding!['field_cs-method'], '');
  assert.deepEqual(
    [finding!['source_file'], finding!['source_line'], finding!['source_offset']],
    ['EX01/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG', '6', '812'],
  );
});

test('a cell a spreadsheet would run as a formula is neutralised, its control and bidi characters made inert', () => {
  const [finding] = byColumn(timelineCsv(ENTRIES));
  assert.equal(finding!['user_agent'], "'=cmd|\\u202e/c calc\\e[31m");
});

test('JSON lines: one object per entry, datetime UTC or null, the entry kept whole', () => {
  const lines = timelineJsonl(ENTRIES, 'Europe/London')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 3);
  assert.equal(lines[1]!['datetime'], '2021-07-01T12:00:00.000Z');
  assert.equal(lines[1]!['local_time'], '2021-07-01 13:00:00 BST');
  assert.equal(lines[2]!['datetime'], null);
  assert.equal(lines[0]!['userAgent'], HOSTILE);
  assert.deepEqual(lines[0]!['origin'], ENTRIES[0]!.origin);
  assert.equal(timelineJsonl([]), '');
});
