import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineEntry } from '../core/types.js';
import { aFinding, aSession } from './test-helpers/findings.js';
import { mergedTimeline } from './timeline.js';

/** A record of the attacker's that no rule matched, pulled into a session by who made it. */
function activity(path: string, line: number, time: string | undefined): TimelineEntry {
  return { time, server: 'EX01', source: 'iis', origin: { path, line, offset: 0 }, kind: 'activity', summary: `GET ${path}:${line}`, fields: {} };
}

const line = (e: TimelineEntry): string => `${e.kind} ${e.origin.path}:${e.origin.line}${e.session ? ` ${e.session}` : ''}`;

void test("every finding and every session's other record, in time order, a finding marked with its session", () => {
  const hit = aFinding({ title: 'shell written', time: '2021-03-03T02:05:00Z', origin: { path: 'b.log', line: 7, offset: 0 } });
  const alone = aFinding({ title: 'probe', time: '2021-03-03T01:00:00Z', origin: { path: 'c.log', line: 1, offset: 0 } });
  const s1 = aSession('S1', [
    // The finding's own line as the session lists it: it appears once, as the finding.
    { ...activity('b.log', 7, '2021-03-03T02:05:00Z'), kind: 'finding' },
    activity('a.log', 3, '2021-03-03T02:00:00Z'),
    activity('a.log', 4, '2021-03-03T02:10:00Z'),
  ]);
  const s2 = aSession('S2', [activity('d.log', 9, '2021-03-03T00:30:00Z')]);
  assert.deepEqual(mergedTimeline({ findings: [hit, alone], sessions: [s1, s2] }).map(line), [
    'activity d.log:9',
    'finding c.log:1',
    'activity a.log:3',
    'finding b.log:7 S1',
    'activity a.log:4',
  ]);
});

void test('a session activity already a finding is not listed twice, and a finding outside every session has none', () => {
  const hit = aFinding({ origin: { path: 'a.log', line: 3, offset: 0 } });
  const s = aSession('S1', [activity('a.log', 3, '2021-03-03T02:00:00Z')]);
  const out = mergedTimeline({ findings: [hit], sessions: [s] });
  assert.deepEqual(out.map(line), ['finding a.log:3 S1']);
  const elsewhere = mergedTimeline({ findings: [aFinding({ origin: { path: 'a.log', line: 30, offset: 0 } })], sessions: [s] });
  assert.deepEqual(elsewhere.map(line), ['activity a.log:3', 'finding a.log:30']);
  assert.equal('session' in (elsewhere[1] as TimelineEntry), false);
});

void test('at one time, by file then line (line 10 after line 9); undated entries first', () => {
  const at = '2021-03-03T02:00:00Z';
  const s = aSession('S1', [activity('b.log', 1, at), activity('a.log', 10, at), activity('a.log', 9, at), activity('z.log', 1, undefined)]);
  const findings = [
    aFinding({ time: undefined, origin: { path: 'y.log', line: 2, offset: 0 } }),
    aFinding({ time: at, origin: { path: 'a.log', line: 2, offset: 0 } }),
  ];
  assert.deepEqual(mergedTimeline({ findings, sessions: [s] }).map(line), [
    'finding y.log:2',
    'activity z.log:1',
    'finding a.log:2',
    'activity a.log:9',
    'activity a.log:10',
    'activity b.log:1',
  ]);
});

void test("only a session's other records are added: its findings come from the findings list alone", () => {
  const s = aSession('S1', [{ ...activity('a.log', 3, '2021-03-03T02:00:00Z'), kind: 'finding' }, activity('a.log', 4, '2021-03-03T02:01:00Z')]);
  assert.deepEqual(mergedTimeline({ findings: [], sessions: [s] }).map(line), ['activity a.log:4']);
});
