// What each request carries once signed in: the session and the case store opened as its user.

import type { Context } from 'hono';
import type { CaseStore } from '../case/index.js';
import type { PageContext } from './layout.js';
import type { WebSession } from './sessions.js';

export type Env = { Variables: { session: WebSession; store: CaseStore } };

/** The page's context; a message left by the last change is shown once. */
export function pageContext(c: Context<Env>, tz: string, now: string): PageContext {
  const s = c.get('session');
  const flash = s.flash;
  s.flash = undefined;
  return { user: s.user, csrf: s.csrf, tz, now, flash };
}
