// What the scans kept as context (logons, account changes, inbound mail) and the mail they saw the
// attacker move, as the case reads them back for the credentials and phishing assessments. A
// record seen by two scans of the same evidence is one record.

import type { ContextRecord, MailMovement } from '../core/types.js';
import { resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import { json, num, optStr, str } from './db/driver.js';

/** An Exchange web file found changed from Microsoft's (a file finding), with the file's own path. */
interface ModifiedFile {
  server: string;
  /** The changed file's path on the server. */
  file: string;
  /** When it was last written, where the evidence says. */
  time: string | undefined;
  /** Where the finding is: the listing row or the file in the evidence. */
  path: string;
  line: number;
}

export interface CaseContext {
  records: ContextRecord[];
  mail: MailMovement[];
  modifiedFiles: ModifiedFile[];
  /** Scans of the case, and how many of them kept context (scans by an older exir did not). */
  scans: number;
  scansWithContext: number;
}

export async function readContext(ctx: StoreContext, ref: string): Promise<CaseContext> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  const scans = await ctx.driver.all('SELECT id FROM scans WHERE case_id = ?', [caseId]);
  const rows = await ctx.driver.all('SELECT records FROM scan_context WHERE case_id = ? ORDER BY scan_id', [caseId]);
  const records = new Map<string, ContextRecord>();
  for (const r of rows) {
    for (const c of json<ContextRecord[]>(r, 'records')) {
      const key = `${c.kind}\u0000${c.origin.path}\u0000${c.origin.line}\u0000${c.origin.offset}`;
      if (!records.has(key)) records.set(key, c);
    }
  }
  const mail = new Map<string, MailMovement>();
  for (const r of await ctx.driver.all('SELECT mail FROM scan_details WHERE case_id = ? ORDER BY scan_id', [caseId])) {
    for (const m of json<MailMovement[]>(r, 'mail')) mail.set(`${m.origin.path}\u0000${m.origin.line}`, m);
  }
  const modified = await ctx.driver.all(
    "SELECT server, time, path, line, fields FROM findings WHERE case_id = ? AND rule_id = 'exir-file-baseline-modified' ORDER BY time, id",
    [caseId],
  );
  const modifiedFiles = modified.map((r) => ({
    server: str(r, 'server'),
    file: json<Record<string, string>>(r, 'fields').path ?? str(r, 'path'),
    time: optStr(r, 'time'),
    path: str(r, 'path'),
    line: num(r, 'line'),
  }));
  const byTime = (a: { time: string | undefined }, b: { time: string | undefined }): number => (a.time ?? '').localeCompare(b.time ?? '');
  return {
    records: [...records.values()].sort(byTime),
    mail: [...mail.values()].sort(byTime),
    modifiedFiles,
    scans: scans.length,
    scansWithContext: rows.length,
  };
}
