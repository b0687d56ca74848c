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
import type { Job, JobResult } from '../job.js';
import { cutRanges, mergeRanges, type RangePart } from '../entry-range.js';
import type { Runner, ScanProgress } from '../run.js';
import { QUEUE_NAME, jobId, queuePrefix, redisConnection, type QueuedJob } from './names.js';
import { ResultStore } from './results.js';
import { DEFAULT_BATCH, cutBatches, type BatchLimits } from './batches.js';

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
  /** How long Redis or PostgreSQL may not answer the coordinator before the run stops, in ms. */
  outageMs?: number;
  /** How files are cut into jobs (bytes and files a job); DEFAULT_BATCH otherwise. */
  batch?: Partial<BatchLimits>;
  /** Told the run's id once its jobs are queued: what `forgetRun` empties once the run is stored. */
  onRunId?: (runId: string) => void;
  /** A log on disk bigger than this is read as byte ranges of this size, one job each (DEFAULT_RANGE_BYTES otherwise). */
  rangeBytes?: number;
}

/**
 * Ranges of 256 MiB: about two seconds of reading on one core, so a 5 GB IIS log is twenty jobs
 * that as many workers can share, while a range's fixed cost (the header read again, a job) stays
 * far below its reading.
 */
export const DEFAULT_RANGE_BYTES = 256 * 1024 * 1024;

/** One job's share of a pass: a file, or a byte range of one. */
interface Task {
  file: number;
  entry: EvidenceEntry;
  job: Job;
  bytes: number;
}

/** The run must start again: the queue lost jobs it had been given. */
export class QueueLost extends Error {}

/** A failed batch's reason names each file that failed (`path: why; …`): this file's part, else the whole. */
function reasonFor(path: string | undefined, reason: string | undefined): string {
  if (!reason) return 'no reason given';
  const mine = path === undefined ? undefined : reason.split('; ').find((part) => part.startsWith(`${path}: `));
  return mine ? mine.slice((path as string).length + 2) : reason;
}

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

export async function queueRunner(
  options: QueueScanOptions,
  engine: EngineOptions,
  folded: ReadonlySet<string>,
  onProgress?: (p: ScanProgress) => void,
): Promise<Runner> {
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
  options.onRunId?.(runId);
  // Runs stored, or abandoned, a week ago are deleted whole.
  await store.expire().catch(() => undefined);
  const attempts = options.attempts ?? 3;
  const pollMs = options.pollMs ?? 1000;
  const outageMs = options.outageMs ?? 60_000;
  const limits: BatchLimits = { ...DEFAULT_BATCH, ...options.batch };
  const rangeBytes = options.rangeBytes ?? DEFAULT_RANGE_BYTES;
  const failures: Warning[] = [];
  let round = 0;

  /** Runs one round of jobs; gives each stored task's result by its place, and the places of tasks that failed their last try. */
  const runRound = async (pass: ScanProgress['pass'], jobs: Task[]): Promise<{ results: Map<number, JobResult>; failed: Set<number> }> => {
    round += 1;
    const thisRound = round;
    // A large log cut into byte ranges is several jobs but one file: progress counts files, and a
    // cut file when all its ranges are in (the ranges' jobs are asked about by number, so one
    // small query however many files the round has).
    const rangesOf = new Map<number, number[]>();
    for (const [idx, task] of jobs.entries()) {
      const idxs = rangesOf.get(task.file);
      if (idxs) idxs.push(idx);
      else rangesOf.set(task.file, [idx]);
    }
    const cut = [...rangesOf.values()].filter((idxs) => idxs.length > 1);
    const cutJobs = cut.flat();
    const progress: ScanProgress = { pass, files: 0, totalFiles: rangesOf.size, bytes: 0, totalBytes: jobs.reduce((n, j) => n + j.bytes, 0) };
    const batches = cutBatches(
      jobs.map((j) => j.bytes),
      limits,
    );
    await queue.addBulk(
      batches.map((idxs, batch) => ({
        name: pass,
        data: {
          runId,
          firm: options.firm,
          round: thisRound,
          batch,
          files: idxs.map((idx) => {
            const { entry, job } = jobs[idx] as (typeof jobs)[number];
            return { idx, entry: absoluteEntry(entry), job };
          }),
          engine,
        },
        opts: {
          jobId: jobId(runId, thisRound, batch),
          attempts,
          backoff: { type: 'exponential', delay: 1000 },
          priority: Math.min(batch + 1, MAX_PRIORITY),
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    // Batches not yet known to be finished; files of failed batches that are not stored.
    const open = new Set(batches.keys());
    const notRead = new Set<number>();
    /** One look at the round; true when every file is stored or reported. */
    const look = async (poll: number): Promise<boolean> => {
      // One row however big the round: the count of stored files and their bytes.
      const stored = await store.progress(runId, thisRound);
      const jobsIn = stored.files + notRead.size;
      progress.files = jobsIn;
      if (cutJobs.length > 0) {
        const storedCut = await store.stored(runId, thisRound, cutJobs);
        const isIn = (idx: number): boolean => storedCut.has(idx) || notRead.has(idx);
        const cutJobsIn = cutJobs.filter(isIn).length;
        progress.files = jobsIn - cutJobsIn + cut.filter((idxs) => idxs.every(isIn)).length;
      }
      progress.bytes = stored.bytes;
      const counts = await queue.getJobCounts('active', 'delayed');
      progress.queue = { busy: counts['active'] ?? 0, retrying: counts['delayed'] ?? 0 };
      onProgress?.(progress);
      if (jobsIn >= jobs.length) return true;
      // The queue is asked about unfinished batches now and then: one that failed its last try has
      // its files not stored reported, one the queue no longer knows (Redis restarted empty) stops the run.
      if (poll % 3 === 2) {
        for (const batch of [...open].slice(0, 1000)) {
          const idxs = batches[batch] as number[];
          const id = jobId(runId, thisRound, batch);
          // The state first, then the job: a job read before its state is a try behind when its last
          // try ends in between (it said "failed 1 time" of 2).
          const found = await queue.getJobState(id);
          const state = found === 'unknown' ? 'missing' : found;
          if (state === 'completed') open.delete(batch);
          if (state !== 'missing' && state !== 'failed') continue;
          const have = await store.stored(runId, thisRound, idxs);
          if (state === 'missing') {
            if (have.size === idxs.length) {
              open.delete(batch);
              continue;
            }
            throw new QueueLost(
              `the queue no longer holds job ${id} (${jobs[idxs[0] as number]?.entry.path ?? '?'}${idxs.length > 1 ? ` and ${idxs.length - 1} more` : ''}): Redis was restarted or emptied mid-run; nothing was stored in the case — enqueue the scan again`,
            );
          }
          open.delete(batch);
          const job = await queue.getJob(id);
          for (const idx of idxs) {
            if (have.has(idx)) continue;
            const task = jobs[idx];
            const path = task?.entry.path;
            const range = task?.job.kind === 'detect' ? task.job.range : undefined;
            notRead.add(idx);
            failures.push({
              where: path,
              message: `not read: failed ${job?.attemptsMade ?? 0} time(s) in the queue${range ? ` (bytes ${range.start}–${range.end})` : ''} (${reasonFor(path, job?.failedReason)})`,
            });
          }
        }
      }
      return false;
    };
    // Redis or PostgreSQL out for a moment (a restart, a failover) is waited out; for longer, the run
    // stops and says so rather than give a case built from part of the evidence.
    let downSince: number | undefined;
    for (let poll = 0; ; poll++) {
      try {
        if (await look(poll)) break;
        downSince = undefined;
      } catch (err) {
        if (err instanceof QueueLost) throw err;
        downSince ??= Date.now();
        if (Date.now() - downSince >= outageMs) {
          throw new QueueLost(
            `the queue at ${options.redisUrl} or the results database has not answered for ${Math.round(outageMs / 1000)} s (${err instanceof Error ? err.message : String(err)}); nothing was stored in the case — enqueue the scan again`,
          );
        }
      }
      await sleep(pollMs);
    }
    return { results: await store.results(runId, thisRound), failed: notRead };
  };

  return {
    failures,
    async close() {
      await queue.close();
      await store.close();
    },
    async run(pass, jobs, take) {
      // A large log on disk is read by ranges, one job each; zip members cannot be read from an offset.
      const tasks: Task[] = [];
      const ranged = new Map<number, number>();
      for (const [file, { entry, job }] of jobs.entries()) {
        if (job.kind === 'detect' && entry.location.kind === 'file' && entry.size > rangeBytes) {
          const ranges = cutRanges(entry.size, rangeBytes);
          ranged.set(file, ranges.length);
          for (const range of ranges) tasks.push({ file, entry, job: { kind: 'detect', range }, bytes: range.end - range.start });
        } else tasks.push({ file, entry, job, bytes: entry.size });
      }
      const { results: byTask, failed } = await runRound(pass, tasks);
      const results = new Map<EvidenceEntry, JobResult>();
      const parts = new Map<number, RangePart[]>();
      const lost = new Set<number>();
      for (const [idx, task] of tasks.entries()) {
        if (failed.has(idx)) lost.add(task.file);
        const result = byTask.get(idx);
        if (result?.kind === 'range') parts.set(task.file, [...(parts.get(task.file) ?? []), result.part]);
        else if (result) results.set(task.entry, result);
      }
      // Ranges put together; a file whose cuts could not be trusted is read again whole, in a round of its own.
      const again: Task[] = [];
      for (const [file, count] of ranged) {
        if (lost.has(file)) continue; // its failed range is reported by name
        const { entry } = jobs[file] as (typeof jobs)[number];
        const merged = mergeRanges(entry, parts.get(file) ?? [], count, folded);
        if ('whole' in merged) again.push({ file, entry, job: { kind: 'detect' }, bytes: entry.size });
        else results.set(entry, { kind: 'detect', result: merged });
      }
      if (again.length > 0) {
        const { results: whole } = await runRound(pass, again);
        for (const [idx, task] of again.entries()) {
          const result = whole.get(idx);
          if (result) results.set(task.entry, result);
        }
      }
      if (!take) return results;
      // Each result as the runners on this machine give it: through `take`, with its job's index.
      const kept = new Map<EvidenceEntry, JobResult>();
      for (const [index, { entry }] of jobs.entries()) {
        const result = results.get(entry);
        const keep = result && take(entry, result, index);
        if (keep) kept.set(entry, keep);
      }
      return kept;
    },
  };
}
