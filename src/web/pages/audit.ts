// The case's audit log as recorded: who changed what and when, and whether the hash chain holds.

import type { AuditCheck, AuditEntry } from '../../case/index.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { page, when } from '../layout.js';

export function auditPage(ctx: PageContext, ref: string, entries: AuditEntry[], check: AuditCheck): string {
  const body = html`<h1>Audit log</h1>
    <p class="${check.intact ? 'ok' : 'bad'}">
      ${check.intact ? `The hash chain is intact: ${check.entries} entries.` : `THE AUDIT LOG IS BROKEN: ${check.problems.length} problem(s).`}
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
        </tr>
      </thead>
      <tbody>
        ${[...entries].reverse().map(
          (e) =>
            html`<tr>
              <td>${e.seq}</td>
              <td>${when(e.at, ctx)}</td>
              <td class="actor">${e.actor}</td>
              <td>${e.action} ${e.entity} ${e.entityId}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return page(ctx, `Audit ${ref}`, body, { ref, tab: 'audit' });
}
