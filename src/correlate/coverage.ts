import { readFileSync } from 'node:fs';
import type { Coverage, CoverageGap, EvidenceFile, SourceKind } from '../core/types.js';
import { spokenTime } from './verdict.js';

export interface Wave {
  id: string;
  name: string;
  cves: string[];
  /** First day of known exploitation (UTC). */
  from: string;
  /** Dated steps of the wave; the last one is the least a log must reach to have seen its peak. */
  milestones?: { date: string; what: string }[];
}

/** The exploitation windows, as data with their sources (data/exploitation-windows.json). */
export const WAVES: Wave[] = (JSON.parse(readFileSync(new URL('../../data/exploitation-windows.json', import.meta.url), 'utf8')) as { waves: Wave[] }).waves;

const NAMES: Partial<Record<SourceKind, string>> = {
  iis: 'IIS logs',
  httpproxy: 'HttpProxy logs',
  'ecp-server': 'ECP Server logs',
  'ecp-activity': 'ECP Activity logs',
  oabgenerator: 'OABGenerator logs',
  'rps-http': 'PowerShell (Rps_Http) logs',
  'rps-cmdlet': 'PowerShell cmdlet (Rps_Cmdlet) logs',
  msgtrk: 'message tracking logs',
  ews: 'EWS logs',
};

/** The logs without which a wave's key step cannot be seen at all. */
const ESSENTIAL: { source: SourceKind; sees: string }[] = [
  { source: 'httpproxy', sees: 'the ProxyLogon SSRF (CVE-2021-26855) and the mailboxes requests reached' },
  { source: 'iis', sees: 'requests to web shells and the ProxyShell/ProxyNotShell SSRF' },
  { source: 'ecp-server', sees: 'the web shell written through a virtual directory (CVE-2021-27065)' },
];

/**
 * A hole between files of one log this long is said. Exchange writes these logs every hour it
 * serves, but a quiet log (ECP used by admins only) can rest over a weekend: three days is not that.
 */
const HOLE_MS = 72 * 3600 * 1000;

function day(iso: string): string {
  return iso.slice(0, 10);
}

function sourceName(kind: SourceKind): string {
  return NAMES[kind] ?? `${kind} logs`;
}

/**
 * What the evidence can see, per server and kind of log, and what it cannot: a window of known
 * exploitation the logs do not reach, a hole between files, a key log missing. Each gap is said in
 * plain words, because a clean verdict over a window with no logs is not clean.
 */
export function measureCoverage(evidence: EvidenceFile[], now = new Date()): Coverage[] {
  const groups = new Map<string, EvidenceFile[]>();
  for (const file of evidence) {
    // A listing and other tools' reports hold what was found, not a log's stretch of time.
    if (
      file.kind === 'unknown' ||
      file.kind === 'inventory' ||
      file.kind === 'test-proxylogon' ||
      file.kind === 'eomt' ||
      file.kind === 'msert' ||
      !file.server
    )
      continue;
    const key = `${file.server}\u0000${file.kind}`;
    // Pushed, not copied: a server's HttpProxy logs are thousands of files.
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  }
  const latestSeen = evidence
    .map((e) => e.lastTime)
    .filter((t): t is string => Boolean(t))
    .sort()
    .pop();
  const waves = WAVES.filter((w) => latestSeen !== undefined && w.from <= day(latestSeen));
  const out: Coverage[] = [];
  const servers = new Set<string>();
  for (const files of groups.values()) {
    const first = files[0] as EvidenceFile;
    const server = first.server as string;
    servers.add(server);
    const times = files
      .flatMap((f) => [f.firstTime, f.lastTime])
      .filter((t): t is string => Boolean(t))
      .sort();
    const firstTime = times[0];
    const lastTime = times[times.length - 1];
    const gaps: CoverageGap[] = [];
    const name = sourceName(first.kind);
    for (const wave of waves) {
      if (firstTime && day(firstTime) > wave.from) {
        gaps.push({
          wave: wave.id,
          from: wave.from,
          to: day(firstTime),
          statement: `${name} on ${server} start on ${day(firstTime)}: the ${wave.from}..${day(firstTime)} part of the ${wave.name} window cannot be assessed from them.`,
        });
      }
      // Logs that stop before the wave's last dated step miss its peak (ProxyLogon's mass
      // exploitation ran into March 2021): a clean verdict from them says nothing of those days.
      const peak = wave.milestones
        ?.map((m) => m.date)
        .sort()
        .pop();
      if (lastTime && peak && day(lastTime) < peak) {
        gaps.push({
          wave: wave.id,
          from: day(lastTime),
          to: peak,
          statement: `${name} on ${server} end on ${day(lastTime)}: the ${day(lastTime)}..${peak} part of the ${wave.name} window, and anything later, cannot be assessed from them.`,
        });
      }
    }
    gaps.push(...holes(files, name, server));
    out.push({
      server,
      source: first.kind,
      files: files.length,
      records: files.reduce((n, f) => n + f.records, 0),
      firstTime,
      lastTime,
      gaps,
    });
  }
  for (const server of servers) {
    for (const need of ESSENTIAL) {
      if (groups.has(`${server}\u0000${need.source}`)) continue;
      out.push({
        server,
        source: need.source,
        files: 0,
        records: 0,
        firstTime: undefined,
        lastTime: undefined,
        gaps: [
          {
            from: waves[0]?.from ?? day(now.toISOString()),
            to: latestSeen ? day(latestSeen) : day(now.toISOString()),
            statement: `No ${sourceName(need.source)} from ${server} are in the evidence: ${need.sees} cannot be seen on it.`,
          },
        ],
      });
    }
  }
  return out.sort((a, b) => a.server.localeCompare(b.server) || a.source.localeCompare(b.source));
}

/** Holes between consecutive files' time ranges that are longer than a quiet weekend. */
function holes(files: EvidenceFile[], name: string, server: string): CoverageGap[] {
  const spans = files
    .filter((f) => f.firstTime && f.lastTime)
    .map((f) => [Date.parse(f.firstTime as string), Date.parse(f.lastTime as string)] as const)
    .sort((a, b) => a[0] - b[0]);
  const out: CoverageGap[] = [];
  let reach = spans[0]?.[1];
  for (const [start, end] of spans.slice(1)) {
    if (reach !== undefined && start - reach > HOLE_MS) {
      const from = new Date(reach).toISOString();
      const to = new Date(start).toISOString();
      const said = (iso: string) => spokenTime(iso).slice('at '.length);
      out.push({
        from,
        to,
        statement: `${name} on ${server} have nothing between ${said(from)} and ${said(to)}: a gap in the logs (deleted, rolled over or not collected).`,
      });
    }
    reach = reach === undefined ? end : Math.max(reach, end);
  }
  return out;
}
