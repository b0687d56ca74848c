import pg from 'pg';
import type { Dialect, Row, SqlDriver, SqlRunner, SqlValue } from './driver.js';
import { identifier, numberedPlaceholders } from './driver.js';

/** PostgreSQL allows 65535 bound values per statement; stay well under it. */
const MAX_PARAMS = 30000;

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const baseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ) as (v: string) => Date;

/** Counts come back as numbers and times as UTC ISO text, as they do from SQLite. */
const types: pg.CustomTypesConfig = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (v: string) => unknown {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === TIMESTAMPTZ) return (v: string) => baseTimestamptz(v).toISOString();
    return pg.types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
  },
};

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

class PgRunner implements SqlRunner {
  readonly dialect: Dialect = 'postgres';

  constructor(protected readonly conn: Queryable) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const res = await this.conn.query(numberedPlaceholders(sql), [...params]);
    return res.rows as Row[];
  }

  async get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const res = await this.conn.query(numberedPlaceholders(sql), [...params]);
    return res.rowCount ?? 0;
  }

  async insertIgnoring(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    const head = `INSERT INTO ${identifier(table)} (${columns.map(identifier).join(', ')}) VALUES `;
    const perBatch = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    let inserted = 0;
    for (let i = 0; i < rows.length; i += perBatch) {
      const batch = rows.slice(i, i + perBatch);
      const values: SqlValue[] = [];
      const tuples = batch.map((row) => {
        const marks = row.map((v) => {
          values.push(v);
          return `$${values.length}`;
        });
        return `(${marks.join(', ')})`;
      });
      const res = await this.conn.query(`${head}${tuples.join(', ')} ON CONFLICT DO NOTHING`, values);
      inserted += res.rowCount ?? 0;
    }
    return inserted;
  }
}

class PgDriver extends PgRunner implements SqlDriver {
  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    super(pool);
  }

  async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgRunner(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** The URL as it may be shown: the password replaced. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export async function openPgDriver(url: string): Promise<SqlDriver> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, types, max: 4, connectionTimeoutMillis: 10000 });
  // An idle connection that dies must not take the process down; the next query will report it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot reach PostgreSQL at ${location}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new PgDriver(pool, location);
}
