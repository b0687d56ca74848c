// What a queued job carries: the file to read (paths made absolute, so a worker started elsewhere
// finds the same file on the shared storage), the pass, and the rules to load.

import type { EvidenceEntry } from '../../evidence/bundle.js';
import type { EngineOptions } from '../engine.js';
import type { Job } from '../job.js';

export const QUEUE_NAME = 'exir-scan';

export interface QueuedJob {
  runId: string;
  firm: string;
  round: number;
  idx: number;
  entry: EvidenceEntry;
  job: Job;
  engine: EngineOptions;
}

export function jobId(runId: string, round: number, idx: number): string {
  return `${runId}.${round}.${idx}`;
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
