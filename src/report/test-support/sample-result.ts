// One scan result with every part filled in, hostile text where evidence text goes, for the
// renderers' own tests.

import type { Finding, ScanResult, TimelineEntry } from '../../core/types.js';

export const HOSTILE = '=cmd|\u202e/c calc\u001b[31m';

const ssrf: Finding = {
  ruleId: 'proxylogon-ssrf',
  title: 'ProxyLogon SSRF',
  cves: ['CVE-2021-26855'],
  stage: 'exploit-attempt',
  severity: 'high',
  time: '2021-03-03T02:15:00.000Z',
  server: 'EX01',
  clientIp: '203.0.113.7',
  user: undefined,
  origin: { path: 'EX01/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG', line: 6, offset: 812 },
  fields: { UrlStem: '/ecp/y.js', UserAgent: HOSTILE },
  requestId: 'a1b2',
  url: '/ecp/y.js',
  userAgent: HOSTILE,
};
const shell: Finding = {
  ruleId: 'webshell-use',
  title: 'Web shell used',
  cves: ['CVE-2021-27065'],
  stage: 'post-exploitation',
  severity: 'critical',
  time: '2021-03-03T02:40:00.000Z',
  server: 'EX01',
  clientIp: '203.0.113.7',
  user: 'NT AUTHORITY\\SYSTEM',
  origin: { path: 'EX01/W3SVC1/u_ex210303.log', line: 40, offset: 9000 },
  fields: { 'cs-uri-stem': '/aspnet_client/shell.aspx' },
};
const scanner: Finding = {
  ...ssrf,
  ruleId: 'proxylogon-probe',
  title: 'ProxyLogon probe',
  stage: 'probe',
  severity: 'low',
  clientIp: '198.51.100.1',
  time: '2021-03-05T10:00:00.000Z',
  benign: 'a known scanner (test)',
  fields: {},
};

export const ENTRIES: TimelineEntry[] = [
  {
    time: ssrf.time,
    server: 'EX01',
    source: 'httpproxy',
    origin: ssrf.origin,
    kind: 'finding',
    summary: 'ProxyLogon SSRF',
    ruleId: ssrf.ruleId,
    stage: 'exploit-attempt',
    clientIp: '203.0.113.7',
    userAgent: HOSTILE,
    requestId: 'a1b2',
    session: 'S1',
    cves: ['CVE-2021-26855'],
    fields: { UrlStem: '/ecp/y.js' },
  },
  {
    time: '2021-07-01T12:00:00.000Z',
    server: 'EX01',
    source: 'iis',
    origin: shell.origin,
    kind: 'activity',
    summary: `GET ${HOSTILE}`,
    clientIp: '203.0.113.7',
    session: 'S1',
    fields: { 'cs-method': 'GET' },
  },
  {
    time: undefined,
    server: 'EX01',
    source: 'iis',
    origin: { path: 'EX01/W3SVC1/u_ex210304.log', line: 3, offset: 200 },
    kind: 'activity',
    summary: 'no readable time',
    fields: {},
  },
];

export function sampleResult(): ScanResult {
  return {
    tool: { name: 'exir', version: '0.1.0' },
    scannedAt: '2021-03-10T09:00:00.000Z',
    evidence: [
      {
        path: ssrf.origin.path,
        sha256: 'a'.repeat(64),
        kind: 'httpproxy',
        server: 'EX01',
        size: 5000,
        records: 40,
        badRecords: 1,
        firstTime: '2021-03-03T02:00:00.000Z',
        lastTime: '2021-03-03T02:59:00.000Z',
        build: '15.1.2176.2',
        badSamples: [{ origin: { path: ssrf.origin.path, line: 9, offset: 1500 }, reason: 'a row with 3 of 74 columns' }],
      },
      {
        path: 'EX01/notes.txt',
        sha256: 'b'.repeat(64),
        kind: 'unknown',
        server: undefined,
        size: 10,
        records: 0,
        badRecords: 0,
        firstTime: undefined,
        lastTime: undefined,
        badSamples: [],
        note: 'not a log exir reads',
      },
    ],
    servers: [
      {
        name: 'EX01',
        verdict: 'post-exploitation',
        firstActivity: ssrf.time,
        lastActivity: shell.time,
        attackerIps: ['203.0.113.7'],
        stageCounts: { probe: 1, 'exploit-attempt': 1, exploited: 0, 'post-exploitation': 1 },
        summary: 'A web shell was used after the SSRF.',
        wouldChange: 'Evidence that the shell file never existed.',
      },
    ],
    findings: [ssrf, shell, scanner],
    sessions: [
      {
        id: 'S1',
        servers: ['EX01'],
        attackerIps: ['203.0.113.7'],
        userAgents: [HOSTILE],
        firstTime: ssrf.time,
        lastTime: shell.time,
        stages: ['exploit-attempt', 'post-exploitation'],
        webShells: ['/aspnet_client/shell.aspx'],
        findings: 1,
        entries: ENTRIES.slice(0, 2),
      },
    ],
    mailboxes: [
      {
        mailbox: '*',
        server: 'EX01',
        level: 'reachable',
        firstTime: shell.time,
        lastTime: shell.time,
        how: ['SYSTEM on the server can open every mailbox'],
        evidence: [shell.origin],
      },
    ],
    mail: [
      {
        time: '2021-03-03T03:00:00.000Z',
        server: 'EX01',
        event: 'SEND',
        sender: 'ceo@example.test',
        recipients: 'x@example.net',
        subject: HOSTILE,
        why: 'forwarded by an inbox rule the attacker made',
        origin: { path: 'EX01/MessageTracking/MSGTRK2021030303-1.LOG', line: 7, offset: 700 },
      },
    ],
    coverage: [
      {
        server: 'EX01',
        source: 'iis',
        files: 1,
        records: 50,
        firstTime: '2021-03-03T00:00:00.000Z',
        lastTime: '2021-03-03T23:59:59.000Z',
        gaps: [{ wave: 'proxylogon', from: '2021-02-26T00:00:00.000Z', to: '2021-03-03T00:00:00.000Z', statement: 'No IIS log before 3 March 2021.' }],
      },
    ],
    warnings: [{ where: 'EX01/W3SVC1/u_ex210303.log:12', message: 'a line longer than 64 KiB; skipped' }, { message: 'one rule did not load' }],
    rules: { loaded: 60, failed: 1, unreachable: 2 },
  };
}
