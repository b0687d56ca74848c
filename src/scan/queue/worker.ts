// `exir worker`: takes scan jobs from the queue, reads each file exactly as a scan in one process
// does (runJob), and stores the result in PostgreSQL in one transaction keyed by its job, so a job
// retried after its worker was killed writes nothing twice. Stops cleanly on SIGTERM after the job
// in hand.

import { hostname } from 'node:os';
import { Worker, type Job as BullJob } from 'bullmq';
import { EvidenceOpener } from '../../evidence/open.js';
import { loadEngine, type Engine } from '../engine.js';
import { runJob } from '../job.js';
import { QUEUE_NAME, queuePrefix, redisConnection, type QueuedJob } from './names.js';
import { ResultStore } from './results.js';

export interface WorkerOptions {
  redisUrl: string;
  dbUrl: string;
  /** Jobs in hand at once. */
  concurrency?: number;
  /** How long a job stays locked to a worker that stops answering before another may take it, in ms. */
  lockMs?: number;
  log?: (line: string) => void;
  /** Called before each job; what it throws fails that try of the job (how tests make a poison file). */
  beforeJob?: (job: QueuedJob) => void;
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
      const started = Date.now();
      log(`${data.firm} ${data.runId} ${job.name} ${data.entry.path}${job.attemptsMade ? ` (try ${job.attemptsMade + 1})` : ''}`);
      options.beforeJob?.(data);
      const opener = new EvidenceOpener();
      let result;
      try {
        result = await runJob(data.job, data.entry, await engineFor(data), opener);
      } finally {
        await opener.close();
      }
      const wrote = await store.put({
        runId: data.runId,
        round: data.round,
        idx: data.idx,
        firm: data.firm,
        path: data.entry.path,
        bytes: data.entry.size,
        result,
        worker: name,
        ms: Date.now() - started,
      });
      return { stored: wrote };
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
  worker.on('failed', (job, err) => log(`failed: ${job?.data.entry.path ?? '?'}: ${err.message}`));
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
