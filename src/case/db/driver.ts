// The small SQL surface the case store needs, so one repository runs on SQLite and PostgreSQL alike.

export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

/** Runs statements written with `?` placeholders; values are always bound, never spliced into the text. */
export interface SqlRunner {
  readonly dialect: Dialect;
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Resolves to the number of rows the statement changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Inserts rows, skipping those that collide with a unique key; resolves to the number inserted. */
  insertIgnoring(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number>;
}

export interface SqlDriver extends SqlRunner {
  /** Where the data lives, safe to show (no password). */
  readonly location: string;
  /** One transaction; a throw (or a killed process) leaves the store as it was. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Table and column names come from our code only; refuse anything else before it reaches SQL text. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not an SQL identifier: ${JSON.stringify(name)}`);
  return name;
}

/** Rewrites `?` placeholders as `$1, $2, …` for PostgreSQL, leaving quoted text alone. */
export function numberedPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      n += 1;
      out += `$${n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

export function str(row: Row, col: string): string {
  const v = row[col];
  if (typeof v !== 'string') throw new Error(`column ${col}: expected text, got ${typeof v}`);
  return v;
}

export function optStr(row: Row, col: string): string | undefined {
  const v = row[col];
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`column ${col}: expected text, got ${typeof v}`);
  return v;
}

export function num(row: Row, col: string): number {
  const v = row[col];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new Error(`column ${col}: expected a number, got ${typeof v}`);
}

export function optNum(row: Row, col: string): number | undefined {
  const v = row[col];
  return v === null || v === undefined ? undefined : num(row, col);
}

/** JSON kept as text in both stores, so the bytes hashed are the bytes read back. */
export function json<T>(row: Row, col: string): T {
  return JSON.parse(str(row, col)) as T;
}
