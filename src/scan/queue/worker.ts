// `exir worker`: takes scan jobs (batches of files) from the queue, reads each file exactly as a scan
// in one process does (runJob), and stores the batch's results in PostgreSQL in one transaction, one
// row per file keyed by (run, round, file), so a batch retried after its worker was killed writes
// nothing twice and reads only what is not stored yet. Stops cleanly on SIGTERM after the job in hand.

import { hostname } from 'node:os';
import { Worker, type Job as BullJob } from 'bullmq';
import { EvidenceOpener } from '../../evidence/open.js';
import { loadEngine, type Engine } from '../engine.js';
import { runJob } from '../job.js';
import { QUEUE_NAME, queuePrefix, redisConnection, type QueuedFile, type QueuedJob } from './names.js';
import { ResultStore } from './results.js';

export interface WorkerOptions {
  redisUrl: string;
  dbUrl: string;
  /** Jobs in hand at once. */
  concurrency?: number;
  /** How long a job stays locked to a worker that stops answering before another may take it, in ms. */
  lockMs?: number;
  log?: (line: string) => void;
  /** Called before each file; what it throws fails that file, as a reader that crashes would (how tests make a poison file). */
  beforeFile?: (file: QueuedFile) => void | Promise<void>;
}

export interface RunningWorker {
  /** Resolves when the worker has stopped. */
  stopped: Promise<void>;
  /** Stops after the jobs in hand. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? (() => undefined);
  const store = await ResultStore.open(options.dbUrl);
  const name = `${hostname()}:${process.pid}`;
  const engines = new Map<string, Promise<Engine>>();
  const engineFor = (data: QueuedJob): Promise<Engine> => {
    const key = JSON.stringify(data.engine);
    let engine = engines.get(key);
    if (!engine) {
      engine = loadEngine(data.engine);
      engines.set(key, engine);
    }
    return engine;
  };
  const lockMs = options.lockMs ?? 30_000;
  const worker = new Worker<QueuedJob>(
    QUEUE_NAME,
    async (job: BullJob<QueuedJob>) => {
      const data = job.data;
      const range = data.files[0]?.job.kind === 'detect' ? data.files[0].job.range : undefined;
      const first = `${data.files[0]?.entry.path ?? '-'}${range ? ` (range ${range.index + 1} of ${range.count})` : ''}`;
      const more = data.files.length > 1 ? ` and ${data.files.length - 1} more` : '';
      log(`${data.firm} ${data.runId} ${job.name} ${first}${more}${job.attemptsMade ? ` (try ${job.attemptsMade + 1})` : ''}`);
      const done = await store.stored(
        data.runId,
        data.round,
        data.files.map((f) => f.idx),
      );
      const engine = await engineFor(data);
      const rows: Parameters<ResultStore['put']>[0] = [];
      const failed: string[] = [];
      const opener = new EvidenceOpener();
      try {
        for (const file of data.files) {
          if (done.has(file.idx)) continue;
          const started = Date.now();
          try {
            await options.beforeFile?.(file);
            const result = await runJob(file.job, file.entry, engine, opener);
            rows.push({
              runId: data.runId,
              round: data.round,
              idx: file.idx,
              firm: data.firm,
              path: file.entry.path,
              bytes: file.job.kind === 'detect' && file.job.range ? file.job.range.end - file.job.range.start : file.entry.size,
              result,
              worker: name,
              ms: Date.now() - started,
            });
          } catch (err) {
            failed.push(`${file.entry.path}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      } finally {
        await opener.close();
      }
      // The files read are kept even when another of the batch failed: the next try reads only that one.
      const stored = await store.put(rows);
      if (failed.length > 0) throw new Error(failed.join('; '));
      return { stored };
    },
    {
      connection: redisConnection(options.redisUrl),
      prefix: queuePrefix(options.redisUrl),
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, err) => log(`failed: ${job ? `${job.data.runId} batch ${job.data.round}.${job.data.batch}` : '?'}: ${err.message}`));
  worker.on('error', (err) => log(`queue: ${err.message}`));
  await worker.waitUntilReady();
  log(`worker ${name} taking jobs from ${options.redisUrl}`);
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => {
    resolveStopped = r;
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log('stopping after the jobs in hand');
      await worker.close();
      await store.close();
      resolveStopped();
    })();
    return stopping;
  };
  return { stopped, stop };
}
