import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvidenceFile, Finding, ScanResult } from '../core/types.js';
import { consoleReport } from './console.js';
import { HOSTILE, sampleResult } from './test-support/sample-result.js';

const file = (path: string): EvidenceFile => ({
  path,
  sha256: 'a'.repeat(64),
  kind: 'unknown',
  server: 'EX09',
  size: 100,
  records: 0,
  badRecords: 0,
  firstTime: undefined,
  lastTime: undefined,
  badSamples: [],
});

const shell: Finding = {
  ruleId: 'yara-chopper',
  title: 'China Chopper web shell',
  cves: [],
  stage: 'post-exploitation',
  severity: 'critical',
  time: undefined,
  server: 'EX09',
  clientIp: undefined,
  user: undefined,
  origin: { path: 'EX09/aspnet_client/discover.aspx', line: 2, offset: 40 },
  fields: { sha256: 'a'.repeat(64) },
};

const result: ScanResult = {
  tool: { name: 'exir', version: 'test' },
  scannedAt: '2021-07-05T00:00:00Z',
  evidence: [file('EX09/aspnet_client/discover.aspx'), file('EX09/notes.txt')],
  servers: [
    {
      name: 'EX09',
      verdict: 'post-exploitation',
      firstActivity: '2021-07-03T02:14:00Z',
      lastActivity: '2021-07-03T02:14:00Z',
      attackerIps: [],
      stageCounts: { probe: 0, 'exploit-attempt': 0, exploited: 0, 'post-exploitation': 1 },
      summary: 'compromised and used: a web shell was written at 02:14 UTC on 3 July 2021',
      wouldChange: 'nothing',
    },
  ],
  findings: [shell],
  sessions: [],
  mailboxes: [],
  mail: [],
  coverage: [],
  warnings: [],
  rules: { loaded: 1, failed: 0, unreachable: 0 },
};

test("the console says times in the reader's zone, points into files by line and byte, and counts flagged files apart", () => {
  const text = consoleReport(result, 'Europe/Jersey');
  assert.match(text, /a web shell was written at 03:14 BST on 3 July 2021/);
  assert.match(text, /EX09\/aspnet_client\/discover\.aspx:2 \(byte 40\)/);
  assert.doesNotMatch(text, /discover\.aspx:0/);
  assert.match(text, /; 1 other file\(s\) with findings; 1 other file\(s\) hashed and listed only/);
});

// Colour is off when stdout is not a terminal, as under the test runner, so the text is compared as is.

test('a server block: verdict, why, what would change it, stages, IPs, sessions, mailboxes, gaps', () => {
  const text = consoleReport(sampleResult());
  assert.match(
    text,
    /^EX01: POST-EXPLOITATION\n  A web shell was used after the SSRF\.\n  What would change it: Evidence that the shell file never existed\.\n/,
  );
  assert.match(text, /\n  findings by stage: probe 1, exploit-attempt 1, post-exploitation 1\n/);
  assert.match(text, /\n  attacker activity: 2021-03-03 02:15:00 GMT to 2021-03-03 02:40:00 GMT\n/);
  assert.match(text, /\n  attacker IPs: 203\.0\.113\.7\n/);
  assert.match(
    text,
    /\n    S1: 203\.0\.113\.7 from .* reached post-exploitation; 1 finding\(s\), 1 other record\(s\); web shell \/aspnet_client\/shell\.aspx\n/,
  );
  assert.match(text, /\n    reachable every mailbox on the server: SYSTEM on the server can open every mailbox\n/);
  assert.match(text, /\n  what the evidence cannot see:\n    ! No IIS log before 3 March 2021\.\n/);
});

test('top findings: the highest stage first, a known scanner last with why it counts for less', () => {
  const text = consoleReport(sampleResult());
  const top = text.slice(text.indexOf('  top findings:'));
  const order = ['Web shell used', 'ProxyLogon SSRF', 'ProxyLogon probe'].map((t) => top.indexOf(t));
  assert.ok(
    order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!)),
    `order ${order.join(', ')}`,
  );
  assert.match(top, /ProxyLogon probe \[CVE-2021-26855\] from 198\.51\.100\.1 \(a known scanner \(test\)\)\n/);
  assert.match(top, /Web shell used \[CVE-2021-27065\] from 203\.0\.113\.7 as NT AUTHORITY\\SYSTEM\n      EX01\/W3SVC1\/u_ex210303\.log:40\n/);
});

test('what was read, what was not, the rules, the warnings, and the zone the times are in', () => {
  const text = consoleReport(sampleResult());
  assert.match(
    text,
    /\nRead 2 file\(s\): 1 log\(s\) with 40 record\(s\), 1 unreadable record\(s\); 1 other file\(s\) hashed and listed only\. Rules: 60 loaded, 1 not loaded, 2 for logs exir does not read\.\n/,
  );
  assert.match(text, /\n2 warning\(s\) \(on stderr; all are in the JSON output\)\.\n/);
  assert.match(text, /Times are shown in Europe\/Jersey; the JSON output holds them in UTC\.\n$/);
});

test('times follow the zone asked for, and the next report does not inherit it', () => {
  assert.match(consoleReport(sampleResult(), 'America/New_York'), /attacker activity: 2021-03-02 21:15:00 GMT-5 to/);
  assert.match(consoleReport(sampleResult()), /attacker activity: 2021-03-03 02:15:00 GMT to/);
});

test('evidence text reaches the terminal inert', () => {
  const result = sampleResult();
  result.servers[0]!.summary = HOSTILE;
  const text = consoleReport(result);
  assert.ok(!text.includes('\u202e') && !text.includes('\u001b'), 'no raw bidi override or escape');
});

test('no log recognised: said plainly', () => {
  const result = { ...sampleResult(), servers: [], evidence: [] };
  assert.match(
    consoleReport(result),
    /^No Exchange or IIS log was recognised in the evidence\.\n\nRead 0 file\(s\): 0 log\(s\) with 0 record\(s\)\. Rules: 60 loaded/,
  );
});

test('a published attacker address names who published it', () => {
  const listed: Finding = {
    ...shell,
    ruleId: 'indicator',
    title: 'Request from an address published as attacking Exchange servers (IIS)',
    stage: 'exploit-attempt',
    time: '2021-07-03T02:13:00Z',
    clientIp: '91.192.103.43',
    origin: { path: 'EX09/u_ex210703.log', line: 5, offset: 0 },
    fields: { 'published by': 'CISA, Alert AA21-062A (2021-03-03, https://github.com/cisagov/CHIRP/)' },
    indicatorOnly: true,
  };
  const text = consoleReport({ ...result, findings: [listed] });
  assert.match(text, /from 91\.192\.103\.43\n.*address published by CISA, Alert AA21-062A \(2021-03-03/);
});
