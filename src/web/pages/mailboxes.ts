// Mailboxes the attacker reached, each at its highest level, with how and the evidence; beside them
// the datasets of the latest breach assessment and how far the access to each is established.

import type { DatasetAssessment } from '../../assess/breach/types.js';
import type { MailboxTouch } from '../../core/types.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { page, when } from '../layout.js';

export function mailboxesPage(
  ctx: PageContext,
  ref: string,
  mailboxes: MailboxTouch[] | undefined,
  datasets: DatasetAssessment[] | undefined,
  version: number | undefined,
): string {
  const body = html`<h1>Mailboxes and data</h1>
    <h2>Mailboxes</h2>
    ${
      mailboxes === undefined
        ? html`<p class="muted">No scan of this case recorded which mailboxes were reached.</p>`
        : mailboxes.length === 0
          ? html`<p>The scans found no mailbox reached.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">Mailbox</th>
                  <th scope="col">Server</th>
                  <th scope="col">Level</th>
                  <th scope="col">First</th>
                  <th scope="col">Last</th>
                  <th scope="col">How</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                ${mailboxes.map(
                  (m) =>
                    html`<tr>
                      <td class="mono">${m.mailbox === '*' ? 'every mailbox on the server' : m.mailbox}</td>
                      <td>${m.server}</td>
                      <td><b>${m.level}</b></td>
                      <td>${when(m.firstTime, ctx)}</td>
                      <td>${when(m.lastTime, ctx)}</td>
                      <td>
                        ${m.how.map((h) => html`${h}<br />`)}${m.forwardedTo?.length ? html`forwarded to <span class="mono">${m.forwardedTo.join(', ')}</span>` : ''}
                      </td>
                      <td class="mono">
                        ${m.evidence.slice(0, 5).map((o) => html`${o.path}:${o.line}<br />`)}${m.evidence.length > 5 ? `and ${m.evidence.length - 5} more` : ''}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
    <h2>Datasets of the breach assessment${version !== undefined ? ` (version ${version})` : ''}</h2>
    ${
      datasets === undefined
        ? html`<p class="muted">No breach assessment yet (exir assess).</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Dataset</th>
                <th scope="col">Categories</th>
                <th scope="col">People</th>
                <th scope="col">Access</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              ${datasets.map(
                (d) =>
                  html`<tr>
                    <td>${d.id}<br /><span class="muted">${d.description}</span></td>
                    <td>${d.categories.join(', ')}${d.special.length ? html`<br /><b>special: ${d.special.join(', ')}</b>` : ''}</td>
                    <td>${d.people ?? 'unknown'}</td>
                    <td><b>${d.access}</b>${d.cannotExcludeAccess ? html`<br />cannot exclude access` : ''}</td>
                    <td>${d.accessBasis.map((b) => html`${b}<br />`)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
  return page(ctx, `Mailboxes ${ref}`, body, { ref, tab: 'mailboxes' });
}
