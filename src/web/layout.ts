// The frame around every page: header with the user, the case's tabs, and the one style sheet and
// script. No inline script or style anywhere: the Content-Security-Policy forbids both.

import { showTime } from '../regulatory/time.js';
import type { Markup } from './html.js';
import { html } from './html.js';
import type { WebUser } from './users.js';

export interface PageContext {
  user: WebUser;
  csrf: string;
  tz: string;
  now: string;
  /** A message after a change (what was recorded, or why not). */
  flash?: { ok: boolean; text: string } | undefined;
}

const CASE_TABS = [
  ['', 'Overview'],
  ['timeline', 'Timeline'],
  ['sessions', 'Sessions'],
  ['mailboxes', 'Mailboxes and data'],
  ['exposure', 'Exposure'],
  ['evidence', 'Evidence'],
  ['actions', 'Playbook'],
  ['decisions', 'Decisions'],
  ['obligations', 'Obligations and filings'],
  ['audit', 'Audit log'],
] as const;
export type CaseTab = (typeof CASE_TABS)[number][0];

export function caseUrl(ref: string, tab = ''): string {
  const [firm, name] = ref.split('/');
  return `/c/${encodeURIComponent(firm ?? '')}/${encodeURIComponent(name ?? '')}${tab ? `/${tab}` : ''}`;
}

export function when(iso: string | undefined, ctx: PageContext): string {
  return showTime(iso, ctx.tz);
}

/** A hidden field with the session's CSRF token, for every form that changes something. */
export function csrfField(ctx: PageContext): Markup {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}" />`;
}

export function page(ctx: PageContext, title: string, body: Markup, caseTab?: { ref: string; tab: CaseTab }): string {
  const nav = caseTab
    ? html`<nav class="case" aria-label="Case">
        ${CASE_TABS.map(([tab, label]) => html`<a href="${caseUrl(caseTab.ref, tab)}" ${tab === caseTab.tab ? html` aria-current="page"` : ''}>${label}</a>`)}
      </nav>`
    : '';
  const flash = ctx.flash ? html`<p class="flash ${ctx.flash.ok ? 'ok' : 'bad'}" role="status">${ctx.flash.text}</p>` : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · exir</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <a href="/"><b>exir</b></a
          ><a href="/">Cases</a><a href="/calendar">Deadlines</a>
          <span class="who"
            >${ctx.user.name} (${ctx.user.role}) · times in ${ctx.tz}
            <form class="inline" method="post" action="/logout">${csrfField(ctx)}<button class="secondary" type="submit">Sign out</button></form></span
          >
        </header>
        ${nav}
        <main id="main">${flash}${body}</main>
      </body>
    </html> `.value;
}
