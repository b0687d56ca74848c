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
  /** Windows event logs: .evtx, and the JSON-lines and XML exports of the same events. */
  | 'winevent'
  /** A listing of files collected on a server (path, size, times, hashes), checked row by row. */
  | 'inventory'
  /** Test-ProxyLogon's CSV reports: observations made by that tool, each row naming its check. */
  | 'test-proxylogon'
  /** EOMT.log, the Exchange On-premises Mitigation Tool's own log: what it did and what the scanner it ran found. */
  | 'eomt'
  /** msert.log, Microsoft Safety Scanner's log: each threat it detected, the file it was found in, and whether it was removed. */
  | 'msert'
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
  /**
   * Set on a record that could not be split into its fields (a quote that breaks the CSV): why. Its
   * fields are a best reading of the raw text, so rules' strings are still searched; it stays counted as bad.
   */
  damaged?: string;
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
  /** How the file spelled its server (folder name, the log's own name), before they were made one. */
  serverNames?: string[];
  /** Why the file was not read as a log, when kind is unknown. */
  note?: string;
  /** Set when the file could not be read to its end: its hash covers only what was read, maybe nothing. */
  unreadable?: true;
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
  /** What the finding means, as a phrase for a sentence (the rule's `story`). */
  story?: string;
  /** The URL path requested and the client's user agent, where the log has them. */
  url?: string;
  userAgent?: string;
  /** Set on a finding whose record shows how far its request went; others on that request are held to its stage. */
  capsRequest?: string;
  /** Said when a CVE the rule names was first exploited after the record's time. */
  cveNote?: string;
  /** A published indicator matched (an attacker's address): context that never raises a server above probed by itself. */
  indicatorOnly?: true;
  /** Set with `benign` when the classifier names the server's own traffic (Exchange's health probes): it raises no verdict at all. */
  ownTraffic?: true;
  /**
   * Present when this probe stands for many identical ones (same rule, server, client and reason):
   * a scanner's flood is counted, not kept line by line. `count` includes this finding.
   */
  repeats?: FindingRepeats;
}

export interface FindingRepeats {
  count: number;
  /** ISO 8601 UTC: the earliest and latest of the repeats. */
  firstTime: string | undefined;
  lastTime: string | undefined;
  /** Where the first few of them are, this finding's own line first. */
  samples: Origin[];
  /** The distinct URLs they asked for (at most MAX_REPEAT_URLS), when more than one: the names a scanner tried. */
  urls?: string[];
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
  /** What evidence would change the verdict, in plain words. */
  wouldChange: string;
  /**
   * Parts of the exploitation windows the server's logs do not reach, as "2021-01-06..2021-02-20 of
   * the ProxyLogon window". A clean or probed verdict with any is true only of what the logs cover.
   */
  uncovered?: string[];
  /** Every spelling of the server's name the evidence used (`ex01`, `EX01.corp.local`), for a reader to check the join. */
  namesSeen?: string[];
  /** Pages in the web folders that answered or were found as web shells, one per page with every source. */
  webShells?: WebShell[];
}

export type WebShellSource = 'iis' | 'httpproxy' | 'file';

/** One web shell on one server, however many logs and files show it. */
export interface WebShell {
  /** The URL path, lower case (`/owa/auth/x.aspx`); a file is named by the path IIS serves it at. */
  url: string;
  sources: WebShellSource[];
  /** A log shows it answering commands (a POST answered, a command in the query), not only existing. */
  used: boolean;
  /** ISO 8601 UTC: the earliest request, or the file's modified time. */
  firstSeen: string | undefined;
  /** The files found for it, as collected. */
  files: string[];
}

/** One line of the story: a finding, or a record the attacker left that no rule matched. */
export interface TimelineEntry {
  /** ISO 8601 UTC. */
  time: string | undefined;
  server: string;
  source: SourceKind;
  origin: Origin;
  /** `finding` for a rule hit, `activity` for the attacker's other records pulled in by who made them. */
  kind: 'finding' | 'activity';
  summary: string;
  ruleId?: string;
  stage?: Stage;
  clientIp?: string;
  userAgent?: string;
  user?: string;
  requestId?: string;
  /** The session this entry belongs to, when it belongs to one. */
  session?: string;
  cves?: string[];
  /** Why a finding counts for less (a known scanner, a request that went no further). */
  note?: string;
  fields: Record<string, string>;
}

/** One attacker's activity, joined across logs and servers. */
export interface Session {
  id: string;
  servers: string[];
  attackerIps: string[];
  userAgents: string[];
  firstTime: string | undefined;
  lastTime: string | undefined;
  /** Stages reached, lowest first. */
  stages: Stage[];
  /** Web shell URLs used in the session. */
  webShells: string[];
  findings: number;
  /** Findings and the attacker's other records, in time order. */
  entries: TimelineEntry[];
}

export const MAILBOX_LEVELS = ['reachable', 'read', 'exported'] as const;
/** read: item access seen; exported: copied out; reachable: the attacker had the access, no item access logged. */
export type MailboxLevel = (typeof MAILBOX_LEVELS)[number];

/** A mailbox the attacker reached or could have reached. `*` stands for every mailbox on the server. */
export interface MailboxTouch {
  mailbox: string;
  server: string;
  level: MailboxLevel;
  firstTime: string | undefined;
  lastTime: string | undefined;
  /** How, in plain words, one line per way. */
  how: string[];
  evidence: Origin[];
  /** Addresses the attacker had its mail forwarded to (inbox rules, Set-Mailbox). */
  forwardedTo?: string[];
}

/** Mail the attacker sent or caused to be sent (forwarding), from message tracking. */
export interface MailMovement {
  time: string | undefined;
  server: string;
  event: string;
  sender: string;
  recipients: string;
  subject: string;
  why: string;
  origin: Origin;
}

/** What the evidence lets us see: per server and kind of log, and what it does not. */
export interface Coverage {
  server: string;
  source: SourceKind;
  files: number;
  records: number;
  firstTime: string | undefined;
  lastTime: string | undefined;
  gaps: CoverageGap[];
}

export interface CoverageGap {
  /** The exploitation window it falls in, when it falls in one. */
  wave?: string;
  from: string;
  to: string;
  /** In plain words, as prominent as a finding. */
  statement: string;
}

/** logon: 4624/4648; account-change: accounts and groups (4720…5136); permission-cmdlet: mailbox and role rights granted; mail: a message received. */
export type ContextKind = 'logon' | 'account-change' | 'permission-cmdlet' | 'mail';

/** A record kept as context, never as a finding: it changes no verdict (see detect/context.ts). */
export interface ContextRecord {
  kind: ContextKind;
  time: string | undefined;
  server: string;
  origin: Origin;
  fields: Record<string, string>;
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
  sessions: Session[];
  mailboxes: MailboxTouch[];
  mail: MailMovement[];
  coverage: Coverage[];
  /** Logons, account changes and inbound mail, kept for the credentials and phishing assessments; absent from older scans. */
  context?: ContextRecord[];
  warnings: Warning[];
  /** Rules loaded; not loaded (each one also a located warning); loaded but for logs exir does not read. */
  rules: { loaded: number; failed: number; unreachable: number };
  /** Bundles made by exir-collect, each checked against the manifest of hashes taken on the server. */
  collections?: CollectionCheck[];
}

/** A collector bundle checked against its manifest: what was verified, changed, lost or added on the way. */
export interface CollectionCheck {
  /** The manifest's path in the evidence, e.g. `EX01.zip!/manifest.json` (for KAPE, its copy log). */
  manifest: string;
  /** The tool that made a collection other than exir's own collector (`KAPE`). */
  tool?: string;
  /** The hash the collection recorded when not SHA-256 (KAPE's copy log records SHA-1). */
  hash?: 'sha1';
  server: string;
  fqdn?: string;
  /** ExSetup.exe's file version on the server (e.g. 15.01.2176.009). */
  build?: string;
  /** The server's Windows time zone id. */
  timeZone?: string;
  collectedBy?: string;
  startedAt?: string;
  finishedAt?: string;
  window?: { from: string; to: string };
  /** Files the manifest lists, and how many were found with the same SHA-256 and size. */
  files: number;
  verified: number;
  changed: { path: string; expected: string; actual: string; expectedSize: number; actualSize: number }[];
  missing: string[];
  /** Files in the bundle the manifest does not list (added after collection). */
  unlisted: string[];
  /** What the collector could not read on the server, and why. */
  notCollected: { source: string; reason: string }[];
}
