// Every change in a case is written here in the same transaction as the change itself. Each entry
// carries the hash of the one before, and the case row keeps the head, so editing, removing or
// reordering a row breaks the chain where it happened.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Row, SqlRunner } from './db/driver.js';
import { num, optStr, str } from './db/driver.js';
import { checkSeals } from './seal.js';
import type { AuditCheck, AuditEntry } from './types.js';

export interface AuditChange {
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** An entry as hashed: the public entry's fields, with before/after as the canonical JSON stored. */
interface StoredEntry extends Omit<AuditEntry, 'before' | 'after' | 'hash'> {
  /** `firm/case`, not the row id, so a case moved to another store (SQLite to PostgreSQL) keeps a valid chain. */
  caseRef: string;
  beforeJson: string | null;
  afterJson: string | null;
}

export function entryHash(e: StoredEntry): string {
  const material = JSON.stringify([e.caseRef, e.seq, e.at, e.actor, e.entity, e.entityId, e.action, e.beforeJson, e.afterJson, e.prevHash]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

/** Appends one entry; the caller holds the case's write lock (the transaction it runs in). */
export async function appendAudit(tx: SqlRunner, caseId: number, actor: string, at: string, change: AuditChange): Promise<void> {
  const head = await caseHead(tx, caseId);
  if (!head) throw new Error(`case ${caseId} vanished during its own transaction`);
  const entry: StoredEntry = {
    caseRef: head.ref,
    seq: head.seq + 1,
    at,
    actor,
    entity: change.entity,
    entityId: change.entityId,
    action: change.action,
    beforeJson: change.before === undefined ? null : canonicalJson(change.before),
    afterJson: change.after === undefined ? null : canonicalJson(change.after),
    prevHash: head.hash,
  };
  const hash = entryHash(entry);
  await tx.run(
    `INSERT INTO audit_log (case_id, seq, at, actor, entity, entity_id, action, before_json, after_json, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [caseId, entry.seq, at, actor, entry.entity, entry.entityId, entry.action, entry.beforeJson, entry.afterJson, entry.prevHash, hash],
  );
  await tx.run('UPDATE cases SET audit_seq = ?, audit_head = ? WHERE id = ?', [entry.seq, hash, caseId]);
}

async function caseHead(run: SqlRunner, caseId: number): Promise<{ ref: string; seq: number; hash: string } | undefined> {
  const row = await run.get('SELECT f.slug, c.name, c.audit_seq, c.audit_head FROM cases c JOIN firms f ON f.id = c.firm_id WHERE c.id = ?', [caseId]);
  return row && { ref: `${str(row, 'slug')}/${str(row, 'name')}`, seq: num(row, 'audit_seq'), hash: str(row, 'audit_head') };
}

function stored(caseRef: string, row: Row): StoredEntry & { hash: string } {
  return {
    caseRef,
    seq: num(row, 'seq'),
    at: str(row, 'at'),
    actor: str(row, 'actor'),
    entity: str(row, 'entity'),
    entityId: str(row, 'entity_id'),
    action: str(row, 'action'),
    beforeJson: optStr(row, 'before_json') ?? null,
    afterJson: optStr(row, 'after_json') ?? null,
    prevHash: str(row, 'prev_hash'),
    hash: str(row, 'hash'),
  };
}

const AUDIT_COLUMNS = 'seq, at, actor, entity, entity_id, action, before_json, after_json, prev_hash, hash';

export async function readAudit(run: SqlRunner, caseId: number): Promise<AuditEntry[]> {
  const rows = await run.all(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE case_id = ? ORDER BY seq`, [caseId]);
  return rows.map((row) => {
    const e = stored('', row);
    return {
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      entity: e.entity,
      entityId: e.entityId,
      action: e.action,
      before: e.beforeJson === null ? undefined : (JSON.parse(e.beforeJson) as unknown),
      after: e.afterJson === null ? undefined : (JSON.parse(e.afterJson) as unknown),
      prevHash: e.prevHash,
      hash: e.hash,
    };
  });
}

function isScanRecord(row: Row, scanId?: number): boolean {
  return row.entity === 'scan' && row.action === 'record' && (scanId === undefined || row.entity_id === String(scanId));
}

/** The scans the log says were recorded, with the seal each entry carries (none from before seals). */
function scanRecords(rows: Row[]): { scanId: number; seal: string | undefined }[] {
  return rows
    .filter((r) => isScanRecord(r))
    .map((r) => {
      const after = r.after_json === null || r.after_json === undefined ? {} : (JSON.parse(str(r, 'after_json')) as { seal?: unknown });
      return { scanId: Number(str(r, 'entity_id')), seal: typeof after.seal === 'string' ? after.seal : undefined };
    });
}

/** Recomputes every hash from the stored columns and walks the chain to the head the case row holds. */
export async function checkAudit(run: SqlRunner, caseId: number): Promise<AuditCheck> {
  const problems: AuditCheck['problems'] = [];
  const head = await caseHead(run, caseId);
  if (!head) throw new Error(`case ${caseId} not found`);
  const rows = await run.all(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE case_id = ? ORDER BY seq`, [caseId]);
  let prev = '';
  let expectedSeq = 1;
  for (const row of rows) {
    const e = stored(head.ref, row);
    if (e.seq !== expectedSeq) problems.push({ seq: e.seq, reason: `entry ${expectedSeq} is missing (next is ${e.seq})` });
    if (e.prevHash !== prev) problems.push({ seq: e.seq, reason: 'does not follow from the entry before it (removed, reordered or edited)' });
    if (entryHash(e) !== e.hash) problems.push({ seq: e.seq, reason: 'its content does not match its hash (the row was edited)' });
    prev = e.hash;
    expectedSeq = e.seq + 1;
  }
  if (head.seq !== rows.length) problems.push({ seq: undefined, reason: `the case records ${head.seq} entries but ${rows.length} are present` });
  if (head.hash !== prev) problems.push({ seq: undefined, reason: 'the last entry is not the head the case records' });
  const seals = await checkSeals(run, caseId, scanRecords(rows));
  for (const p of seals.problems) {
    const entry = rows.find((r) => isScanRecord(r, p.scanId));
    problems.push({ seq: entry ? num(entry, 'seq') : undefined, reason: p.reason });
  }
  return { intact: problems.length === 0, entries: rows.length, head: prev, problems, seals: { held: seals.held, unsealed: seals.unsealed } };
}
