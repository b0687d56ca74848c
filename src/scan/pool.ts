import { existsSync } from 'node:fs';
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
  onBytes(bytes: number, entry: EvidenceEntry): void;
  /** `index` is the task's place in the list given to `run`. */
  onResult(entry: EvidenceEntry, result: JobResult, index: number): void;
  onFailure(entry: EvidenceEntry, message: string): void;
}

/** The calling thread's own share of the reading: it takes files from the same queue as the workers. */
export interface LocalLane {
  /** Files this thread reads at once (small files are bound by the wait for open and read). */
  inFlight: number;
  run(entry: EvidenceEntry, job: Job, onBytes: (bytes: number) => void): Promise<JobResult>;
}

/**
 * The worker file beside this module (`here`), as .ts under the test runner and .js once built; built, its bundle
 * (scripts/bundle-cli.mjs) where there is one: loading the unbundled modules cost each worker
 * about 0.2 s of CPU, as it did the command line.
 */
export function workerUrl(here: string = import.meta.url): URL {
  if (here.endsWith('.ts')) return new URL('./worker.ts', here);
  const bundled = new URL('../bundle/worker.js', here);
  return existsSync(bundled) ? bundled : new URL('./worker.js', here);
}

/**
 * A worker's young generation, in MiB. V8's default lets each thread's grow to 48 MiB (three 16 MiB
 * semi-spaces), which a reader filling it with each file's short-lived strings does: the second
 * reader's young generation was about half of what it added to peak memory (README, "Both cores,
 * bounded memory"). A small one collects more often; what lives past a collection is the same.
 */
const WORKER_YOUNG_MB = 6;

export function startWorker(engineOptions: EngineOptions): Worker {
  const url = workerUrl();
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_MB };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: engineOptions, resourceLimits });
  // Run from source (the tests): the worker registers the TypeScript loader before loading itself.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: engineOptions, resourceLimits });
}

/**
 * What a worker is given ahead of its replies: this thread reads too and sees the replies only
 * between its own files, so a worker holds enough work not to wait on it (many small files, or a
 * few large ones), but not so much that one thread is left with the end of the queue.
 */
const MIN_AHEAD = 4;
const MAX_AHEAD = 64;
const BYTES_AHEAD = 32 * 1024 * 1024;

/**
 * Worker threads (none for a small scan) that stay up for the whole scan: the rules compile once per thread, not once per
 * pass. Files are handed out largest first, several at a time per thread, so that one big file
 * does not finish last on its own and small files do not wait on the disk one by one. The calling
 * thread, which has its rules loaded already, reads from the same queue (`local`): on two cores
 * one worker and this thread use both, without a third copy of the rules.
 */
export class WorkerPool {
  private workers: Worker[] = [];
  private readonly failed: Error[] = [];
  private current: ((reply: PoolReply, worker: Worker) => void) | undefined;
  private exited: Promise<void>[] = [];
  /** Closed for good: a listing still under way when a scan fails starts no worker after it. */
  private closed = false;

  constructor(
    threads: number,
    private readonly engineOptions: EngineOptions,
  ) {
    for (let i = 0; i < threads; i++) this.add();
  }

  /** Workers started and not let go. */
  get size(): number {
    return this.workers.length;
  }

  private add(): void {
    const w = startWorker(this.engineOptions);
    this.workers.push(w);
    this.exited.push(
      new Promise<void>((resolve) => {
        w.on('message', (reply: PoolReply) => this.current?.(reply, w));
        w.on('error', (err) => this.failed.push(err));
        w.on('exit', () => resolve());
      }),
    );
  }

  /**
   * Starts workers or lets go of some, to `threads`, between runs: a scan starts its workers while it
   * still lists the evidence (their start then overlaps the listing) and knows how many it keeps
   * only once the listing is done.
   */
  async resize(threads: number): Promise<void> {
    while (!this.closed && this.workers.length < threads) this.add();
    if (this.workers.length <= threads) return;
    const gone = this.workers.splice(threads);
    const exits = this.exited.splice(threads);
    for (const w of gone) w.postMessage(null);
    await Promise.all(exits);
  }

  /** `alone`: this thread reads every task, the workers none (work too small to be worth a worker's own start on it). */
  async run(tasks: { entry: EvidenceEntry; job: Job }[], callbacks: PoolCallbacks, local: LocalLane, alone = false): Promise<void> {
    const workers = alone ? [] : this.workers;
    // The queue is the tasks' indexes: a task object each is made only as it is handed out (100,000
    // of them lived for the whole pass). Largest file first when threads share the queue, so that
    // no large file is left to finish last on its own; this thread alone reads smallest first, as
    // the order then costs no time: read last, tens of thousands of small files left V8's heap at
    // 170-210 MiB over 50 MiB live at the end of a 110,000-file pass (README, "Rows kept as columns").
    const size = (id: number): number => (tasks[id] as { entry: EvidenceEntry }).entry.size;
    const queue = Uint32Array.from(tasks.keys()).sort((a, b) => (workers.length === 0 ? size(a) - size(b) : size(b) - size(a)));
    let next = 0;
    const take = (): PoolTask | undefined => {
      if (next >= queue.length) return undefined;
      const id = queue[next++] as number;
      const { entry, job } = tasks[id] as { entry: EvidenceEntry; job: Job };
      return { id, entry, job };
    };
    const pending = new Map<Worker, Map<number, PoolTask>>(workers.map((w) => [w, new Map()]));
    let open = queue.length;
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker): void => {
        const mine = pending.get(worker) as Map<number, PoolTask>;
        let bytes = 0;
        for (const task of mine.values()) bytes += task.entry.size;
        while (next < queue.length && (mine.size < MIN_AHEAD || (mine.size < MAX_AHEAD && bytes < BYTES_AHEAD))) {
          const task = take() as PoolTask;
          mine.set(task.id, task);
          bytes += task.entry.size;
          worker.postMessage(task);
        }
      };
      const finished = (): void => {
        open -= 1;
        if (open === 0) resolve();
      };
      this.current = (reply, worker) => {
        const mine = pending.get(worker);
        const task = mine?.get(reply.id);
        if (!mine || !task) return;
        callbacks.onBytes(reply.bytes, task.entry);
        if (reply.type === 'progress') return;
        mine.delete(reply.id);
        if (reply.type === 'done') callbacks.onResult(task.entry, reply.result, task.id);
        else callbacks.onFailure(task.entry, reply.message);
        finished();
        if (open > 0) feed(worker);
      };
      if (open === 0) {
        resolve();
        return;
      }
      for (const w of workers) feed(w);
      const lane = async (): Promise<void> => {
        for (let task = take(); task; task = take()) {
          const { id, entry, job } = task;
          try {
            callbacks.onResult(entry, await local.run(entry, job, (bytes) => callbacks.onBytes(bytes, entry)), id);
          } catch (err) {
            callbacks.onFailure(entry, err instanceof Error ? err.message : String(err));
          }
          finished();
          // A small file is read without a wait on the event loop: let the workers' replies in, or
          // they would get no more files until this thread ran out.
          await new Promise(setImmediate);
        }
      };
      for (let k = 0; k < local.inFlight; k++) void lane();
      // A worker that dies leaves its files unread: that is an error of the scan, not of the evidence.
      void Promise.race(this.exited).then(() => {
        if (open > 0) reject(this.failed[0] ?? new Error('a scan worker stopped before its files were read'));
      });
    });
    this.current = undefined;
  }

  /** Lets the workers go for good: a later `run` reads in the calling thread alone. */
  close(): Promise<void> {
    this.closed = true;
    return this.resize(0);
  }
}
