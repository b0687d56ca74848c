// The response playbook: each action with its phase, status, who and when, and a form to move it on.

import type { ActionState } from '../../case/index.js';
import { ACTION_STATUSES } from '../../case/index.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, csrfField, page, when } from '../layout.js';
import { may } from '../users.js';

export function actionsPage(ctx: PageContext, ref: string, actions: ActionState[]): string {
  const edit = may(ctx.user, 'action');
  const body = html`<h1>Response playbook</h1>
    <p>${actions.filter((a) => a.status === 'done').length} of ${actions.length} done.${edit ? '' : ' Your role can read the playbook but not change it.'}</p>
    <table>
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Phase</th>
          <th scope="col">Status</th>
          <th scope="col">Last change</th>
          ${edit ? html`<th scope="col">Update</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${actions.map(
          (a) =>
            html`<tr id="action-${a.key}">
              <td><b>${a.key}</b> ${a.title}<br /><span class="muted">${a.detail}</span></td>
              <td>${a.phase}</td>
              <td class="${a.status === 'done' ? 'ok' : a.status === 'blocked' ? 'bad' : ''}">${a.status}</td>
              <td>
                ${a.last ? html`${a.last.by}, ${when(a.last.at, ctx)}${a.last.note ? html`<br />${a.last.note}` : ''}` : html`<span class="muted">not started</span>`}
              </td>
              ${
                edit
                  ? html`<td>
                      <form method="post" action="${caseUrl(ref, `actions/${encodeURIComponent(a.key)}`)}">
                        ${csrfField(ctx)}
                        <label
                          >Status
                          <select name="status" aria-label="Status of ${a.key}">
                            ${ACTION_STATUSES.map((s) => html`<option value="${s}" ${s === a.status ? html` selected` : ''}>${s}</option>`)}
                          </select></label
                        >
                        <label>Note <input name="note" size="22" aria-label="Note for ${a.key}" /></label> <button type="submit">Save</button>
                      </form>
                    </td>`
                  : ''
              }
            </tr>`,
        )}
      </tbody>
    </table>`;
  return page(ctx, `Playbook ${ref}`, body, { ref, tab: 'actions' });
}
