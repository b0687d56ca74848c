// Where workers put what they read: one row per job in PostgreSQL, keyed by (run, round, index), so a
// job retried after its worker died writes nothing twice, and the coordinator reads every result
// from one place whichever worker, on whichever host, did the work.

import pg from 'pg';
import type { JobResult } from '../job.js';

const RESULTS_TABLE = 'exir_queue_results';

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
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Stores one job's result; a second write of the same job (a retry) changes nothing. */
  async put(row: {
    runId: string;
    round: number;
    idx: number;
    firm: string;
    path: string;
    bytes: number;
    result: JobResult;
    worker: string;
    ms: number;
  }): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const res = await client.query(
        `INSERT INTO ${RESULTS_TABLE} (run_id, round, idx, firm, path, bytes, result, worker, ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (run_id, round, idx) DO NOTHING`,
        [row.runId, row.round, row.idx, row.firm, row.path, row.bytes, JSON.stringify(row.result), row.worker, row.ms],
      );
      await client.query('COMMIT');
      return res.rowCount === 1;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Which jobs of a round are stored, with their size: what the progress bar counts. */
  async done(runId: string, round: number): Promise<Map<number, number>> {
    const res = await this.pool.query<{ idx: number; bytes: string }>(`SELECT idx, bytes FROM ${RESULTS_TABLE} WHERE run_id = $1 AND round = $2`, [
      runId,
      round,
    ]);
    return new Map(res.rows.map((r) => [r.idx, Number(r.bytes)]));
  }

  async results(runId: string, round: number): Promise<Map<number, JobResult>> {
    const res = await this.pool.query<{ idx: number; result: JobResult }>(`SELECT idx, result FROM ${RESULTS_TABLE} WHERE run_id = $1 AND round = $2`, [
      runId,
      round,
    ]);
    return new Map(res.rows.map((r) => [r.idx, r.result]));
  }

  async runs(limit = 20): Promise<{ runId: string; firm: string; jobs: number; bytes: number; first: string; last: string }[]> {
    const res = await this.pool.query<{ run_id: string; firm: string; jobs: string; bytes: string; first: Date; last: Date }>(
      `SELECT run_id, firm, count(*) AS jobs, sum(bytes) AS bytes, min(stored_at) AS first, max(stored_at) AS last FROM ${RESULTS_TABLE}
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
