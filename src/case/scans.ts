// Stores a scan's result in a case, in one transaction: a scan killed half-way leaves the case as
// it was, and a rerun completes it. Files are known by their SHA-256 and findings by rule id +
// file SHA-256 + line + byte offset, so rescanning the same evidence adds nothing twice.

import type { EvidenceFile, Finding, ScanResult, Warning } from '../core/types.js';
import { appendAudit } from './audit.js';
import { BUILD_COLUMNS, buildRows } from './builds.js';
import { lockCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { SqlRunner, SqlValue } from './db/driver.js';
import { num, str } from './db/driver.js';
import { computeSeal } from './seal.js';
import { normaliseTime } from './times.js';
import type { RecordScanOutcome, ScanMeta } from './types.js';

/** Rows per insert; also how often progress is reported. */
const BATCH = 500;

const FILE_COLUMNS = [
  'case_id',
  'sha256',
  'path',
  'kind',
  'server',
  'size',
  'records',
  'bad_records',
  'first_time',
  'last_time',
  'bad_samples',
  'note',
  'first_scan_id',
];
const FINDING_COLUMNS = [
  'case_id',
  'rule_id',
  'evidence_sha256',
  'line',
  'byte_offset',
  'path',
  'title',
  'cves',
  'stage',
  'severity',
  'time',
  'server',
  'client_ip',
  'user_name',
  'fields',
  'benign',
  'first_scan_id',
];
const SERVER_COLUMNS = ['scan_id', 'name', 'verdict', 'first_activity', 'last_activity', 'attacker_ips', 'stage_counts', 'summary'];

async function counts(tx: SqlRunner, caseId: number): Promise<{ files: number; findings: number }> {
  const row = await tx.get(
    `SELECT (SELECT COUNT(*) FROM scanned_files WHERE case_id = ?) AS files, (SELECT COUNT(*) FROM findings WHERE case_id = ?) AS findings`,
    [caseId, caseId],
  );
  return { files: row ? num(row, 'files') : 0, findings: row ? num(row, 'findings') : 0 };
}

function fileRow(caseId: number, scanId: number, f: EvidenceFile): SqlValue[] {
  return [
    caseId,
    f.sha256,
    f.path,
    f.kind,
    f.server ?? null,
    f.size,
    f.records,
    f.badRecords,
    normaliseTime(f.firstTime) ?? null,
    normaliseTime(f.lastTime) ?? null,
    JSON.stringify(f.badSamples),
    f.note ?? null,
    scanId,
  ];
}

function findingRow(caseId: number, scanId: number, identity: string, f: Finding): SqlValue[] {
  return [
    caseId,
    f.ruleId,
    identity,
    f.origin.line,
    f.origin.offset,
    f.origin.path,
    f.title,
    JSON.stringify(f.cves),
    f.stage,
    f.severity,
    normaliseTime(f.time) ?? null,
    f.server,
    f.clientIp ?? null,
    f.user ?? null,
    JSON.stringify(f.fields),
    f.benign ?? null,
    scanId,
  ];
}

/** How many of the scan's files and findings the case does not hold yet (read under the case's lock). */
async function newRows(
  tx: SqlRunner,
  caseId: number,
  files: Map<string, EvidenceFile>,
  findings: Map<string, { identity: string; finding: Finding }>,
): Promise<{ files: number; findings: number }> {
  const shas = [...new Set([...files.keys(), ...[...findings.values()].map((f) => f.identity)])];
  const heldFiles = new Set<string>();
  const heldFindings = new Set<string>();
  for (let i = 0; i < shas.length; i += BATCH) {
    const batch = shas.slice(i, i + BATCH);
    const marks = batch.map(() => '?').join(', ');
    for (const r of await tx.all(`SELECT sha256 FROM scanned_files WHERE case_id = ? AND sha256 IN (${marks})`, [caseId, ...batch]))
      heldFiles.add(str(r, 'sha256'));
    const rows = await tx.all(`SELECT rule_id, evidence_sha256, line, byte_offset FROM findings WHERE case_id = ? AND evidence_sha256 IN (${marks})`, [
      caseId,
      ...batch,
    ]);
    for (const r of rows) heldFindings.add(JSON.stringify([str(r, 'rule_id'), str(r, 'evidence_sha256'), num(r, 'line'), num(r, 'byte_offset')]));
  }
  return {
    files: [...files.keys()].filter((sha) => !heldFiles.has(sha)).length,
    findings: [...findings.keys()].filter((key) => !heldFindings.has(key)).length,
  };
}

export async function recordScan(ctx: StoreContext, ref: string, result: ScanResult, meta: ScanMeta): Promise<RecordScanOutcome> {
  const warnings: Warning[] = [];
  // The same content may sit at two paths (two copies of a log); it is one file to the case.
  const files = new Map<string, EvidenceFile>();
  const shaByPath = new Map<string, string>();
  for (const f of result.evidence) {
    if (!files.has(f.sha256)) files.set(f.sha256, f);
    shaByPath.set(f.path, f.sha256);
  }
  const findings = new Map<string, { identity: string; finding: Finding }>();
  let unplaced = 0;
  for (const f of result.findings) {
    let identity = shaByPath.get(f.origin.path);
    if (identity === undefined) {
      // Without the file's hash the path is the best identity there is; it is said, not hidden.
      identity = `path:${f.origin.path}`;
      unplaced += 1;
      if (unplaced <= 10)
        warnings.push({ where: f.origin.path, message: "a finding names a file that is not in the scan's evidence list; it is stored under its path" });
    }
    if (f.time !== undefined && normaliseTime(f.time) === undefined) {
      warnings.push({ where: `${f.origin.path}:${f.origin.line}`, message: `unreadable finding time "${f.time}" stored as unknown` });
    }
    const key = JSON.stringify([f.ruleId, identity, f.origin.line, f.origin.offset]);
    if (!findings.has(key)) findings.set(key, { identity, finding: f });
  }
  if (unplaced > 10) warnings.push({ message: `${unplaced} findings in all name files that are not in the scan's evidence list` });

  const total = files.size + findings.size;
  return ctx.driver.transaction(async (tx) => {
    const resolved = await lockCase(tx, ctx, ref);
    const caseId = resolved.caseId;
    const at = ctx.now();
    const before = await counts(tx, caseId);
    // What is new is known before the scan row is written, so the row is written once and never
    // updated: the scans table is append-only like the rest of what a scan leaves.
    const predicted = await newRows(tx, caseId, files, findings);
    const scanRow = await tx.get(
      `INSERT INTO scans (case_id, recorded_at, actor, args, tool_version, scanned_at, rules_loaded, rules_failed,
         files_added, files_unchanged, findings_added, findings_unchanged, warnings)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        caseId,
        at,
        meta.actor,
        JSON.stringify(meta.args),
        result.tool.version,
        normaliseTime(result.scannedAt) ?? null,
        result.rules.loaded,
        result.rules.failed,
        predicted.files,
        files.size - predicted.files,
        predicted.findings,
        findings.size - predicted.findings,
        JSON.stringify([...result.warnings, ...warnings]),
      ],
    );
    if (!scanRow) throw new Error('scan insert returned nothing');
    const scanId = num(scanRow, 'id');

    let done = 0;
    let filesAdded = 0;
    const fileRows = [...files.values()].map((f) => fileRow(caseId, scanId, f));
    for (let i = 0; i < fileRows.length; i += BATCH) {
      const batch = fileRows.slice(i, i + BATCH);
      filesAdded += await tx.insertIgnoring('scanned_files', FILE_COLUMNS, batch);
      done += batch.length;
      await meta.progress?.(done, total);
    }
    let findingsAdded = 0;
    const findingRows = [...findings.values()].map((f) => findingRow(caseId, scanId, f.identity, f.finding));
    for (let i = 0; i < findingRows.length; i += BATCH) {
      const batch = findingRows.slice(i, i + BATCH);
      findingsAdded += await tx.insertIgnoring('findings', FINDING_COLUMNS, batch);
      done += batch.length;
      await meta.progress?.(done, total);
    }

    await tx.insertIgnoring(
      'scan_servers',
      SERVER_COLUMNS,
      result.servers.map((s) => [
        scanId,
        s.name,
        s.verdict,
        normaliseTime(s.firstActivity) ?? null,
        normaliseTime(s.lastActivity) ?? null,
        JSON.stringify(s.attackerIps),
        JSON.stringify(s.stageCounts),
        s.summary,
      ]),
    );
    await tx.insertIgnoring('scan_builds', BUILD_COLUMNS, buildRows(caseId, scanId, files.values()));
    // Sessions, mailboxes and coverage are the scan's reading of its evidence: kept per scan, as it said them.
    await tx.run('INSERT INTO scan_details (scan_id, case_id, sessions, mailboxes, mail, coverage, server_changes) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      scanId,
      caseId,
      JSON.stringify(result.sessions ?? []),
      JSON.stringify(result.mailboxes ?? []),
      JSON.stringify(result.mail ?? []),
      JSON.stringify(result.coverage ?? []),
      JSON.stringify(result.servers.map((s) => ({ name: s.name, wouldChange: s.wouldChange }))),
    ]);
    // A result with no context (an older exir's) has no row: "kept none" is not "none happened".
    if (result.context) await tx.run('INSERT INTO scan_context (scan_id, case_id, records) VALUES (?, ?, ?)', [scanId, caseId, JSON.stringify(result.context)]);
    const serverNames = [...new Set(result.servers.map((s) => s.name).filter((n) => n !== ''))];
    await tx.insertIgnoring(
      'case_servers',
      ['case_id', 'name', 'name_key', 'added_at'],
      serverNames.map((n) => [caseId, n, n.toLowerCase(), at]),
    );

    const outcome: RecordScanOutcome = {
      scanId,
      added: { evidence: filesAdded, findings: findingsAdded },
      unchanged: { evidence: files.size - filesAdded, findings: findings.size - findingsAdded },
      warnings,
    };
    if (filesAdded !== predicted.files || findingsAdded !== predicted.findings) {
      throw new Error(`the scan added ${filesAdded} files and ${findingsAdded} findings, not the ${predicted.files} and ${predicted.findings} foreseen`);
    }
    const { seal, rows } = await computeSeal(tx, scanId);
    const after = await counts(tx, caseId);
    await appendAudit(tx, caseId, meta.actor, at, {
      entity: 'scan',
      entityId: String(scanId),
      action: 'record',
      before,
      after: {
        ...after,
        added: outcome.added,
        unchanged: outcome.unchanged,
        servers: serverNames,
        args: meta.args,
        tool: result.tool.version,
        seal,
        sealedRows: rows,
      },
    });
    return outcome;
  });
}
