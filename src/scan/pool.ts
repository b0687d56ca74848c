import { Worker } from 'node:worker_threads';
import type { EvidenceEntry } from '../evidence/bundle.js';
import type { EngineOptions } from './engine.js';
import type { Job, JobResult } from './job.js';

export interface PoolTask {
  id: number;
  entry: EvidenceEntry;
  job: Job;
}

export type PoolReply =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; bytes: number; result: JobResult }
  | { type: 'failed'; id: number; bytes: number; message: string };

export interface PoolCallbacks {
  onBytes(bytes: number): void;
  onResult(entry: EvidenceEntry, result: JobResult): void;
  onFailure(entry: EvidenceEntry, message: string): void;
}

/** The worker file beside this one, as .ts under the test runner and .js once built. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker${ext}`, import.meta.url);
}

function startWorker(engineOptions: EngineOptions): Worker {
  const url = workerUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: engineOptions });
  // Run from source (the tests): the worker registers the TypeScript loader before loading itself.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: engineOptions });
}

/**
 * Reads files on several threads, one whole file per task, largest first so that one big file
 * does not finish last on its own.
 */
export async function runPool(
  entries: { entry: EvidenceEntry; job: Job }[],
  threads: number,
  engineOptions: EngineOptions,
  callbacks: PoolCallbacks,
  inFlight = 4,
): Promise<void> {
  const queue: PoolTask[] = entries.map(({ entry, job }, id) => ({ id, entry, job })).sort((a, b) => b.entry.size - a.entry.size);
  const count = Math.max(1, Math.min(threads, queue.length));
  const workers: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    workers.push(
      new Promise<void>((resolve, reject) => {
        const worker = startWorker(engineOptions);
        // Several files per worker at once: small files wait on the disk more than on the CPU.
        const pending = new Map<number, PoolTask>();
        const feed = (): void => {
          while (pending.size < inFlight) {
            const task = queue.shift();
            if (!task) break;
            pending.set(task.id, task);
            worker.postMessage(task);
          }
          if (pending.size === 0) worker.postMessage(null);
        };
        worker.on('message', (reply: PoolReply) => {
          callbacks.onBytes(reply.bytes);
          if (reply.type === 'progress') return;
          const task = pending.get(reply.id);
          if (!task) return;
          pending.delete(reply.id);
          if (reply.type === 'done') callbacks.onResult(task.entry, reply.result);
          else callbacks.onFailure(task.entry, reply.message);
          feed();
        });
        worker.on('error', (err) => {
          for (const task of pending.values()) callbacks.onFailure(task.entry, `worker failed: ${err.message}`);
          reject(err);
        });
        worker.on('exit', () => resolve());
        feed();
      }),
    );
  }
  await Promise.all(workers);
}
