// Versioned schema. A migration is never edited once released: later changes come as new versions.
// Scans will bring sessions, mailboxes, timeline and coverage; each arrives as a further version here.

import type { Dialect, SqlDriver, SqlRunner } from './driver.js';
import { num } from './driver.js';

interface Migration {
  version: number;
  name: string;
  statements(dialect: Dialect): string[];
}

const TYPES: Record<Dialect, Record<string, string>> = {
  sqlite: { pk: 'INTEGER PRIMARY KEY AUTOINCREMENT', time: 'TEXT', int: 'INTEGER', ref: 'INTEGER' },
  postgres: { pk: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', time: 'TIMESTAMPTZ', int: 'BIGINT', ref: 'BIGINT' },
};

/** DDL is written once with `{pk}`, `{time}`, `{int}`, `{ref}` for the types the two engines spell differently. */
function ddl(dialect: Dialect, text: string): string[] {
  const filled = text.replace(/\{(\w+)\}/g, (m, key: string) => TYPES[dialect][key] ?? m);
  return filled
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Rows of these tables may be added, never changed or removed. */
function appendOnly(dialect: Dialect, tables: string[]): string[] {
  if (dialect === 'sqlite') {
    return tables.flatMap((t) =>
      ['UPDATE', 'DELETE'].map((op) => `CREATE TRIGGER ${t}_no_${op.toLowerCase()} BEFORE ${op} ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END`),
    );
  }
  return [
    `CREATE OR REPLACE FUNCTION exir_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
    ...tables.flatMap((t) => [
      `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION exir_append_only()`,
      `CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION exir_append_only()`,
    ]),
  ];
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'firms, cases, servers, evidence register, custody log, audit chain',
    statements: (d) => [
      ...ddl(
        d,
        `
        CREATE TABLE firms (
          id {pk},
          slug TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          registrations TEXT NOT NULL DEFAULT '[]',
          dpo TEXT,
          created_at {time} NOT NULL
        );
        CREATE TABLE cases (
          id {pk},
          firm_id {ref} NOT NULL REFERENCES firms(id),
          name TEXT NOT NULL,
          title TEXT NOT NULL,
          status TEXT NOT NULL,
          occurred_from {time},
          occurred_to {time},
          detected_at {time},
          aware_at {time},
          aware_reason TEXT,
          first_reported_at {time},
          created_at {time} NOT NULL,
          created_by TEXT NOT NULL,
          audit_seq {int} NOT NULL DEFAULT 0,
          audit_head TEXT NOT NULL DEFAULT '',
          UNIQUE (firm_id, name)
        );
        CREATE TABLE case_servers (
          id {pk},
          case_id {ref} NOT NULL REFERENCES cases(id),
          name TEXT NOT NULL,
          name_key TEXT NOT NULL,
          added_at {time} NOT NULL,
          UNIQUE (case_id, name_key)
        );
        CREATE TABLE evidence (
          id {pk},
          case_id {ref} NOT NULL REFERENCES cases(id),
          ref TEXT NOT NULL,
          kind TEXT NOT NULL,
          location TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          size {int} NOT NULL,
          file_count {int} NOT NULL,
          source TEXT,
          collected_by TEXT,
          collected_at {time},
          note TEXT,
          added_by TEXT NOT NULL,
          added_at {time} NOT NULL,
          UNIQUE (case_id, ref)
        );
        CREATE TABLE evidence_files (
          id {pk},
          evidence_id {ref} NOT NULL REFERENCES evidence(id),
          relpath TEXT NOT NULL,
          size {int} NOT NULL,
          sha256 TEXT NOT NULL,
          UNIQUE (evidence_id, relpath)
        );
        CREATE TABLE custody_events (
          id {pk},
          evidence_id {ref} NOT NULL REFERENCES evidence(id),
          at {time} NOT NULL,
          action TEXT NOT NULL,
          actor TEXT NOT NULL,
          from_party TEXT,
          to_party TEXT,
          outcome TEXT,
          note TEXT,
          recorded_at {time} NOT NULL
        );
        CREATE INDEX custody_events_evidence ON custody_events (evidence_id);
        CREATE TABLE audit_log (
          id {pk},
          case_id {ref} NOT NULL REFERENCES cases(id),
          seq {int} NOT NULL,
          at {time} NOT NULL,
          actor TEXT NOT NULL,
          entity TEXT NOT NULL,
          entity_id TEXT NOT NULL,
          action TEXT NOT NULL,
          before_json TEXT,
          after_json TEXT,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL,
          UNIQUE (case_id, seq)
        )`,
      ),
      ...appendOnly(d, ['evidence', 'evidence_files', 'custody_events', 'audit_log']),
    ],
  },
  {
    version: 2,
    name: 'scans: scanned files, findings, server verdicts',
    statements: (d) =>
      ddl(
        d,
        `
      CREATE TABLE scans (
        id {pk},
        case_id {ref} NOT NULL REFERENCES cases(id),
        recorded_at {time} NOT NULL,
        actor TEXT NOT NULL,
        args TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        scanned_at {time},
        rules_loaded {int} NOT NULL,
        rules_failed {int} NOT NULL,
        files_added {int} NOT NULL DEFAULT 0,
        files_unchanged {int} NOT NULL DEFAULT 0,
        findings_added {int} NOT NULL DEFAULT 0,
        findings_unchanged {int} NOT NULL DEFAULT 0,
        warnings TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE scanned_files (
        id {pk},
        case_id {ref} NOT NULL REFERENCES cases(id),
        sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        server TEXT,
        size {int} NOT NULL,
        records {int} NOT NULL,
        bad_records {int} NOT NULL,
        first_time {time},
        last_time {time},
        bad_samples TEXT NOT NULL,
        note TEXT,
        first_scan_id {ref} NOT NULL REFERENCES scans(id),
        UNIQUE (case_id, sha256)
      );
      CREATE TABLE findings (
        id {pk},
        case_id {ref} NOT NULL REFERENCES cases(id),
        rule_id TEXT NOT NULL,
        evidence_sha256 TEXT NOT NULL,
        line {int} NOT NULL,
        byte_offset {int} NOT NULL,
        path TEXT NOT NULL,
        title TEXT NOT NULL,
        cves TEXT NOT NULL,
        stage TEXT NOT NULL,
        severity TEXT NOT NULL,
        time {time},
        server TEXT NOT NULL,
        client_ip TEXT,
        user_name TEXT,
        fields TEXT NOT NULL,
        benign TEXT,
        first_scan_id {ref} NOT NULL REFERENCES scans(id),
        UNIQUE (case_id, rule_id, evidence_sha256, line, byte_offset)
      );
      CREATE INDEX findings_case_server ON findings (case_id, server);
      CREATE TABLE scan_servers (
        id {pk},
        scan_id {ref} NOT NULL REFERENCES scans(id),
        name TEXT NOT NULL,
        verdict TEXT NOT NULL,
        first_activity {time},
        last_activity {time},
        attacker_ips TEXT NOT NULL,
        stage_counts TEXT NOT NULL,
        summary TEXT NOT NULL
      )`,
      ),
  },
  {
    version: 3,
    name: 'response: playbook actions and their history, decisions',
    statements: (d) => [
      ...ddl(
        d,
        `
        CREATE TABLE actions (
          id {pk},
          case_id {ref} NOT NULL REFERENCES cases(id),
          key TEXT NOT NULL,
          position {int} NOT NULL,
          phase TEXT NOT NULL,
          title TEXT NOT NULL,
          detail TEXT NOT NULL,
          condition_text TEXT,
          source TEXT NOT NULL,
          created_at {time} NOT NULL,
          UNIQUE (case_id, key)
        );
        CREATE TABLE action_events (
          id {pk},
          action_id {ref} NOT NULL REFERENCES actions(id),
          status TEXT NOT NULL,
          actor TEXT NOT NULL,
          at {time} NOT NULL,
          note TEXT,
          recorded_by TEXT NOT NULL,
          recorded_at {time} NOT NULL
        );
        CREATE INDEX action_events_action ON action_events (action_id);
        CREATE TABLE decisions (
          id {pk},
          case_id {ref} NOT NULL REFERENCES cases(id),
          ref TEXT NOT NULL,
          kind TEXT NOT NULL,
          decision TEXT NOT NULL,
          rationale TEXT NOT NULL,
          evidence_refs TEXT NOT NULL,
          decided_by TEXT NOT NULL,
          decided_at {time} NOT NULL,
          approved_by TEXT,
          supersedes_id {ref} REFERENCES decisions(id),
          recorded_by TEXT NOT NULL,
          recorded_at {time} NOT NULL,
          UNIQUE (case_id, ref),
          UNIQUE (supersedes_id)
        )`,
      ),
      ...appendOnly(d, ['action_events', 'decisions']),
    ],
  },
  {
    version: 4,
    name: 'regulatory: versioned breach assessments, obligations with their clocks, append-only filings',
    statements: (d) => {
      const real = d === 'postgres' ? 'DOUBLE PRECISION' : 'REAL';
      return [
        ...ddl(
          d,
          `
          CREATE TABLE breach_assessments (
            id {pk},
            case_id {ref} NOT NULL REFERENCES cases(id),
            version {int} NOT NULL,
            answers TEXT NOT NULL,
            result TEXT NOT NULL,
            conclusion TEXT,
            level TEXT,
            assessed_by TEXT NOT NULL,
            assessed_at {time} NOT NULL,
            UNIQUE (case_id, version)
          );
          CREATE TABLE obligations (
            id {pk},
            case_id {ref} NOT NULL REFERENCES cases(id),
            ref TEXT NOT NULL,
            key TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            recipient TEXT NOT NULL,
            stage TEXT NOT NULL,
            legal_reference TEXT NOT NULL,
            template TEXT NOT NULL,
            anchor_kind TEXT NOT NULL,
            anchor_at {time},
            hours ${real},
            due_at {time},
            target_hours ${real},
            target_at {time},
            required TEXT NOT NULL,
            applicability TEXT NOT NULL,
            active {int} NOT NULL,
            created_at {time} NOT NULL,
            updated_at {time} NOT NULL,
            first_filed_at {time},
            late_by_ms {int},
            delay_reasons TEXT,
            UNIQUE (case_id, key),
            UNIQUE (case_id, ref)
          );
          CREATE TABLE filings (
            id {pk},
            case_id {ref} NOT NULL REFERENCES cases(id),
            obligation_id {ref} NOT NULL REFERENCES obligations(id),
            seq {int} NOT NULL,
            channel TEXT NOT NULL,
            sent_at {time} NOT NULL,
            sent_by TEXT NOT NULL,
            reference TEXT,
            content TEXT NOT NULL,
            delay_reasons TEXT,
            late_by_ms {int},
            recorded_by TEXT NOT NULL,
            recorded_at {time} NOT NULL,
            UNIQUE (obligation_id, seq)
          )`,
        ),
        ...appendOnly(d, ['breach_assessments', 'filings']),
      ];
    },
  },
  {
    version: 5,
    name: 'what each scan found happened: attacker sessions, mailboxes reached, mail moved, coverage of the evidence',
    statements: (d) => [
      ...ddl(
        d,
        `
        CREATE TABLE scan_details (
          scan_id {ref} PRIMARY KEY REFERENCES scans(id),
          case_id {ref} NOT NULL REFERENCES cases(id),
          sessions TEXT NOT NULL,
          mailboxes TEXT NOT NULL,
          mail TEXT NOT NULL,
          coverage TEXT NOT NULL,
          server_changes TEXT NOT NULL
        )`,
      ),
      ...appendOnly(d, ['scan_details']),
    ],
  },
  {
    version: 6,
    name: 'what each scan kept as context: logons, account and right changes, inbound mail (for credentials and phishing)',
    statements: (d) => [
      ...ddl(
        d,
        `
        CREATE TABLE scan_context (
          scan_id {ref} PRIMARY KEY REFERENCES scans(id),
          case_id {ref} NOT NULL REFERENCES cases(id),
          records TEXT NOT NULL
        )`,
      ),
      ...appendOnly(d, ['scan_context']),
    ],
  },
  {
    version: 7,
    name: 'a decision per obligation: required, not required, or an exception with its ground; when it was approved',
    statements: (d) =>
      ddl(
        d,
        `
      ALTER TABLE decisions ADD COLUMN obligation_ref TEXT;
      ALTER TABLE decisions ADD COLUMN outcome TEXT;
      ALTER TABLE decisions ADD COLUMN ground TEXT;
      ALTER TABLE decisions ADD COLUMN approved_at {time}`,
      ),
  },
  {
    version: 8,
    name: 'what a scan wrote is append-only: scans, scanned files, findings, verdicts',
    statements: (d) => appendOnly(d, ['scans', 'scanned_files', 'findings', 'scan_servers']),
  },
  {
    version: 9,
    name: 'the Exchange build each scanned log names, with its server and the time of the record that names it: the patch history of the case',
    statements: (d) => [
      ...ddl(
        d,
        `
        CREATE TABLE scan_builds (
          id {pk},
          scan_id {ref} NOT NULL REFERENCES scans(id),
          case_id {ref} NOT NULL REFERENCES cases(id),
          server TEXT NOT NULL,
          build TEXT NOT NULL,
          source TEXT NOT NULL,
          seen_at {time} NOT NULL,
          evidence_sha256 TEXT NOT NULL,
          path TEXT NOT NULL,
          UNIQUE (case_id, evidence_sha256)
        );
        CREATE INDEX scan_builds_case ON scan_builds (case_id)`,
      ),
      ...appendOnly(d, ['scan_builds']),
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {}

/** Any two processes opening the same PostgreSQL database migrate one after the other. */
const PG_MIGRATION_LOCK = 6_006_2021;

export async function schemaVersion(run: SqlRunner): Promise<number> {
  const row = await run.get('SELECT MAX(version) AS v FROM schema_migrations');
  return row && row.v !== null && row.v !== undefined ? num(row, 'v') : 0;
}

/** Brings the store up to `upTo` (default: this version of exir); refuses a store newer than that. */
export async function migrate(driver: SqlDriver, upTo = SCHEMA_VERSION): Promise<{ from: number; to: number }> {
  return driver.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`);
    await tx.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const from = await schemaVersion(tx);
    if (from > SCHEMA_VERSION) {
      throw new SchemaTooNewError(
        `the case store at ${driver.location} has schema version ${from}, but this exir knows only up to ` +
          `version ${SCHEMA_VERSION}; it was written by a newer exir. Upgrade exir to open it (it has not been changed).`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= from || m.version > upTo) continue;
      for (const stmt of m.statements(tx.dialect)) await tx.run(stmt);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
    }
    return { from, to: Math.max(from, Math.min(upTo, SCHEMA_VERSION)) };
  });
}
