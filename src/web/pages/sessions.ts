// The sessions graph page, with the picture to save as SVG (a link) or PNG (the script draws it).

import type { MailboxTouch, Session } from '../../core/types.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, page, when } from '../layout.js';
import { sessionGraph } from '../session-graph.js';

export function sessionsPage(ctx: PageContext, ref: string, sessions: Session[] | undefined, mailboxes: MailboxTouch[]): string {
  const { svg } = sessionGraph(sessions ?? [], mailboxes, `Attacker sessions, case ${ref}`);
  const body = html`<h1>Attacker sessions</h1>
    ${
      sessions === undefined
        ? html`<p class="muted">No scan of this case recorded its sessions.</p>`
        : html` <p class="noprint">
              <a href="${caseUrl(ref, 'sessions.svg')}" download>Save as SVG</a>
              <button type="button" id="save-png" class="secondary" hidden data-name="${ref.replace('/', '-')}-sessions.png">Save as PNG</button>
            </p>
            <div class="graph">${svg}</div>
            <h2>Sessions</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">First</th>
                  <th scope="col">Last</th>
                  <th scope="col">IPs</th>
                  <th scope="col">Stages</th>
                  <th scope="col">Entries</th>
                </tr>
              </thead>
              <tbody>
                ${sessions.map(
                  (s) =>
                    html`<tr>
                      <td><a href="${caseUrl(ref, 'timeline')}?session=${encodeURIComponent(s.id)}">${s.id}</a></td>
                      <td>${when(s.firstTime, ctx)}</td>
                      <td>${when(s.lastTime, ctx)}</td>
                      <td class="mono">${s.attackerIps.join(', ')}</td>
                      <td>${s.stages.join(', ')}</td>
                      <td>${s.entries.length}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }`;
  return page(ctx, `Sessions ${ref}`, body, { ref, tab: 'sessions' });
}
