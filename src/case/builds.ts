// The Exchange build each scanned log names (HttpProxy and the other Exchange CSV logs carry the
// version of the server that wrote them), kept with its server and time so the case holds each
// server's patch history as its own logs show it.

import type { EvidenceFile } from '../core/types.js';
import { resolveCase } from './case-ref.js';
import type { StoreContext } from './context.js';
import type { SqlValue } from './db/driver.js';
import { str } from './db/driver.js';
import { normaliseTime } from './times.js';
import type { BuildSighting } from './types.js';

export const BUILD_COLUMNS = ['scan_id', 'case_id', 'server', 'build', 'source', 'seen_at', 'evidence_sha256', 'path'];

/** One row per file that names its build, its server and a readable time; the rest name no build to keep. */
export function buildRows(caseId: number, scanId: number, files: Iterable<EvidenceFile>): SqlValue[][] {
  const rows: SqlValue[][] = [];
  for (const f of files) {
    const at = normaliseTime(f.firstTime);
    if (!f.build || !f.server || at === undefined) continue;
    rows.push([scanId, caseId, f.server, f.build, f.kind, at, f.sha256, f.path]);
  }
  return rows;
}

export async function listBuilds(ctx: StoreContext, ref: string): Promise<BuildSighting[]> {
  const { caseId } = await resolveCase(ctx.driver, ctx, ref);
  const rows = await ctx.driver.all('SELECT server, build, source, seen_at, evidence_sha256, path FROM scan_builds WHERE case_id = ? ORDER BY seen_at, id', [
    caseId,
  ]);
  return rows.map((r) => ({
    server: str(r, 'server'),
    build: str(r, 'build'),
    source: str(r, 'source'),
    seenAt: str(r, 'seen_at'),
    sha256: str(r, 'evidence_sha256'),
    path: str(r, 'path'),
  }));
}
