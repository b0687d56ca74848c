// Response actions: the playbook's steps copied into the case, each ticked off with who, when and a
// note. An action's history is append-only; its status is its latest event.

import { appendAudit } from './audit.js';
import { lockCase, resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { Row, SqlRunner } from './db/driver.js';
import { num, optStr, str } from './db/driver.js';
import { CaseError } from './errors.js';
import type { Playbook } from './playbook.js';
import { parseInstant } from './times.js';
import type { ActionEvent, ActionState, ActionStatus, ActionUpdate, NewAction } from './types.js';
import { ACTION_STATUSES } from './types.js';

export async function seedPlaybook(tx: SqlRunner, ctx: StoreContext, caseId: number, ref: string, playbook: Playbook, at: string): Promise<void> {
  const source = `playbook:${playbook.id}@${playbook.version}`;
  await tx.insertIgnoring(
    'actions',
    ['case_id', 'key', 'position', 'phase', 'title', 'detail', 'condition_text', 'source', 'created_at'],
    playbook.steps.map((s, i) => [caseId, s.id, i + 1, s.phase, s.title, s.detail, s.condition ?? null, source, at]),
  );
  await appendAudit(tx, caseId, ctx.actor, at, {
    entity: 'actions',
    entityId: ref,
    action: 'seed',
    after: { playbook: source, steps: playbook.steps.map((s) => s.id) },
  });
}

function eventFromRow(row: Row): ActionEvent {
  return {
    status: str(row, 'status') as ActionStatus,
    by: str(row, 'actor'),
    at: str(row, 'at'),
    note: optStr(row, 'note'),
    recordedBy: str(row, 'recorded_by'),
    recordedAt: str(row, 'recorded_at'),
  };
}

export async function readActions(run: SqlRunner, caseId: number): Promise<ActionState[]> {
  const actions = await run.all('SELECT * FROM actions WHERE case_id = ? ORDER BY position, id', [caseId]);
  const events = await run.all(`SELECT ev.* FROM action_events ev JOIN actions a ON a.id = ev.action_id WHERE a.case_id = ? ORDER BY ev.id`, [caseId]);
  const byAction = new Map<number, ActionEvent[]>();
  for (const e of events) {
    const id = num(e, 'action_id');
    const list = byAction.get(id) ?? [];
    list.push(eventFromRow(e));
    byAction.set(id, list);
  }
  return actions.map((a) => {
    const history = byAction.get(num(a, 'id')) ?? [];
    const last = history[history.length - 1];
    return {
      key: str(a, 'key'),
      phase: str(a, 'phase'),
      title: str(a, 'title'),
      detail: str(a, 'detail'),
      condition: optStr(a, 'condition_text'),
      source: str(a, 'source'),
      status: last?.status ?? 'open',
      last,
      history,
    };
  });
}

export async function listActions(ctx: StoreContext, ref: string): Promise<ActionState[]> {
  const resolved = await resolveCase(ctx.driver, ctx, ref);
  return readActions(ctx.driver, resolved.caseId);
}

function checkActionStatus(status: string): ActionStatus {
  if (!(ACTION_STATUSES as readonly string[]).includes(status)) {
    throw new CaseError(`action status "${status}" is not one of: ${ACTION_STATUSES.join(', ')}`);
  }
  return status as ActionStatus;
}

export async function updateAction(ctx: StoreContext, ref: string, key: string, update: ActionUpdate): Promise<ActionState> {
  const status = checkActionStatus(update.status);
  const note = update.note?.trim() || undefined;
  if (status === 'not-applicable' && !note) throw new CaseError('say why the action does not apply (--note)');
  const at = update.at === undefined ? undefined : parseInstant(update.at, 'action time');
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const row = await tx.get('SELECT id FROM actions WHERE case_id = ? AND key = ?', [resolved.caseId, key]);
    if (!row) throw new CaseError(`case ${resolved.ref} has no action "${key}" (see: exir case action ${resolved.ref})`);
    const before = (await readActions(tx, resolved.caseId)).find((a) => a.key === key);
    const now = ctx.now();
    const event: ActionEvent = { status, by: update.by?.trim() || ctx.actor, at: at ?? now, note, recordedBy: ctx.actor, recordedAt: now };
    await tx.run('INSERT INTO action_events (action_id, status, actor, at, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      num(row, 'id'),
      event.status,
      event.by,
      event.at,
      event.note ?? null,
      event.recordedBy,
      event.recordedAt,
    ]);
    await appendAudit(tx, resolved.caseId, ctx.actor, now, {
      entity: 'action',
      entityId: key,
      action: 'status',
      before: { status: before?.status ?? 'open' },
      after: { status: event.status, by: event.by, at: event.at, note: event.note },
    });
    const after = (await readActions(tx, resolved.caseId)).find((a) => a.key === key);
    if (!after) throw new Error(`action ${key} vanished`);
    return after;
  });
}

/** An action the playbook does not have; keyed A1, A2, … in the order added. */
export async function addAction(ctx: StoreContext, ref: string, input: NewAction): Promise<ActionState> {
  const title = input.title.trim();
  if (title === '') throw new CaseError('an action needs a title');
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const count = await tx.get("SELECT COUNT(*) AS n FROM actions WHERE case_id = ? AND source = 'custom'", [resolved.caseId]);
    const last = await tx.get('SELECT MAX(position) AS p FROM actions WHERE case_id = ?', [resolved.caseId]);
    const key = `A${(count ? num(count, 'n') : 0) + 1}`;
    const position = (last && last.p !== null ? num(last, 'p') : 0) + 1;
    const now = ctx.now();
    const phase = input.phase?.trim() || 'other';
    const detail = input.detail?.trim() || '';
    await tx.run(
      `INSERT INTO actions (case_id, key, position, phase, title, detail, condition_text, source, created_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, 'custom', ?)`,
      [resolved.caseId, key, position, phase, title, detail, now],
    );
    await appendAudit(tx, resolved.caseId, ctx.actor, now, { entity: 'action', entityId: key, action: 'add', after: { key, phase, title, detail } });
    const added = (await readActions(tx, resolved.caseId)).find((a) => a.key === key);
    if (!added) throw new Error(`action ${key} vanished`);
    return added;
  });
}
