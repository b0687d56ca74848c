import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Dialect, Row, SqlDriver, SqlRunner, SqlValue } from './driver.js';
import { identifier } from './driver.js';
import { CaseError } from '../errors.js';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * better-sqlite3 is synchronous and has one connection; the store's interface is asynchronous.
 * Every call therefore waits its turn in one queue, so nothing from outside can slip into an
 * open transaction while its body awaits.
 */
class SqliteRunner implements SqlRunner {
  readonly dialect: Dialect = 'sqlite';
  constructor(
    protected readonly db: Database.Database,
    private readonly cache = new Map<string, Statement>(),
  ) {}

  protected prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  allNow(sql: string, params: readonly SqlValue[] = []): Row[] {
    const stmt = this.prepare(sql);
    if (!stmt.reader) {
      stmt.run(...params);
      return [];
    }
    return stmt.all(...params) as Row[];
  }

  runNow(sql: string, params: readonly SqlValue[] = []): number {
    const stmt = this.prepare(sql);
    if (stmt.reader) return stmt.all(...params).length;
    return stmt.run(...params).changes;
  }

  insertNow(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): number {
    if (rows.length === 0) return 0;
    const sql = `INSERT INTO ${identifier(table)} (${columns.map(identifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
    const stmt = this.prepare(sql);
    let inserted = 0;
    for (const row of rows) inserted += stmt.run(...row).changes;
    return inserted;
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return Promise.resolve(this.allNow(sql, params));
  }

  async get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return Promise.resolve(this.runNow(sql, params));
  }

  insertIgnoring(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    return Promise.resolve(this.insertNow(table, columns, rows));
  }
}

/**
 * One queue per database file for the whole process. Two connections to one file in one process
 * must not both try to write: the second would wait for the lock synchronously, holding up the
 * event loop the first needs to finish its transaction.
 */
const queues = new Map<string, { tail: Promise<unknown> }>();

function busyMessage(err: unknown): unknown {
  if (err instanceof Error && (err as { code?: string }).code === 'SQLITE_BUSY') {
    return new CaseError('the case store is busy: another exir process has been writing to it for more than 10 seconds; try again when it has finished');
  }
  return err;
}

class SqliteDriver extends SqliteRunner implements SqlDriver {
  private readonly queue: { tail: Promise<unknown> };

  constructor(
    db: Database.Database,
    readonly location: string,
    private readonly statements = new Map<string, Statement>(),
  ) {
    super(db, statements);
    let queue = queues.get(location);
    if (!queue) {
      queue = { tail: Promise.resolve() };
      queues.set(location, queue);
    }
    this.queue = queue;
  }

  private serial<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.queue.tail.then(fn).catch((err: unknown) => {
      throw busyMessage(err);
    });
    this.queue.tail = next.catch(() => undefined);
    return next;
  }

  override all(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.serial(() => this.allNow(sql, params));
  }

  override run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.serial(() => this.runNow(sql, params));
  }

  override insertIgnoring(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    return this.serial(() => this.insertNow(table, columns, rows));
  }

  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      // IMMEDIATE takes the write lock at once, so two writers queue instead of failing at commit.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(new SqliteRunner(this.db, this.statements));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  close(): Promise<void> {
    return this.serial(() => {
      this.db.close();
    });
  }
}

export function openSqliteDriver(file: string): SqlDriver {
  let db: Database.Database | undefined;
  try {
    db = new Database(resolve(file));
    // WAL lets a reader (the dashboard, a second analyst's `case show`) work while a scan writes.
    db.pragma('journal_mode = WAL');
    // A case is a legal record: a commit must survive a power cut, at some cost in speed.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
  } catch (err) {
    db?.close();
    throw new CaseError(`cannot open the case store at ${resolve(file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new SqliteDriver(db, resolve(file));
}
