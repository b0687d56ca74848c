// Scan results shaped like the scanner's, made to order for the store's tests.

import { createHash } from 'node:crypto';
import type { EvidenceFile, Finding, ScanResult, ServerSummary } from '../../core/types.js';

function fakeSha(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export function evidenceFile(path: string, content = path, server = 'EXCH01'): EvidenceFile {
  return {
    path,
    sha256: fakeSha(content),
    kind: 'httpproxy',
    server,
    size: 1000,
    records: 10,
    badRecords: 0,
    firstTime: '2021-03-02T10:00:00Z',
    lastTime: '2021-03-02T11:00:00.1234567Z',
    badSamples: [],
  };
}

export function finding(path: string, line: number, ruleId = 'proxylogon-ssrf', server = 'EXCH01'): Finding {
  return {
    ruleId,
    title: 'ProxyLogon SSRF',
    cves: ['CVE-2021-26855'],
    stage: 'exploit-attempt',
    severity: 'high',
    time: '2021-03-02T10:15:00Z',
    server,
    clientIp: '203.0.113.7',
    user: undefined,
    origin: { path, line, offset: line * 100 },
    fields: { UrlStem: '/ecp/y.js', 'X-BEResource': 'localhost~1942062522' },
  };
}

export function server(name: string, verdict: ServerSummary['verdict']): ServerSummary {
  return {
    name,
    verdict,
    firstActivity: '2021-03-02T10:15:00Z',
    lastActivity: '2021-03-02T10:20:00Z',
    attackerIps: ['203.0.113.7'],
    stageCounts: { probe: 0, 'exploit-attempt': 1, exploited: 0, 'post-exploitation': 0 },
    summary: `${name}: ${verdict}`,
    wouldChange: 'nothing in this fixture',
  };
}

export function scanResult(evidence: EvidenceFile[], findings: Finding[], servers: ServerSummary[] = []): ScanResult {
  return {
    tool: { name: 'exir', version: '0.1.0' },
    scannedAt: '2021-03-10T09:00:00Z',
    evidence,
    servers,
    findings,
    sessions: [],
    mailboxes: [],
    mail: [],
    coverage: [],
    warnings: [],
    rules: { loaded: 12, failed: 0, unreachable: 0 },
  };
}

/** A result big enough that writing it takes many batches: `files` files with `perFile` findings each. */
export function largeScan(files: number, perFile: number): ScanResult {
  const evidence: EvidenceFile[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < files; i += 1) {
    const path = `EXCH01/HttpProxy/Ecp/HttpProxy_2021030210-${i}.LOG`;
    evidence.push(evidenceFile(path));
    for (let line = 1; line <= perFile; line += 1) findings.push(finding(path, line + 5));
  }
  return scanResult(evidence, findings, [server('EXCH01', 'exploit-attempted')]);
}
