// The story so far, for `exir case show`: status, verdicts, what was done, what is open.
// Only reads; computes nothing the scans and the team have not already recorded.

import type { Verdict } from '../core/types.js';
import { VERDICTS } from '../core/types.js';
import { spokenTime } from '../correlate/verdict.js';
import { readActions } from './actions.js';
import { checkAudit } from './audit.js';
import { resolveCase } from './case-ref.js';
import { readCase } from './cases.js';
import type { StoreContext } from './context.js';
import { num, optStr, str } from './db/driver.js';
import { readDecisions } from './decisions.js';
import { readEvidence } from './evidence.js';
import { readObligations } from './obligations.js';
import { coverageOfCase, mailboxesOfCase, sessionsOfCase } from './scan-reach.js';
import type { CaseStory, ObligationStory, ServerStory } from './types.js';

/** What the scan that gave the verdict said would change it; scans recorded before it was kept have none. */
function wouldChangeOf(serverChanges: string | undefined, name: string): string | undefined {
  if (serverChanges === undefined) return undefined;
  let list: unknown;
  try {
    list = JSON.parse(serverChanges);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const hit = (list as { name?: unknown; wouldChange?: unknown }[]).find((x) => x?.name === name);
  return typeof hit?.wouldChange === 'string' && hit.wouldChange !== '' ? hit.wouldChange : undefined;
}

export async function caseStory(ctx: StoreContext, ref: string): Promise<CaseStory> {
  const run = ctx.driver;
  const { caseId } = await resolveCase(run, ctx, ref);
  const record = await readCase(run, caseId);

  // A later scan of a newer bundle can say "clean" about a server an earlier scan saw exploited;
  // the case keeps the worst any scan has shown.
  const verdictRows = await run.all(
    `SELECT ss.name, ss.verdict, ss.summary, d.server_changes FROM scan_servers ss JOIN scans s ON s.id = ss.scan_id
       LEFT JOIN scan_details d ON d.scan_id = ss.scan_id WHERE s.case_id = ? ORDER BY ss.id`,
    [caseId],
  );
  const worst = new Map<string, ServerStory>();
  for (const r of verdictRows) {
    const name = str(r, 'name');
    const verdict = str(r, 'verdict') as Verdict;
    const seen = worst.get(name.toLowerCase());
    if (!seen || seen.verdict === undefined || VERDICTS.indexOf(verdict) >= VERDICTS.indexOf(seen.verdict)) {
      worst.set(name.toLowerCase(), { name, verdict, summary: optStr(r, 'summary'), wouldChange: wouldChangeOf(optStr(r, 'server_changes'), name) });
    }
  }
  for (const s of record.servers) {
    if (!worst.has(s.toLowerCase())) worst.set(s.toLowerCase(), { name: s, verdict: undefined, summary: undefined, wouldChange: undefined });
  }

  const scanRow = await run.get('SELECT COUNT(*) AS n, MAX(recorded_at) AS last FROM scans WHERE case_id = ?', [caseId]);
  const stageRows = await run.all(
    'SELECT stage, COUNT(*) AS n, SUM(CASE WHEN benign IS NULL THEN 0 ELSE 1 END) AS benign FROM findings WHERE case_id = ? GROUP BY stage',
    [caseId],
  );
  const byStage: Record<string, number> = {};
  let total = 0;
  let benign = 0;
  for (const r of stageRows) {
    byStage[str(r, 'stage')] = num(r, 'n');
    total += num(r, 'n');
    benign += num(r, 'benign');
  }

  const reach: CaseStory['reach'] = {
    mailboxes: (await mailboxesOfCase(run, caseId)) ?? [],
    sessions: (await sessionsOfCase(run, caseId))?.length ?? 0,
    gaps: ((await coverageOfCase(run, caseId)) ?? []).flatMap((c) => c.gaps.map((g) => g.statement)),
  };

  const evidence = await readEvidence(run, caseId);
  const unverified: string[] = [];
  const changed: string[] = [];
  for (const e of evidence) {
    const checks = e.custody.filter((c) => c.action === 'verified');
    const last = checks[checks.length - 1];
    if (!last) unverified.push(e.ref);
    else if (!last.outcome?.startsWith('intact')) changed.push(e.ref);
  }

  const actions = await readActions(run, caseId);
  const done = actions.filter((a) => a.status === 'done');
  const open = actions.filter((a) => a.status === 'open' || a.status === 'in-progress' || a.status === 'blocked');
  const other = actions.filter((a) => !done.includes(a) && !open.includes(a));
  const decisions = (await readDecisions(run, caseId)).filter((d) => d.supersededBy === undefined);
  const audit = await checkAudit(run, caseId);
  const scans = scanRow ? num(scanRow, 'n') : 0;

  const nowMs = Date.parse(ctx.now());
  const obligations: ObligationStory[] = (await readObligations(run, caseId))
    .flatMap((o) => (o.active && o.required !== 'no' ? [{ ...o, required: o.required }] : []))
    .map((o) => ({
      ref: o.ref,
      recipient: o.recipient,
      stage: o.stage,
      legalReference: o.legalReference,
      required: o.required,
      dueAt: o.dueAt,
      targetAt: o.targetAt,
      firstFiledAt: o.firstFiledAt,
      lateByMs: o.lateByMs,
      filings: o.filings.map((f) => ({ seq: f.seq, channel: f.channel, sentAt: f.sentAt, reference: f.reference })),
      overdueByMs: o.firstFiledAt === undefined && o.dueAt !== undefined && nowMs > Date.parse(o.dueAt) ? nowMs - Date.parse(o.dueAt) : undefined,
    }));

  const todo: string[] = [];
  if (!audit.intact) todo.push(`THE AUDIT LOG IS BROKEN (${audit.problems.length} problem(s)): see exir case log ${record.ref}`);
  if (changed.length > 0) todo.push(`evidence changed since it was registered: ${changed.join(', ')}`);
  if (!record.detectedAt) todo.push('record when the incident was detected (--detected)');
  if (!record.awareAt) todo.push('record when the firm became aware (--aware); the 72-hour clocks run from it');
  if (!record.occurredFrom) todo.push('record when the incident began, as far as known (--occurred-from)');
  if (evidence.length === 0) todo.push('register the evidence (exir case add-evidence)');
  if (unverified.length > 0) todo.push(`verify evidence not yet checked: ${unverified.join(', ')}`);
  if (scans === 0) todo.push('scan the evidence into the case (exir scan … --case)');
  for (const s of worst.values()) if (s.verdict === undefined) todo.push(`no scan has covered server ${s.name}`);
  if (!decisions.some((d) => d.kind === 'notify')) todo.push('decide whether to notify the regulators (exir case decide --kind notify)');
  for (const o of obligations) {
    if (o.firstFiledAt !== undefined) continue;
    const what = `${o.ref} ${o.stage} notice to ${o.recipient} (${o.legalReference})${o.required === 'unknown' ? ', if required' : ''}`;
    if (o.overdueByMs !== undefined)
      todo.push(
        `OVERDUE by ${overdueText(o.overdueByMs)}: ${what}, due ${spokenTime(o.dueAt ?? '', 'UTC').slice('at '.length)}; the filing must give the reasons for the delay`,
      );
    else
      todo.push(
        `not yet filed: ${what}${o.dueAt ? `, due ${spokenTime(o.dueAt, 'UTC').slice('at '.length)}` : o.targetAt ? `, expected by ${spokenTime(o.targetAt, 'UTC').slice('at '.length)}` : ''}`,
      );
  }
  if (open.length > 0) todo.push(`${open.length} response action(s) open: ${open.map((a) => a.key).join(', ')}`);

  return {
    case: record,
    servers: [...worst.values()].sort((a, b) => a.name.localeCompare(b.name)),
    scans: { count: scans, lastAt: scanRow ? optStr(scanRow, 'last') : undefined },
    findings: { total, byStage, benign },
    reach,
    evidence: { items: evidence.length, unverified, changedAtLastCheck: changed },
    actions: { done, open, other },
    decisions,
    obligations,
    open: todo,
    audit: { entries: audit.entries, head: audit.head },
  };
}

function overdueText(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  return days > 0 ? `${days} d ${hours % 24} h` : `${hours} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
}
