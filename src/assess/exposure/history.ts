// A server's patch history drawn from its own logs: every HttpProxy line carries the front end's build
// (MajorVersion..RevisionVersion) and IIS lines the /owa/auth/<build>/ paths, each with its time. The
// history says what ran when ("still 15.1.2176.2 on 2021-03-04; 15.1.2176.9 from 2021-03-06") and, with
// the table, between which dates the server was exposed to each wave.

import type { Warning } from '../../core/types.js';
import { assessBuild } from './evaluate.js';
import type { ExposureTable } from './table.js';
import { compareBuilds, formatBuild, parseDotted, type ExchangeBuild } from './version.js';

type ObservationSource = 'httpproxy' | 'iis';

export interface BuildObservationRecord {
  server: string;
  /** ISO 8601 UTC. */
  time: string;
  /** `15.1.2176.9`, or three parts from an OWA path. */
  build: string;
  source: ObservationSource;
}

/** A run of observations of one build with no other build seen in between. */
export interface BuildSegment {
  build: string;
  precision: ExchangeBuild['precision'];
  firstSeen: string;
  lastSeen: string;
  count: number;
  sources: ObservationSource[];
}

export interface ServerBuildHistory {
  server: string;
  /** Which source the segments come from: HttpProxy when the server has any, else IIS. */
  basis: ObservationSource;
  segments: BuildSegment[];
  /** Observations of the other source, not used for the segments. */
  ignored: number;
  summary: string;
  caveats: string[];
}

export interface ObservationResult {
  servers: ServerBuildHistory[];
  warnings: Warning[];
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function day(iso: string): string {
  return iso.slice(0, 10);
}

function describe(segments: BuildSegment[]): string {
  if (segments.length === 0) return 'no build observed';
  const [first] = segments;
  if (segments.length === 1 && first) return `${first.build} from ${day(first.firstSeen)} to ${day(first.lastSeen)}`;
  const parts: string[] = [];
  segments.forEach((s, i) => {
    if (i === 0) parts.push(`still ${s.build} on ${day(s.lastSeen)}`);
    else if (i === segments.length - 1) parts.push(`${s.build} from ${day(s.firstSeen)}`);
    else parts.push(`${s.build} from ${day(s.firstSeen)} to ${day(s.lastSeen)}`);
  });
  return parts.join('; ');
}

/**
 * Turns per-record build observations into one history per server. Records are read in any order; bad
 * ones (no server, unreadable time or build) are counted as warnings, never dropped silently.
 */
export function buildObservations(records: Iterable<BuildObservationRecord>): ObservationResult {
  const warnings: Warning[] = [];
  const byServer = new Map<string, { time: string; build: ExchangeBuild; source: ObservationSource }[]>();
  let n = 0;
  for (const r of records) {
    n++;
    const where = `observation ${n}${r.server ? ` (${r.server})` : ''}`;
    if (!r.server) {
      warnings.push({ where, message: 'no server name' });
      continue;
    }
    if (!ISO.test(r.time) || Number.isNaN(Date.parse(r.time))) {
      warnings.push({ where, message: `time "${r.time}" is not ISO 8601 UTC` });
      continue;
    }
    const build = parseDotted(r.build);
    if (!build) {
      warnings.push({ where, message: `build "${r.build}" is not an Exchange build` });
      continue;
    }
    const list = byServer.get(r.server) ?? [];
    list.push({ time: r.time, build, source: r.source });
    byServer.set(r.server, list);
  }
  const servers: ServerBuildHistory[] = [];
  for (const [server, all] of [...byServer].sort((a, b) => a[0].localeCompare(b[0]))) {
    // The front end writes its own version into every HttpProxy line; an IIS path is whatever the client
    // asked for (a cached page, a scanner), so IIS is used only when HttpProxy says nothing.
    const basis: ObservationSource = all.some((o) => o.source === 'httpproxy') ? 'httpproxy' : 'iis';
    const used = all.filter((o) => o.source === basis).sort((a, b) => a.time.localeCompare(b.time));
    const segments: BuildSegment[] = [];
    for (const o of used) {
      const text = formatBuild(o.build);
      const last = segments[segments.length - 1];
      if (last && last.build === text) {
        last.lastSeen = o.time;
        last.count++;
      } else {
        segments.push({ build: text, precision: o.build.precision, firstSeen: o.time, lastSeen: o.time, count: 1, sources: [o.source] });
      }
    }
    const caveats: string[] = [];
    if (basis === 'iis') {
      caveats.push('From IIS request paths only: clients choose those paths (cached pages, scanners), so a build seen there may not be the one running.');
    }
    if (segments.some((s) => s.precision === 'cu')) caveats.push('Three-part builds show the CU, not the Security Update.');
    for (let i = 1; i < segments.length; i++) {
      const prev = segments[i - 1];
      const cur = segments[i];
      if (prev && cur && compareBuilds(parseDotted(cur.build)!, parseDotted(prev.build)!) < 0) {
        caveats.push(
          `The build went down from ${prev.build} to ${cur.build} on ${day(cur.firstSeen)}: a rollback, a restore, or a second server logging under this name.`,
        );
      }
    }
    servers.push({ server, basis, segments, ignored: all.length - used.length, summary: describe(segments), caveats });
  }
  return { servers, warnings };
}

export interface ExposureInterval {
  /** First observation of an exposed build (exposure may have begun earlier, before the logs). */
  from: string;
  /** Last observation while exposed. */
  lastSeenExposed: string;
  /** First observation of the next, different build; undefined while still on it at the end of the logs. */
  until: string | undefined;
  build: string;
  status: 'exposed' | 'unknown';
}

export interface WaveHistory {
  wave: string;
  name: string;
  intervals: ExposureInterval[];
  text: string;
}

/** For each wave, when the server's logs show it running a build exposed to it. */
export function exposureWindows(table: ExposureTable, history: ServerBuildHistory, asOf: string): WaveHistory[] {
  const perSegment = history.segments.map((s) => ({ s, a: assessBuild(table, parseDotted(s.build)!, asOf) }));
  return table.security.waves.map((wave) => {
    const intervals: ExposureInterval[] = [];
    let open: ExposureInterval | undefined;
    for (const { s, a } of perSegment) {
      const w = a.waves.find((x) => x.wave === wave.id);
      const status = w?.status === 'exposed' || w?.status === 'unknown' ? w.status : undefined;
      if (status && open && open.status === status) {
        open.lastSeenExposed = s.lastSeen;
        open.build = s.build;
      } else if (status) {
        if (open) open.until = s.firstSeen;
        open = { from: s.firstSeen, lastSeenExposed: s.lastSeen, until: undefined, build: s.build, status };
        intervals.push(open);
      } else if (open) {
        open.until = s.firstSeen;
        open = undefined;
      }
    }
    // A build can be vulnerable years before anyone attacks it: the logs ending before the wave
    // was known to be exploited (or disclosed) is said, rather than "exposed" through all of them.
    const known = wave.exploitedFrom ?? wave.disclosed;
    const lastSeen = perSegment[perSegment.length - 1]?.s.lastSeen;
    const before = intervals.length > 0 && lastSeen !== undefined && day(lastSeen) < known;
    const text =
      intervals.length === 0
        ? perSegment.length
          ? 'not exposed in any build the logs show'
          : 'no build observed'
        : before
          ? `running a build vulnerable to it, but the logs end (${day(lastSeen)}) before it was known to be exploited or disclosed (${known})`
          : intervals
              .map((iv) => {
                const what = iv.status === 'exposed' ? 'exposed' : 'possibly exposed (build cannot show the SU)';
                const end = iv.until
                  ? `until between ${day(iv.lastSeenExposed)} and ${day(iv.until)}`
                  : `still on ${day(iv.lastSeenExposed)}, the last observation`;
                return `${what} from ${day(iv.from)} ${end}`;
              })
              .join('; ');
    return { wave: wave.id, name: wave.name, intervals, text };
  });
}
