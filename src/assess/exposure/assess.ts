import type { BuildSegment, WaveHistory } from './history.js';
// Many servers at once: each reading assessed against the table, the probe's live check attached,
// and the table's own age stated, so a reader knows how current "not exposed" is.

import { TOOL } from '../../core/tool.js';
import type { Warning } from '../../core/types.js';
import { assessBuild, exposedToKnownExploited, type BuildAssessment } from './evaluate.js';
import { readingCaveat, type BuildReading } from './inputs.js';
import type { ProbeResult } from './probe.js';
import { applySettings, factsFor, type SettingFact, type SettingsFile } from './settings.js';
import { newestBuild, tableAgeDays, type ExposureTable } from './table.js';

interface LiveCheck {
  cve: 'CVE-2021-26855';
  status: ProbeResult['cve202126855']['status'];
  evidence: string;
}

export interface ServerExposure {
  server: string;
  reading: BuildReading;
  caveat: string | undefined;
  assessment: BuildAssessment;
  /** Present for a probed server: Microsoft's CVE-2021-26855 request and its answer. */
  liveCheck: LiveCheck | undefined;
  /** The settings saved exports showed for this server (its own and the organisation's). */
  settings: SettingFact[];
  /** Exposed, for certain, to a known-exploited CVE (by build or by the live check). */
  exposedToKnownExploited: boolean;
}

export interface TableSummary {
  checked: string;
  ageDays: number;
  builds: number;
  newest: { product: string; build: string; update: string | undefined; released: string | undefined }[];
  sources: { id: string; what: string; commit: string | undefined; asOf: string | undefined }[];
}

interface ProbeSummary {
  target: string;
  readings: { source: string; value: string; showsSecurityUpdates: string; note: string }[];
  cve202126855: ProbeResult['cve202126855'];
  requests: ProbeResult['requests'];
  redirectsNotFollowed: string[];
  /** Why the probe failed (the host gave no HTTP answer at all); undefined when it answered. */
  failed: string | undefined;
}

export interface ExposureReport {
  tool: { name: 'exir'; version: string };
  generatedAt: string;
  asOf: string;
  table: TableSummary;
  servers: ServerExposure[];
  /** What each probe read and sent, whether or not it found a build. */
  probes: ProbeSummary[];
  /** Patch history drawn from the servers' own logs, when evidence was given. */
  histories: ServerHistoryReport[];
  warnings: Warning[];
}

export interface ServerHistoryReport {
  server: string;
  /** "still 15.1.2176.2 on 2021-03-04; 15.1.2176.9 from 2021-03-06" */
  summary: string;
  segments: BuildSegment[];
  /** Per wave, when the logs show the server running a build exposed to it. */
  waves: WaveHistory[];
  caveats: string[];
}

function summarizeProbe(r: ProbeResult): ProbeSummary {
  return {
    target: r.target,
    readings: r.readings.map((x) => ({ source: x.source, value: x.value, showsSecurityUpdates: x.showsSecurityUpdates, note: x.note })),
    cve202126855: r.cve202126855,
    requests: r.requests,
    redirectsNotFollowed: r.redirectsNotFollowed,
    failed: r.failed,
  };
}

export function summarizeTable(table: ExposureTable, today: Date): TableSummary {
  const newest = table.builds.products.map((p) => {
    const n = newestBuild(table, p.id);
    return { product: p.name, build: n?.build ?? '', update: n?.update, released: n?.released };
  });
  const sources = [...table.builds.sources, ...table.security.sources].map((s) => ({
    id: s.id,
    what: s.title ?? s.url ?? s.repository ?? s.id,
    commit: s.commit,
    asOf: s.asOf,
  }));
  return { checked: table.builds.checked, ageDays: tableAgeDays(table, today), builds: table.builds.builds.length, newest, sources };
}

/** A reading from a probe: the reading that shows most, named after the host. */
export function probeReading(result: ProbeResult): BuildReading | undefined {
  const best = result.best;
  if (!best) return undefined;
  return {
    server: new URL(result.target).host,
    build: best.build,
    kind: best.build.precision === 'cu' ? 'cu-build' : 'x-owa-version',
    text: best.value,
    origin: `${best.source === 'x-owa-version' ? 'X-OWA-Version header' : 'OWA path'} of ${result.target}`,
  };
}

export function assessReadings(
  table: ExposureTable,
  readings: BuildReading[],
  options: { asOf: string; probes?: Map<BuildReading, ProbeResult>; settings?: { file: SettingsFile; facts: SettingFact[] } },
): ServerExposure[] {
  return readings.map((reading, i) => {
    const server = reading.server ?? `(unnamed ${i + 1})`;
    const facts = options.settings ? factsFor(options.settings.facts, server) : [];
    const byBuild = assessBuild(table, reading.build, options.asOf);
    const assessment = options.settings ? applySettings(table, byBuild, facts, options.settings.file) : byBuild;
    const probe = options.probes?.get(reading);
    const liveCheck: LiveCheck | undefined = probe
      ? { cve: 'CVE-2021-26855', status: probe.cve202126855.status, evidence: probe.cve202126855.evidence }
      : undefined;
    return {
      server,
      reading,
      caveat: readingCaveat(reading.kind),
      assessment,
      liveCheck,
      settings: facts,
      exposedToKnownExploited: exposedToKnownExploited(assessment) || liveCheck?.status === 'vulnerable',
    };
  });
}

export function exposureReport(
  table: ExposureTable,
  servers: ServerExposure[],
  probes: ProbeResult[],
  warnings: Warning[],
  now: Date,
  asOf: string,
  histories: ServerHistoryReport[] = [],
): ExposureReport {
  return {
    tool: { name: TOOL.name, version: TOOL.version },
    generatedAt: now.toISOString(),
    asOf,
    table: summarizeTable(table, now),
    servers,
    probes: probes.map(summarizeProbe),
    histories,
    warnings,
  };
}

/** Exit code 1 territory: a server or probe exposed, for certain, to a known-exploited CVE. */
export function anyKnownExploitedExposure(report: ExposureReport): boolean {
  return report.servers.some((s) => s.exposedToKnownExploited) || report.probes.some((p) => p.cve202126855.status === 'vulnerable');
}
