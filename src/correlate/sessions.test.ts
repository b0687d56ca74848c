import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/types.js';
import { buildSessions } from './sessions.js';

function event(time: string, server: string, line: number): Finding {
  return {
    ruleId: `r${line}`,
    title: 'event',
    cves: [],
    stage: 'post-exploitation',
    severity: 'high',
    time,
    server,
    clientIp: undefined,
    user: undefined,
    origin: { path: `${server}/Security.evtx`, line, offset: 0 },
    fields: { CommandLine: 'whoami' },
  };
}

void test('event-log findings on one host minutes apart are one session; an hour later, or another host, is another', () => {
  const sessions = buildSessions(
    [
      event('2021-03-03T03:00:00Z', 'EX01', 1),
      event('2021-03-03T03:04:00Z', 'EX01', 2),
      event('2021-03-03T03:12:00Z', 'EX01', 3),
      event('2021-03-03T04:30:00Z', 'EX01', 4),
      event('2021-03-03T03:01:00Z', 'EX02', 5),
    ],
    [],
  );
  assert.deepEqual(sessions.map((s) => [s.servers.join(), s.findings, s.firstTime]).sort(), [
    ['EX01', 1, '2021-03-03T04:30:00Z'],
    ['EX01', 3, '2021-03-03T03:00:00Z'],
    ['EX02', 1, '2021-03-03T03:01:00Z'],
  ]);
});
