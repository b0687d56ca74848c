// Before the follow pass reads a log again record by record, the native addon reads the bytes of
// every log it would follow and says which may name a followed text at all. Most logs never name
// the attackers: on the bench's 1 GB bundle the follow pass read 10,090 logs, 1,006 MB, back into
// JavaScript, opened, searched and let go one job at a time, to find the attackers in a few dozen.
// A log whose bytes hold none of the texts gives the follow pass nothing (follow.ts reads such a log
// only at lines that hold one, or not at all), so leaving it out changes no result; a log that may
// hold one, or could not be read here, is followed as before. Without the addon every log is followed.

import type { FollowKeys } from '../correlate/sessions.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { nativeSearch } from '../sources/bytes/native.js';
import { followPlan, followsByTime } from './follow.js';
import type { Job } from './job.js';

/** The answer for a file whose bytes hold none of the texts (see `holding` in native/exir_scan.c). */
const HOLDS_NONE = 0;
/** The longest overlap the addon carries between the pieces it reads. */
const MAX_OVERLAP = 65536;

/**
 * The follow jobs worth running: every job but those of a file on disk, followed by the clients it
 * names, whose bytes hold none of the texts followed. `threads`: how many files are read at once.
 */
export async function jobsThatMayName<T extends { entry: EvidenceEntry; job: Job }>(jobs: T[], keys: FollowKeys, threads: number): Promise<T[]> {
  const search = nativeSearch();
  const plan = followPlan(keys);
  const needles = plan.search.native;
  if (!search || !needles || plan.search.all || plan.search.verifyAll || plan.literals.length === 0) return jobs;
  const checked: number[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const { entry, job } = jobs[i] as T;
    if (job.kind === 'follow' && !followsByTime(job.source) && entry.location.kind === 'file') checked.push(i);
  }
  if (checked.length === 0) return jobs;
  const overlap = Math.max(...plan.texts.map((t) => Buffer.byteLength(t))) - 1;
  // A text this long (a URL from the evidence can be anything) is left to the follow pass's own search.
  if (overlap > MAX_OVERLAP) return jobs;
  // Largest first, each to the group with the fewest bytes so far: the groups end near one another.
  const order = [...checked].sort((a, b) => (jobs[b] as T).entry.size - (jobs[a] as T).entry.size);
  const groups = Array.from({ length: Math.max(1, Math.min(threads, order.length)) }, () => ({ ids: [] as number[], bytes: 0 }));
  for (const i of order) {
    const lightest = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.ids.push(i);
    lightest.bytes += (jobs[i] as T).entry.size;
  }
  const answers = await Promise.all(
    groups.map(async ({ ids }) => {
      const out = new Uint8Array(ids.length);
      const paths = ids.map((i) => ((jobs[i] as T).entry.location as { file: string }).file);
      await search.holding(needles, paths, out, overlap);
      return { ids, out };
    }),
  );
  const none = new Set<number>();
  for (const { ids, out } of answers) ids.forEach((i, k) => out[k] === HOLDS_NONE && none.add(i));
  return jobs.filter((_, i) => !none.has(i));
}
