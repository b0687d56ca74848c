// The timeline: every finding and attacker record, filtered by server, stage, IP, session and rule,
// zoomed by time (the bars are links to their slice); each entry opens its evidence.

import { STAGES } from '../../core/types.js';
import type { Markup } from '../html.js';
import { html, query } from '../html.js';
import type { PageContext } from '../layout.js';
import { caseUrl, page, when } from '../layout.js';
import type { TimelineFilter, TimelineRow } from '../timeline-rows.js';
import { buckets } from '../timeline-rows.js';

const SHOWN = 500;

function choice(name: string, label: string, values: string[], current: string | undefined): Markup {
  return html`<label
    >${label}<select name="${name}">
      <option value="">any</option>
      ${values.map((v) => html`<option value="${v}" ${v === current ? html` selected` : ''}>${v}</option>`)}
    </select></label
  >`;
}

function distinct(rows: TimelineRow[], pick: (r: TimelineRow) => string | undefined): string[] {
  return [...new Set(rows.map(pick).filter((v): v is string => v !== undefined && v !== ''))].sort();
}

function recordUrl(ref: string, r: TimelineRow): string {
  return `${caseUrl(ref, 'record')}${query({ path: r.path, line: String(r.line), rule: r.ruleId })}`;
}

function zoomBar(ref: string, rows: TimelineRow[], f: TimelineFilter): Markup {
  const b = buckets(rows);
  if (b.length < 2) return html``;
  const max = Math.max(...b.map((x) => x.count));
  const w = 12;
  return html`<figure class="noprint">
    <svg role="img" aria-label="Records over time; choose a bar to zoom to it" width="${b.length * w}" height="64" viewBox="0 0 ${b.length * w} 64">
      ${b.map((x, i) => {
        const hgt = x.count === 0 ? 0 : Math.max(2, Math.round((x.count / max) * 60));
        return html`<a href="${caseUrl(ref, 'timeline')}${query({ ...f, from: x.from, to: x.to })}"
          ><title>${x.from} to ${x.to}: ${x.count}</title><rect class="bar" x="${i * w}" y="${64 - hgt}" width="${w - 2}" height="${hgt}"></rect
          ><rect x="${i * w}" y="0" width="${w - 2}" height="64" fill="transparent"></rect
        ></a>`;
      })}
    </svg>
    <figcaption class="muted">Each bar is a slice of time; choose one to zoom in.</figcaption>
  </figure>`;
}

export function timelinePage(ctx: PageContext, ref: string, all: TimelineRow[], shown: TimelineRow[], f: TimelineFilter): string {
  const zoomed = f.from || f.to;
  const body = html`<h1>Timeline</h1>
    <form class="filters" method="get" action="${caseUrl(ref, 'timeline')}">
      ${choice(
        'server',
        'Server',
        distinct(all, (r) => r.server),
        f.server,
      )}
      ${choice(
        'stage',
        'Stage',
        STAGES.filter((s) => all.some((r) => r.stage === s)),
        f.stage,
      )}
      ${choice(
        'session',
        'Session',
        distinct(all, (r) => r.session),
        f.session,
      )}
      ${choice(
        'rule',
        'Rule',
        distinct(all, (r) => r.ruleId),
        f.rule,
      )}
      <label>IP contains<input name="ip" value="${f.ip ?? ''}" size="16" /></label>
      <label>From (UTC)<input name="from" value="${f.from ?? ''}" size="24" placeholder="2021-03-02T10:00Z" /></label>
      <label>To (UTC)<input name="to" value="${f.to ?? ''}" size="24" /></label>
      <button type="submit">Filter</button> <a href="${caseUrl(ref, 'timeline')}">Clear</a>
    </form>
    ${zoomBar(ref, shown, f)}
    <p>
      ${shown.length} of ${all.length}
      entries${zoomed ? ' in the chosen time' : ''}${shown.length > SHOWN ? `; the first ${SHOWN} are listed, narrow the filter to see the rest` : ''}.
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Server</th>
          <th scope="col">Stage</th>
          <th scope="col">What</th>
          <th scope="col">Client IP</th>
          <th scope="col">Session</th>
          <th scope="col">Evidence</th>
        </tr>
      </thead>
      <tbody>
        ${shown.slice(0, SHOWN).map(
          (r) =>
            html`<tr>
              <td>${when(r.time, ctx)}</td>
              <td>${r.server}</td>
              <td>${r.stage ?? (r.kind === 'activity' ? 'activity' : '')}</td>
              <td>${r.summary}${r.note ? html`<br /><span class="muted">${r.note}</span>` : ''}</td>
              <td class="mono ip">${r.clientIp ?? ''}</td>
              <td>${r.session ?? ''}</td>
              <td><a href="${recordUrl(ref, r)}">${r.path}:${r.line}</a></td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return page(ctx, `Timeline ${ref}`, body, { ref, tab: 'timeline' });
}

export function recordPage(ctx: PageContext, ref: string, r: TimelineRow): string {
  const fields = Object.entries(r.fields ?? {}).filter(([, v]) => v !== '');
  const body = html`<h1>Evidence for one entry</h1>
    <p><a href="${caseUrl(ref, 'timeline')}">Back to the timeline</a></p>
    <table>
      <tbody>
        <tr>
          <th scope="row">What</th>
          <td>${r.summary}</td>
        </tr>
        <tr>
          <th scope="row">Time</th>
          <td>${when(r.time, ctx)} <span class="muted mono">${r.time ?? ''}</span></td>
        </tr>
        <tr>
          <th scope="row">Server</th>
          <td>${r.server}</td>
        </tr>
        <tr>
          <th scope="row">Rule</th>
          <td>${r.ruleId ?? 'none (a record of the same attacker)'}</td>
        </tr>
        <tr>
          <th scope="row">Stage</th>
          <td>${r.stage ?? ''}</td>
        </tr>
        <tr>
          <th scope="row">Client IP</th>
          <td class="mono">${r.clientIp ?? ''}</td>
        </tr>
        <tr>
          <th scope="row">User agent</th>
          <td class="mono">${r.userAgent ?? ''}</td>
        </tr>
        <tr>
          <th scope="row">User or mailbox</th>
          <td class="mono">${r.user ?? ''}</td>
        </tr>
        <tr>
          <th scope="row">Session</th>
          <td>${r.session ?? 'none'}</td>
        </tr>
        <tr>
          <th scope="row">File</th>
          <td class="mono">${r.path}</td>
        </tr>
        <tr>
          <th scope="row">Line</th>
          <td>${r.line}</td>
        </tr>
        <tr>
          <th scope="row">File SHA-256</th>
          <td class="mono">${r.sha256 ?? 'not recorded with this entry (see the evidence register)'}</td>
        </tr>
        ${
          r.note
            ? html`<tr>
                <th scope="row">Note</th>
                <td>${r.note}</td>
              </tr>`
            : ''
        }
      </tbody>
    </table>
    <h2>The record</h2>
    ${
      fields.length
        ? html`<table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              ${fields.map(
                ([k, v]) =>
                  html`<tr>
                    <td class="mono">${k}</td>
                    <td class="mono">${v}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted">The case keeps no fields of this record; open the file at that line for the full record.</p>`
    }`;
  return page(ctx, `Evidence ${ref}`, body, { ref, tab: 'timeline' });
}
