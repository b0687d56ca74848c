// The coordinator's side of a queued scan: each pass's jobs go to the queue, `exir worker` processes
// take them (on this machine or others), and their results come back from PostgreSQL. The passes,
// correlation and verdicts stay in scan/run.ts, so a queued scan gives exactly the result of a scan
// in one process.

import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Warning } from '../../core/types.js';
import type { EvidenceEntry } from '../../evidence/bundle.js';
import type { EngineOptions } from '../engine.js';
import type { JobResult } from '../job.js';
import type { Runner, ScanProgress } from '../run.js';
import { QUEUE_NAME, jobId, queuePrefix, redisConnection, type QueuedJob } from './names.js';
import { ResultStore } from './results.js';

export interface QueueScanOptions {
  /** redis://host:port of the work queue. */
  redisUrl: string;
  /** postgres://… where workers store what they read (the case store's database serves). */
  dbUrl: string;
  /** Whose evidence this is: jobs carry it, and `exir queue status` counts by it. */
  firm: string;
  /** Tries per job before it is reported as failed (a file that crashes a reader, a database down too long). */
  attempts?: number;
  /** How often the coordinator looks for finished jobs, in ms. */
  pollMs?: number;
}

/** The run must start again: the queue lost jobs it had been given. */
export class QueueLost extends Error {}

/** Priority within the queue: a job's place in its own run, so the runs of several firms are served in turn. */
const MAX_PRIORITY = 2_097_152;

function absoluteEntry(entry: EvidenceEntry): EvidenceEntry {
  const loc = entry.location;
  const location =
    loc.kind === 'file'
      ? { kind: 'file' as const, file: isAbsolute(loc.file) ? loc.file : resolve(loc.file) }
      : { kind: 'zip' as const, archive: isAbsolute(loc.archive) ? loc.archive : resolve(loc.archive), member: loc.member, index: loc.index };
  return { ...entry, location };
}

export async function queueRunner(options: QueueScanOptions, engine: EngineOptions, onProgress?: (p: ScanProgress) => void): Promise<Runner> {
  const store = await ResultStore.open(options.dbUrl);
  const connection = { ...redisConnection(options.redisUrl), maxRetriesPerRequest: 3, enableOfflineQueue: false };
  const queue = new Queue<QueuedJob>(QUEUE_NAME, { connection, prefix: queuePrefix(options.redisUrl) });
  queue.on('error', () => undefined); // a lost connection shows as the next call's error, said once there
  try {
    await queue.waitUntilReady();
  } catch (err) {
    await store.close();
    throw new Error(`cannot reach the queue at ${options.redisUrl}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const runId = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const attempts = options.attempts ?? 3;
  const pollMs = options.pollMs ?? 1000;
  const failures: Warning[] = [];
  let round = 0;

  return {
    failures,
    async close() {
      await queue.close();
      await store.close();
    },
    async run(pass, jobs) {
      round += 1;
      const thisRound = round;
      const progress: ScanProgress = { pass, files: 0, totalFiles: jobs.length, bytes: 0, totalBytes: jobs.reduce((n, j) => n + j.entry.size, 0) };
      await queue.addBulk(
        jobs.map(({ entry, job }, idx) => ({
          name: pass,
          data: { runId, firm: options.firm, round: thisRound, idx, entry: absoluteEntry(entry), job, engine },
          opts: {
            jobId: jobId(runId, thisRound, idx),
            attempts,
            backoff: { type: 'exponential', delay: 1000 },
            priority: Math.min(idx + 1, MAX_PRIORITY),
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        })),
      );
      const outstanding = new Set(jobs.keys());
      const failed = new Set<number>();
      for (let poll = 0; outstanding.size > 0; poll++) {
        const done = await store.done(runId, thisRound);
        for (const idx of done.keys()) outstanding.delete(idx);
        progress.files = done.size + failed.size;
        progress.bytes = [...done.values()].reduce((n, b) => n + b, 0);
        onProgress?.(progress);
        if (outstanding.size === 0) break;
        // The queue is asked about unfinished jobs now and then: one that failed its last try is
        // reported, one the queue no longer knows (Redis restarted empty) stops the run.
        if (poll % 3 === 2) {
          for (const idx of [...outstanding].slice(0, 1000)) {
            const id = jobId(runId, thisRound, idx);
            const job = await queue.getJob(id);
            if (!job) {
              if ((await store.done(runId, thisRound)).has(idx)) continue;
              throw new QueueLost(
                `the queue no longer holds job ${id} (${jobs[idx]?.entry.path ?? '?'}): Redis was restarted or emptied mid-run; nothing was stored in the case — enqueue the scan again`,
              );
            }
            if ((await job.getState()) === 'failed') {
              outstanding.delete(idx);
              failed.add(idx);
              failures.push({
                where: jobs[idx]?.entry.path,
                message: `not read: failed ${job.attemptsMade} time(s) in the queue (${job.failedReason ?? 'no reason given'})`,
              });
            }
          }
        }
        await sleep(pollMs);
      }
      const stored = await store.results(runId, thisRound);
      const results = new Map<EvidenceEntry, JobResult>();
      for (const [idx, { entry }] of jobs.entries()) {
        const result = stored.get(idx);
        if (result) results.set(entry, result);
      }
      return results;
    },
  };
}
