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

void test('the verdict sentence names the first of two writes of the same kind, not the later one', () => {
  const evidence: EvidenceFile[] = [
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
  const [server] = summariseServers(
    evidence,
    [
      finding('2021-03-03T02:30:00Z', 'exploited', 'a web shell was written through a virtual directory setting'),
      finding('2021-03-03T02:14:07Z', 'exploited', 'a web shell was written through a virtual directory setting'),
      finding('2021-03-03T02:20:00Z', 'exploited', 'the request forgery logged on'),
    ].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '')),
  );
  assert.equal(server?.verdict, 'exploited');
  assert.match(server?.summary ?? '', /written through a virtual directory setting at 02:14 UTC on 3 March 2021$/);
});
