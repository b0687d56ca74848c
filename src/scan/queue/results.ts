// Where workers put what they read: one row per file in PostgreSQL, keyed by (run, round, index), so a
// batch retried after its worker died writes nothing twice and reads again only the files not stored, and the coordinator reads every result
// from one place whichever worker, on whichever host, did the work.

import pg from 'pg';
import type { JobResult } from '../job.js';

const RESULTS_TABLE = 'exir_queue_results';
/** Days a run's rows are kept for `exir queue status` after its last result was stored (BullMQ keeps failed jobs as long). */
const RESULTS_KEPT_DAYS = 7;

/** Empties the results of a run that has been stored: what `exir scan --queue` does once the case holds it. */
export async function forgetRun(url: string, runId: string): Promise<number> {
  const store = await ResultStore.open(url);
  try {
    return await store.forget(runId);
  } finally {
    await store.close();
  }
}

export class ResultStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<ResultStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    // A pool reports a server that went away on its idle clients; the next query says so to its caller.
    pool.on('error', () => undefined);
    const store = new ResultStore(pool);
    await store.ensure();
    return store;
  }

  private async ensure(): Promise<void> {
    // Two coordinators or workers starting at once would race on CREATE TABLE IF NOT EXISTS: one at a time.
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('${RESULTS_TABLE}'))`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${RESULTS_TABLE} (
      run_id text NOT NULL,
      round integer NOT NULL,
      idx integer NOT NULL,
      firm text NOT NULL,
      path text NOT NULL,
      bytes bigint NOT NULL,
      result json NOT NULL, -- json, not jsonb: the text as the worker wrote it, keys in their order
      worker text NOT NULL,
      ms integer NOT NULL,
      stored_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (run_id, round, idx))`);
      // A run's results are emptied once it is stored; its row stays (path, bytes, time) for status until it expires.
      await client.query(`ALTER TABLE ${RESULTS_TABLE} ALTER COLUMN result DROP NOT NULL`);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Stores the results of a batch's files in one transaction; a file already stored (by an earlier
   * try of the batch) is left as it is. Gives how many rows were new.
   */
  async put(
    rows: {
      runId: string;
      round: number;
      idx: number;
      firm: string;
      path: string;
      bytes: number;
      result: JobResult;
      worker: string;
      ms: number;
    }[],
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      let added = 0;
      for (const row of rows) {
        const res = await client.query(
          `INSERT INTO ${RESULTS_TABLE} (run_id, round, idx, firm, path, bytes, result, worker, ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (run_id, round, idx) DO NOTHING`,
          [row.runId, row.round, row.idx, row.firm, row.path, row.bytes, JSON.stringify(row.result), row.worker, row.ms],
        );
        added += res.rowCount ?? 0;
      }
      await client.query('COMMIT');
      return added;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Which of these files of a round are stored: what a retried batch need not read again. */
  async stored(runId: string, round: number, idxs: readonly number[]): Promise<Set<number>> {
    const res = await this.pool.query<{ idx: number }>(`SELECT idx FROM ${RESULTS_TABLE} WHERE run_id = $1 AND round = $2 AND idx = ANY($3::int[])`, [
      runId,
      round,
      idxs,
    ]);
    return new Set(res.rows.map((r) => r.idx));
  }

  /** How many files of a round are stored and their bytes: one row, however many files the round has. */
  async progress(runId: string, round: number): Promise<{ files: number; bytes: number }> {
    const res = await this.pool.query<{ files: string; bytes: string | null }>(
      `SELECT count(*) AS files, sum(bytes) AS bytes FROM ${RESULTS_TABLE} WHERE run_id = $1 AND round = $2`,
      [runId, round],
    );
    return { files: Number(res.rows[0]?.files ?? 0), bytes: Number(res.rows[0]?.bytes ?? 0) };
  }

  /** Every result of a round, read a page at a time so that a round of many files is never one huge reply. */
  async results(runId: string, round: number, page = 2000): Promise<Map<number, JobResult>> {
    const all = new Map<number, JobResult>();
    for (let after = -1; ;) {
      const res = await this.pool.query<{ idx: number; result: JobResult }>(
        `SELECT idx, result FROM ${RESULTS_TABLE} WHERE run_id = $1 AND round = $2 AND idx > $3 ORDER BY idx LIMIT $4`,
        [runId, round, after, page],
      );
      for (const r of res.rows) all.set(r.idx, r.result);
      if (res.rows.length < page) return all;
      after = res.rows[res.rows.length - 1]?.idx ?? after;
    }
  }

  /**
   * Empties a run's results once the run is stored (in the case, or written out): they are read once,
   * at the end of each round, and are the bulk of the table. The rows stay, small, until they expire.
   */
  async forget(runId: string): Promise<number> {
    const res = await this.pool.query(`UPDATE ${RESULTS_TABLE} SET result = NULL WHERE run_id = $1 AND result IS NOT NULL`, [runId]);
    return res.rowCount ?? 0;
  }

  /** Deletes the rows of runs stored more than `days` ago, finished or abandoned (a coordinator stopped, a queue lost). */
  async expire(days = RESULTS_KEPT_DAYS): Promise<number> {
    const res = await this.pool.query(
      `DELETE FROM ${RESULTS_TABLE} WHERE run_id IN (SELECT run_id FROM ${RESULTS_TABLE} GROUP BY run_id HAVING max(stored_at) < now() - make_interval(days => $1))`,
      [days],
    );
    return res.rowCount ?? 0;
  }

  async runs(limit = 20): Promise<{ runId: string; firm: string; jobs: number; bytes: number; first: string; last: string; done: boolean }[]> {
    const res = await this.pool.query<{ run_id: string; firm: string; jobs: string; bytes: string; first: Date; last: Date; done: boolean }>(
      `SELECT run_id, firm, count(*) AS jobs, sum(bytes) AS bytes, min(stored_at) AS first, max(stored_at) AS last, bool_and(result IS NULL) AS done FROM ${RESULTS_TABLE}
       GROUP BY run_id, firm ORDER BY max(stored_at) DESC LIMIT $1`,
      [limit],
    );
    return res.rows.map((r) => ({
      runId: r.run_id,
      firm: r.firm,
      jobs: Number(r.jobs),
      bytes: Number(r.bytes),
      first: r.first.toISOString(),
      last: r.last.toISOString(),
      done: r.done,
    }));
  }

  async slowest(limit = 10): Promise<{ runId: string; path: string; ms: number; bytes: number; worker: string }[]> {
    const res = await this.pool.query<{ run_id: string; path: string; ms: number; bytes: string; worker: string }>(
      `SELECT run_id, path, ms, bytes, worker FROM ${RESULTS_TABLE} ORDER BY ms DESC LIMIT $1`,
      [limit],
    );
    return res.rows.map((r) => ({ runId: r.run_id, path: r.path, ms: r.ms, bytes: Number(r.bytes), worker: r.worker }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
