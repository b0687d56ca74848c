import { availableParallelism } from 'node:os';
import type { ContextRecord, EvidenceFile, Finding, MailboxTouch, ScanResult, Session, TimelineEntry, Warning } from '../core/types.js';
import { TOOL } from '../core/tool.js';
import { measureCoverage } from '../correlate/coverage.js';
import { findMailboxes, findMailMovements, forwardingAddresses } from '../correlate/mailboxes.js';
import { keepFollowers } from '../correlate/after-write.js';
import { capRequests } from '../correlate/request-caps.js';
import { buildSessions, followKeys, seedFindings, type FollowKeys } from '../correlate/sessions.js';
import { loadAttackerIps, namePublishers } from '../detect/attacker-ips.js';
import type { FileCheckerOptions } from '../detect/files/index.js';
import { FindingCollector } from '../detect/repeats.js';
import { foldedRuleIds } from '../detect/ruleset.js';
import { noteCvesAfterRecord } from '../correlate/cve-dates.js';
import { summariseServers } from '../correlate/verdict.js';
import { webShellsByServer } from '../correlate/web-shells.js';
import { enumerateEvidence, type EvidenceEntry, type ListingWatch } from '../evidence/bundle.js';
import { collectionWarnings, findCollections, verifyCollection } from '../evidence/collector/collection.js';
import { checkKapeCollections, kapeWarnings } from '../evidence/collector/kape.js';
import { EvidenceOpener } from '../evidence/open.js';
import type { ZipLimits } from '../evidence/zip.js';
import { loadEngine, type Engine, type EngineOptions } from './engine.js';
import type { Job, JobResult } from './job.js';
import { runJob } from './job.js';
import type { EntryResult } from './scan-entry.js';
import { followsByTime } from './follow.js';
import { jobsThatMayName } from './follow-check.js';
import { RowKeeper } from './kept-rows.js';
import { WorkerPool } from './pool.js';
import { trimFreedMemory } from '../sources/bytes/native.js';
import type { QueueScanOptions } from './queue/coordinator.js';

export interface ScanProgress {
  /** `detect` reads every file; `files` checks those that are not logs; `follow` reads the logs again for the attackers' other records. */
  pass: 'detect' | 'files' | 'follow';
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  /** A queued scan's: jobs in workers' hands and jobs waiting for another try, across the queue. */
  queue?: { busy: number; retrying: number };
}

export interface ScanOptions extends EngineOptions {
  inputs: string[];
  /** Reading threads, this one included (so 1 starts no worker). Default: see defaultThreads. */
  threads?: number;
  zipLimits?: ZipLimits;
  onProgress?: (progress: ScanProgress) => void;
  /** Fixed scan time, for reproducible output in tests. */
  now?: Date;
  /** Use worker threads even for small evidence (tests of the thread path). */
  forceThreads?: boolean;
  /** Leave out the checks of files that are not logs (web shells, dumps, staged archives). */
  noFileChecks?: boolean;
  /** Send the reading to `exir worker` processes through a queue instead of reading here. */
  queue?: QueueScanOptions;
}

/** Files read at once by one thread: small files are bound by the wait for open and read, not by CPU. */
const FILES_IN_FLIGHT = 6;

/**
 * A second reader on two cores, up to this many files. Its heap, young generation and read buffers
 * add 50-70 MiB to peak memory, and what a scan holds for its output grows with its files: two
 * readers stay under the 300 MiB peak issue #17 allows up to about this many files (measured
 * 7 December 2026; README, "Both cores, bounded memory"), one reader is used above it.
 */
const SECOND_READER_MAX_FILES = 25_000;

/** One reading thread per core, this one included, from three cores up; on two cores, both while the files are few enough. */
export function defaultThreads(fileCount: number, cores = availableParallelism()): number {
  if (cores >= 3) return cores;
  return cores === 2 && fileCount <= SECOND_READER_MAX_FILES ? 2 : 1;
}

/**
 * Read this much, the memory the pass has freed is given back to the system (and again at the end of
 * each pass): the C allocator kept 20-40 MiB of freed read buffers resident per pass (README, "The
 * end of the scan, and another machine"). A trim takes milliseconds.
 */
const TRIM_EVERY_BYTES = 128 * 1024 * 1024;

/**
 * Below this much evidence, starting threads costs more than it saves; and a pass over less than
 * this is read in this thread alone. A worker loads the rules and compiles the hot code again
 * (0.4-0.5 s of CPU) and splits the files unevenly when they are few and large: on two cores, one
 * reader took less CPU and no more wall time than two up to 262 MB of logs, two saved 10-13% of wall
 * time from 537 MB (README, "Where the CPU went").
 */
const THREADS_FROM_BYTES = 256 * 1024 * 1024;

/**
 * The threads that read a scan, this one included: as many as asked (or the default), one per file
 * at most, and only this one below THREADS_FROM_BYTES of evidence unless a test forces threads.
 */
export function readingThreads(threads: number, totalBytes: number, fileCount: number, force = false): number {
  if (threads <= 1 || fileCount <= 1 || !worthThreads(totalBytes, force)) return 1;
  return Math.min(threads, fileCount);
}

/** Whether this much reading is worth threads: the scan's, to start them, and each pass's, to use them. */
function worthThreads(bytes: number, force = false): boolean {
  return force || bytes >= THREADS_FROM_BYTES;
}

/** Runs the jobs of one pass and gives back each file's result: in this process, on threads, or through a queue. */
export interface Runner {
  /**
   * `take` sees each result, with its job's index, and gives what is to be kept of it in the map
   * (nothing: not kept there); without it every result is kept.
   */
  run(
    pass: ScanProgress['pass'],
    jobs: { entry: EvidenceEntry; job: Job }[],
    take?: (entry: EvidenceEntry, result: JobResult, index: number) => JobResult | undefined,
  ): Promise<Map<EvidenceEntry, JobResult>>;
  /**
   * The passes that read every file are done: threads started for them are let go (each holds its
   * own heap and rules), and later runs, if any, read in this thread. Optional: a queue's workers
   * are other processes.
   */
  lastLargePassDone?(): Promise<void>;
  close(): Promise<void>;
  failures: Warning[];
}

/** The part of the scan's options that says which rules to load: what a worker thread or process needs. */
function engineOptionsOf(options: ScanOptions): EngineOptions {
  const { inputs: _i, onProgress: _p, zipLimits: _z, now: _n, forceThreads: _f, threads: _t, noFileChecks: _c, queue: _q, ...engineOptions } = options;
  return engineOptions;
}

/** The workers a scan of this much evidence reads with, besides this thread. */
function workersFor(options: ScanOptions, totalBytes: number, fileCount: number, cores = availableParallelism()): number {
  return readingThreads(options.threads ?? defaultThreads(fileCount, cores), totalBytes, fileCount, options.forceThreads) - 1;
}

/**
 * Starts the pool's workers as soon as the evidence listed so far is worth them: a worker takes 0.2 s
 * or more to load its modules and rules, which then overlaps the rest of the listing and the
 * loading of this thread's rules, not the reading. Never lets any go: the listing's end decides that.
 */
function startEarly(pool: WorkerPool, options: ScanOptions): ListingWatch {
  const cores = availableParallelism();
  return (bytes, files) => {
    if (!worthThreads(bytes, options.forceThreads)) return;
    const wanted = workersFor(options, bytes, files, cores);
    if (wanted > pool.size) void pool.resize(wanted);
  };
}

/** Runs jobs on the pool's worker threads when the evidence is big enough to be worth it, else in this thread. */
async function runner(options: ScanOptions, engine: Engine, pool: WorkerPool, totalBytes: number, fileCount: number): Promise<Runner> {
  // With no workers the pool reads in this thread alone.
  await pool.resize(workersFor(options, totalBytes, fileCount));
  const failures: Warning[] = [];
  return {
    failures,
    lastLargePassDone: () => pool.close(),
    close: () => pool.close(),
    async run(pass, jobs, take) {
      const results = new Map<EvidenceEntry, JobResult>();
      const progress: ScanProgress = { pass, files: 0, totalFiles: jobs.length, bytes: 0, totalBytes: jobs.reduce((n, j) => n + j.entry.size, 0) };
      // Bytes are counted as they are read, each file's up to its size (a pass may read a file
      // twice, or only its head); what a file's job did not read is counted when it is done.
      const read = new Map<EvidenceEntry, number>();
      const onBytes = (bytes: number, entry: EvidenceEntry): void => {
        const before = read.get(entry) ?? 0;
        read.set(entry, before + bytes);
        const counted = Math.min(bytes, Math.max(0, entry.size - before));
        if (counted === 0) return;
        progress.bytes += counted;
        options.onProgress?.(progress);
      };
      let untrimmed = 0;
      const onResult = (entry: EvidenceEntry, result: JobResult, index: number): void => {
        untrimmed += entry.size;
        if (untrimmed >= TRIM_EVERY_BYTES) {
          untrimmed = 0;
          trimFreedMemory();
        }
        const kept = take ? take(entry, result, index) : result;
        if (kept) results.set(entry, kept);
        progress.files += 1;
        progress.bytes += Math.max(0, entry.size - (read.get(entry) ?? 0));
        read.delete(entry);
        options.onProgress?.(progress);
      };
      // Failures are said in the order of the files, whichever thread read them.
      const failed = new Map<EvidenceEntry, string>();
      const opener = new EvidenceOpener();
      try {
        await pool.run(
          jobs,
          { onBytes, onResult, onFailure: (entry, message) => failed.set(entry, message) },
          { inFlight: FILES_IN_FLIGHT, run: (entry, job, onRead) => runJob(job, entry, engine, opener, onRead) },
          !worthThreads(progress.totalBytes, options.forceThreads),
        );
      } finally {
        await opener.close();
      }
      // The pass's reading is done, in every thread: what it freed goes back to the system.
      trimFreedMemory();
      for (const { entry } of jobs) {
        const message = failed.get(entry);
        if (message !== undefined) failures.push({ where: entry.path, message });
      }
      return results;
    },
  };
}

/** Scans folders and .zip bundles: the library call behind `exir scan`. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  // A queued scan's readers are other processes: no worker thread is started here.
  const pool = options.queue ? undefined : new WorkerPool(0, engineOptionsOf(options));
  try {
    return await scanWith(options, pool);
  } finally {
    await pool?.close();
  }
}

async function scanWith(options: ScanOptions, pool: WorkerPool | undefined): Promise<ScanResult> {
  // The listing and this thread's rules load at once; the workers start during the listing.
  const listing = enumerateEvidence(options.inputs, options.zipLimits, pool && startEarly(pool, options));
  // Said only if the rules load: the rules' error comes first, as it did when they loaded first.
  listing.catch(() => {});
  const engine = await loadEngine(options);
  const { entries, warnings } = await listing;
  const collections = await findCollections(entries, warnings);
  for (const error of engine.ruleset.errors) {
    warnings.push({ where: `${error.file}${error.line ? `:${error.line}` : ''}`, message: `rule not loaded: ${error.message}` });
  }
  const unreachable = engine.ruleset.rules.filter((r) => r.sources.length === 0);
  if (engine.ruleset.errors.length > 0 || unreachable.length > 0) {
    const names = unreachable
      .slice(0, 5)
      .map((r) => r.file)
      .join(', ');
    warnings.push({
      message:
        `${engine.ruleset.errors.length + unreachable.length} rule(s) could not be used: ${engine.ruleset.errors.length} not loaded (each said above), ` +
        `${unreachable.length} for logs exir does not read${unreachable.length ? ` (${names}${unreachable.length > 5 ? ', …' : ''}; exir rules lint lists them)` : ''}`,
    });
  }
  // The queue's client is loaded only when asked for: a scan on one machine needs neither Redis nor PostgreSQL.
  const run = options.queue
    ? await (await import('./queue/coordinator.js')).queueRunner(options.queue, engineOptionsOf(options), foldedRuleIds(engine.ruleset), options.onProgress)
    : await runner(
        options,
        engine,
        pool as WorkerPool,
        entries.reduce((n, e) => n + e.size, 0),
        entries.length,
      );

  let evidence: EvidenceFile[];
  let findings: Finding[];
  let sessions: Session[];
  let mailboxes: MailboxTouch[];
  let forwarded: TimelineEntry[];
  let context: ContextRecord[];
  try {
    ({ evidence, findings, sessions, mailboxes, forwarded, context } = await readPasses(run, engine, entries, warnings, options));
  } finally {
    await run.close();
  }
  warnings.push(...run.failures);
  const checks = collections.map((c) => verifyCollection(c, evidence));
  for (const check of checks) warnings.push(...collectionWarnings(check));
  // KAPE records SHA-1, not the SHA-256 the scan took: the files its copy log lists are read once more.
  const kapeOpener = new EvidenceOpener();
  try {
    for (const check of await checkKapeCollections(entries, kapeOpener, warnings)) {
      checks.push(check);
      warnings.push(...kapeWarnings(check));
    }
  } finally {
    await kapeOpener.close();
  }

  const coverage = measureCoverage(evidence);
  return {
    tool: TOOL,
    scannedAt: (options.now ?? new Date()).toISOString(),
    evidence,
    servers: summariseServers(evidence, findings, { sessions, coverage, mailboxes, webShells: webShellsByServer(findings) }),
    findings,
    sessions,
    mailboxes,
    mail: findMailMovements(sessions, mailboxes, forwarded),
    coverage,
    context,
    warnings,
    rules: { loaded: engine.ruleset.rules.length, failed: engine.ruleset.errors.length, unreachable: unreachable.length },
    ...(checks.length > 0 ? { collections: checks } : {}),
  };
}

/** The passes over the evidence: detect, check the files that are not logs, follow the attackers. */
async function readPasses(
  run: Runner,
  engine: Engine,
  entries: EvidenceEntry[],
  warnings: Warning[],
  options: ScanOptions,
): Promise<{
  evidence: EvidenceFile[];
  findings: Finding[];
  sessions: Session[];
  mailboxes: MailboxTouch[];
  forwarded: TimelineEntry[];
  context: ContextRecord[];
}> {
  // Pass 1: every file hashed, recognised and read; rules see the records holding their literals.
  // Each file's row is kept as columns as it arrives, and what else it gave only where it gave
  // something: no result of each file is held until the pass ends.
  const rows = new RowKeeper(entries);
  const gave = new Map<number, Omit<EntryResult, 'evidence'>>();
  const keep = (i: number, result: EntryResult): void => {
    rows.keep(i, result.evidence);
    const { findings, warnings, context } = result;
    if (findings.length > 0 || warnings.length > 0 || (context?.length ?? 0) > 0) gave.set(i, { findings, warnings, ...(context ? { context } : {}) });
  };
  // One job object shared by every file (one each was held for the whole pass).
  const detectJob: Job = { kind: 'detect' };
  await run.run(
    'detect',
    entries.map((entry) => ({ entry, job: detectJob })),
    (_entry, result, i) => {
      if (result.kind !== 'detect') return result;
      keep(i, result.result);
      return undefined;
    },
  );
  // Folded across files too: a flood spans hours of logs. Never a spread push: a file's findings
  // can outnumber the arguments a call may take.
  const collected = new FindingCollector(foldedRuleIds(engine.ruleset));
  const context: ContextRecord[] = [];
  // The files read, in the order of the entries: each one's index into entries and rows.
  const read: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    if (!rows.has(i)) continue;
    read.push(i);
    const more = gave.get(i);
    if (!more) continue;
    for (const finding of more.findings) collected.add(finding);
    for (const kept of more.context ?? []) context.push(kept);
    for (const warning of more.warnings) warnings.push(warning);
  }
  gave.clear();
  const entryAt = (i: number): EvidenceEntry => entries[i] as EvidenceEntry;
  // Pass 2: the files that are not logs, checked as evidence, knowing each server's build.
  const others = read.filter((i) => rows.kind(i) === 'unknown');
  if (others.length > 0 && !options.noFileChecks) {
    const checker = fileCheckerOptions(rows, read, collected.findings());
    warnings.push(...(await engine.fileCheckerWarnings(checker)));
    const checked = await run.run(
      'files',
      others.map((i) => ({ entry: entryAt(i), job: { kind: 'files', sha256: rows.sha256(i), server: rows.server(i), checker } })),
    );
    for (const i of others) {
      const result = checked.get(entryAt(i));
      if (result?.kind !== 'files') continue;
      for (const finding of result.findings) collected.add(finding);
      for (const warning of result.warnings) warnings.push(warning);
      if (result.listing) {
        const { rows: listed, badRows, badSamples } = result.listing;
        rows.listed(
          i,
          listed,
          badRows,
          badSamples.map((origin) => ({ origin, reason: 'unreadable listing row' })),
        );
      }
    }
  }
  engine.releaseFileCheckers();
  const published = namePublishers(collected.findings(), await loadAttackerIps());
  const findings = noteCvesAfterRecord(capRequests(keepFollowers(published, engine.ruleset.rules))).sort(byTimeThenOrigin);

  // Pass 3: the attackers' other records, in the logs that can hold them.
  const keys = followKeys(findings);
  let activity: TimelineEntry[] = [];
  if (keys) {
    const jobs: { entry: EvidenceEntry; job: Job }[] = [];
    // One job for each server and kind of log, not one for each of 100,000 files.
    const jobOf = new Map<string, Job>();
    for (const i of read) {
      const kind = rows.kind(i);
      const server = rows.server(i);
      if (kind === 'unknown' || !server || !worthFollowing({ kind, server, firstTime: rows.firstTime(i), lastTime: rows.lastTime(i) }, keys)) continue;
      const key = `${server}\0${kind}`;
      let job = jobOf.get(key);
      if (!job) {
        job = { kind: 'follow', server, source: kind, keys };
        jobOf.set(key, job);
      }
      jobs.push({ entry: entryAt(i), job });
    }
    // The check's reading holds a MiB per thread, not a worker's heap: every core, up to the thread pool's four.
    const threads = Math.min(4, options.threads ?? availableParallelism());
    // Most logs hold nothing of the attackers: those whose bytes do not name them are not read again
    // (follow-check.ts), and only the results that found something are kept.
    const followed = await run.run('follow', await jobsThatMayName(jobs, keys, threads, !options.queue), (_entry, result) =>
      result.kind === 'follow' && result.entries.length === 0 ? undefined : result,
    );
    for (const { entry } of jobs) {
      const result = followed.get(entry);
      if (result?.kind === 'follow') activity.push(...result.entries);
    }
    activity = activity.sort(entryOrder);
  }
  // What comes next is this thread's: correlating, and at most the message tracking logs read again.
  // A worker's heap kept through it was the scan's peak memory where the attackers are in most logs.
  await run.lastLargePassDone?.();
  // The passes that read every file are done: the rows are made objects again for the stages after.
  const evidence = read.map((i) => rows.row(i));
  const sessions = buildSessions(findings, activity, engine.mappings);
  const mailboxes = findMailboxes(findings, sessions, evidence);

  // Pass 4: mail to the addresses the attacker had mail forwarded to, in message tracking.
  const addresses = forwardingAddresses(mailboxes);
  const forwarded: TimelineEntry[] = [];
  if (addresses.length > 0) {
    const keys: FollowKeys = { ips: [], urls: [], windows: {}, addresses };
    const jobs: { entry: EvidenceEntry; job: Job }[] = evidence.flatMap((e, i) =>
      e.kind === 'msgtrk' && e.server ? [{ entry: entryAt(read[i] as number), job: { kind: 'follow', server: e.server, source: e.kind, keys } }] : [],
    );
    const mail = await run.run('follow', jobs);
    for (const { entry } of jobs) {
      const result = mail.get(entry);
      if (result?.kind === 'follow') forwarded.push(...result.entries);
    }
  }
  return { evidence, findings, sessions, mailboxes, forwarded, context };
}

/**
 * What the file checks need to know: each server's build, from the newest build its own logs name
 * (so a web folder is compared with the baseline of what was installed), and when the attack was,
 * so that archives staged then are raised and older ones only listed.
 */
function fileCheckerOptions(rows: RowKeeper, read: number[], findings: Finding[]): FileCheckerOptions {
  const newest = new Map<string, { time: string; build: string }>();
  for (const i of read) {
    const build = rows.build(i);
    const server = rows.server(i);
    if (!build || !server) continue;
    const time = rows.lastTime(i) ?? '';
    const seen = newest.get(server);
    if (!seen || time > seen.time) newest.set(server, { time, build });
  }
  const times = seedFindings(findings)
    .map((f) => f.time)
    .filter((t): t is string => Boolean(t))
    .sort();
  const first = times[0];
  const last = times[times.length - 1];
  return {
    builds: Object.fromEntries([...newest].map(([server, v]) => [server, v.build])),
    ...(first && last
      ? { attackWindow: { from: new Date(Date.parse(first) - 86_400_000).toISOString(), to: new Date(Date.parse(last) + 7 * 86_400_000).toISOString() } }
      : {}),
  };
}

/** A log that names no client is read again only where its time span meets the attack on its server. */
function worthFollowing(file: Pick<EvidenceFile, 'kind' | 'server' | 'firstTime' | 'lastTime'>, keys: FollowKeys): boolean {
  if (!followsByTime(file.kind)) return true;
  const windows = keys.windows[file.server ?? ''] ?? [];
  if (!file.firstTime || !file.lastTime) return windows.length > 0;
  return windows.some((w) => (file.firstTime as string) <= w.to && (file.lastTime as string) >= w.from);
}

function byTimeThenOrigin(a: Finding, b: Finding): number {
  return (
    (a.time ?? '').localeCompare(b.time ?? '') ||
    a.origin.path.localeCompare(b.origin.path) ||
    a.origin.line - b.origin.line ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function entryOrder(a: TimelineEntry, b: TimelineEntry): number {
  return (a.time ?? '').localeCompare(b.time ?? '') || a.origin.path.localeCompare(b.origin.path) || a.origin.line - b.origin.line;
}
