// Decisions: recorded, superseded but never edited, with who decided, who approved, and why.

import type { Decision } from '../../case/index.js';
import { DECISION_KINDS } from '../../case/index.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, csrfField, page, when } from '../layout.js';
import { may } from '../users.js';

export function decisionsPage(ctx: PageContext, ref: string, decisions: Decision[]): string {
  const inForce = decisions.filter((d) => d.supersededBy === undefined);
  const body = html`<h1>Decisions</h1>
    ${
      decisions.length === 0
        ? html`<p class="muted">No decision recorded yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Ref</th>
                <th scope="col">Kind</th>
                <th scope="col">Decision</th>
                <th scope="col">Why</th>
                <th scope="col">Decided</th>
                <th scope="col">Standing</th>
              </tr>
            </thead>
            <tbody>
              ${decisions.map(
                (d) =>
                  html`<tr>
                    <td>${d.ref}</td>
                    <td>${d.kind}</td>
                    <td>${d.decision}</td>
                    <td>${d.rationale}${d.evidence.length ? html`<br /><span class="muted">evidence: ${d.evidence.join(', ')}</span>` : ''}</td>
                    <td>
                      ${d.decidedBy}, ${when(d.decidedAt, ctx)}${d.approvedBy ? html`<br />approved by ${d.approvedBy}` : ''}<br /><span class="muted"
                        >recorded by ${d.recordedBy}</span
                      >
                    </td>
                    <td>
                      ${d.supersededBy ? html`<span class="muted">superseded by ${d.supersededBy}</span>` : html`<b>in force</b>`}${d.supersedes ? html`<br />supersedes ${d.supersedes}` : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      may(ctx.user, 'decide')
        ? html`<h2>Record a decision</h2>
            <form class="stack" method="post" action="${caseUrl(ref, 'decisions')}">
              ${csrfField(ctx)}
              <label
                >Kind
                <select name="kind">
                  ${DECISION_KINDS.map((k) => html`<option value="${k}">${k}</option>`)}
                </select></label
              >
              <label>Decision <input name="decision" required /></label>
              <label>Why (the rationale) <textarea name="rationale" rows="3" required></textarea></label>
              <label>Evidence it rests on (E1, E2…, optional) <input name="evidence" /></label>
              <label>Approved by (optional) <input name="approvedBy" /></label>
              <label
                >Supersedes (optional)
                <select name="supersedes">
                  <option value="">nothing</option>
                  ${inForce.map((d) => html`<option value="${d.ref}">${d.ref}: ${d.decision}</option>`)}
                </select></label
              >
              <button type="submit">Record decision</button>
            </form>`
        : ''
    }`;
  return page(ctx, `Decisions ${ref}`, body, { ref, tab: 'decisions' });
}
