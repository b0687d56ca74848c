// The dashboard as a Hono app: who may in (a token link or a users file), the headers that keep
// pages inert (a strict Content-Security-Policy, no other origin, no framing), CSRF on every change,
// and nothing served but the pages and the two assets.

import { Hono } from 'hono';
import type { Context, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CaseStore } from '../case/index.js';
import { CaseError } from '../case/index.js';
import { safeText } from '../core/terminal-text.js';
import { ASSETS } from './assets.js';
import { registerCaseRoutes } from './case-routes.js';
import { html } from './html.js';
import type { Env } from './request-context.js';
import { sameSecret, Sessions } from './sessions.js';
import type { Users, WebUser } from './users.js';
import { NotAllowed } from './users.js';

export type WebAuth = { kind: 'token'; token: string; user: WebUser } | { kind: 'users'; users: Users };

export interface WebOptions {
  /** The case store as this user: their name goes to the audit log, their firm limits what they see. */
  openStore(user: WebUser): Promise<CaseStore>;
  auth: WebAuth;
  tz: string;
  /** Where documents uploaded with a filing are kept (then hashed into the evidence register). */
  uploads: string;
  now?: () => string;
  /** Mark the cookie Secure (when TLS is terminated in front). */
  secureCookie?: boolean;
  /** Where unexpected errors are reported (stderr in `exir serve`). */
  log?: (line: string) => void;
}

export interface Web {
  app: Hono<Env>;
  close(): Promise<void>;
}

export const COOKIE = 'exir_session';
const MAX_UPLOAD = 25 * 1024 * 1024;

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function bare(title: string, body: string): string {
  return (
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>${title} · exir</title>
          <link rel="stylesheet" href="/assets/app.css" />
        </head>
        <body>
          <main id="main"></main>
        </body>
      </html>`.value +
    body +
    '</main></body></html>'
  );
}

export function createWeb(opts: WebOptions): Web {
  const app = new Hono<Env>();
  const sessions = new Sessions();
  const stores = new Map<string, Promise<CaseStore>>();
  const now = opts.now ?? (() => new Date().toISOString());
  const log = opts.log ?? (() => undefined);

  const storeFor = (user: WebUser): Promise<CaseStore> => {
    const key = `${user.name}\u0000${user.firm ?? ''}`;
    let s = stores.get(key);
    if (!s) {
      s = opts.openStore(user);
      s.catch(() => stores.delete(key));
      stores.set(key, s);
    }
    return s;
  };

  const startSession = (c: Context<Env>, user: WebUser): void => {
    const s = sessions.open(user);
    setCookie(c, COOKIE, s.id, { httpOnly: true, sameSite: 'Lax', path: '/', secure: opts.secureCookie === true });
  };

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on our own forms.
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');
  });

  app.use('*', bodyLimit({ maxSize: MAX_UPLOAD, onError: (c) => c.text(`Refused: an upload may be at most ${MAX_UPLOAD / 1024 / 1024} MB.`, 413) }));

  // The two assets hold no case data; the sign-in page needs them before anyone is signed in.
  app.get('/assets/:name', (c) => {
    const asset = ASSETS.get(c.req.param('name'));
    if (!asset) return c.text('Not found', 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.type });
  });

  if (opts.auth.kind === 'users') {
    const users = opts.auth.users;
    const loginPage = (message?: string): string =>
      bare(
        'Sign in',
        html`<h1>exir: sign in</h1>
          ${message ? html`<p class="flash bad" role="alert">${message}</p>` : ''}
          <form class="stack" method="post" action="/login">
            <label>Name <input name="name" autocomplete="username" required /></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required /></label><button type="submit">Sign in</button>
          </form>`.value,
      );
    app.get('/login', (c) => c.html(loginPage()));
    app.post('/login', async (c) => {
      const body = await c.req.parseBody();
      const user = await users.check(typeof body.name === 'string' ? body.name : '', typeof body.password === 'string' ? body.password : '');
      if (!user) return c.html(loginPage('That name and password do not match a user.'), 401);
      startSession(c, user);
      return c.redirect('/', 303);
    });
  }

  app.use('*', async (c: Context<Env>, next: Next) => {
    const auth = opts.auth;
    if (auth.kind === 'token') {
      const given = c.req.query('token');
      if (given !== undefined && c.req.method === 'GET') {
        if (!sameSecret(given, auth.token))
          return c.html(bare('Not signed in', '<h1>That link is not valid</h1><p>Open the link <code>exir serve</code> printed.</p>'), 401);
        startSession(c, auth.user);
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        return c.redirect(`${url.pathname}${url.search}`, 303);
      }
    }
    const session = sessions.find(getCookie(c, COOKIE));
    if (!session) {
      if (auth.kind === 'users' && c.req.method === 'GET') {
        return c.html(bare('Sign in', '<h1>Sign in first</h1><p><a href="/login">Sign in</a></p>'), 401);
      }
      return c.html(bare('Not signed in', '<h1>Not signed in</h1><p>Open the link <code>exir serve</code> printed (it carries the access token).</p>'), 401);
    }
    c.set('session', session);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // A form from another site is refused by its origin, and by the token it cannot know.
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== new URL(c.req.url).origin) return c.text('Refused: the request came from another site.', 403);
      const body = await c.req.parseBody();
      const token = typeof body._csrf === 'string' ? body._csrf : c.req.header('x-csrf-token');
      if (!sameSecret(token, session.csrf))
        return c.text('Refused: the form has expired or did not come from this dashboard (no valid CSRF token). Reload the page and try again.', 403);
    }
    c.set('store', await storeFor(session.user));
    await next();
  });

  app.post('/logout', (c) => {
    sessions.close(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: '/' });
    return c.html(bare('Signed out', '<h1>Signed out</h1>'));
  });

  registerCaseRoutes(app, { tz: opts.tz, now, uploads: opts.uploads });

  app.notFound((c) => c.html(bare('Not found', '<h1>Not found</h1><p><a href="/">Cases</a></p>'), 404));
  app.onError((err, c) => {
    if (err instanceof NotAllowed)
      return c.html(
        bare(
          'Not allowed',
          html`<h1>Not allowed</h1>
            <p>${err.message}</p>
            <p><a href="/">Cases</a></p>`.value,
        ),
        403,
      );
    if (err instanceof CaseError)
      return c.html(
        bare(
          'Cannot do that',
          html`<h1>Cannot do that</h1>
            <p>${err.message}</p>
            <p><a href="/">Cases</a></p>`.value,
        ),
        400,
      );
    log(`exir serve: ${safeText(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
    return c.html(bare('Error', "<h1>Something went wrong</h1><p>The error is on the server's console.</p>"), 500);
  });

  return {
    app,
    async close() {
      for (const s of stores.values()) await (await s.catch(() => undefined))?.close();
      stores.clear();
    },
  };
}
