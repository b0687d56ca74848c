import { Worker } from 'node:worker_threads';
import type { EvidenceEntry } from '../evidence/bundle.js';
import type { EngineOptions } from './engine.js';
import type { EntryResult } from './scan-entry.js';

export interface PoolTask {
  id: number;
  entry: EvidenceEntry;
}

export type PoolReply =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; bytes: number; result: EntryResult }
  | { type: 'failed'; id: number; bytes: number; message: string };

export interface PoolCallbacks {
  onBytes(bytes: number): void;
  onResult(entry: EvidenceEntry, result: EntryResult): void;
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
export async function runPool(entries: EvidenceEntry[], threads: number, engineOptions: EngineOptions, callbacks: PoolCallbacks): Promise<void> {
  const queue = entries.map((entry, id) => ({ id, entry })).sort((a, b) => b.entry.size - a.entry.size);
  const count = Math.max(1, Math.min(threads, queue.length));
  const workers: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    workers.push(
      new Promise<void>((resolve, reject) => {
        const worker = startWorker(engineOptions);
        let current: PoolTask | undefined;
        const next = (): void => {
          current = queue.shift();
          worker.postMessage(current ?? null);
        };
        worker.on('message', (reply: PoolReply) => {
          callbacks.onBytes(reply.bytes);
          if (reply.type === 'progress' || !current) return;
          if (reply.type === 'done') callbacks.onResult(current.entry, reply.result);
          else callbacks.onFailure(current.entry, reply.message);
          next();
        });
        worker.on('error', (err) => {
          if (current) callbacks.onFailure(current.entry, `worker failed: ${err.message}`);
          reject(err);
        });
        worker.on('exit', () => resolve());
        next();
      }),
    );
  }
  await Promise.all(workers);
}
