// The words the code uses (see design.md, "Data types"). Every stage speaks these.

/** How far an attack got, lowest first. The order is the order of escalation. */
export const STAGES = ['probe', 'exploit-attempt', 'exploited', 'post-exploitation'] as const;
export type Stage = (typeof STAGES)[number];

/** A server's verdict is its highest stage reached, or clean. */
export const VERDICTS = ['clean', 'probed', 'exploit-attempted', 'exploited', 'post-exploitation'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a file was recognised as, from its content. */
export type SourceKind =
  | 'iis'
  | 'httpproxy'
  | 'ecp-server'
  | 'ecp-activity'
  | 'oabgenerator'
  | 'rps-http'
  | 'rps-cmdlet'
  | 'msgtrk'
  | 'ews'
  | 'unknown';

/** Where a record came from: enough to open the file and go to the line. */
export interface Origin {
  /** Path inside the evidence, with `/` separators; a zip entry is `bundle.zip!/inner/path`. */
  path: string;
  /** 1-based line of the record's first line in the file. */
  line: number;
  /** Byte offset of the record's first byte in the file. */
  offset: number;
}

export interface LogRecord {
  source: SourceKind;
  /** Column name → value, as the log spells the names. Derived fields (cafeReqId, S:KEY) are added beside them. */
  fields: Record<string, string>;
  /** ISO 8601 UTC, or undefined where the record carries no readable time. */
  time: string | undefined;
  origin: Origin;
  /** The record's raw text, for keyword rules and for showing the evidence as it stands. */
  raw: string;
}

/** A record that could not be read, counted and located rather than dropped. */
export interface BadRecord {
  origin: Origin;
  reason: string;
}

export interface EvidenceFile {
  path: string;
  sha256: string;
  kind: SourceKind;
  server: string | undefined;
  size: number;
  records: number;
  badRecords: number;
  firstTime: string | undefined;
  lastTime: string | undefined;
  /** The first few bad records, with their location; `badRecords` counts them all. */
  badSamples: BadRecord[];
  /** Exchange build the log itself names, where it does. */
  build?: string;
  /** Why the file was not read as a log, when kind is unknown. */
  note?: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  cves: string[];
  stage: Stage;
  severity: Severity;
  /** ISO 8601 UTC. */
  time: string | undefined;
  server: string;
  clientIp: string | undefined;
  user: string | undefined;
  origin: Origin;
  /** The record's fields that the rule names, plus the ones a person needs to read the line. */
  fields: Record<string, string>;
  /** Known scanners and Exchange's own probes: kept and shown, never raise a server above probed. */
  benign?: string;
  /** Why this finding counts for less than its rule's stage: the same request shows it went no further. */
  cappedBy?: string;
  /** The request it belongs to (HttpProxy RequestId = IIS cafeReqId), where the log names one. */
  requestId?: string;
  /** Set on a finding whose record shows how far its request went; others on that request are held to its stage. */
  capsRequest?: string;
}

export interface ServerSummary {
  name: string;
  verdict: Verdict;
  firstActivity: string | undefined;
  lastActivity: string | undefined;
  attackerIps: string[];
  stageCounts: Record<Stage, number>;
  /** One plain sentence that says why the verdict is what it is. */
  summary: string;
}

export interface Warning {
  /** Where, when it has a place: a file, a rule, a line. */
  where?: string;
  message: string;
}

export interface ScanResult {
  tool: { name: 'exir'; version: string };
  scannedAt: string;
  evidence: EvidenceFile[];
  servers: ServerSummary[];
  findings: Finding[];
  warnings: Warning[];
  rules: { loaded: number; failed: number };
}
