// The evidence register with its custody events, and "verify now": the server re-hashes every item
// and records the outcome in custody, as `exir case verify` does.

import type { EvidenceItem, EvidenceVerification } from '../../case/index.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, csrfField, page, when } from '../layout.js';
import { may } from '../users.js';

export function evidencePage(ctx: PageContext, ref: string, items: EvidenceItem[], results?: EvidenceVerification[]): string {
  const checked = results
    ? html`<h2>Verified just now</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Result</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            ${results.map(
              (r) =>
                html`<tr>
                  <td>${r.ref}</td>
                  <td class="${r.intact ? 'ok' : 'bad'}">${r.intact ? 'intact: the SHA-256 matches' : 'CHANGED or unreadable'}</td>
                  <td class="mono">
                    ${r.changes.slice(0, 20).map((c) => html`${c.change} ${c.relpath}<br />`)}${r.changes.length > 20 ? `and ${r.changes.length - 20} more` : ''}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
    : '';
  const body = html`<h1>Evidence register and custody</h1>
    ${may(ctx.user, 'verify') && items.length ? html`<form method="post" action="${caseUrl(ref, 'evidence/verify')}">${csrfField(ctx)}<button type="submit">Verify now</button> <span class="muted">re-hashes every item on the server and records the result in custody</span></form>` : ''}
    ${checked}
    ${
      items.length === 0
        ? html`<p class="muted">No evidence registered (exir case add-evidence).</p>`
        : items.map(
            (e) =>
              html`<h2>${e.ref}: ${e.location}</h2>
                <p>
                  ${e.kind}, ${e.fileCount} file(s), ${e.size} bytes · SHA-256 <span class="mono">${e.sha256}</span><br />
                  added by ${e.addedBy}
                  ${when(e.addedAt, ctx)}${e.source ? `, source ${e.source}` : ''}${e.collectedBy ? `, collected by ${e.collectedBy}` : ''}${e.note ? ` · ${e.note}` : ''}
                </p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Custody event</th>
                      <th scope="col">By</th>
                      <th scope="col">From → to</th>
                      <th scope="col">Outcome or note</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${e.custody.map(
                      (c) =>
                        html`<tr>
                          <td>${when(c.at, ctx)}</td>
                          <td>${c.action}</td>
                          <td>${c.actor}</td>
                          <td>${c.from ?? ''}${c.to ? ` → ${c.to}` : ''}</td>
                          <td>${c.outcome ?? ''}${c.note ? ` ${c.note}` : ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`,
          )
    }`;
  return page(ctx, `Evidence ${ref}`, body, { ref, tab: 'evidence' });
}
