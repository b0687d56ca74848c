// The case's timeline as the dashboard shows it: the attacker sessions' records (findings and the
// other records that came with them) and every finding outside a session, once each, in time order.

import type { Session } from '../core/types.js';
import type { FindingRow } from '../case/regulatory-types.js';

export interface TimelineRow {
  time: string | undefined;
  server: string;
  kind: 'finding' | 'activity';
  summary: string;
  stage: string | undefined;
  ruleId: string | undefined;
  clientIp: string | undefined;
  session: string | undefined;
  userAgent: string | undefined;
  user: string | undefined;
  path: string;
  line: number;
  sha256: string | undefined;
  fields: Record<string, string> | undefined;
  note: string | undefined;
}

export interface TimelineFilter {
  server?: string;
  stage?: string;
  ip?: string;
  session?: string;
  rule?: string;
  from?: string;
  to?: string;
}

const key = (path: string, line: number, rule: string | undefined): string => `${path}\u0000${line}\u0000${rule ?? ''}`;

export function timelineRows(sessions: Session[], findings: FindingRow[]): TimelineRow[] {
  const shaOf = new Map(findings.filter((f) => f.sha256).map((f) => [f.path, f.sha256]));
  const rows: TimelineRow[] = [];
  const seen = new Set<string>();
  for (const s of sessions) {
    for (const e of s.entries) {
      const k = key(e.origin.path, e.origin.line, e.ruleId);
      if (seen.has(k)) continue;
      seen.add(k);
      rows.push({
        time: e.time,
        server: e.server,
        kind: e.kind,
        summary: e.summary,
        stage: e.stage,
        ruleId: e.ruleId,
        clientIp: e.clientIp,
        session: e.session ?? s.id,
        userAgent: e.userAgent,
        user: e.user,
        path: e.origin.path,
        line: e.origin.line,
        sha256: shaOf.get(e.origin.path),
        fields: e.fields,
        note: e.note,
      });
    }
  }
  for (const f of findings) {
    const k = key(f.path, f.line, f.ruleId);
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push({
      time: f.time,
      server: f.server,
      kind: 'finding',
      summary: f.title,
      stage: f.stage,
      ruleId: f.ruleId,
      clientIp: f.clientIp,
      session: undefined,
      userAgent: undefined,
      user: f.user,
      path: f.path,
      line: f.line,
      sha256: f.sha256 || undefined,
      fields: undefined,
      note: f.benign,
    });
  }
  return rows.sort((a, b) => (a.time ?? '\uffff').localeCompare(b.time ?? '\uffff') || a.path.localeCompare(b.path) || a.line - b.line);
}

export function filterRows(rows: TimelineRow[], f: TimelineFilter): TimelineRow[] {
  const from = f.from ? Date.parse(f.from) : NaN;
  const to = f.to ? Date.parse(f.to) : NaN;
  return rows.filter((r) => {
    if (f.server && r.server !== f.server) return false;
    if (f.stage && r.stage !== f.stage) return false;
    if (f.ip && !(r.clientIp ?? '').includes(f.ip)) return false;
    if (f.session && r.session !== f.session) return false;
    if (f.rule && r.ruleId !== f.rule) return false;
    const t = r.time ? Date.parse(r.time) : NaN;
    if (!Number.isNaN(from) && !(t >= from)) return false;
    if (!Number.isNaN(to) && !(t < to)) return false;
    return true;
  });
}

/** Up to `n` equal slices of the rows' time range, with how many rows fall in each: the zoom bar. */
export function buckets(rows: TimelineRow[], n = 48): { from: string; to: string; count: number }[] {
  const times = rows.map((r) => (r.time ? Date.parse(r.time) : NaN)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return [];
  const lo = Math.min(...times);
  const hi = Math.max(...times) + 1;
  const width = Math.max(1000, Math.ceil((hi - lo) / n));
  const count = Math.ceil((hi - lo) / width);
  const out = Array.from({ length: count }, (_, i) => ({
    from: new Date(lo + i * width).toISOString(),
    to: new Date(lo + (i + 1) * width).toISOString(),
    count: 0,
  }));
  for (const t of times) {
    const b = out[Math.min(count - 1, Math.floor((t - lo) / width))];
    if (b) b.count += 1;
  }
  return out;
}
