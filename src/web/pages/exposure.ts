// Exposure: each server's build as its own logs name it, its patch history from those logs (when it
// ran a build exposed to each wave), and the CVEs of its newest build by status, from the same
// library as `exir exposure`.

import type { ServerExposure, ServerHistoryReport } from '../../assess/exposure/index.js';
import type { Warning } from '../../core/types.js';
import { html } from '../html.js';
import type { PageContext } from '../layout.js';
import { page, when } from '../layout.js';

export interface ExposureView {
  histories: ServerHistoryReport[];
  servers: ServerExposure[];
  warnings: Warning[];
  /** The day support status and fixes are judged on, and how old the build table is. */
  asOf: string;
  tableChecked: string;
  /** Logs that named a build, of every kind, and those the history is drawn from (HttpProxy). */
  sightings: number;
}

const STATUS_ORDER = ['exposed', 'disputed', 'unknown', 'needs-config', 'fixed-needs-config', 'not-listed', 'fixed', 'not-affected'];

function cveTable(s: ServerExposure) {
  const cves = [...s.assessment.cves].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.cve.localeCompare(b.cve));
  return html`<table class="cves">
    <caption>
      CVEs of ${s.reading.text}, by status
    </caption>
    <thead>
      <tr>
        <th scope="col">Status</th>
        <th scope="col">CVE</th>
        <th scope="col">Fixed by</th>
        <th scope="col">Known exploited</th>
        <th scope="col">Why</th>
      </tr>
    </thead>
    <tbody>
      ${cves.map(
        (c) =>
          html`<tr>
            <td class="${c.status === 'exposed' ? 'bad' : c.status === 'fixed' || c.status === 'not-affected' ? 'ok' : ''}">${c.status}</td>
            <td>${c.cve}${c.aka.length ? html`<br /><span class="muted">${c.aka.join(', ')}</span>` : ''}</td>
            <td>${c.update}</td>
            <td>${c.knownExploited ? 'yes' : 'no'}</td>
            <td>${c.reason}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function exposurePage(ctx: PageContext, ref: string, v: ExposureView): string {
  const byServer = new Map(v.servers.map((s) => [s.server, s]));
  const body = html`<h1>Exposure</h1>
    <p class="muted">
      From the build each server's HttpProxy logs name (${v.sightings} log file(s) in the case name a build), judged on ${v.asOf} against the build table
      checked ${v.tableChecked}. A build seen in the logs is what ran then; the server may have been patched since.
    </p>
    ${
      v.histories.length === 0
        ? html`<p class="muted">No scanned log in this case names its Exchange build (HttpProxy logs do); give the build to <code>exir exposure</code>.</p>`
        : v.histories.map((h) => {
            const s = byServer.get(h.server);
            return html`<section class="server-exposure" id="exposure-${h.server}">
              <h2>${h.server}</h2>
              <p>
                Build
                <b class="mono">${s?.reading.text ?? 'unknown'}</b
                >${s?.assessment.product ? html` (${s.assessment.product.name}${s.assessment.level ? `, ${s.assessment.level}` : ''})` : ''}.
                ${s ? html`${s.assessment.supported.text}. Recommended: ${s.assessment.recommended}` : ''}
              </p>
              <h3>Patch history from its logs</h3>
              <p class="history">${h.summary}</p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Build</th>
                    <th scope="col">First seen</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Logs</th>
                  </tr>
                </thead>
                <tbody>
                  ${h.segments.map(
                    (g) =>
                      html`<tr>
                        <td class="mono">${g.build}</td>
                        <td>${when(g.firstSeen, ctx)}</td>
                        <td>${when(g.lastSeen, ctx)}</td>
                        <td>${g.count}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <ul>
                ${h.waves.map((w) => html`<li>${w.text}</li>`)}
              </ul>
              ${h.caveats.length ? html`<p class="muted">${h.caveats.join(' ')}</p>` : ''} ${s ? cveTable(s) : ''}
            </section>`;
          })
    }
    ${
      v.warnings.length
        ? html`<h2>What could not be read</h2>
            <ul>
              ${v.warnings.map((w) => html`<li>${w.where ? `${w.where}: ` : ''}${w.message}</li>`)}
            </ul>`
        : ''
    }`;
  return page(ctx, `Exposure ${ref}`, body, { ref, tab: 'exposure' });
}
