import { sharedRequestIds } from '../core/request-id.js';
import { STAGES, type Finding, type Session, type Stage, type TimelineEntry } from '../core/types.js';
import type { Mappings } from '../detect/mapping.js';
import { isAttack } from './verdict.js';

/** What the second pass over the logs looks for: the attackers' other records. */
export interface FollowKeys {
  /** Client IPs seen attacking. */
  ips: string[];
  /** Web shell URL paths, lower-cased. */
  urls: string[];
  /** Per server, the periods around attack activity, for logs that name no client (cmdlets, ECP). */
  windows: Record<string, { from: string; to: string }[]>;
  /** Addresses the attacker had mail forwarded to, lower-cased: message tracking to them is followed. */
  addresses?: string[];
  /** The web shell URLs as the logs spelled them, for the byte search that picks the files to read. */
  urlSpellings?: string[];
}

/** Records with no client (cmdlets, ECP) join the attack on their server within this time. */
const NEARBY_MS = 30 * 60 * 1000;
/** Client-less records with no client near them (event logs alone) chain into one session at most this far apart. */
const EVENT_GAP_MS = 10 * 60 * 1000;
/** Around each attack finding, the period in which client-less logs are read again. */
const WINDOW_BEFORE_MS = 10 * 60 * 1000;
const WINDOW_AFTER_MS = 60 * 60 * 1000;

const SHELL_PAGE = /\.(aspx|ashx|asmx|asp)$/i;

/** The findings that seed sessions: real attack steps, not scanners, probes or requests that went nowhere. */
export function seedFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => isAttack(f) && !f.cappedBy);
}

/** The pages the attacker used as web shells: post-exploitation hits on script pages. */
function shellUrls(findings: Finding[]): string[] {
  const urls = new Set<string>();
  for (const f of seedFindings(findings)) {
    if (f.stage === 'post-exploitation' && f.url && SHELL_PAGE.test(f.url)) urls.add(f.url.toLowerCase());
  }
  return [...urls].sort();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** What the second pass looks for, or undefined when nothing attacked (nothing to follow). */
export function followKeys(findings: Finding[]): FollowKeys | undefined {
  const seeds = seedFindings(findings);
  if (seeds.length === 0) return undefined;
  const ips = [...new Set(seeds.map((f) => f.clientIp).filter((ip): ip is string => Boolean(ip)))].sort();
  const windows: FollowKeys['windows'] = {};
  // Findings share their times (a flood, the same event logged again): each time's window is made once.
  const around = new Map<string, { from: string; to: string }>();
  for (const f of seeds) {
    if (!f.time) continue;
    let w = around.get(f.time);
    if (w === undefined) {
      const t = Date.parse(f.time);
      w = { from: iso(t - WINDOW_BEFORE_MS), to: iso(t + WINDOW_AFTER_MS) };
      around.set(f.time, w);
    }
    (windows[f.server] ??= []).push(w);
  }
  for (const server of Object.keys(windows)) windows[server] = mergeWindows(windows[server] ?? []);
  const spellings = [...new Set(seeds.map((f) => f.url).filter((u): u is string => u !== undefined && SHELL_PAGE.test(u)))];
  return { ips, urls: shellUrls(findings), windows, urlSpellings: spellings };
}

function mergeWindows(list: { from: string; to: string }[]): { from: string; to: string }[] {
  const sorted = [...list].sort((a, b) => a.from.localeCompare(b.from));
  const out: { from: string; to: string }[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) last.to = w.to > last.to ? w.to : last.to;
    else out.push({ ...w });
  }
  return out;
}

export function findingEntry(f: Finding): TimelineEntry {
  return {
    time: f.time,
    server: f.server,
    source: sourceOf(f),
    origin: f.origin,
    kind: 'finding',
    summary: f.title,
    ruleId: f.ruleId,
    stage: f.stage,
    ...(f.clientIp ? { clientIp: f.clientIp } : {}),
    ...(f.userAgent ? { userAgent: f.userAgent } : {}),
    ...(f.user ? { user: f.user } : {}),
    ...(f.requestId ? { requestId: f.requestId } : {}),
    ...(f.cves.length ? { cves: f.cves } : {}),
    ...((f.benign ?? f.cappedBy) ? { note: f.benign ?? f.cappedBy } : {}),
    fields: f.fields,
  };
}

/** Findings do not carry their log kind; the field names they matched on tell it well enough for display. */
function sourceOf(f: Finding): TimelineEntry['source'] {
  const names = Object.keys(f.fields);
  if (names.some((n) => n.startsWith('cs-') || n.startsWith('sc-') || n === 'c-ip')) return 'iis';
  if (names.includes('Cmdlet') || names.includes('Parameters')) return 'rps-cmdlet';
  if (names.includes('CMD') || names.includes('EventData')) return 'ecp-server';
  if (names.includes('AnchorMailbox') || names.includes('UrlStem') || names.includes('BackEndCookie')) return 'httpproxy';
  return 'unknown';
}

/**
 * For a client-less entry on a server at time `t` (ms), the index of the entry with a client on that
 * server nearest in time, within NEARBY_MS; of those as near, the first in `entries`. Each server's
 * entries with a client sorted by time, and searched: asking every one of them for every client-less
 * entry was quadratic when an event log and web logs of one server both hold many.
 */
function nearestWithClient(entries: TimelineEntry[]): (server: string, t: number) => number | undefined {
  // Per server: the times, and for each the place in `entries` of the first entry at that time.
  const byServer = new Map<string, { ms: number[]; first: number[] }>();
  const found: { server: string; ms: number; i: number }[] = [];
  entries.forEach((e, i) => {
    if (!e.clientIp || !e.time) return;
    const ms = Date.parse(e.time);
    // An unreadable time is near nothing.
    if (!Number.isNaN(ms)) found.push({ server: e.server, ms, i });
  });
  // By time, then by place in `entries`: the first of a run of equal times is the one to take.
  found.sort((a, b) => a.ms - b.ms || a.i - b.i);
  for (const f of found) {
    let list = byServer.get(f.server);
    if (list === undefined) byServer.set(f.server, (list = { ms: [], first: [] }));
    const n = list.ms.length;
    list.first.push(n > 0 && list.ms[n - 1] === f.ms ? (list.first[n - 1] as number) : f.i);
    list.ms.push(f.ms);
  }
  return (server, t) => {
    const list = byServer.get(server);
    if (list === undefined || Number.isNaN(t)) return undefined;
    const { ms, first } = list;
    // The first at or after t, and the last before it.
    let lo = 0;
    let hi = ms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ms[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    const after = lo < ms.length ? (ms[lo] as number) - t : Infinity;
    const before = lo > 0 ? t - (ms[lo - 1] as number) : Infinity;
    const gap = Math.min(after, before);
    if (gap > NEARBY_MS) return undefined;
    // As near before and after: the one first in `entries`.
    const atBefore = before === gap ? (first[lo - 1] as number) : Infinity;
    const atAfter = after === gap ? (first[lo] as number) : Infinity;
    return Math.min(atBefore, atAfter);
  };
}

class UnionFind {
  private readonly parent: number[] = [];

  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let cur = i;
    while (this.parent[cur] !== root) {
      const next = this.parent[cur] as number;
      this.parent[cur] = root;
      cur = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Joins attack findings and the attackers' other records into sessions: one attacker's activity.
 * Entries join when they share a request (HttpProxy RequestId = IIS cafeReqId), a client IP, or a
 * web shell page; records that name no client (cmdlets, ECP, OAB generation) join the attack
 * active on their server within minutes.
 */
export function buildSessions(findings: Finding[], activity: TimelineEntry[], _mappings?: Mappings): Session[] {
  const seeds = seedFindings(findings);
  if (seeds.length === 0) return [];
  const seen = new Set(findings.map((f) => `${f.origin.path}\u0000${f.origin.line}`));
  const entries: TimelineEntry[] = [...seeds.map(findingEntry), ...activity.filter((a) => !seen.has(`${a.origin.path}\u0000${a.origin.line}`))].sort(
    (a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.origin.path.localeCompare(b.origin.path) || a.origin.line - b.origin.line,
  );

  const uf = new UnionFind();
  const ids = entries.map(() => uf.add());
  const firstBy = new Map<string, number>();
  const join = (key: string, i: number): void => {
    const first = firstBy.get(key);
    if (first === undefined) firstBy.set(key, i);
    else uf.union(first, i);
  };
  const shells = new Set(shellUrls(findings));
  const sharedIds = sharedRequestIds(entries);
  entries.forEach((e, i) => {
    if (e.requestId && !sharedIds.has(`${e.server}\u0000${e.requestId}`)) join(`req\u0000${e.server}\u0000${e.requestId}`, i);
    if (e.clientIp) join(`ip\u0000${e.clientIp}`, i);
    const url = (e.fields['cs-uri-stem'] ?? e.fields['UrlStem'])?.toLowerCase();
    if (url && shells.has(url)) join(`shell\u0000${e.server}\u0000${url}`, i);
  });
  // Client-less records: attach to the nearest entry with a client on the same server.
  const nearest = nearestWithClient(entries);
  const lastAlone = new Map<string, { i: number; t: number }>();
  entries.forEach((e, i) => {
    if (e.clientIp || !e.time) return;
    const t = Date.parse(e.time);
    const best = nearest(e.server, t);
    if (best !== undefined) uf.union(best, i);
    else {
      // Nothing with a client near it (an event log alone): events on one host minutes apart are one session.
      const prev = lastAlone.get(e.server);
      if (prev && t - prev.t <= EVENT_GAP_MS) uf.union(prev.i, i);
      lastAlone.set(e.server, { i, t });
    }
  });

  const groups = new Map<number, TimelineEntry[]>();
  ids.forEach((id, i) => {
    const root = uf.find(id);
    const list = groups.get(root) ?? [];
    list.push(entries[i] as TimelineEntry);
    groups.set(root, list);
  });
  const sessions: Session[] = [];
  for (const list of groups.values()) {
    const findingsIn = list.filter((e) => e.kind === 'finding');
    // A session is an attacker's: a group with no attack finding (a stray cmdlet) stays out.
    if (findingsIn.length === 0) continue;
    const stages = new Set<Stage>(findingsIn.map((e) => e.stage as Stage));
    const times = list
      .map((e) => e.time)
      .filter((t): t is string => Boolean(t))
      .sort();
    sessions.push({
      id: '',
      servers: [...new Set(list.map((e) => e.server))].sort(),
      attackerIps: [...new Set(list.map((e) => e.clientIp).filter((x): x is string => Boolean(x)))].sort(),
      userAgents: [...new Set(list.map((e) => e.userAgent).filter((x): x is string => Boolean(x)))].sort(),
      firstTime: times[0],
      lastTime: times[times.length - 1],
      stages: STAGES.filter((s) => stages.has(s)),
      webShells: [
        ...new Set(
          list.map((e) => (e.fields['cs-uri-stem'] ?? e.fields['UrlStem'])?.toLowerCase()).filter((u): u is string => Boolean(u) && shells.has(u as string)),
        ),
      ].sort(),
      findings: findingsIn.length,
      entries: list,
    });
  }
  sessions.sort((a, b) => (a.firstTime ?? '').localeCompare(b.firstTime ?? ''));
  sessions.forEach((s, n) => {
    s.id = `S${n + 1}`;
    for (const e of s.entries) e.session = s.id;
  });
  return sessions;
}
