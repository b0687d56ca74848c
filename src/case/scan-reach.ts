// What the scans found happened, as the case reads it back: the mailboxes reached (each at the
// highest level any scan showed), the newest coverage, the number of attacker sessions. Undefined
// when no scan of the case recorded them (older scans), so "not established" is never mistaken for "none".

import type { Coverage, MailboxTouch, Session } from '../core/types.js';
import { MAILBOX_LEVELS } from '../core/types.js';
import { resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { SqlRunner } from './db/driver.js';
import { json } from './db/driver.js';

/** Every mailbox any scan showed touched, each at the highest level any scan showed, highest first. */
export async function mailboxesOfCase(run: SqlRunner, caseId: number): Promise<MailboxTouch[] | undefined> {
  const rows = await run.all('SELECT mailboxes FROM scan_details WHERE case_id = ? ORDER BY scan_id', [caseId]);
  if (rows.length === 0) return undefined;
  const best = new Map<string, MailboxTouch>();
  for (const r of rows) {
    for (const m of json<MailboxTouch[]>(r, 'mailboxes')) {
      const key = `${m.server.toLowerCase()}\u0000${m.mailbox}`;
      const seen = best.get(key);
      if (!seen || MAILBOX_LEVELS.indexOf(m.level) > MAILBOX_LEVELS.indexOf(seen.level)) best.set(key, m);
    }
  }
  return [...best.values()].sort((a, b) => MAILBOX_LEVELS.indexOf(b.level) - MAILBOX_LEVELS.indexOf(a.level) || a.mailbox.localeCompare(b.mailbox));
}

/** The log coverage the newest scan that recorded one saw (it covers the evidence as a whole). */
export async function coverageOfCase(run: SqlRunner, caseId: number): Promise<Coverage[] | undefined> {
  const row = await run.get('SELECT coverage FROM scan_details WHERE case_id = ? ORDER BY scan_id DESC LIMIT 1', [caseId]);
  return row ? json<Coverage[]>(row, 'coverage') : undefined;
}

/** The attacker sessions of the newest scan that recorded any. */
export async function sessionsOfCase(run: SqlRunner, caseId: number): Promise<Session[] | undefined> {
  const row = await run.get('SELECT sessions FROM scan_details WHERE case_id = ? ORDER BY scan_id DESC LIMIT 1', [caseId]);
  return row ? json<Session[]>(row, 'sessions') : undefined;
}

export async function listMailboxes(ctx: StoreContext, ref: string): Promise<MailboxTouch[] | undefined> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  return mailboxesOfCase(ctx.driver, caseId);
}

export async function listCoverage(ctx: StoreContext, ref: string): Promise<Coverage[] | undefined> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  return coverageOfCase(ctx.driver, caseId);
}

export async function listSessions(ctx: StoreContext, ref: string): Promise<Session[] | undefined> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  return sessionsOfCase(ctx.driver, caseId);
}
