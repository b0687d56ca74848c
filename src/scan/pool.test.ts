import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { startWorker, WorkerPool } from './pool.js';

test("a scan worker's young generation is held small: V8's default of 48 MiB per thread was what a second reader added to peak memory", async () => {
  const worker = startWorker({});
  try {
    await once(worker, 'online');
    const young = worker.resourceLimits?.maxYoungGenerationSizeMb;
    assert.ok(young !== undefined && young > 0 && young <= 8, `young generation ${young} MiB`);
  } finally {
    await worker.terminate();
  }
});

/** Runs three made-up files through the pool; what the calling thread read, in its order (a worker given one fails it). */
async function readInThisThread(pool: WorkerPool, alone: boolean): Promise<string[]> {
  const entry = (path: string, size: number): EvidenceEntry => ({ path, size }) as EvidenceEntry;
  const tasks = [entry('big.log', 300), entry('small.log', 10), entry('mid.log', 50)].map((e) => ({ entry: e, job: { kind: 'detect' } as const }));
  const readHere: string[] = [];
  const results: string[] = [];
  await pool.run(
    tasks,
    { onBytes: () => {}, onResult: (e) => results.push(e.path), onFailure: (e, message) => assert.fail(`${e.path}: ${message}`) },
    {
      inFlight: 1,
      run: (e) => {
        readHere.push(e.path);
        return Promise.resolve({ kind: 'follow', entries: [] });
      },
    },
    alone,
  );
  assert.deepEqual(results, readHere);
  return readHere;
}

test('a pool whose workers were let go reads what it is given next in the calling thread alone, smallest file first', { timeout: 30_000 }, async () => {
  const pool = new WorkerPool(1, {});
  await pool.close();
  assert.deepEqual(await readInThisThread(pool, false), ['small.log', 'mid.log', 'big.log']);
  await pool.close();
});

test('work asked to be done in the calling thread is not handed to a worker that is up', { timeout: 30_000 }, async () => {
  const pool = new WorkerPool(1, {});
  try {
    assert.deepEqual(await readInThisThread(pool, true), ['small.log', 'mid.log', 'big.log']);
  } finally {
    await pool.close();
  }
});

test('a pool grows and shrinks between runs, and once closed starts no worker again', { timeout: 30_000 }, async () => {
  const pool = new WorkerPool(0, {});
  try {
    await pool.resize(2);
    assert.equal(pool.size, 2);
    await pool.resize(1);
    assert.equal(pool.size, 1);
    // The worker kept still reads: a run given the calling thread nothing to do leaves it its files.
    const entry = { path: 'x.log', size: 1 } as EvidenceEntry;
    const done: string[] = [];
    await pool.run(
      [{ entry, job: { kind: 'detect' } }],
      { onBytes: () => {}, onResult: (e) => done.push(e.path), onFailure: (e, message) => done.push(`${e.path}: ${message}`) },
      { inFlight: 0, run: () => Promise.reject(new Error('read in the calling thread')) },
    );
    assert.equal(done.length, 1);
    assert.ok(!done[0]?.includes('calling thread'), done[0]);
  } finally {
    await pool.close();
  }
  assert.equal(pool.size, 0);
  // A listing still under way when the scan failed may ask for workers after the close: none starts.
  await pool.resize(2);
  assert.equal(pool.size, 0);
});
