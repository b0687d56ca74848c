// Firms (tenants) and cases: create, read, list, change. Every change is audited in the case's chain.

import { appendAudit } from './audit.js';
import { checkSlug, lockCase, parseRef, resolveCase, resolveFirm } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { Row, SqlRunner } from './db/driver.js';
import { json, num, optStr, str } from './db/driver.js';
import { CaseError } from './errors.js';
import { seedPlaybook } from './actions.js';
import { parseInstant } from './times.js';
import type { CaseFields, CaseListItem, CaseRecord, CaseStatus, Firm, IncidentTimes, NewCase, Registration } from './types.js';
import { CASE_STATUSES } from './types.js';

const TIME_FIELDS: (keyof IncidentTimes)[] = ['occurredFrom', 'occurredTo', 'detectedAt', 'awareAt', 'firstReportedAt'];
const TIME_LABELS: Record<string, string> = {
  occurredFrom: 'occurred from',
  occurredTo: 'occurred to',
  detectedAt: 'detected',
  awareAt: 'aware',
  firstReportedAt: 'first reported',
};

function firmFromRow(row: Row): Firm {
  return {
    slug: str(row, 'slug'),
    name: str(row, 'name'),
    registrations: json<Registration[]>(row, 'registrations'),
    dpo: optStr(row, 'dpo'),
  };
}

export async function readCase(run: SqlRunner, caseId: number): Promise<CaseRecord> {
  const row = await run.get(
    `SELECT c.*, f.slug, f.name AS firm_name, f.registrations, f.dpo
     FROM cases c JOIN firms f ON f.id = c.firm_id WHERE c.id = ?`,
    [caseId],
  );
  if (!row) throw new CaseError(`case ${caseId} not found`);
  const servers = await run.all('SELECT name FROM case_servers WHERE case_id = ? ORDER BY name_key', [caseId]);
  const firm = firmFromRow({ ...row, name: row.firm_name });
  const name = str(row, 'name');
  return {
    ref: `${firm.slug}/${name}`,
    name,
    firm,
    title: str(row, 'title'),
    status: str(row, 'status') as CaseStatus,
    occurredFrom: optStr(row, 'occurred_from'),
    occurredTo: optStr(row, 'occurred_to'),
    detectedAt: optStr(row, 'detected_at'),
    awareAt: optStr(row, 'aware_at'),
    awareReason: optStr(row, 'aware_reason'),
    firstReportedAt: optStr(row, 'first_reported_at'),
    servers: servers.map((s) => str(s, 'name')),
    createdAt: str(row, 'created_at'),
    createdBy: str(row, 'created_by'),
  };
}

function checkStatus(status: string): CaseStatus {
  if (!(CASE_STATUSES as readonly string[]).includes(status)) {
    throw new CaseError(`status "${status}" is not one of: ${CASE_STATUSES.join(', ')}`);
  }
  return status as CaseStatus;
}

/** The rules regulators apply to the clocks: aware is never before detected, and any gap is explained. */
function checkTimes(t: IncidentTimes): void {
  if (t.occurredFrom && t.occurredTo && t.occurredFrom > t.occurredTo) {
    throw new CaseError('the occurred window ends before it starts');
  }
  if (t.awareAt && t.detectedAt) {
    if (t.awareAt < t.detectedAt) throw new CaseError('aware cannot be earlier than detected');
    if (t.awareAt !== t.detectedAt && !t.awareReason) {
      throw new CaseError('aware differs from detected: give the reason in writing (--aware-reason)');
    }
  }
}

function nonEmpty(value: string, what: string): string {
  const s = value.trim();
  if (s === '') throw new CaseError(`${what} must not be empty`);
  return s;
}

/** Applies the changes to a copy of the record, checking each. */
function applyFields(base: CaseRecord, fields: CaseFields): CaseRecord {
  const next: CaseRecord = { ...base, firm: { ...base.firm, registrations: [...base.firm.registrations] }, servers: [...base.servers] };
  if (fields.title !== undefined) next.title = nonEmpty(fields.title, 'title');
  if (fields.status !== undefined) next.status = checkStatus(fields.status);
  for (const key of TIME_FIELDS) {
    const v = fields[key];
    if (v !== undefined) next[key] = parseInstant(v, TIME_LABELS[key] ?? key);
  }
  if (fields.awareReason !== undefined) next.awareReason = nonEmpty(fields.awareReason, 'aware reason');
  checkTimes(next);
  for (const server of fields.servers ?? []) {
    const s = nonEmpty(server, 'server name');
    if (!next.servers.some((x) => x.toLowerCase() === s.toLowerCase())) next.servers.push(s);
  }
  const firm = fields.firm;
  if (firm?.name !== undefined) next.firm.name = nonEmpty(firm.name, 'firm name');
  if (firm?.dpo !== undefined) next.firm.dpo = nonEmpty(firm.dpo, 'DPO');
  for (const reg of firm?.registrations ?? []) {
    const scheme = nonEmpty(reg.scheme, 'registration scheme').toUpperCase();
    const number = nonEmpty(reg.number, 'registration number');
    next.firm.registrations = [...next.firm.registrations.filter((r) => r.scheme !== scheme), { scheme, number }];
  }
  return next;
}

function caseColumns(r: CaseRecord): Record<string, string | null> {
  return {
    title: r.title,
    status: r.status,
    occurred_from: r.occurredFrom ?? null,
    occurred_to: r.occurredTo ?? null,
    detected_at: r.detectedAt ?? null,
    aware_at: r.awareAt ?? null,
    aware_reason: r.awareReason ?? null,
    first_reported_at: r.firstReportedAt ?? null,
  };
}

/** Only the fields that differ, for the audit entry's before and after. */
function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | undefined {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return Object.keys(a).length === 0 ? undefined : { before: b, after: a };
}

async function addServers(tx: SqlRunner, caseId: number, names: string[], at: string): Promise<void> {
  await tx.insertIgnoring(
    'case_servers',
    ['case_id', 'name', 'name_key', 'added_at'],
    names.map((n) => [caseId, n, n.toLowerCase(), at]),
  );
}

async function writeChanges(
  tx: SqlRunner,
  ctx: StoreContext,
  caseId: number,
  firmId: number,
  before: CaseRecord,
  after: CaseRecord,
  at: string,
): Promise<void> {
  const caseDiff = diff(caseColumns(before), caseColumns(after));
  if (caseDiff) {
    const cols = caseColumns(after);
    const names = Object.keys(caseDiff.after);
    await tx.run(`UPDATE cases SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`, [...names.map((n) => cols[n] ?? null), caseId]);
    await appendAudit(tx, caseId, ctx.actor, at, { entity: 'case', entityId: after.ref, action: 'update', ...caseDiff });
  }
  const firmCols = (f: Firm) => ({ name: f.name, registrations: f.registrations, dpo: f.dpo ?? null });
  const firmDiff = diff(firmCols(before.firm), firmCols(after.firm));
  if (firmDiff) {
    await tx.run('UPDATE firms SET name = ?, registrations = ?, dpo = ? WHERE id = ?', [
      after.firm.name,
      JSON.stringify(after.firm.registrations),
      after.firm.dpo ?? null,
      firmId,
    ]);
    await appendAudit(tx, caseId, ctx.actor, at, { entity: 'firm', entityId: after.firm.slug, action: 'update', ...firmDiff });
  }
  const added = after.servers.filter((s) => !before.servers.includes(s));
  if (added.length > 0) {
    await addServers(tx, caseId, added, at);
    await appendAudit(tx, caseId, ctx.actor, at, { entity: 'servers', entityId: after.ref, action: 'add', before: before.servers, after: after.servers });
  }
}

export async function createCase(ctx: StoreContext, input: NewCase): Promise<CaseRecord> {
  const parsed = parseRef(input.ref);
  const playbook = await ctx.playbook();
  return ctx.driver.transaction(async (tx) => {
    const firmSlug = await resolveFirm(tx, ctx, parsed.firm);
    if (firmSlug === undefined) throw new CaseError(`name the firm this case belongs to: FIRM/${parsed.name} (or --firm FIRM)`);
    checkSlug(firmSlug, 'firm');
    const at = ctx.now();
    // Two analysts opening the first cases of a new firm at once: one creates it, the other uses it.
    const firmIsNew =
      (await tx.run('INSERT INTO firms (slug, name, registrations, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING', [
        firmSlug,
        firmSlug,
        '[]',
        at,
      ])) > 0;
    const firmRow = await tx.get('SELECT * FROM firms WHERE slug = ?', [firmSlug]);
    if (!firmRow) throw new Error(`firm ${firmSlug} vanished`);
    const firmId = num(firmRow, 'id');
    const clash = await tx.get('SELECT id FROM cases WHERE firm_id = ? AND name = ?', [firmId, parsed.name]);
    if (clash) throw new CaseError(`case "${firmSlug}/${parsed.name}" already exists`);

    // Build the record first so every check runs before anything is written.
    const blank: CaseRecord = {
      ref: `${firmSlug}/${parsed.name}`,
      name: parsed.name,
      firm: firmFromRow(firmRow),
      title: nonEmpty(input.title, 'title'),
      status: 'triage',
      occurredFrom: undefined,
      occurredTo: undefined,
      detectedAt: undefined,
      awareAt: undefined,
      awareReason: undefined,
      firstReportedAt: undefined,
      servers: [],
      createdAt: at,
      createdBy: ctx.actor,
    };
    const record = applyFields(blank, input);
    const cols = caseColumns(record);
    const caseRow = await tx.get(
      `INSERT INTO cases (firm_id, name, title, status, occurred_from, occurred_to, detected_at, aware_at, aware_reason,
         first_reported_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        firmId,
        parsed.name,
        cols.title ?? '',
        cols.status ?? 'triage',
        cols.occurred_from ?? null,
        cols.occurred_to ?? null,
        cols.detected_at ?? null,
        cols.aware_at ?? null,
        cols.aware_reason ?? null,
        cols.first_reported_at ?? null,
        at,
        ctx.actor,
      ],
    );
    if (!caseRow) throw new Error('case insert returned nothing');
    const caseId = num(caseRow, 'id');
    await appendAudit(tx, caseId, ctx.actor, at, { entity: 'case', entityId: record.ref, action: 'create', after: caseColumns(record) });
    if (firmIsNew) {
      await appendAudit(tx, caseId, ctx.actor, at, { entity: 'firm', entityId: firmSlug, action: 'create', after: { slug: firmSlug } });
    }
    // The firm's details and the servers follow as changes of their own, so the chain shows each.
    await writeChanges(tx, ctx, caseId, firmId, { ...record, firm: firmFromRow(firmRow), servers: [] }, record, at);
    await seedPlaybook(tx, ctx, caseId, record.ref, playbook, at);
    return readCase(tx, caseId);
  });
}

export async function getCase(ctx: StoreContext, ref: string): Promise<CaseRecord> {
  const resolved = await resolveCase(ctx.driver, ctx, ref);
  return readCase(ctx.driver, resolved.caseId);
}

export async function updateCase(ctx: StoreContext, ref: string, fields: CaseFields): Promise<CaseRecord> {
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const before = await readCase(tx, resolved.caseId);
    const after = applyFields(before, fields);
    await writeChanges(tx, ctx, resolved.caseId, resolved.firmId, before, after, ctx.now());
    return readCase(tx, resolved.caseId);
  });
}

/** One firm's cases; every firm's only when asked for by `allFirms`. */
export async function listCases(ctx: StoreContext, opts: { firm?: string; allFirms?: boolean } = {}): Promise<CaseListItem[]> {
  const run = ctx.driver;
  let firm: string | undefined;
  if (opts.allFirms) {
    if (ctx.firmScope !== undefined) throw new CaseError(`this session is limited to firm "${ctx.firmScope}"; it cannot list every firm`);
  } else {
    firm = await resolveFirm(run, ctx, opts.firm === undefined ? undefined : checkSlug(opts.firm, 'firm'));
    if (firm === undefined) return [];
  }
  const rows = await run.all(
    `SELECT f.slug, c.name, c.title, c.status, c.created_at,
       (SELECT COUNT(*) FROM evidence e WHERE e.case_id = c.id) AS evidence,
       (SELECT COUNT(*) FROM findings x WHERE x.case_id = c.id) AS findings,
       (SELECT COUNT(*) FROM actions a WHERE a.case_id = c.id AND COALESCE(
          (SELECT ev.status FROM action_events ev WHERE ev.action_id = a.id ORDER BY ev.id DESC LIMIT 1), 'open')
          IN ('open', 'in-progress', 'blocked')) AS open_actions
     FROM cases c JOIN firms f ON f.id = c.firm_id
     ${firm === undefined ? '' : 'WHERE f.slug = ?'}
     ORDER BY f.slug, c.created_at, c.name`,
    firm === undefined ? [] : [firm],
  );
  return rows.map((r) => ({
    ref: `${str(r, 'slug')}/${str(r, 'name')}`,
    firm: str(r, 'slug'),
    title: str(r, 'title'),
    status: str(r, 'status') as CaseStatus,
    createdAt: str(r, 'created_at'),
    evidence: num(r, 'evidence'),
    findings: num(r, 'findings'),
    openActions: num(r, 'open_actions'),
  }));
}
