// The clocks of a case as stored (reading never changes the store): the obligations page and the
// file and pack actions bring them up to date first, as `exir obligations` does.

import type { CaseStore } from '../case/index.js';
import type { Clock } from '../regulatory/clocks.js';
import { clockFor, decidedFrom, hintsFrom, sortClocks } from '../regulatory/clocks.js';
import { latestAssessment } from '../regulatory/refresh.js';
import { showDuration } from '../regulatory/time.js';
import type { Markup } from './html.js';
import { html } from './html.js';

export async function storedClocks(store: CaseStore, ref: string, now: string): Promise<Clock[]> {
  const [obligations, decisions, assessments] = await Promise.all([store.listObligations(ref), store.listDecisions(ref), store.listAssessments(ref)]);
  const hints = hintsFrom(latestAssessment(assessments)?.result);
  return sortClocks(obligations.map((o) => clockFor(o, now, decidedFrom(decisions), o.ref, hints)));
}

/** Clocks that still run: a deadline or target not yet met by a filing. */
export function running(c: Clock): boolean {
  return c.dueAt !== undefined && (c.state === 'open' || c.state === 'overdue' || c.state === 'past-target');
}

/** Time left (or overdue), ticking in the page when the script runs; the server's reading otherwise. */
export function timeLeft(c: Clock): Markup {
  if (c.leftMs === undefined || c.dueAt === undefined) return html`<span class="muted">no deadline</span>`;
  const late = c.leftMs < 0;
  return html`<span data-due="${c.dueAt}" ${late ? html` class="overdue"` : ''}
    >${late ? `overdue by ${showDuration(c.leftMs)}` : `${showDuration(c.leftMs)} left`}</span
  >`;
}
