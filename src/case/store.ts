// The case store: one repository interface over two engines. SQLite (one file in the workspace, no
// server) is the default; PostgreSQL serves a team and the scale-out work. Both run the same
// repository code through a small driver, and the same test suite runs against both.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Coverage, MailboxTouch, ScanResult, Session } from '../core/types.js';
import { addAction, listActions, updateAction } from './actions.js';
import { listAssessments, recordAssessment } from './assessments.js';
import { checkAudit, readAudit } from './audit.js';
import { checkSlug, resolveCase } from './case-ref.js';
import { createCase, getCase, listCases, updateCase } from './cases.js';
import type { StoreContext } from './context.js';
import type { SqlDriver } from './db/driver.js';
import { migrate, schemaVersion, SchemaTooNewError } from './db/migrations.js';
import { openPgDriver } from './db/pg-driver.js';
import { openSqliteDriver } from './db/sqlite-driver.js';
import { decide, listDecisions } from './decisions.js';
import { CaseError } from './errors.js';
import { addEvidence, listEvidence, recordCustody, verifyEvidence } from './evidence.js';
import { findingFields, listFindings } from './findings.js';
import { listObligations, recordFiling, syncObligations } from './obligations.js';
import type { Playbook } from './playbook.js';
import { loadPlaybook } from './playbook.js';
import type { FindingRow, NewAssessment, NewFiling, ObligationSpec, StoredAssessment, StoredFiling, StoredObligation } from './regulatory-types.js';
import { listCoverage, listMailboxes, listSessions } from './scan-reach.js';
import { listBuilds } from './builds.js';
import { recordScan } from './scans.js';
import { caseStory } from './story.js';
import { readContext, type CaseContext } from './scan-context.js';
import type {
  BuildSighting,
  ActionState,
  ActionUpdate,
  AddedEvidence,
  AuditCheck,
  AuditEntry,
  CaseFields,
  CaseListItem,
  CaseRecord,
  CaseStory,
  CustodyEvent,
  Decision,
  EvidenceItem,
  EvidenceVerification,
  NewAction,
  NewCase,
  NewCustody,
  NewDecision,
  NewEvidence,
  RecordScanOutcome,
  ScanMeta,
  VerifyOptions,
} from './types.js';

export interface CaseStore {
  readonly engine: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  schemaVersion(): Promise<number>;

  createCase(input: NewCase): Promise<CaseRecord>;
  getCase(ref: string): Promise<CaseRecord>;
  updateCase(ref: string, fields: CaseFields): Promise<CaseRecord>;
  /** The session's firm's cases (or the only firm's); every firm's only with `allFirms`. */
  listCases(opts?: { firm?: string; allFirms?: boolean }): Promise<CaseListItem[]>;
  story(ref: string): Promise<CaseStory>;

  addEvidence(ref: string, input: NewEvidence): Promise<AddedEvidence>;
  listEvidence(ref: string): Promise<EvidenceItem[]>;
  recordCustody(ref: string, evidenceRef: string, input: NewCustody): Promise<CustodyEvent>;
  verifyEvidence(ref: string, opts?: VerifyOptions): Promise<EvidenceVerification[]>;

  /** One transaction: all of the scan or none of it. */
  recordScan(ref: string, result: ScanResult, meta: ScanMeta): Promise<RecordScanOutcome>;

  listActions(ref: string): Promise<ActionState[]>;
  updateAction(ref: string, key: string, update: ActionUpdate): Promise<ActionState>;
  addAction(ref: string, input: NewAction): Promise<ActionState>;

  decide(ref: string, input: NewDecision): Promise<Decision>;
  listDecisions(ref: string): Promise<Decision[]>;

  auditLog(ref: string): Promise<AuditEntry[]>;
  checkAudit(ref: string): Promise<AuditCheck>;

  /** Mailboxes the scans showed touched (highest level each), or undefined when no scan recorded the analysis. */
  listMailboxes(ref: string): Promise<MailboxTouch[] | undefined>;
  /** The newest recorded log coverage, or undefined when no scan recorded one. */
  listCoverage(ref: string): Promise<Coverage[] | undefined>;
  /** The fields one finding kept of its record (file, line, rule). */
  findingFields(ref: string, path: string, line: number, ruleId: string): Promise<Record<string, string> | undefined>;
  /** The Exchange build each scanned log names, oldest first. */
  listBuilds(ref: string): Promise<BuildSighting[]>;
  /** The attacker sessions of the newest scan that recorded any, or undefined when none did. */
  listSessions(ref: string): Promise<Session[] | undefined>;
  /** Every finding with its file, line and the file's SHA-256 (the evidence appendix). */
  listFindings(ref: string): Promise<FindingRow[]>;
  /** Logons, account changes and inbound mail the scans kept, and the mail they saw the attacker move. */
  readContext(ref: string): Promise<CaseContext>;
  /** Adds the next version of the breach assessment; earlier versions are kept unchanged. */
  recordAssessment(ref: string, input: NewAssessment): Promise<StoredAssessment>;
  listAssessments(ref: string): Promise<StoredAssessment[]>;
  /** Brings the obligations in line with the rules' output; none is ever deleted. */
  syncObligations(ref: string, specs: ObligationSpec[]): Promise<StoredObligation[]>;
  listObligations(ref: string): Promise<StoredObligation[]>;
  /** Appends a filing; the first fixes the obligation's lateness, and a late first filing needs its reasons. */
  recordFiling(ref: string, input: NewFiling): Promise<{ filing: StoredFiling; obligation: StoredObligation }>;

  close(): Promise<void>;
}

class SqlCaseStore implements CaseStore {
  constructor(
    readonly engine: 'sqlite' | 'postgres',
    private readonly ctx: StoreContext,
  ) {}

  get location(): string {
    return this.ctx.driver.location;
  }
  schemaVersion(): Promise<number> {
    return schemaVersion(this.ctx.driver);
  }
  createCase(input: NewCase): Promise<CaseRecord> {
    return createCase(this.ctx, input);
  }
  getCase(ref: string): Promise<CaseRecord> {
    return getCase(this.ctx, ref);
  }
  updateCase(ref: string, fields: CaseFields): Promise<CaseRecord> {
    return updateCase(this.ctx, ref, fields);
  }
  listCases(opts?: { firm?: string; allFirms?: boolean }): Promise<CaseListItem[]> {
    return listCases(this.ctx, opts);
  }
  story(ref: string): Promise<CaseStory> {
    return caseStory(this.ctx, ref);
  }
  addEvidence(ref: string, input: NewEvidence): Promise<AddedEvidence> {
    return addEvidence(this.ctx, ref, input);
  }
  listEvidence(ref: string): Promise<EvidenceItem[]> {
    return listEvidence(this.ctx, ref);
  }
  recordCustody(ref: string, evidenceRef: string, input: NewCustody): Promise<CustodyEvent> {
    return recordCustody(this.ctx, ref, evidenceRef, input);
  }
  verifyEvidence(ref: string, opts?: VerifyOptions): Promise<EvidenceVerification[]> {
    return verifyEvidence(this.ctx, ref, opts);
  }
  recordScan(ref: string, result: ScanResult, meta: ScanMeta): Promise<RecordScanOutcome> {
    return recordScan(this.ctx, ref, result, meta);
  }
  listActions(ref: string): Promise<ActionState[]> {
    return listActions(this.ctx, ref);
  }
  updateAction(ref: string, key: string, update: ActionUpdate): Promise<ActionState> {
    return updateAction(this.ctx, ref, key, update);
  }
  addAction(ref: string, input: NewAction): Promise<ActionState> {
    return addAction(this.ctx, ref, input);
  }
  decide(ref: string, input: NewDecision): Promise<Decision> {
    return decide(this.ctx, ref, input);
  }
  listDecisions(ref: string): Promise<Decision[]> {
    return listDecisions(this.ctx, ref);
  }

  async auditLog(ref: string): Promise<AuditEntry[]> {
    const { caseId } = await resolveCase(this.ctx.driver, this.ctx, ref);
    return readAudit(this.ctx.driver, caseId);
  }

  async checkAudit(ref: string): Promise<AuditCheck> {
    const { caseId } = await resolveCase(this.ctx.driver, this.ctx, ref);
    return checkAudit(this.ctx.driver, caseId);
  }

  listMailboxes(ref: string): Promise<MailboxTouch[] | undefined> {
    return listMailboxes(this.ctx, ref);
  }
  listCoverage(ref: string): Promise<Coverage[] | undefined> {
    return listCoverage(this.ctx, ref);
  }

  findingFields(ref: string, path: string, line: number, ruleId: string): Promise<Record<string, string> | undefined> {
    return findingFields(this.ctx, ref, path, line, ruleId);
  }

  listBuilds(ref: string): Promise<BuildSighting[]> {
    return listBuilds(this.ctx, ref);
  }
  listSessions(ref: string): Promise<Session[] | undefined> {
    return listSessions(this.ctx, ref);
  }
  listFindings(ref: string): Promise<FindingRow[]> {
    return listFindings(this.ctx, ref);
  }
  readContext(ref: string): Promise<CaseContext> {
    return readContext(this.ctx, ref);
  }
  recordAssessment(ref: string, input: NewAssessment): Promise<StoredAssessment> {
    return recordAssessment(this.ctx, ref, input);
  }
  listAssessments(ref: string): Promise<StoredAssessment[]> {
    return listAssessments(this.ctx, ref);
  }
  syncObligations(ref: string, specs: ObligationSpec[]): Promise<StoredObligation[]> {
    return syncObligations(this.ctx, ref, specs);
  }
  listObligations(ref: string): Promise<StoredObligation[]> {
    return listObligations(this.ctx, ref);
  }
  recordFiling(ref: string, input: NewFiling): Promise<{ filing: StoredFiling; obligation: StoredObligation }> {
    return recordFiling(this.ctx, ref, input);
  }

  close(): Promise<void> {
    return this.ctx.driver.close();
  }
}

export interface OpenOptions {
  /** Folder holding the SQLite file; default `EXIR_WORKSPACE` or `./.exir`. */
  workspace?: string;
  /** Who is acting; default `EXIR_ACTOR` or the login name. */
  actor?: string;
  /** Limit the session to one firm's cases; default `EXIR_FIRM`. */
  firm?: string;
  /** Migrate only this far (tests of upgrades from older stores). */
  schemaUpTo?: number;
  /** The playbook new cases start with; default data/playbook/exchange-compromise.yml. */
  playbook?: Playbook;
  /** The clock; tests fix it. */
  now?: () => string;
}

export const DEFAULT_WORKSPACE = '.exir';
export const DB_FILE = 'exir.db';

function defaultActor(): string {
  const env = process.env.EXIR_ACTOR?.trim();
  if (env) return env;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Which engine and where: a postgres:// URL, `sqlite:FILE`, or nothing for the workspace's file. */
export function storeTarget(url: string | undefined, workspace: string | undefined): { engine: 'sqlite' | 'postgres'; target: string } {
  const given = url ?? (process.env.EXIR_DB?.trim() || undefined);
  if (given === undefined) {
    const dir = resolve(workspace ?? (process.env.EXIR_WORKSPACE?.trim() || DEFAULT_WORKSPACE));
    return { engine: 'sqlite', target: join(dir, DB_FILE) };
  }
  if (/^postgres(ql)?:\/\//i.test(given)) return { engine: 'postgres', target: given };
  if (/^sqlite:/i.test(given)) return { engine: 'sqlite', target: resolve(given.slice('sqlite:'.length)) };
  throw new CaseError('--db must be a postgres://… URL or sqlite:FILE (or leave it out for the SQLite file in the workspace)');
}

/**
 * SQLite makes a new, empty store for a missing or 0-byte file without a word. Where a store
 * existed (its journal files are still there) or the file was emptied, that would hide the loss.
 */
function refuseLostStore(file: string): void {
  let size: number | undefined;
  try {
    size = statSync(file).size;
  } catch {
    size = undefined;
  }
  if (size === 0) {
    throw new CaseError(
      `the case store ${file} is empty (0 bytes): it was truncated or never finished. Restore it from a backup; exir will not start a new store in its place`,
    );
  }
  if (size === undefined && (existsSync(`${file}-wal`) || existsSync(`${file}-shm`))) {
    throw new CaseError(
      `the case store ${file} is missing but its journal (${file}-wal or -shm) is still there: the store was deleted or moved. Restore it; exir will not start a new store in its place`,
    );
  }
}

export async function openStore(url?: string, opts: OpenOptions = {}): Promise<CaseStore> {
  const { engine, target } = storeTarget(url, opts.workspace);
  let driver: SqlDriver;
  if (engine === 'sqlite') {
    // The case holds personal data and evidence paths: owner-only on first creation.
    mkdirSync(join(target, '..'), { recursive: true, mode: 0o700 });
    refuseLostStore(target);
    driver = openSqliteDriver(target);
  } else {
    driver = await openPgDriver(target);
  }
  try {
    await migrate(driver, opts.schemaUpTo);
  } catch (err) {
    await driver.close().catch(() => undefined);
    if (err instanceof SchemaTooNewError || err instanceof CaseError) throw err;
    throw new CaseError(`cannot use the case store at ${driver.location}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const scope = opts.firm ?? (process.env.EXIR_FIRM?.trim() || undefined);
  let playbook = opts.playbook;
  const ctx: StoreContext = {
    driver,
    actor: opts.actor?.trim() || defaultActor(),
    firmScope: scope === undefined ? undefined : checkSlug(scope, 'firm'),
    now: opts.now ?? (() => new Date().toISOString()),
    playbook: async () => (playbook ??= await loadPlaybook()),
  };
  return new SqlCaseStore(engine, ctx);
}
