// What `exir queue status` shows: jobs by state and firm from the queue, runs and the slowest files
// from the results the workers stored.

import { Queue } from 'bullmq';
import { safeText } from '../../core/terminal-text.js';
import { QUEUE_NAME, queuePrefix, redisConnection, type QueuedJob } from './names.js';
import { ResultStore } from './results.js';

export interface QueueStatus {
  counts: Record<string, number>;
  /** Jobs not yet done, by firm and state. */
  byFirm: { firm: string; waiting: number; active: number; delayed: number; failed: number }[];
  /** Failed jobs: the first file of each batch, how many files it held, and why it failed. */
  failed: { firm: string; path: string; files: number; reason: string; attempts: number }[];
  runs: { runId: string; firm: string; jobs: number; bytes: number; first: string; last: string; done: boolean }[];
  slowest: { runId: string; path: string; ms: number; bytes: number; worker: string }[];
  workers: number;
}

export async function queueStatus(redisUrl: string, dbUrl: string): Promise<QueueStatus> {
  const queue = new Queue<QueuedJob>(QUEUE_NAME, { connection: { ...redisConnection(redisUrl), maxRetriesPerRequest: 3 }, prefix: queuePrefix(redisUrl) });
  const store = await ResultStore.open(dbUrl);
  try {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
    const firms = new Map<string, QueueStatus['byFirm'][number]>();
    const tally = async (
      state: 'waiting' | 'active' | 'delayed' | 'failed',
      types: ('waiting' | 'prioritized' | 'active' | 'delayed' | 'failed')[],
    ): Promise<void> => {
      for (const job of await queue.getJobs(types, 0, 10_000)) {
        const firm = job.data.firm;
        const row = firms.get(firm) ?? { firm, waiting: 0, active: 0, delayed: 0, failed: 0 };
        row[state] += 1;
        firms.set(firm, row);
      }
    };
    await tally('waiting', ['waiting', 'prioritized']);
    await tally('active', ['active']);
    await tally('delayed', ['delayed']);
    await tally('failed', ['failed']);
    const failed = (await queue.getFailed(0, 50)).map((j) => ({
      firm: j.data.firm,
      path: j.data.files[0]?.entry.path ?? '',
      files: j.data.files.length,
      reason: j.failedReason ?? '',
      attempts: j.attemptsMade,
    }));
    return {
      counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])),
      byFirm: [...firms.values()].sort((a, b) => a.firm.localeCompare(b.firm)),
      failed,
      runs: await store.runs(),
      slowest: await store.slowest(),
      workers: (await queue.getWorkers()).length,
    };
  } finally {
    await queue.close();
    await store.close();
  }
}

export function renderQueueStatus(s: QueueStatus): string {
  const lines = [
    `workers connected: ${s.workers}`,
    `jobs: ${Object.entries(s.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  if (s.byFirm.length) {
    lines.push('by firm (not yet done):');
    for (const f of s.byFirm) lines.push(`  ${safeText(f.firm)}: waiting ${f.waiting}, active ${f.active}, retrying ${f.delayed}, failed ${f.failed}`);
  }
  if (s.failed.length) {
    lines.push('failed jobs:');
    for (const f of s.failed)
      lines.push(`  ${safeText(f.firm)} ${safeText(f.path)}${f.files > 1 ? ` and ${f.files - 1} more` : ''}: ${safeText(f.reason)} (${f.attempts} tries)`);
  }
  if (s.runs.length) {
    lines.push('runs (newest first):');
    for (const r of s.runs)
      lines.push(
        `  ${r.runId} ${safeText(r.firm)}: ${r.jobs} job(s) stored, ${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.first} to ${r.last}${r.done ? ', done' : ''}`,
      );
  }
  if (s.slowest.length) {
    lines.push('slowest files:');
    for (const f of s.slowest)
      lines.push(`  ${(f.ms / 1000).toFixed(1)} s  ${safeText(f.path)} (${(f.bytes / 1024 / 1024).toFixed(1)} MB, ${safeText(f.worker)})`);
  }
  return `${lines.join('\n')}\n`;
}
