// Before the follow pass reads a log again record by record, the native addon reads the bytes of
// every log it would follow, once, on the thread pool, and says which may name a followed text at
// all. Most logs never name the attackers: on the bench's 1 GB bundle the follow pass read 10,090
// logs, 1,006 MB, back into JavaScript, opened, searched and let go one job at a time, to find the
// attackers in a few dozen. A log whose bytes hold none of the texts gives the follow pass nothing
// (follow.ts reads such a log only at lines that hold one, or not at all), so leaving it out changes
// no result; a log that may hold one, or could not be read here, is followed as before. Of a W3C or
// Exchange CSV log that may, the addon also picks the lines the pass would read (follow-lines.ts):
// the pass then reads those, not the file. Without the addon every log is followed and read.

import type { FollowKeys } from '../correlate/sessions.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { nativeSearch, type PickedLines } from '../sources/bytes/native.js';
import type { SourceKind } from '../core/types.js';
import { DIRECTIVE_LINES, SNIFF_BYTES } from '../sources/registry.js';
import { followPlan, followsByTime } from './follow.js';
import type { Job } from './job.js';

/** The answer for a file whose bytes hold none of the texts (see `picks` in native/exir_scan.c). */
const HOLDS_NONE = 0;
/** The longest overlap the addon carries between the pieces it reads. */
const MAX_OVERLAP = 65536;
/**
 * The picks kept at once, in all: they wait in memory from the check until their log is followed.
 * Past them, a log is followed by reading it, as without picks. On the bench's attackers-everywhere
 * bundle (8,229 logs picked) they come to 19 MB.
 */
const PICKS_BUDGET = 32 * 1024 * 1024;

/**
 * The kinds of log whose lines the addon picks, and how (`picks`' modes): 1, a W3C log; 2, an
 * Exchange CSV log. A log is followed by reading it when the follow pass finds, from the log's own
 * head, that it is not of the kind picked for (follow.ts): the mode is a guess the pass checks.
 */
const PICK_MODES: Partial<Record<SourceKind, 1 | 2>> = { iis: 1, httpproxy: 2, 'rps-http': 2, msgtrk: 2, ews: 2 };

/**
 * The follow jobs worth running: every job but those of a file on disk, followed by the clients it
 * names, whose bytes hold none of the texts followed; and for a W3C or Exchange CSV log, the lines
 * the pass is to read (`picked` in the job) when `pick` (not for jobs that go through a queue as
 * JSON). `threads`: how many files are read at once.
 */
export async function jobsThatMayName<T extends { entry: EvidenceEntry; job: Job }>(jobs: T[], keys: FollowKeys, threads: number, pick = true): Promise<T[]> {
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
  // A text across a line end is found in no line: such logs are read whole, as the pass does. And
  // picks go to the threads of this process, not through a queue.
  const linesPicked = pick && !plan.texts.some((t) => t.includes('\n'));
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
      const paths = ids.map((i) => ((jobs[i] as T).entry.location as { file: string }).file);
      const modes = Uint8Array.from(ids, (i) => (linesPicked ? (PICK_MODES[((jobs[i] as T).job as { source: SourceKind }).source] ?? 0) : 0));
      // A search that could not run says nothing of any file: each is followed, and read.
      const out = await search.picks(needles, paths, modes, overlap, PICKS_BUDGET / groups.length, SNIFF_BYTES, DIRECTIVE_LINES).catch(() => []);
      return { ids, modes, out };
    }),
  );
  const none = new Set<number>();
  const picked = new Map<number, { picked: PickedLines; csv: boolean }>();
  for (const { ids, modes, out } of answers) {
    ids.forEach((i, k) => {
      const answer = out[k];
      if (answer === HOLDS_NONE) none.add(i);
      else if (typeof answer === 'object') picked.set(i, { picked: answer, csv: modes[k] === 2 });
    });
  }
  const kept: T[] = [];
  jobs.forEach((task, i) => {
    if (none.has(i)) return;
    const lines = picked.get(i);
    kept.push(lines && task.job.kind === 'follow' ? { ...task, job: { ...task.job, picked: { lines: lines.picked, csv: lines.csv } } } : task);
  });
  return kept;
}
