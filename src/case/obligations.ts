// Obligations and filings. The regulatory stage says which obligations a case has and when each is
// due; the store keeps them (never deleting one the rules stop generating), keeps every filing as a
// frozen snapshot, and fixes lateness at the first filing: a late first filing needs its reasons.

import { appendAudit } from './audit.js';
import { lockCase, resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { Row, SqlRunner, SqlValue } from './db/driver.js';
import { json, num, optNum, optStr, str } from './db/driver.js';
import { CaseError } from './errors.js';
import type { NewFiling, ObligationSpec, StoredFiling, StoredObligation } from './regulatory-types.js';
import { parseInstant } from './times.js';

const FILING_CHANNELS = ['joic_portal', 'odpa_portal', 'ico_online', 'sa_portal', 'email', 'letter', 'phone', 'register', 'other'] as const;

function optReal(row: Row, col: string): number | undefined {
  const v = row[col];
  if (v === null || v === undefined) return undefined;
  return typeof v === 'number' ? v : Number(v);
}

function filingFromRow(row: Row): StoredFiling {
  return {
    seq: num(row, 'seq'),
    obligation: str(row, 'obligation_ref'),
    channel: str(row, 'channel'),
    sentAt: str(row, 'sent_at'),
    sentBy: str(row, 'sent_by'),
    reference: optStr(row, 'reference'),
    content: json<unknown>(row, 'content'),
    delayReasons: optStr(row, 'delay_reasons'),
    lateByMs: optNum(row, 'late_by_ms'),
    recordedBy: str(row, 'recorded_by'),
    recordedAt: str(row, 'recorded_at'),
  };
}

export async function readObligations(run: SqlRunner, caseId: number): Promise<(StoredObligation & { id: number })[]> {
  const rows = await run.all('SELECT * FROM obligations WHERE case_id = ? ORDER BY id', [caseId]);
  const filings = await run.all(
    `SELECT f.*, o.ref AS obligation_ref FROM filings f JOIN obligations o ON o.id = f.obligation_id WHERE f.case_id = ? ORDER BY f.id`,
    [caseId],
  );
  return rows.map((r) => ({
    id: num(r, 'id'),
    ref: str(r, 'ref'),
    key: str(r, 'key'),
    ruleId: str(r, 'rule_id'),
    recipient: str(r, 'recipient'),
    stage: str(r, 'stage'),
    legalReference: str(r, 'legal_reference'),
    template: json<unknown>(r, 'template'),
    anchorKind: str(r, 'anchor_kind'),
    anchorAt: optStr(r, 'anchor_at'),
    hours: optReal(r, 'hours'),
    dueAt: optStr(r, 'due_at'),
    targetHours: optReal(r, 'target_hours'),
    targetAt: optStr(r, 'target_at'),
    required: str(r, 'required') as StoredObligation['required'],
    applicability: str(r, 'applicability') as StoredObligation['applicability'],
    active: num(r, 'active') === 1,
    createdAt: str(r, 'created_at'),
    updatedAt: str(r, 'updated_at'),
    firstFiledAt: optStr(r, 'first_filed_at'),
    lateByMs: optNum(r, 'late_by_ms'),
    delayReasons: optStr(r, 'delay_reasons'),
    filings: filings.filter((f) => num(f, 'obligation_id') === num(r, 'id')).map(filingFromRow),
  }));
}

const strip = ({ id: _id, ...o }: StoredObligation & { id: number }): StoredObligation => o;

export async function listObligations(ctx: StoreContext, ref: string): Promise<StoredObligation[]> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  return (await readObligations(ctx.driver, caseId)).map(strip);
}

/** The columns a sync may change, for comparison and the audit entry. */
function specColumns(s: ObligationSpec): Record<string, SqlValue> {
  return {
    recipient: s.recipient,
    legal_reference: s.legalReference,
    template: JSON.stringify(s.template),
    anchor_kind: s.anchorKind,
    anchor_at: s.anchorAt ?? null,
    hours: s.hours ?? null,
    due_at: s.dueAt ?? null,
    target_hours: s.targetHours ?? null,
    target_at: s.targetAt ?? null,
    required: s.required,
    applicability: s.applicability,
  };
}

function storedColumns(o: StoredObligation): Record<string, SqlValue> {
  return specColumns(o);
}

interface SyncPlan<T extends StoredObligation> {
  add: ObligationSpec[];
  update: { old: T; cols: Record<string, SqlValue>; changed: string[] }[];
  deactivate: T[];
}

function checkSpecs(specs: ObligationSpec[]): Set<string> {
  const keys = new Set<string>();
  for (const s of specs) {
    if (keys.has(s.key)) throw new Error(`obligation ${s.key} generated twice`);
    keys.add(s.key);
  }
  return keys;
}

/** What a sync would change, worked out without writing: the same plan the sync then carries out. */
function planSync<T extends StoredObligation>(existing: T[], specs: ObligationSpec[]): SyncPlan<T> {
  const keys = checkSpecs(specs);
  const byKey = new Map(existing.map((o) => [o.key, o]));
  const plan: SyncPlan<T> = { add: [], update: [], deactivate: [] };
  for (const s of specs) {
    const old = byKey.get(s.key);
    const cols = specColumns(s);
    if (!old) {
      plan.add.push(s);
      continue;
    }
    const before = storedColumns(old);
    // Filed obligations keep the clocks they were filed against.
    const changeable = old.firstFiledAt === undefined ? Object.keys(cols) : ['required', 'applicability'];
    const changed = changeable.filter((n) => before[n] !== cols[n]);
    if (changed.length > 0 || !old.active) plan.update.push({ old, cols, changed });
  }
  for (const old of existing) if (!keys.has(old.key) && old.active) plan.deactivate.push(old);
  return plan;
}

/** How many obligations a sync with these specs would add, change or retire (0: the stored ones are current). */
export function pendingObligationChanges(existing: StoredObligation[], specs: ObligationSpec[]): number {
  const plan = planSync(existing, specs);
  return plan.add.length + plan.update.length + plan.deactivate.length;
}

/**
 * Brings the case's obligations in line with what the rules generate now, in one transaction:
 * new ones are added (O1, O2, … in order), unfiled ones take the new clocks, filed ones keep the
 * clocks they were filed against, and ones no longer generated are marked inactive, not removed.
 */
export async function syncObligations(ctx: StoreContext, ref: string, specs: ObligationSpec[]): Promise<StoredObligation[]> {
  checkSpecs(specs);
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const existing = await readObligations(tx, resolved.caseId);
    const plan = planSync(existing, specs);
    const now = ctx.now();
    let next = existing.length;
    for (const s of plan.add) {
      const cols = specColumns(s);
      next += 1;
      const obRef = `O${next}`;
      const names = Object.keys(cols);
      await tx.run(
        `INSERT INTO obligations (case_id, ref, key, rule_id, stage, ${names.join(', ')}, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ${names.map(() => '?').join(', ')}, 1, ?, ?)`,
        [resolved.caseId, obRef, s.key, s.ruleId, s.stage, ...names.map((n) => cols[n] ?? null), now, now],
      );
      await appendAudit(tx, resolved.caseId, ctx.actor, now, {
        entity: 'obligation',
        entityId: obRef,
        action: 'create',
        after: { key: s.key, ...cols, template: s.template },
      });
    }
    for (const { old, cols, changed } of plan.update) {
      const before = storedColumns(old);
      const sets = [...changed.map((n) => `${n} = ?`), 'active = 1', 'updated_at = ?'];
      await tx.run(`UPDATE obligations SET ${sets.join(', ')} WHERE id = ?`, [...changed.map((n) => cols[n] ?? null), now, old.id]);
      await appendAudit(tx, resolved.caseId, ctx.actor, now, {
        entity: 'obligation',
        entityId: old.ref,
        action: old.active ? 'update' : 'reactivate',
        before: Object.fromEntries(changed.map((n) => [n, before[n]])),
        after: Object.fromEntries(changed.map((n) => [n, cols[n]])),
      });
    }
    for (const old of plan.deactivate) {
      await tx.run('UPDATE obligations SET active = 0, updated_at = ? WHERE id = ?', [now, old.id]);
      await appendAudit(tx, resolved.caseId, ctx.actor, now, {
        entity: 'obligation',
        entityId: old.ref,
        action: 'deactivate',
        before: { active: true },
        after: { active: false },
      });
    }
    return (await readObligations(tx, resolved.caseId)).map(strip);
  });
}

/**
 * The case's "first reported" time is the earliest notification sent: a filing sent before the one
 * recorded (or the first of all) moves it, with its own audit entry; a later filing leaves it.
 */
async function markFirstReported(tx: SqlRunner, ctx: StoreContext, caseId: number, caseRef: string, sentAt: string, now: string): Promise<void> {
  const row = await tx.get('SELECT first_reported_at FROM cases WHERE id = ?', [caseId]);
  const recorded = row ? optStr(row, 'first_reported_at') : undefined;
  if (recorded !== undefined && Date.parse(recorded) <= Date.parse(sentAt)) return;
  await tx.run('UPDATE cases SET first_reported_at = ? WHERE id = ?', [sentAt, caseId]);
  await appendAudit(tx, caseId, ctx.actor, now, {
    entity: 'case',
    entityId: caseRef,
    action: 'update',
    before: { first_reported_at: recorded ?? null },
    after: { first_reported_at: sentAt },
  });
}

export async function recordFiling(ctx: StoreContext, ref: string, input: NewFiling): Promise<{ filing: StoredFiling; obligation: StoredObligation }> {
  const sentAt = input.sentAt === undefined ? undefined : parseInstant(input.sentAt, 'sent at');
  const channel = input.channel?.trim() || 'other';
  if (!(FILING_CHANNELS as readonly string[]).includes(channel)) throw new CaseError(`channel "${channel}" is not one of: ${FILING_CHANNELS.join(', ')}`);
  const reference = input.reference?.trim() || null;
  const delayReasons = input.delayReasons?.trim() || null;
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const target = input.obligation.trim().toUpperCase();
    const obligations = await readObligations(tx, resolved.caseId);
    const ob = obligations.find((o) => o.ref === target);
    if (!ob) throw new CaseError(`case ${resolved.ref} has no obligation ${target} (see: exir obligations ${resolved.ref})`);
    const now = ctx.now();
    const at = sentAt ?? now;
    const first = ob.firstFiledAt === undefined;
    let lateByMs: number | null = null;
    if (first && ob.dueAt !== undefined) {
      const late = Date.parse(at) - Date.parse(ob.dueAt);
      if (late > 0) lateByMs = late;
    }
    if (lateByMs !== null && delayReasons === null) {
      const hours = Math.floor(lateByMs / 3_600_000);
      throw new CaseError(
        `this first filing of ${ob.ref} is ${hours} h ${Math.floor((lateByMs % 3_600_000) / 60_000)} min after its deadline ` +
          `(${ob.dueAt ?? ''}); the regulator must be given the reasons for the delay: add them (--delay-reasons "…")`,
      );
    }
    const seq = ob.filings.length + 1;
    await tx.run(
      `INSERT INTO filings (case_id, obligation_id, seq, channel, sent_at, sent_by, reference, content, delay_reasons, late_by_ms, recorded_by, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        resolved.caseId,
        ob.id,
        seq,
        channel,
        at,
        input.sentBy?.trim() || ctx.actor,
        reference,
        JSON.stringify(input.content ?? {}),
        delayReasons,
        lateByMs,
        ctx.actor,
        now,
      ],
    );
    if (first) {
      await tx.run('UPDATE obligations SET first_filed_at = ?, late_by_ms = ?, delay_reasons = ?, updated_at = ? WHERE id = ? AND first_filed_at IS NULL', [
        at,
        lateByMs,
        delayReasons,
        now,
        ob.id,
      ]);
    }
    // An entry in the firm's own breach register tells no one.
    if (channel !== 'register') await markFirstReported(tx, ctx, resolved.caseId, resolved.ref, at, now);
    await appendAudit(tx, resolved.caseId, ctx.actor, now, {
      entity: 'filing',
      entityId: `${ob.ref}#${seq}`,
      action: 'file',
      after: { obligation: ob.ref, key: ob.key, seq, channel, sentAt: at, reference, lateByMs, delayReasons },
    });
    const after = (await readObligations(tx, resolved.caseId)).find((o) => o.ref === ob.ref);
    const filing = after?.filings.find((f) => f.seq === seq);
    if (!after || !filing) throw new Error(`filing ${ob.ref}#${seq} vanished`);
    return { filing, obligation: strip(after) };
  });
}
