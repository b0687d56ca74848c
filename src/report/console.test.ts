import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile, Finding, ScanResult } from '../core/types.js';
import { consoleReport } from './console.js';

const file = (path: string): EvidenceFile => ({
  path, sha256: 'a'.repeat(64), kind: 'unknown', server: 'EX09', size: 100, records: 0, badRecords: 0, firstTime: undefined, lastTime: undefined, badSamples: [],
});

const shell: Finding = {
  ruleId: 'yara-chopper', title: 'China Chopper web shell', cves: [], stage: 'post-exploitation', severity: 'critical', time: undefined, server: 'EX09',
  clientIp: undefined, user: undefined, origin: { path: 'EX09/aspnet_client/discover.aspx', line: 2, offset: 40 }, fields: { sha256: 'a'.repeat(64) },
};

const result: ScanResult = {
  tool: { name: 'exir', version: 'test' }, scannedAt: '2021-07-05T00:00:00Z',
  evidence: [file('EX09/aspnet_client/discover.aspx'), file('EX09/notes.txt')],
  servers: [{
    name: 'EX09', verdict: 'post-exploitation', firstActivity: '2021-07-03T02:14:00Z', lastActivity: '2021-07-03T02:14:00Z', attackerIps: [],
    stageCounts: { probe: 0, 'exploit-attempt': 0, exploited: 0, 'post-exploitation': 1 },
    summary: 'compromised and used: a web shell was written at 02:14 UTC on 3 July 2021', wouldChange: 'nothing',
  }],
  findings: [shell], sessions: [], mailboxes: [], mail: [], coverage: [], warnings: [], rules: { loaded: 1, failed: 0, unreachable: 0 },
};

test('the console says times in the reader\'s zone, points into files by line and byte, and counts flagged files apart', () => {
  const text = consoleReport(result, 'Europe/Jersey');
  assert.match(text, /a web shell was written at 03:14 BST on 3 July 2021/);
  assert.match(text, /EX09\/aspnet_client\/discover\.aspx:2 \(byte 40\)/);
  assert.doesNotMatch(text, /discover\.aspx:0/);
  assert.match(text, /; 1 other file\(s\) with findings; 1 other file\(s\) hashed and listed only/);
});
