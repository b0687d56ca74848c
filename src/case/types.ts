import type { CollectionCheck } from '../core/types.js';
// The case record's words. A case is one incident at one firm (the tenant).

import type { MailboxTouch } from '../core/types.js';
import type { Verdict, Warning } from '../core/types.js';

export const CASE_STATUSES = ['triage', 'investigating', 'contained', 'eradicated', 'recovered', 'post-incident-review', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ACTION_STATUSES = ['open', 'in-progress', 'done', 'blocked', 'not-applicable'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const CUSTODY_ACTIONS = ['received', 'copied', 'verified', 'handed-over'] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];

export const DECISION_KINDS = ['notify', 'rebuild', 'tell-clients', 'other'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** What a notify decision on one obligation settles: it is owed, it is not, or an exception in its law excuses it. */
export const DECISION_OUTCOMES = ['required', 'not-required', 'exception'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** A registration with a regulator: `{ scheme: 'JFSC', number: '…' }`, `{ scheme: 'JOIC', number: '…' }`. */
export interface Registration {
  scheme: string;
  number: string;
}

export interface Firm {
  slug: string;
  name: string;
  registrations: Registration[];
  dpo: string | undefined;
}

/** The four separate clocks; `awareReason` is required whenever aware differs from detected. */
export interface IncidentTimes {
  occurredFrom: string | undefined;
  occurredTo: string | undefined;
  detectedAt: string | undefined;
  awareAt: string | undefined;
  awareReason: string | undefined;
  firstReportedAt: string | undefined;
}

export interface CaseRecord extends IncidentTimes {
  /** `firm/name`: how every command names the case. */
  ref: string;
  name: string;
  firm: Firm;
  title: string;
  status: CaseStatus;
  servers: string[];
  createdAt: string;
  createdBy: string;
}

export interface FirmInput {
  name?: string;
  registrations?: Registration[];
  dpo?: string;
}

export interface CaseFields extends Partial<IncidentTimes> {
  title?: string;
  status?: CaseStatus;
  /** Server names to add to the case (names are never removed). */
  servers?: string[];
  firm?: FirmInput;
}

export interface NewCase extends CaseFields {
  ref: string;
  title: string;
}

export interface CaseListItem {
  ref: string;
  firm: string;
  title: string;
  status: CaseStatus;
  createdAt: string;
  evidence: number;
  findings: number;
  openActions: number;
}

export interface CustodyEvent {
  at: string;
  action: CustodyAction;
  actor: string;
  from: string | undefined;
  to: string | undefined;
  outcome: string | undefined;
  note: string | undefined;
}

export interface EvidenceItem {
  ref: string;
  kind: 'file' | 'folder' | 'zip';
  location: string;
  sha256: string;
  size: number;
  fileCount: number;
  source: string | undefined;
  collectedBy: string | undefined;
  collectedAt: string | undefined;
  note: string | undefined;
  addedBy: string;
  addedAt: string;
  custody: CustodyEvent[];
}

export interface NewEvidence {
  path: string;
  source?: string;
  collectedBy?: string;
  collectedAt?: string;
  note?: string;
}

export interface AddedEvidence {
  item: EvidenceItem;
  /** Files inside a folder that were not hashed (links, devices), with the reason. */
  skipped: { relpath: string; reason: string }[];
  /** Earlier items in this case with the same SHA-256. */
  sameAs: string[];
  /** For a bundle made by exir-collect: its files checked against the manifest of hashes taken on the server. */
  collection?: CollectionCheck;
}

export interface NewCustody {
  action: CustodyAction;
  by?: string;
  at?: string;
  from?: string;
  to?: string;
  note?: string;
}

export interface FileChange {
  relpath: string;
  change: 'changed' | 'missing' | 'added' | 'unreadable';
  expected?: string;
  actual?: string;
}

export interface EvidenceVerification {
  ref: string;
  location: string;
  intact: boolean;
  expectedSha256: string;
  actualSha256: string | undefined;
  files: number;
  changes: FileChange[];
}

export interface VerifyOptions {
  /** Evidence refs (E1, E2…); all when empty. */
  evidence?: string[];
  /** Verify a copy at another place (one evidence ref only). */
  path?: string;
}

export interface ScanMeta {
  actor: string;
  args: string[];
  /** Called inside the transaction after each batch is written; for progress bars. */
  progress?: (done: number, total: number) => void | Promise<void>;
}

export interface RecordScanOutcome {
  scanId: number;
  added: { evidence: number; findings: number };
  unchanged: { evidence: number; findings: number };
  /** What could not be stored as given (e.g. a finding whose file is not in the scan's evidence list). */
  warnings: Warning[];
}

export interface ActionEvent {
  status: ActionStatus;
  by: string;
  at: string;
  note: string | undefined;
  recordedBy: string;
  recordedAt: string;
}

export interface ActionState {
  key: string;
  phase: string;
  title: string;
  detail: string;
  condition: string | undefined;
  source: string;
  status: ActionStatus;
  /** The latest event: who did it, when, and their note. */
  last: ActionEvent | undefined;
  history: ActionEvent[];
}

export interface ActionUpdate {
  status: ActionStatus;
  note?: string;
  by?: string;
  at?: string;
}

export interface NewAction {
  title: string;
  phase?: string;
  detail?: string;
}

export interface Decision {
  ref: string;
  kind: DecisionKind;
  decision: string;
  rationale: string;
  evidence: string[];
  decidedBy: string;
  decidedAt: string;
  approvedBy: string | undefined;
  approvedAt: string | undefined;
  /** The obligation (O1, …) a notify decision settles; undefined for a decision about the case as a whole. */
  obligation: string | undefined;
  outcome: DecisionOutcome | undefined;
  /** The exception relied on (a ground its rule lists), when the outcome is an exception. */
  ground: string | undefined;
  supersedes: string | undefined;
  supersededBy: string | undefined;
  recordedBy: string;
  recordedAt: string;
}

export interface NewDecision {
  kind: DecisionKind;
  decision: string;
  rationale: string;
  evidence?: string[];
  decidedBy?: string;
  decidedAt?: string;
  approvedBy?: string;
  approvedAt?: string;
  obligation?: string;
  outcome?: DecisionOutcome;
  ground?: string;
  supersedes?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditCheck {
  intact: boolean;
  entries: number;
  head: string;
  problems: { seq: number | undefined; reason: string }[];
  /** Scans whose seal was recomputed and held, and scans recorded before seals existed (nothing to check). */
  seals: { held: number; unsealed: number };
}

export interface ServerStory {
  name: string;
  /** Highest verdict any recorded scan gave, or undefined when no scan has looked at the server. */
  verdict: Verdict | undefined;
  summary: string | undefined;
  /** What evidence would change that verdict, as the scan that gave it said. */
  wouldChange: string | undefined;
}

/** The Exchange build a scanned log names: which server, when (the time of the record that names it), which file. */
export interface BuildSighting {
  server: string;
  /** Dotted, as the log gave it: `15.1.2176.2`. */
  build: string;
  /** The log's kind (`httpproxy`, …). */
  source: string;
  seenAt: string;
  sha256: string;
  path: string;
}

/** An obligation as `case show` lists it: its clock, its filings, and how overdue it is if unfiled past its deadline. */
export interface ObligationStory {
  ref: string;
  recipient: string;
  stage: string;
  legalReference: string;
  required: 'yes' | 'unknown';
  dueAt: string | undefined;
  targetAt: string | undefined;
  firstFiledAt: string | undefined;
  lateByMs: number | undefined;
  filings: { seq: number; channel: string; sentAt: string; reference: string | undefined }[];
  /** Unfiled and past its deadline at the store's clock: by how much. */
  overdueByMs: number | undefined;
}

export interface CaseStory {
  case: CaseRecord;
  servers: ServerStory[];
  scans: { count: number; lastAt: string | undefined };
  findings: { total: number; byStage: Record<string, number>; benign: number };
  /** Whose mailboxes, across every scan (the highest evidence level each reached), and how many attacker sessions. */
  reach: { mailboxes: MailboxTouch[]; sessions: number; gaps: string[] };
  evidence: { items: number; unverified: string[]; changedAtLastCheck: string[] };
  actions: { done: ActionState[]; open: ActionState[]; other: ActionState[] };
  decisions: Decision[];
  /** Active obligations that are or may be required (not those assessed as not required). */
  obligations: ObligationStory[];
  /** Plain sentences: what still needs doing or deciding. */
  open: string[];
  audit: { entries: number; head: string };
}
