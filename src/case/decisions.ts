// Decisions (to notify or not, to rebuild, to tell clients): who decided, when, why, on which
// evidence, and who approved. Never edited: a changed mind is a new decision that supersedes.

import { appendAudit } from './audit.js';
import { lockCase, resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { SqlRunner } from './db/driver.js';
import { json, num, optStr, str } from './db/driver.js';
import { CaseError } from './errors.js';
import { parseInstant } from './times.js';
import type { Decision, DecisionKind, DecisionOutcome, NewDecision } from './types.js';
import { DECISION_KINDS, DECISION_OUTCOMES } from './types.js';

export async function readDecisions(run: SqlRunner, caseId: number): Promise<Decision[]> {
  const rows = await run.all(
    `SELECT d.*, s.ref AS supersedes_ref, n.ref AS superseded_by_ref
     FROM decisions d
     LEFT JOIN decisions s ON s.id = d.supersedes_id
     LEFT JOIN decisions n ON n.supersedes_id = d.id
     WHERE d.case_id = ? ORDER BY d.id`,
    [caseId],
  );
  return rows.map((r) => ({
    ref: str(r, 'ref'),
    kind: str(r, 'kind') as DecisionKind,
    decision: str(r, 'decision'),
    rationale: str(r, 'rationale'),
    evidence: json<string[]>(r, 'evidence_refs'),
    decidedBy: str(r, 'decided_by'),
    decidedAt: str(r, 'decided_at'),
    approvedBy: optStr(r, 'approved_by'),
    approvedAt: optStr(r, 'approved_at'),
    obligation: optStr(r, 'obligation_ref'),
    outcome: optStr(r, 'outcome') as DecisionOutcome | undefined,
    ground: optStr(r, 'ground'),
    supersedes: optStr(r, 'supersedes_ref'),
    supersededBy: optStr(r, 'superseded_by_ref'),
    recordedBy: str(r, 'recorded_by'),
    recordedAt: str(r, 'recorded_at'),
  }));
}

export async function listDecisions(ctx: StoreContext, ref: string): Promise<Decision[]> {
  const resolved = await resolveCase(ctx.driver, ctx, ref);
  return readDecisions(ctx.driver, resolved.caseId);
}

export async function decide(ctx: StoreContext, ref: string, input: NewDecision): Promise<Decision> {
  if (!(DECISION_KINDS as readonly string[]).includes(input.kind)) {
    throw new CaseError(`decision kind "${input.kind}" is not one of: ${DECISION_KINDS.join(', ')}`);
  }
  const decision = input.decision.trim();
  const rationale = input.rationale.trim();
  if (decision === '') throw new CaseError('say what was decided');
  if (rationale === '') throw new CaseError('a decision needs its rationale in writing');
  const decidedAt = input.decidedAt === undefined ? undefined : parseInstant(input.decidedAt, 'decision time');
  const approvedAt = input.approvedAt === undefined ? undefined : parseInstant(input.approvedAt, 'approval time');
  if (approvedAt !== undefined && !input.approvedBy?.trim()) throw new CaseError('an approval time needs who approved (--approved-by)');
  const outcome = checkOutcome(input);
  const evidence = [...new Set((input.evidence ?? []).map((e) => e.trim().toUpperCase()).filter((e) => e !== ''))];
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const obligationRef = outcome === undefined ? null : await checkObligation(tx, resolved.caseId, resolved.ref, outcome);
    for (const e of evidence) {
      const found = await tx.get('SELECT id FROM evidence WHERE case_id = ? AND ref = ?', [resolved.caseId, e]);
      if (!found) throw new CaseError(`evidence ${e} is not in case ${resolved.ref}'s register`);
    }
    let supersedesId: number | null = null;
    if (input.supersedes !== undefined) {
      const target = input.supersedes.trim().toUpperCase();
      const old = await tx.get('SELECT id FROM decisions WHERE case_id = ? AND ref = ?', [resolved.caseId, target]);
      if (!old) throw new CaseError(`case ${resolved.ref} has no decision ${target}`);
      supersedesId = num(old, 'id');
      const already = await tx.get('SELECT ref FROM decisions WHERE supersedes_id = ?', [supersedesId]);
      if (already) throw new CaseError(`decision ${target} was already superseded by ${str(already, 'ref')}; supersede that one instead`);
    }
    const count = await tx.get('SELECT COUNT(*) AS n FROM decisions WHERE case_id = ?', [resolved.caseId]);
    const newRef = `D${(count ? num(count, 'n') : 0) + 1}`;
    const now = ctx.now();
    const row = {
      kind: input.kind,
      decision,
      rationale,
      evidence,
      decidedBy: input.decidedBy?.trim() || ctx.actor,
      decidedAt: decidedAt ?? now,
      approvedBy: input.approvedBy?.trim() || null,
      approvedAt: approvedAt ?? null,
      obligation: obligationRef,
      outcome: outcome?.outcome ?? null,
      ground: outcome?.ground ?? null,
      supersedes: input.supersedes === undefined ? null : input.supersedes.trim().toUpperCase(),
    };
    await tx.run(
      `INSERT INTO decisions (case_id, ref, kind, decision, rationale, evidence_refs, decided_by, decided_at, approved_by,
         approved_at, obligation_ref, outcome, ground, supersedes_id, recorded_by, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        resolved.caseId,
        newRef,
        row.kind,
        row.decision,
        row.rationale,
        JSON.stringify(row.evidence),
        row.decidedBy,
        row.decidedAt,
        row.approvedBy,
        row.approvedAt,
        row.obligation,
        row.outcome,
        row.ground,
        supersedesId,
        ctx.actor,
        now,
      ],
    );
    await appendAudit(tx, resolved.caseId, ctx.actor, now, { entity: 'decision', entityId: newRef, action: 'decide', after: row });
    const made = (await readDecisions(tx, resolved.caseId)).find((d) => d.ref === newRef);
    if (!made) throw new Error(`decision ${newRef} vanished`);
    return made;
  });
}

interface Outcome {
  obligation: string;
  outcome: DecisionOutcome;
  ground: string | undefined;
}

/** A decision on one obligation: a notify decision, naming the obligation and its outcome, with a ground only for an exception. */
function checkOutcome(input: NewDecision): Outcome | undefined {
  const obligation = input.obligation?.trim().toUpperCase() || undefined;
  const ground = input.ground?.trim() || undefined;
  if (obligation === undefined && input.outcome === undefined) {
    if (ground !== undefined) throw new CaseError("an exception's ground belongs to a decision on one obligation (--obligation, --outcome exception)");
    return undefined;
  }
  if (obligation === undefined || input.outcome === undefined) throw new CaseError('a decision on an obligation names both the obligation and the outcome');
  if (!(DECISION_OUTCOMES as readonly string[]).includes(input.outcome)) {
    throw new CaseError(`outcome "${input.outcome}" is not one of: ${DECISION_OUTCOMES.join(', ')}`);
  }
  if (input.kind !== 'notify') throw new CaseError('a decision on an obligation is a notify decision (--kind notify)');
  if (input.outcome === 'exception' && ground === undefined) throw new CaseError('an exception needs its ground (--ground)');
  if (input.outcome !== 'exception' && ground !== undefined) throw new CaseError(`a ground is given only for an exception, not for "${input.outcome}"`);
  return { obligation, outcome: input.outcome, ground };
}

/** The obligation exists in this case, and an exception is one its law has (the frozen rule terms list them). */
async function checkObligation(tx: SqlRunner, caseId: number, caseRef: string, o: Outcome): Promise<string> {
  const row = await tx.get('SELECT ref, template FROM obligations WHERE case_id = ? AND ref = ?', [caseId, o.obligation]);
  if (!row) throw new CaseError(`case ${caseRef} has no obligation ${o.obligation} (see: exir obligations ${caseRef})`);
  if (o.outcome === 'exception') {
    const offered = json<{ exceptions?: { ground: string; law: string }[] }>(row, 'template').exceptions ?? [];
    const found = offered.find((e) => e.ground === o.ground);
    if (!found) {
      throw new CaseError(
        `the law of ${o.obligation} has no "${o.ground ?? ''}" exception; ` +
          (offered.length ? `it has: ${offered.map((e) => `${e.ground} (${e.law})`).join(', ')}` : 'it has no exceptions to rely on'),
      );
    }
  }
  return str(row, 'ref');
}
