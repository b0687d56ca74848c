// The plain model both byte-search parity tests compare the native and JavaScript searches with.

import { MARK_CHECK, MARK_EXACT } from '../literals.js';

/** What a record's marks must be (from zero): MARK_EXACT for an ASCII literal in it, MARK_CHECK for a non-ASCII one's longest ASCII run. */
export function markModel(record: string, literals: readonly string[]): number {
  const folded = record.replace(/[A-Z]/g, (c) => c.toLowerCase());
  let mark = 0;
  for (const raw of literals) {
    const l = raw.toLowerCase();
    if (/^[\x00-\x7f]*$/.test(l)) {
      if (folded.includes(l)) return MARK_EXACT;
      continue;
    }
    const run = (l.match(/[\x00-\x7f]+/g) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (run.length > 0 && folded.includes(run)) mark = MARK_CHECK;
  }
  return mark;
}
