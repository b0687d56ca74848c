import { availableParallelism } from 'node:os';
import type { EvidenceFile, Finding, ScanResult, TimelineEntry, Warning } from '../core/types.js';
import { TOOL } from '../core/tool.js';
import { measureCoverage } from '../correlate/coverage.js';
import { findMailboxes, findMailMovements } from '../correlate/mailboxes.js';
import { capRequests } from '../correlate/request-caps.js';
import { buildSessions, followKeys, type FollowKeys } from '../correlate/sessions.js';
import { summariseServers } from '../correlate/verdict.js';
import { enumerateEvidence, type EvidenceEntry } from '../evidence/bundle.js';
import { EvidenceOpener } from '../evidence/open.js';
import type { ZipLimits } from '../evidence/zip.js';
import { loadEngine, type Engine, type EngineOptions } from './engine.js';
import type { Job, JobResult } from './job.js';
import { runJob } from './job.js';
import { followsByTime } from './follow.js';
import { runPool } from './pool.js';

export interface ScanProgress {
  /** `detect` reads every file; `follow` reads the logs again for the attackers' other records. */
  pass: 'detect' | 'follow';
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface ScanOptions extends EngineOptions {
  inputs: string[];
  /** Worker threads; 1 reads in this thread. Default: one per core. */
  threads?: number;
  zipLimits?: ZipLimits;
  onProgress?: (progress: ScanProgress) => void;
  /** Fixed scan time, for reproducible output in tests. */
  now?: Date;
  /** Use worker threads even for small evidence (tests of the thread path). */
  forceThreads?: boolean;
}

/** Files read at once by one thread: small files are bound by the wait for open and read, not by CPU. */
export const FILES_IN_FLIGHT = 6;

/** Runs `work` over the items with at most `limit` in flight. */
export async function eachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Below this much evidence, starting threads costs more than it saves. */
const THREADS_FROM_BYTES = 16 * 1024 * 1024;

interface Runner {
  run(pass: ScanProgress['pass'], jobs: { entry: EvidenceEntry; job: Job }[]): Promise<Map<EvidenceEntry, JobResult>>;
  failures: Warning[];
}

/** Runs jobs on worker threads when the evidence is big enough to be worth it, else in this thread. */
function runner(options: ScanOptions, engine: Engine, totalBytes: number, fileCount: number): Runner {
  const threads = options.threads ?? availableParallelism();
  const pooled = threads > 1 && fileCount > 1 && (options.forceThreads === true || totalBytes >= THREADS_FROM_BYTES);
  const { inputs: _i, onProgress: _p, zipLimits: _z, now: _n, forceThreads: _f, threads: _t, ...engineOptions } = options;
  const failures: Warning[] = [];
  return {
    failures,
    async run(pass, jobs) {
      const results = new Map<EvidenceEntry, JobResult>();
      const progress: ScanProgress = { pass, files: 0, totalFiles: jobs.length, bytes: 0, totalBytes: jobs.reduce((n, j) => n + j.entry.size, 0) };
      const onBytes = (bytes: number): void => {
        progress.bytes += bytes;
        options.onProgress?.(progress);
      };
      const onResult = (entry: EvidenceEntry, result: JobResult): void => {
        results.set(entry, result);
        progress.files += 1;
        options.onProgress?.(progress);
      };
      if (pooled) {
        await runPool(jobs, threads, engineOptions, {
          onBytes,
          onResult,
          onFailure: (entry, message) => failures.push({ where: entry.path, message }),
        });
      } else {
        const opener = new EvidenceOpener();
        try {
          await eachConcurrently(jobs, FILES_IN_FLIGHT, async ({ entry, job }) => {
            try {
              onResult(entry, await runJob(job, entry, engine, opener, onBytes));
            } catch (err) {
              failures.push({ where: entry.path, message: err instanceof Error ? err.message : String(err) });
            }
          });
        } finally {
          await opener.close();
        }
      }
      return results;
    },
  };
}

/** Scans folders and .zip bundles: the library call behind `exir scan`. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const engine = await loadEngine(options);
  const { entries, warnings } = await enumerateEvidence(options.inputs, options.zipLimits);
  for (const error of engine.ruleset.errors) {
    warnings.push({ where: `${error.file}${error.line ? `:${error.line}` : ''}`, message: `rule not loaded: ${error.message}` });
  }
  const run = runner(options, engine, entries.reduce((n, e) => n + e.size, 0), entries.length);

  // Pass 1: every file hashed, recognised and read; rules see the records holding their literals.
  const detected = await run.run('detect', entries.map((entry) => ({ entry, job: { kind: 'detect' } })));
  const evidence: EvidenceFile[] = [];
  const raw: Finding[] = [];
  const fileOf = new Map<EvidenceFile, EvidenceEntry>();
  for (const entry of entries) {
    const result = detected.get(entry);
    if (result?.kind !== 'detect') continue;
    evidence.push(result.result.evidence);
    fileOf.set(result.result.evidence, entry);
    raw.push(...result.result.findings);
    warnings.push(...result.result.warnings);
  }
  const findings = capRequests(raw).sort(byTimeThenOrigin);

  // Pass 2: the attackers' other records, in the logs that can hold them.
  const keys = followKeys(findings);
  let activity: TimelineEntry[] = [];
  if (keys) {
    const jobs: { entry: EvidenceEntry; job: Job }[] = [];
    for (const e of evidence) {
      const entry = fileOf.get(e);
      if (!entry || e.kind === 'unknown' || !e.server || !worthFollowing(e, keys)) continue;
      jobs.push({ entry, job: { kind: 'follow', server: e.server, keys } });
    }
    const followed = await run.run('follow', jobs);
    for (const { entry } of jobs) {
      const result = followed.get(entry);
      if (result?.kind === 'follow') activity.push(...result.entries);
    }
    activity = activity.sort(entryOrder);
  }
  warnings.push(...run.failures);

  const sessions = buildSessions(findings, activity, engine.mappings);
  const mailboxes = findMailboxes(findings, sessions, evidence);
  const coverage = measureCoverage(evidence, findings);
  return {
    tool: TOOL,
    scannedAt: (options.now ?? new Date()).toISOString(),
    evidence,
    servers: summariseServers(evidence, findings, { sessions, coverage, mailboxes }),
    findings,
    sessions,
    mailboxes,
    mail: findMailMovements(sessions, mailboxes),
    coverage,
    warnings,
    rules: { loaded: engine.ruleset.rules.length, failed: engine.ruleset.errors.length },
  };
}

/** A log that names no client is read again only where its time span meets the attack on its server. */
function worthFollowing(file: EvidenceFile, keys: FollowKeys): boolean {
  if (!followsByTime(file.kind)) return true;
  const windows = keys.windows[file.server ?? ''] ?? [];
  if (!file.firstTime || !file.lastTime) return windows.length > 0;
  return windows.some((w) => file.firstTime as string <= w.to && (file.lastTime as string) >= w.from);
}

function byTimeThenOrigin(a: Finding, b: Finding): number {
  return (a.time ?? '').localeCompare(b.time ?? '')
    || a.origin.path.localeCompare(b.origin.path)
    || a.origin.line - b.origin.line
    || a.ruleId.localeCompare(b.ruleId);
}

function entryOrder(a: TimelineEntry, b: TimelineEntry): number {
  return (a.time ?? '').localeCompare(b.time ?? '') || a.origin.path.localeCompare(b.origin.path) || a.origin.line - b.origin.line;
}
