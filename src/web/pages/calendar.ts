// Deadlines across every case this user may see: overdue first, then what falls due this week, then later.

import type { Clock } from '../../regulatory/clocks.js';
import { timeLeft } from '../clocks.js';
import { html } from '../html.js';
import type { Markup } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, page, when } from '../layout.js';

export interface DueItem {
  caseRef: string;
  clock: Clock;
}

const WEEK_MS = 7 * 24 * 3600_000;

function table(ctx: PageContext, items: DueItem[]): Markup {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Due</th>
        <th scope="col">Time left</th>
        <th scope="col">Case</th>
        <th scope="col">Obligation</th>
        <th scope="col">Where it stands</th>
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (i) =>
          html`<tr>
            <td>${when(i.clock.dueAt, ctx)}</td>
            <td>${timeLeft(i.clock)}</td>
            <td><a href="${caseUrl(i.caseRef, 'obligations')}">${i.caseRef}</a></td>
            <td>${i.clock.ref} ${i.clock.title}</td>
            <td>${i.clock.says}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function calendarPage(ctx: PageContext, items: DueItem[]): string {
  const now = Date.parse(ctx.now);
  const sorted = [...items].sort((a, b) => (a.clock.dueAt ?? '').localeCompare(b.clock.dueAt ?? ''));
  const overdue = sorted.filter((i) => Date.parse(i.clock.dueAt ?? '') < now);
  const week = sorted.filter((i) => {
    const t = Date.parse(i.clock.dueAt ?? '');
    return t >= now && t < now + WEEK_MS;
  });
  const later = sorted.filter((i) => Date.parse(i.clock.dueAt ?? '') >= now + WEEK_MS);
  const body = html`<h1>Deadlines</h1>
    <p>Every running clock across the cases you can see, in ${ctx.tz} time.</p>
    <h2>Overdue</h2>
    ${overdue.length ? table(ctx, overdue) : html`<p class="muted">None.</p>`}
    <h2>Due this week</h2>
    ${week.length ? table(ctx, week) : html`<p class="muted">None.</p>`}
    <h2>Later</h2>
    ${later.length ? table(ctx, later) : html`<p class="muted">None.</p>`}`;
  return page(ctx, 'Deadlines', body);
}
