// One case at a glance: each server's verdict in a sentence, the clocks soonest first, what the
// evidence cannot see, and what is still open (the same list as `exir case show`).

import type { CaseStory } from '../../case/index.js';
import type { Clock } from '../../regulatory/clocks.js';
import { running, timeLeft } from '../clocks.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, page, when } from '../layout.js';

export function overviewPage(ctx: PageContext, story: CaseStory, clocks: Clock[]): string {
  const c = story.case;
  const ticking = clocks.filter(running);
  const rest = clocks.filter((k) => !running(k));
  const body = html`<h1>${c.ref}: ${c.title}</h1>
    <p>${c.firm.name} · status <b>${c.status}</b> · aware ${when(c.awareAt, ctx)} · detected ${when(c.detectedAt, ctx)}</p>
    <h2>Servers</h2>
    ${
      story.servers.length === 0
        ? html`<p class="muted">No server recorded yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Verdict</th>
                <th scope="col">What the evidence shows</th>
                <th scope="col">What would change it</th>
              </tr>
            </thead>
            <tbody>
              ${story.servers.map(
                (s) =>
                  html`<tr>
                    <td>${s.name}</td>
                    <td class="verdict verdict-${s.verdict ?? 'none'}">${s.verdict ?? 'not scanned'}</td>
                    <td>${s.summary ?? 'No scan has looked at this server.'}</td>
                    <td class="would-change">${s.wouldChange ?? (s.verdict === undefined ? '' : html`<span class="muted">not recorded by the scan</span>`)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <p>
      ${story.scans.count} scan(s), last ${when(story.scans.lastAt, ctx)}; ${story.findings.total} finding(s) (${story.findings.benign} explained as benign);
      ${story.reach.sessions} attacker session(s); ${story.reach.mailboxes.length} mailbox(es) reached. <a href="${caseUrl(c.ref, 'timeline')}">Timeline</a>
    </p>
    <h2>Clocks, soonest first</h2>
    ${
      ticking.length === 0
        ? html`<p class="muted">No deadline is running.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Obligation</th>
                <th scope="col">Due</th>
                <th scope="col">Time left</th>
                <th scope="col">Where it stands</th>
              </tr>
            </thead>
            <tbody>
              ${ticking.map(
                (k) =>
                  html`<tr>
                    <td>${k.ref} ${k.title}<br /><span class="muted">${k.law}</span></td>
                    <td>${when(k.dueAt, ctx)}</td>
                    <td>${timeLeft(k)}</td>
                    <td>${k.says}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      rest.length
        ? html`<details>
            <summary>${rest.length} other obligation(s) without a running clock</summary>
            <ul>
              ${rest.map((k) => html`<li>${k.ref} ${k.title}: ${k.says}</li>`)}
            </ul>
          </details>`
        : ''
    }
    <h2>What the evidence cannot see</h2>
    <div class="box gaps">
      ${
        story.reach.gaps.length
          ? html`<ul>
              ${story.reach.gaps.map((g) => html`<li>${g}</li>`)}
            </ul>`
          : html`<p>No gap in the logs was recorded${story.scans.count === 0 ? ' (nothing has been scanned yet)' : ''}.</p>`
      }
    </div>
    <h2>What is open</h2>
    <div class="box open">
      ${
        story.open.length
          ? html`<ul>
              ${story.open.map((o) => html`<li>${o}</li>`)}
            </ul>`
          : html`<p>Nothing is open.</p>`
      }
    </div>
    <h2>Decisions in force</h2>
    ${
      story.decisions.length
        ? html`<ul>
            ${story.decisions.map((d) => html`<li>${d.ref} (${d.kind}): ${d.decision} <span class="muted">by ${d.decidedBy}, ${when(d.decidedAt, ctx)}</span></li>`)}
          </ul>`
        : html`<p class="muted">None recorded. <a href="${caseUrl(c.ref, 'decisions')}">Record one</a></p>`
    }`;
  return page(ctx, c.ref, body, { ref: c.ref, tab: '' });
}
