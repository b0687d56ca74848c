import type { SourceKind, TimelineEntry } from '../core/types.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import type { EvidenceOpener } from '../evidence/open.js';
import type { Engine } from './engine.js';
import type { FollowKeys } from '../correlate/sessions.js';
import { checkFile, type FileJob, type FileJobResult } from './file-job.js';
import { followEntry, type PickedFollow } from './follow.js';
import { scanEntry, type EntryResult } from './scan-entry.js';
import { scanRange, type ByteRange, type RangePart } from './entry-range.js';

/** The passes over a file: find what the rules match, follow the attackers found, check files that are not logs. */
/** A detect job with a range reads only that part of a large log (queued scans; see entry-range.ts). */
export type Job = { kind: 'detect'; range?: ByteRange } | FollowJob | FileJob;

/** A log followed for the attackers' other records; `picked`: the lines to read of it, picked already (follow-check.ts). */
interface FollowJob {
  kind: 'follow';
  server: string;
  source: SourceKind;
  keys: FollowKeys;
  picked?: PickedFollow;
}

export type JobResult =
  { kind: 'detect'; result: EntryResult } | { kind: 'range'; part: RangePart } | { kind: 'follow'; entries: TimelineEntry[] } | FileJobResult;

export async function runJob(job: Job, entry: EvidenceEntry, engine: Engine, opener: EvidenceOpener, onBytes?: (bytes: number) => void): Promise<JobResult> {
  if (job.kind === 'detect' && job.range) return { kind: 'range', part: await scanRange(entry, job.range, engine, opener) };
  if (job.kind === 'detect') return { kind: 'detect', result: await scanEntry(entry, engine, opener, onBytes) };
  // The later passes read without hashing: their bytes are counted as they are read, inflated ones too.
  const reading = onBytes ? opener.counting(onBytes) : opener;
  if (job.kind === 'files') return checkFile(entry, job, await engine.fileChecker(job.checker), reading);
  return { kind: 'follow', entries: await followEntry(entry, job.server, job.source, engine, reading, job.keys, job.picked) };
}
