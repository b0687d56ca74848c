import type { ScanResult, TimelineEntry } from '../core/types.js';
import { findingEntry } from './sessions.js';

/**
 * One merged timeline: every finding (scanners and probes included, with the reason they count for
 * less) and every record of the attackers' sessions, in time order, each linked to its file and line.
 */
export function mergedTimeline(result: Pick<ScanResult, 'findings' | 'sessions'>): TimelineEntry[] {
  const sessionOf = new Map<string, string>();
  for (const s of result.sessions) for (const e of s.entries) sessionOf.set(`${e.origin.path}\u0000${e.origin.line}`, s.id);
  const key = (e: TimelineEntry): string => `${e.origin.path}\u0000${e.origin.line}`;
  const entries: TimelineEntry[] = result.findings.map((f) => {
    const e = findingEntry(f);
    const session = sessionOf.get(key(e));
    return session ? { ...e, session } : e;
  });
  const findingAt = new Set(entries.map(key));
  for (const s of result.sessions) {
    for (const e of s.entries) if (e.kind === 'activity' && !findingAt.has(key(e))) entries.push(e);
  }
  return entries.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.origin.path.localeCompare(b.origin.path) || a.origin.line - b.origin.line);
}
