import { availableParallelism } from 'node:os';
import type { EvidenceFile, Finding, ScanResult, Warning } from '../core/types.js';
import { capRequests } from '../correlate/request-caps.js';
import { summariseServers } from '../correlate/verdict.js';
import { enumerateEvidence, type EvidenceEntry } from '../evidence/bundle.js';
import { EvidenceOpener } from '../evidence/open.js';
import type { ZipLimits } from '../evidence/zip.js';
import { TOOL } from '../core/tool.js';
import { loadEngine, type EngineOptions } from './engine.js';
import { runPool } from './pool.js';
import { scanEntry, type EntryResult } from './scan-entry.js';

export interface ScanProgress {
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

/** Scans folders and .zip bundles: the library call behind `exir scan`. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const engine = await loadEngine(options);
  const { entries, warnings } = await enumerateEvidence(options.inputs, options.zipLimits);
  for (const error of engine.ruleset.errors) {
    warnings.push({ where: `${error.file}${error.line ? `:${error.line}` : ''}`, message: `rule not loaded: ${error.message}` });
  }
  const progress: ScanProgress = { files: 0, totalFiles: entries.length, bytes: 0, totalBytes: entries.reduce((n, e) => n + e.size, 0) };
  const results = new Map<EvidenceEntry, EntryResult>();
  const failures: Warning[] = [];
  const onBytes = (bytes: number): void => {
    progress.bytes += bytes;
    options.onProgress?.(progress);
  };
  const onResult = (entry: EvidenceEntry, result: EntryResult): void => {
    results.set(entry, result);
    progress.files += 1;
    options.onProgress?.(progress);
  };
  const threads = options.threads ?? availableParallelism();
  if (threads > 1 && entries.length > 1 && (options.forceThreads || progress.totalBytes >= THREADS_FROM_BYTES)) {
    const { inputs: _inputs, onProgress: _onProgress, zipLimits: _zipLimits, now: _now, forceThreads: _force, ...engineOptions } = options;
    await runPool(entries, threads, engineOptions, {
      onBytes,
      onResult,
      onFailure: (entry, message) => failures.push({ where: entry.path, message }),
    });
  } else {
    const opener = new EvidenceOpener();
    try {
      await eachConcurrently(entries, FILES_IN_FLIGHT, async (entry) => onResult(entry, await scanEntry(entry, engine, opener, onBytes)));
    } finally {
      await opener.close();
    }
  }
  const evidence: EvidenceFile[] = [];
  const findings: Finding[] = [];
  for (const entry of entries) {
    const result = results.get(entry);
    if (!result) continue;
    evidence.push(result.evidence);
    findings.push(...result.findings);
    warnings.push(...result.warnings);
  }
  warnings.push(...failures);
  const joined = capRequests(findings).sort(byTimeThenOrigin);
  return {
    tool: TOOL,
    scannedAt: (options.now ?? new Date()).toISOString(),
    evidence,
    servers: summariseServers(evidence, joined),
    findings: joined,
    warnings,
    rules: { loaded: engine.ruleset.rules.length, failed: engine.ruleset.errors.length },
  };
}

function byTimeThenOrigin(a: Finding, b: Finding): number {
  return (a.time ?? '').localeCompare(b.time ?? '')
    || a.origin.path.localeCompare(b.origin.path)
    || a.origin.line - b.origin.line
    || a.ruleId.localeCompare(b.ruleId);
}
