// The case's findings, each with its file, line and the file's SHA-256: the evidence appendix.

import { resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import { json, num, optStr, str } from './db/driver.js';
import type { FindingRow } from './regulatory-types.js';

export async function listFindings(ctx: StoreContext, ref: string): Promise<FindingRow[]> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  const rows = await ctx.driver.all(
    `SELECT rule_id, title, cves, stage, severity, time, server, client_ip, user_name, path, line, evidence_sha256, benign
     FROM findings WHERE case_id = ? ORDER BY CASE WHEN time IS NULL THEN 1 ELSE 0 END, time, server, path, line, id`,
    [caseId],
  );
  return rows.map((r) => {
    const identity = str(r, 'evidence_sha256');
    return {
      ruleId: str(r, 'rule_id'),
      title: str(r, 'title'),
      cves: json<string[]>(r, 'cves'),
      stage: str(r, 'stage'),
      severity: str(r, 'severity'),
      time: optStr(r, 'time'),
      server: str(r, 'server'),
      clientIp: optStr(r, 'client_ip'),
      user: optStr(r, 'user_name'),
      path: str(r, 'path'),
      line: num(r, 'line'),
      // A finding stored under its path (its file was not in the scan's list) has no hash to show.
      sha256: identity.startsWith('path:') ? '' : identity,
      benign: optStr(r, 'benign'),
    };
  });
}

/** The fields a finding kept of its record (what the rule matched and what a reader needs), for one file line. */
export async function findingFields(ctx: StoreContext, ref: string, path: string, line: number, ruleId: string): Promise<Record<string, string> | undefined> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  const row = await ctx.driver.get('SELECT fields FROM findings WHERE case_id = ? AND path = ? AND line = ? AND rule_id = ? ORDER BY id LIMIT 1', [
    caseId,
    path,
    line,
    ruleId,
  ]);
  return row ? json<Record<string, string>>(row, 'fields') : undefined;
}
