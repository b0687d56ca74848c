// What the regulatory stage reads from a case. The scans' mailbox analysis and log coverage come in
// when the case holds them; for a case whose scans predate them they are undefined, and the
// assessment says the data touched is not yet established.

import type { CoverageEntry, MailboxReach } from '../assess/breach/types.js';
import type { ActionState, CaseRecord, CaseStore, CaseStory, Decision, EvidenceItem } from '../case/index.js';
import type { FindingRow, StoredAssessment } from '../case/regulatory-types.js';

export interface CaseFacts {
  record: CaseRecord;
  story: CaseStory;
  findings: FindingRow[];
  decisions: Decision[];
  evidence: EvidenceItem[];
  actions: ActionState[];
  assessments: StoredAssessment[];
  mailboxes: MailboxReach[] | undefined;
  coverage: CoverageEntry[] | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object';
const optText = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Accepts the scan's MailboxTouch (firstTime/lastTime, how as lines, evidence as origins) or the same with short names. */
function toMailboxReach(raw: unknown): MailboxReach | undefined {
  if (!isObj(raw)) return undefined;
  const level = raw.level;
  if (typeof raw.mailbox !== 'string' || typeof raw.server !== 'string' || (level !== 'read' && level !== 'exported' && level !== 'reachable'))
    return undefined;
  const how = Array.isArray(raw.how) ? raw.how.filter((h): h is string => typeof h === 'string').join('; ') : (optText(raw.how) ?? '');
  const evidence = Array.isArray(raw.evidence)
    ? raw.evidence.filter(isObj).map((e) => ({ path: typeof e.path === 'string' ? e.path : '', line: typeof e.line === 'number' ? e.line : 0 }))
    : [];
  const first = optText(raw.firstTime) ?? optText(raw.first);
  const last = optText(raw.lastTime) ?? optText(raw.last);
  return { mailbox: raw.mailbox, server: raw.server, level, how, evidence, ...(first ? { first } : {}), ...(last ? { last } : {}) };
}

function toCoverageEntry(raw: unknown): CoverageEntry | undefined {
  if (!isObj(raw) || typeof raw.server !== 'string' || typeof raw.source !== 'string') return undefined;
  const gaps = Array.isArray(raw.gaps)
    ? raw.gaps.filter(isObj).flatMap((g) => {
        const from = optText(g.from);
        const to = optText(g.to);
        const reason = optText(g.statement) ?? optText(g.reason);
        const wave = optText(g.wave);
        return from && to ? [{ from, to, ...(reason ? { reason } : {}), ...(wave ? { wave } : {}) }] : [];
      })
    : [];
  const first = optText(raw.firstTime) ?? optText(raw.first);
  const last = optText(raw.lastTime) ?? optText(raw.last);
  return { server: raw.server, source: raw.source, gaps, ...(first ? { first } : {}), ...(last ? { last } : {}) };
}

export async function gatherFacts(store: CaseStore, ref: string): Promise<CaseFacts> {
  const story = await store.story(ref);
  const mailboxes = (await store.listMailboxes(ref))?.map(toMailboxReach).filter((m): m is MailboxReach => m !== undefined);
  const coverage = (await store.listCoverage(ref))?.map(toCoverageEntry).filter((c): c is CoverageEntry => c !== undefined);
  return {
    record: story.case,
    story,
    findings: await store.listFindings(ref),
    decisions: await store.listDecisions(ref),
    evidence: await store.listEvidence(ref),
    actions: await store.listActions(ref),
    assessments: await store.listAssessments(ref),
    mailboxes,
    coverage,
  };
}
