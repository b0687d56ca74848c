import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineEntry } from '../core/types.js';
import { timelineCsv, timelineJsonl } from './timeline-csv.js';

// A user agent as an attacker can send it: an ANSI escape, a C1 "next line", a right-to-left
// override that reverses what follows, and a field that a spreadsheet would run after its spaces.
const HOSTILE: TimelineEntry = {
  time: '2021-03-03T02:00:00.000Z', server: 'EX01', source: 'iis', kind: 'activity', summary: 'GET /owa/',
  origin: { path: 'EX01/u_ex210303.log', line: 5, offset: 100 },
  userAgent: 'curl\u001b[2J\u0085hidden\u202Egpj.exe\u007f',
  fields: { 'cs-uri-query': ' \n=HYPERLINK("http://x")' },
};

test('the timeline CSV escapes control characters and bidi overrides, and neutralises formulas after white space', () => {
  const csv = timelineCsv([HOSTILE], 'UTC');
  assert.doesNotMatch(csv.split('\n')[1] ?? '', /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.match(csv, /curl\\e\[2J\\x85hidden\\u202egpj\.exe\\x7f/);
  assert.match(csv, /"' \\n=HYPERLINK\(""http:\/\/x""\)"/);
});

test('the timeline JSON lines hold no raw control character or bidi override, and parse back to the evidence', () => {
  const line = timelineJsonl([HOSTILE], 'UTC').trimEnd();
  assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.equal((JSON.parse(line) as TimelineEntry).userAgent, HOSTILE.userAgent);
});
