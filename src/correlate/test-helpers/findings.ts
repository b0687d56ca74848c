// Findings, evidence rows and sessions as the correlation tests need them: one plain attack hit on EX01 and one
// read log file, each test changing only what it is about.
import type { EvidenceFile, Finding, Session, TimelineEntry } from '../../core/types.js';

/** An exploit attempt on EX01 from 203.0.113.9 at 02:00 UTC on 3 March 2021, with what the test changes. */
export function aFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'rule',
    title: 'hit',
    cves: [],
    stage: 'exploit-attempt',
    severity: 'high',
    time: '2021-03-03T02:00:00Z',
    server: 'EX01',
    clientIp: '203.0.113.9',
    user: undefined,
    origin: { path: 'x', line: 1, offset: 0 },
    fields: {},
    ...over,
  };
}

/** A client-less finding from a server's Security event log: line numbers tell findings apart. */
export function anEventFinding(time: string, server: string, line: number): Finding {
  return aFinding({
    ruleId: `r${line}`,
    title: 'event',
    stage: 'post-exploitation',
    time,
    server,
    clientIp: undefined,
    origin: { path: `${server}/Security.evtx`, line, offset: 0 },
    fields: { CommandLine: 'whoami' },
  });
}

/** One record of an HttpProxy log of the server, read whole, with what the test changes. */
export function aLogFile(server: string, over: Partial<EvidenceFile> = {}): EvidenceFile {
  return {
    path: `${server}/HttpProxy/Ecp/HttpProxy_1.LOG`,
    sha256: '',
    kind: 'httpproxy',
    server,
    size: 1,
    records: 1,
    badRecords: 0,
    firstTime: undefined,
    lastTime: undefined,
    badSamples: [],
    ...over,
  };
}

/** A session on EX01 holding only the given timeline entries. */
export function aSession(id: string, entries: TimelineEntry[]): Session {
  return {
    id,
    servers: ['EX01'],
    attackerIps: [],
    userAgents: [],
    firstTime: undefined,
    lastTime: undefined,
    stages: [],
    webShells: [],
    findings: 0,
    entries,
  };
}
