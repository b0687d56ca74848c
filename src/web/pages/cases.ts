// Cases across the firms this user may see: status, worst verdict, next deadline, what is open.

import type { CaseListItem } from '../../case/index.js';
import type { Clock } from '../../regulatory/clocks.js';
import { timeLeft } from '../clocks.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, page, when } from '../layout.js';

export interface CaseRow {
  item: CaseListItem;
  worst: string | undefined;
  next: Clock | undefined;
  open: number;
}

export function casesPage(ctx: PageContext, rows: CaseRow[]): string {
  const body =
    rows.length === 0
      ? html`<p>No cases yet. Open one with <code>exir case new FIRM/CASE</code> and scan evidence into it with <code>exir scan … --case FIRM/CASE</code>.</p>`
      : html`<table>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Firm</th>
              <th scope="col">Status</th>
              <th scope="col">Worst verdict</th>
              <th scope="col">Next deadline</th>
              <th scope="col">Time left</th>
              <th scope="col">Open</th>
              <th scope="col">Findings</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td><a href="${caseUrl(r.item.ref)}">${r.item.ref}</a><br /><span class="muted">${r.item.title}</span></td>
                  <td>${r.item.firm}</td>
                  <td>${r.item.status}</td>
                  <td class="verdict verdict-${r.worst ?? 'none'}">${r.worst ?? 'not scanned'}</td>
                  <td>
                    ${r.next ? html`${r.next.title}<br /><span class="muted">${when(r.next.dueAt, ctx)}</span>` : html`<span class="muted">none running</span>`}
                  </td>
                  <td>${r.next ? timeLeft(r.next) : ''}</td>
                  <td>${r.open} item(s), ${r.item.openActions} action(s)</td>
                  <td>${r.item.findings}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  return page(
    ctx,
    'Cases',
    html`<h1>Cases</h1>
      ${body}`,
  );
}
