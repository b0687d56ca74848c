// What a queued job carries: a batch of files to read (paths made absolute, so a worker started
// elsewhere finds the same files on the shared storage), each with its pass, and the rules to load.

import type { EvidenceEntry } from '../../evidence/bundle.js';
import type { EngineOptions } from '../engine.js';
import type { Job } from '../job.js';

export const QUEUE_NAME = 'exir-scan';

/** One file of a batch: its place in the round (the key its result is stored under), the file and what to do with it. */
export interface QueuedFile {
  idx: number;
  entry: EvidenceEntry;
  job: Job;
}

export interface QueuedJob {
  runId: string;
  firm: string;
  round: number;
  batch: number;
  files: QueuedFile[];
  engine: EngineOptions;
}

export function jobId(runId: string, round: number, batch: number): string {
  return `${runId}.${round}.${batch}`;
}

/**
 * The key prefix of the queue in Redis: `?prefix=NAME` on the URL keeps several queues (a test run,
 * a second provider) apart on one Redis; BullMQ's own default otherwise.
 */
export function queuePrefix(url: string): string {
  return new URL(url).searchParams.get('prefix') || 'bull';
}

/** BullMQ's connection options from a redis:// URL. */
export function redisConnection(url: string): { host: string; port: number; db?: number; username?: string; password?: string; maxRetriesPerRequest: null } {
  const u = new URL(url);
  if (u.protocol !== 'redis:') throw new Error(`--queue must be a redis:// URL (got ${u.protocol})`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    // BullMQ's blocking connections must not give up on a command: it waits for Redis to come back.
    maxRetriesPerRequest: null,
  };
}
