// The case record's regulatory words: assessment versions, obligations with their clocks, filings.
// The store keeps what the regulatory stage computed; it does not compute it.

export interface StoredAssessment {
  version: number;
  /** The firm's answers this version was made from. */
  answers: unknown;
  /** The assessment as computed (src/assess/breach). */
  result: unknown;
  conclusion: string | undefined;
  level: string | undefined;
  assessedBy: string;
  assessedAt: string;
}

export interface NewAssessment {
  answers: unknown;
  result: unknown;
  conclusion?: string;
  level?: string;
  /** The time the assessment speaks as of (`assess --now`); the store's clock when left out. The audit log keeps when it was recorded. */
  assessedAt?: string;
}

/** One obligation as the rule pack generates it: regime × recipient × stage. */
export interface ObligationSpec {
  /** Stable identity across syncs: `RULE_ID|recipient|stage`. */
  key: string;
  ruleId: string;
  recipient: string;
  stage: string;
  legalReference: string;
  /** A frozen copy of the rule's terms as they stood when the obligation was made or last changed. */
  template: unknown;
  anchorKind: string;
  anchorAt: string | undefined;
  hours: number | undefined;
  dueAt: string | undefined;
  targetHours: number | undefined;
  targetAt: string | undefined;
  required: 'yes' | 'no' | 'unknown';
  applicability: 'applies' | 'unknown';
}

export interface StoredFiling {
  seq: number;
  obligation: string;
  channel: string;
  sentAt: string;
  sentBy: string;
  reference: string | undefined;
  content: unknown;
  delayReasons: string | undefined;
  /** How late this filing was against the statutory deadline, when it was the first. */
  lateByMs: number | undefined;
  recordedBy: string;
  recordedAt: string;
}

export interface StoredObligation extends ObligationSpec {
  ref: string;
  /** False once the rule pack no longer generates it; it is kept, never deleted. */
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Fixed at the first filing: later changes to the clocks cannot make a late filing on time. */
  firstFiledAt: string | undefined;
  lateByMs: number | undefined;
  delayReasons: string | undefined;
  filings: StoredFiling[];
}

export interface NewFiling {
  /** O1, O2, … */
  obligation: string;
  reference?: string;
  sentAt?: string;
  sentBy?: string;
  channel?: string;
  content: unknown;
  delayReasons?: string;
}

export interface FindingRow {
  ruleId: string;
  title: string;
  cves: string[];
  stage: string;
  severity: string;
  time: string | undefined;
  server: string;
  clientIp: string | undefined;
  user: string | undefined;
  path: string;
  line: number;
  sha256: string;
  benign: string | undefined;
}
