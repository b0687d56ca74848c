// A scan's seal: one SHA-256 over every row the scan wrote (its own row, the files and findings it
// added, its verdicts, sessions, mailboxes, coverage and context). It is computed from the rows as
// stored, at the end of the transaction that wrote them, and kept in that scan's audit entry, so
// the hash chain carries it. Recomputing it later shows whether any of those rows was edited,
// added or removed behind the store's back.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { Row, SqlRunner } from './db/driver.js';
import { num } from './db/driver.js';

/** Columns in a fixed order, never `*`: a later migration adding a column must not change old seals. */
const PARTS: { name: string; sql: string; optional?: true }[] = [
  {
    name: 'scan',
    sql: `SELECT recorded_at, actor, args, tool_version, scanned_at, rules_loaded, rules_failed, files_added, files_unchanged,
      findings_added, findings_unchanged, warnings FROM scans WHERE id = ?`,
  },
  {
    name: 'files',
    sql: `SELECT sha256, path, kind, server, size, records, bad_records, first_time, last_time, bad_samples, note
      FROM scanned_files WHERE first_scan_id = ?`,
  },
  {
    name: 'findings',
    sql: `SELECT rule_id, evidence_sha256, line, byte_offset, path, title, cves, stage, severity, time, server, client_ip,
      user_name, fields, benign FROM findings WHERE first_scan_id = ?`,
  },
  { name: 'verdicts', sql: `SELECT name, verdict, first_activity, last_activity, attacker_ips, stage_counts, summary FROM scan_servers WHERE scan_id = ?` },
  { name: 'details', sql: 'SELECT sessions, mailboxes, mail, coverage, server_changes FROM scan_details WHERE scan_id = ?' },
  { name: 'context', sql: 'SELECT records FROM scan_context WHERE scan_id = ?' },
  // Added with migration 9: hashed only when the scan wrote any, so the seals of older scans still hold.
  { name: 'builds', sql: 'SELECT server, build, source, seen_at, evidence_sha256, path FROM scan_builds WHERE scan_id = ?', optional: true },
];

/** The two engines hand back counts as number or bigint; both become a number, so a seal is the same on either. */
function plain(row: Row): unknown[] {
  return Object.values(row).map((v) => (typeof v === 'bigint' ? Number(v) : v));
}

/**
 * Rows are sorted by their own text, not by id or by the database's collation, so the seal does
 * not depend on insertion order or on the server's locale.
 */
export async function computeSeal(run: SqlRunner, scanId: number): Promise<{ seal: string; rows: number }> {
  const hash = createHash('sha256');
  let rows = 0;
  for (const part of PARTS) {
    const texts = (await run.all(part.sql, [scanId])).map((r) => canonicalJson(plain(r))).sort();
    rows += texts.length;
    if (part.optional && texts.length === 0) continue;
    hash.update(canonicalJson([part.name, texts]), 'utf8');
  }
  return { seal: hash.digest('hex'), rows };
}

interface SealProblem {
  scanId: number;
  reason: string;
}

export interface SealCheck {
  /** Scans whose seal was recomputed and held. */
  held: number;
  /** Scans recorded by an exir from before seals: nothing to check them against. */
  unsealed: number;
  problems: SealProblem[];
}

/** Each scan the audit log records is checked against its seal; a scan row the log does not know is a problem too. */
export async function checkSeals(run: SqlRunner, caseId: number, recorded: { scanId: number; seal: string | undefined }[]): Promise<SealCheck> {
  const out: SealCheck = { held: 0, unsealed: 0, problems: [] };
  const present = new Set((await run.all('SELECT id FROM scans WHERE case_id = ?', [caseId])).map((r) => num(r, 'id')));
  const known = new Set<number>();
  for (const { scanId, seal } of recorded) {
    known.add(scanId);
    if (!present.has(scanId)) {
      out.problems.push({ scanId, reason: `scan ${scanId} is in the audit log but its row is gone (removed behind the store's back)` });
      continue;
    }
    if (seal === undefined) {
      out.unsealed += 1;
      continue;
    }
    if ((await computeSeal(run, scanId)).seal === seal) out.held += 1;
    else out.problems.push({ scanId, reason: `scan ${scanId}'s findings, verdicts or details do not match its seal (rows were edited, added or removed)` });
  }
  for (const id of [...present].filter((p) => !known.has(p)).sort((a, b) => a - b)) {
    out.problems.push({ scanId: id, reason: `scan ${id} is not in the audit log (added behind the store's back)` });
  }
  return out;
}
