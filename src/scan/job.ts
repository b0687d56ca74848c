import type { TimelineEntry } from '../core/types.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import type { EvidenceOpener } from '../evidence/open.js';
import type { Engine } from './engine.js';
import type { FollowKeys } from '../correlate/sessions.js';
import { followEntry } from './follow.js';
import { scanEntry, type EntryResult } from './scan-entry.js';

/** The two passes over a file: find what the rules match, then follow the attackers found. */
export type Job = { kind: 'detect' } | { kind: 'follow'; server: string; keys: FollowKeys };

export type JobResult = { kind: 'detect'; result: EntryResult } | { kind: 'follow'; entries: TimelineEntry[] };

export async function runJob(job: Job, entry: EvidenceEntry, engine: Engine, opener: EvidenceOpener, onBytes?: (bytes: number) => void): Promise<JobResult> {
  if (job.kind === 'detect') return { kind: 'detect', result: await scanEntry(entry, engine, opener, onBytes) };
  return { kind: 'follow', entries: await followEntry(entry, job.server, engine, opener, job.keys) };
}
