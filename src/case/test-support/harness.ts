// Throwaway stores for the shared suite: a SQLite file in a temp folder, or a PostgreSQL schema in
// a database made for this run. Each harness also gives a second, raw connection, as someone with
// access to the database file or server would have, to tamper with rows behind the store's back.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { Row, SqlValue } from '../db/driver.js';
import { numberedPlaceholders } from '../db/driver.js';
import type { CaseStore, OpenOptions } from '../store.js';
import { openStore } from '../store.js';
import { PG_URL, postgresMissing, skipIf } from '../../test-support/skips.js';

export interface Harness {
  engine: 'sqlite' | 'postgres';
  /** What `openStore` takes, also handed to child processes. */
  url: string;
  open(opts?: OpenOptions): Promise<CaseStore>;
  /** A separate connection; write statements in the engine's own dialect where they differ. */
  raw(sql: string, params?: SqlValue[]): Promise<Row[]>;
  dispose(): Promise<void>;
}

export type HarnessFactory = () => Promise<Harness>;

const FIXED_OPTS: OpenOptions = { actor: 'tester' };

export function sqliteHarnesses(): HarnessFactory {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'exir-case-'));
    const file = join(dir, 'exir.db');
    const url = `sqlite:${file}`;
    let rawDb: Database.Database | undefined;
    const opened: CaseStore[] = [];
    return Promise.resolve<Harness>({
      engine: 'sqlite',
      url,
      async open(opts) {
        const store = await openStore(url, { ...FIXED_OPTS, ...opts });
        opened.push(store);
        return store;
      },
      async raw(sql, params = []) {
        await Promise.resolve();
        rawDb ??= new Database(file);
        const stmt = rawDb.prepare(sql);
        if (stmt.reader) return stmt.all(...params) as Row[];
        stmt.run(...params);
        return [];
      },
      async dispose() {
        for (const s of opened) await s.close().catch(() => undefined);
        rawDb?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** One database for the whole run (dropped by `drop`), one fresh schema per harness. */
export function pgHarnesses(adminUrl: string): { factory: HarnessFactory; drop(): Promise<void> } {
  const database = `exir_test_${randomBytes(6).toString('hex')}`;
  const dbUrl = withDatabase(adminUrl, database);
  let created: Promise<void> | undefined;
  const ensureDatabase = () =>
    (created ??= (async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${database}`);
      } finally {
        await admin.end();
      }
    })());

  const factory: HarnessFactory = async () => {
    await ensureDatabase();
    const schema = `s_${randomBytes(6).toString('hex')}`;
    const rawClient = new pg.Client({ connectionString: dbUrl });
    await rawClient.connect();
    await rawClient.query(`CREATE SCHEMA ${schema}`);
    await rawClient.query(`SET search_path TO ${schema}`);
    const u = new URL(dbUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    const url = u.toString();
    const opened: CaseStore[] = [];
    return {
      engine: 'postgres',
      url,
      async open(opts) {
        const store = await openStore(url, { ...FIXED_OPTS, ...opts });
        opened.push(store);
        return store;
      },
      async raw(sql, params = []) {
        return (await rawClient.query(numberedPlaceholders(sql), params)).rows as Row[];
      },
      async dispose() {
        for (const s of opened) await s.close().catch(() => undefined);
        await rawClient.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
        await rawClient.end();
      },
    };
  };

  const drop = async () => {
    if (!created) return;
    await created.catch(() => undefined);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
  return { factory, drop };
}

/** Runs `fn` on a fresh store of the factory's kind, and disposes of it whatever happens. */
export async function withStore<T>(factory: HarnessFactory, fn: (store: CaseStore, h: Harness) => Promise<T>): Promise<T> {
  const h = await factory();
  try {
    return await fn(await h.open(), h);
  } finally {
    await h.dispose();
  }
}

/**
 * Runs a suite against SQLite and against PostgreSQL (PG_URL); when the server cannot be reached
 * the PostgreSQL half is one test that skips and says why (and fails in CI).
 */
export async function onBothStores(suite: (engine: string, factory: HarnessFactory) => void, title: string): Promise<void> {
  suite('SQLite', sqliteHarnesses());
  const missing = await postgresMissing(PG_URL);
  if (missing !== undefined) {
    describe(`${title} on PostgreSQL`, () => {
      it('runs against a PostgreSQL server', (t) => {
        skipIf(t, 'postgres', missing);
      });
    });
    return;
  }
  const pgRun = pgHarnesses(PG_URL);
  suite('PostgreSQL', pgRun.factory);
  after(() => pgRun.drop());
}
