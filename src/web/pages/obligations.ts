// Obligations and filings: every clock with its law and how far it is confirmed, the filings made,
// a form to record a filing with the document sent (hashed into the evidence register), and the packs.

import type { StoredObligation } from '../../case/regulatory-types.js';
import type { Clock } from '../../regulatory/clocks.js';
import { PACKS } from '../../regulatory/rules.js';
import type { SendCopyRefused } from '../../regulatory/send-copy.js';
import { FORMATS } from '../../report/packs/index.js';
import { timeLeft } from '../clocks.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, csrfField, page, when } from '../layout.js';
import { may } from '../users.js';

export const CHANNELS = ['joic_portal', 'odpa_portal', 'ico_online', 'sa_portal', 'email', 'letter', 'phone', 'register', 'other'] as const;

/**
 * The packs offered: each pack once, but the processor's notice once per controller client it can
 * be drafted for, and not at all where the firm holds no client's data (it has no such notice).
 */
function packRows(clients: readonly string[]): { pack: string; label: string; query: string }[] {
  return PACKS.flatMap<{ pack: string; label: string; query: string }>((pack) =>
    pack === 'processor'
      ? clients.map((c) => ({ pack, label: `processor: notice to ${c}`, query: `?client=${encodeURIComponent(c)}` }))
      : [{ pack, label: pack, query: '' }],
  );
}

function pendingNote(ctx: PageContext, ref: string, pending: number, canFile: boolean) {
  if (pending === 0) return '';
  return html`<p class="flash bad" id="obligations-pending">
      The latest assessment would change ${pending} obligation${pending === 1 ? '' : 's'}: what is shown is as last brought up to date.
      ${canFile ? '' : 'A responder or the compliance officer can bring them up to date.'}
    </p>
    ${
      canFile
        ? html`<form method="post" action="${caseUrl(ref, 'obligations/refresh')}">
            ${csrfField(ctx)}<button type="submit">Bring the obligations up to date</button>
          </form>`
        : ''
    }`;
}

export function obligationsPage(
  ctx: PageContext,
  ref: string,
  clocks: Clock[],
  obligations: StoredObligation[],
  pending: number,
  processorClients: readonly string[],
): string {
  const byRef = new Map(obligations.map((o) => [o.ref, o]));
  const canFile = may(ctx.user, 'file');
  const body = html`<h1>Obligations and filings</h1>
    ${pendingNote(ctx, ref, pending, canFile)}
    ${
      clocks.length === 0
        ? html`<p class="muted">No obligation recorded yet: the breach assessment decides them (exir assess), then they are brought up to date.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Ref</th>
                <th scope="col">Obligation</th>
                <th scope="col">Law</th>
                <th scope="col">Confirmation</th>
                <th scope="col">Where it stands</th>
                <th scope="col">Due</th>
                <th scope="col">Time left</th>
                <th scope="col">Filings</th>
              </tr>
            </thead>
            <tbody>
              ${clocks.map(
                (k) =>
                  html`<tr id="obligation-${k.ref}">
                    <td class="ref">${k.ref}</td>
                    <td>${k.title}<br /><span class="muted">${k.recipient}, ${k.stage}</span></td>
                    <td>${k.law}</td>
                    <td>${k.confirmation}</td>
                    <td class="${k.state === 'overdue' ? 'overdue' : ''}">${k.state}: ${k.says}</td>
                    <td>${k.dueAt ? when(k.dueAt, ctx) : ''}</td>
                    <td>${k.state === 'filed' ? '' : timeLeft(k)}</td>
                    <td>
                      ${(byRef.get(k.ref)?.filings ?? []).map((f) => html`#${f.seq} ${when(f.sentAt, ctx)} by ${f.sentBy} via ${f.channel}${f.reference ? `, ref ${f.reference}` : ''}${f.lateByMs !== undefined ? html` <span class="bad">late</span>` : ''}<br />`)}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      canFile && clocks.length
        ? html`<h2>Record a filing</h2>
            <form class="stack" method="post" enctype="multipart/form-data" action="${caseUrl(ref, 'filings')}">
              ${csrfField(ctx)}
              <label
                >Obligation
                <select name="obligation">
                  ${clocks.map((k) => html`<option value="${k.ref}">${k.ref}: ${k.title} (${k.state})</option>`)}
                </select></label
              >
              <label>Regulator's reference <input name="reference" required /></label>
              <label
                >Channel
                <select name="channel">
                  ${CHANNELS.map((c) => html`<option value="${c}">${c}</option>`)}
                </select></label
              >
              <label>Sent at (leave empty for now; ISO time, e.g. 2021-03-05T14:00Z) <input name="sentAt" /></label>
              <label>Reasons for the delay (required when the first filing is late) <textarea name="delayReasons" rows="2"></textarea></label>
              <label>The document sent (its SHA-256 goes to the evidence register) <input type="file" name="document" /></label>
              <button type="submit">Record filing</button>
            </form>`
        : ''
    }
    <h2>Packs</h2>
    <p>
      Each pack is drafted from the case as it stands now, with the obligations as last brought up to date. The working copy shows where each statement came
      from, the open questions and internal references; the send copy has none of these, and is refused while a question it needs is open.
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Pack</th>
          <th scope="col">Working copy</th>
          <th scope="col">Send copy</th>
        </tr>
      </thead>
      <tbody>
        ${packRows(processorClients).map(
          (r) =>
            html`<tr>
              <td>${r.label}</td>
              <td>${FORMATS.map((f) => html`<a href="${caseUrl(ref, `packs/${r.pack}.${f}`)}${r.query}" download>${f.toUpperCase()}</a> `)}</td>
              <td>
                ${FORMATS.map((f) => html`<a href="${caseUrl(ref, `packs/${r.pack}.${f}`)}${r.query ? `${r.query}&` : '?'}copy=send">${f.toUpperCase()}</a> `)}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return page(ctx, `Obligations ${ref}`, body, { ref, tab: 'obligations' });
}

/** Why the send copy cannot be made yet: each open question the document needs, by name. */
export function sendRefusedPage(ctx: PageContext, ref: string, refused: SendCopyRefused): string {
  const body = html`<h1>The send copy cannot be made yet</h1>
    <p>${refused.draft.title}: ${refused.blocking.length} question(s) the document needs are still open. Answer them (exir assess), then download it again.</p>
    <ul class="open-questions">
      ${refused.blocking.map((o) => html`<li>${o.label}: ${o.needed}</li>`)}
    </ul>
    <p><a href="${caseUrl(ref, 'obligations')}">Back to obligations and filings</a></p>`;
  return page(ctx, `Send copy refused ${ref}`, body, { ref, tab: 'obligations' });
}
