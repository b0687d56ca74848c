// The scans' mailbox analysis and log coverage, as the breach assessment reads them. Undefined when
// no scan of the case recorded them (older scans), so "not established" is never mistaken for "none".

import type { Coverage, MailboxTouch } from '../core/types.js';
import { MAILBOX_LEVELS } from '../core/types.js';
import { resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import { json } from './db/driver.js';

/** Every mailbox any scan showed touched, each at the highest level any scan showed. */
export async function listMailboxes(ctx: StoreContext, ref: string): Promise<MailboxTouch[] | undefined> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  const rows = await ctx.driver.all('SELECT mailboxes FROM scan_details WHERE case_id = ? ORDER BY scan_id', [caseId]);
  if (rows.length === 0) return undefined;
  const best = new Map<string, MailboxTouch>();
  for (const r of rows) {
    for (const m of json<MailboxTouch[]>(r, 'mailboxes')) {
      const key = `${m.server.toLowerCase()}\u0000${m.mailbox}`;
      const seen = best.get(key);
      if (!seen || MAILBOX_LEVELS.indexOf(m.level) > MAILBOX_LEVELS.indexOf(seen.level)) best.set(key, m);
    }
  }
  return [...best.values()];
}

/** The log coverage the newest scan that recorded one saw (it covers the evidence as a whole). */
export async function listCoverage(ctx: StoreContext, ref: string): Promise<Coverage[] | undefined> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  const row = await ctx.driver.get('SELECT coverage FROM scan_details WHERE case_id = ? ORDER BY scan_id DESC LIMIT 1', [caseId]);
  return row ? json<Coverage[]>(row, 'coverage') : undefined;
}
