// Decisions (to notify or not, to rebuild, to tell clients): who decided, when, why, on which
// evidence, and who approved. Never edited: a changed mind is a new decision that supersedes.

import { appendAudit } from './audit.js';
import { lockCase, resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { SqlRunner } from './db/driver.js';
import { json, num, optStr, str } from './db/driver.js';
import { CaseError } from './errors.js';
import { parseInstant } from './times.js';
import type { Decision, DecisionKind, NewDecision } from './types.js';
import { DECISION_KINDS } from './types.js';

export async function readDecisions(run: SqlRunner, caseId: number): Promise<Decision[]> {
  const rows = await run.all(
    `SELECT d.*, s.ref AS supersedes_ref, n.ref AS superseded_by_ref
     FROM decisions d
     LEFT JOIN decisions s ON s.id = d.supersedes_id
     LEFT JOIN decisions n ON n.supersedes_id = d.id
     WHERE d.case_id = ? ORDER BY d.id`, [caseId]);
  return rows.map((r) => ({
    ref: str(r, 'ref'),
    kind: str(r, 'kind') as DecisionKind,
    decision: str(r, 'decision'),
    rationale: str(r, 'rationale'),
    evidence: json<string[]>(r, 'evidence_refs'),
    decidedBy: str(r, 'decided_by'),
    decidedAt: str(r, 'decided_at'),
    approvedBy: optStr(r, 'approved_by'),
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
  const evidence = [...new Set((input.evidence ?? []).map((e) => e.trim().toUpperCase()).filter((e) => e !== ''))];
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
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
      kind: input.kind, decision, rationale, evidence,
      decidedBy: input.decidedBy?.trim() || ctx.actor,
      decidedAt: decidedAt ?? now,
      approvedBy: input.approvedBy?.trim() || null,
      supersedes: input.supersedes === undefined ? null : input.supersedes.trim().toUpperCase(),
    };
    await tx.run(
      `INSERT INTO decisions (case_id, ref, kind, decision, rationale, evidence_refs, decided_by, decided_at, approved_by,
         supersedes_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [resolved.caseId, newRef, row.kind, row.decision, row.rationale, JSON.stringify(row.evidence), row.decidedBy, row.decidedAt,
        row.approvedBy, supersedesId, ctx.actor, now]);
    await appendAudit(tx, resolved.caseId, ctx.actor, now, { entity: 'decision', entityId: newRef, action: 'decide', after: row });
    const made = (await readDecisions(tx, resolved.caseId)).find((d) => d.ref === newRef);
    if (!made) throw new Error(`decision ${newRef} vanished`);
    return made;
  });
}
