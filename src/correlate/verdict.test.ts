import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile, Finding, Stage } from '../core/types.js';
import { summariseServers } from './verdict.js';

function finding(time: string, stage: Stage, story: string): Finding {
  return {
    ruleId: story,
    title: story,
    cves: [],
    stage,
    severity: 'high',
    time,
    server: 'EX01',
    story,
    clientIp: undefined,
    user: undefined,
    origin: { path: 'x', line: 1, offset: 0 },
    fields: {},
  };
}

// An ECP Server log: the server shows Exchange, so the sentence ends with the verdict's own words.
const ECP_LOG: EvidenceFile[] = [
  {
    path: 'EX01/ECPServer.LOG',
    sha256: '',
    kind: 'ecp-server',
    server: 'EX01',
    size: 1,
    records: 3,
    badRecords: 0,
    firstTime: undefined,
    lastTime: undefined,
    badSamples: [],
  },
];

void test('the verdict sentence names the first of two writes of the same kind, not the later one', () => {
  const [server] = summariseServers(
    ECP_LOG,
    [
      finding('2021-03-03T02:30:00Z', 'exploited', 'a web shell was written through a virtual directory setting'),
      finding('2021-03-03T02:14:07Z', 'exploited', 'a web shell was written through a virtual directory setting'),
      finding('2021-03-03T02:20:00Z', 'exploited', 'the request forgery logged on'),
    ].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '')),
  );
  assert.equal(server?.verdict, 'exploited');
  assert.match(server?.summary ?? '', /written through a virtual directory setting at 02:14 UTC on 3 March 2021$/);
});

function server(findings: Finding[]) {
  return summariseServers(ECP_LOG, findings)[0];
}

void test('the way in and a later act are joined by "then" only when the act came after the way in', () => {
  const wayIn = finding('2021-03-03T02:14:00Z', 'exploited', 'a web shell was written through a virtual directory setting');
  const after = finding('2021-03-03T03:00:00Z', 'post-exploitation', 'the web shell ran a command');
  assert.match(
    server([wayIn, after])?.summary ?? '',
    /^compromised and used: a web shell was written through a virtual directory setting at 02:14 UTC on 3 March 2021, then the web shell ran a command at 03:00 UTC on 3 March 2021$/,
  );
});

void test('an act earlier than the way in the logs show is said first, and not joined by "then"', () => {
  const wayIn = finding('2021-03-03T02:14:00Z', 'exploited', 'a web shell was written through a virtual directory setting');
  const before = finding('2021-03-02T23:00:00Z', 'post-exploitation', 'a web-server process connected to Remote Desktop');
  const summary = server([wayIn, before])?.summary ?? '';
  assert.doesNotMatch(summary, /then/);
  assert.match(
    summary,
    /^compromised and used: a web-server process connected to Remote Desktop at 23:00 UTC on 2 March 2021, before a web shell was written through a virtual directory setting at 02:14 UTC on 3 March 2021: .*first way in is not among the logs read/,
  );
});

void test('when the act has no time, the sentence does not claim an order', () => {
  const wayIn = finding('2021-03-03T02:14:00Z', 'exploited', 'a web shell was written through a virtual directory setting');
  const untimed = { ...finding('', 'post-exploitation', 'the web shell ran a command'), time: undefined };
  const summary = server([wayIn, untimed])?.summary ?? '';
  assert.doesNotMatch(summary, /then/);
  assert.match(summary, /at 02:14 UTC on 3 March 2021, and the web shell ran a command at an unknown time; the evidence does not give the order of the two$/);
});
