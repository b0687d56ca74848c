// The exposure report as a console summary, JSON, and one CSV row per server. Renderers only: every
// fact comes from the assessment. Server names and input text came from the user's files: they are
// escaped for the terminal and neutralised in CSV.

import { csvRow } from '../../core/neutralise.js';
import { safeJson, safeText } from '../../core/terminal-text.js';
import type { CveExposure } from './evaluate.js';
import { openExposures } from './evaluate.js';
import type { ExposureReport, ServerExposure } from './assess.js';

const KIND_LABEL: Record<string, string> = {
  exsetup: 'ExSetup FileVersion',
  'admin-display-version': 'AdminDisplayVersion',
  build: 'build',
  'cu-build': 'three-part build',
  'x-owa-version': 'X-OWA-Version',
};

/** "Exchange Server 2019 CU8"; the 2010 product name already ends with its level (SP3). */
function versionName(s: ServerExposure): string {
  const { product, level } = s.assessment;
  if (!product) return 'not Exchange';
  if (level === undefined) return `${product.name} (CU unknown)`;
  return product.name.endsWith(level) ? product.name : `${product.name} ${level}`;
}

/** CVEs a setting decides, on a build that can have it, when no export showed the setting. */
function needsConfiguration(a: ServerExposure['assessment']): CveExposure[] {
  return a.cves.filter((c) => c.status === 'needs-config' || c.status === 'fixed-needs-config');
}

function cveLine(c: CveExposure): string {
  const name = c.aka.length ? ` ${c.aka.join('/')}` : '';
  const score = c.cvss === null ? 'CVSS unknown' : `CVSS ${c.cvss.toFixed(1)}`;
  const kev = c.knownExploited ? `, known exploited (CISA ${c.kevDateAdded ?? ''})` : '';
  const fix = c.fix ? `; ${c.fix.text}` : '';
  return `${c.cve}${name} (${score}${kev}): ${c.status === 'unknown' ? c.reason : c.status}${fix}`;
}

function tableLine(report: ExposureReport): string {
  const newest = report.table.newest
    .filter((n) => n.build)
    .map((n) => `${n.product.replace('Exchange Server ', '')} ${n.build}${n.update ? ` ${n.update}` : ''}`)
    .join(', ');
  return `Build table checked ${report.table.checked} (${report.table.ageDays} day${report.table.ageDays === 1 ? '' : 's'} old); newest builds: ${newest}`;
}

function serverBlock(s: ServerExposure): string[] {
  const a = s.assessment;
  const out: string[] = [];
  const label = KIND_LABEL[s.reading.kind] ?? s.reading.kind;
  out.push(`${safeText(s.server)}  ${a.build} (${label}, ${safeText(s.reading.origin)})`);
  if (!a.product) {
    out.push(`  ${a.notes.join('; ')}`);
    return out;
  }
  out.push(`  ${versionName(s)}; newest update: ${a.newestUpdate.text}`);
  out.push(`  supported: ${a.supported.value ? 'yes' : 'no'}: ${a.supported.text}`);
  if (s.caveat) out.push(`  note: ${s.caveat}`);
  for (const n of a.notes) out.push(`  note: ${n}`);
  if (s.liveCheck) out.push(`  live check ${s.liveCheck.cve}: ${s.liveCheck.status} (${safeText(s.liveCheck.evidence)})`);
  const open = openExposures(a);
  const kev = open.filter((c) => c.status === 'exposed' && c.knownExploited);
  const other = open.filter((c) => c.status === 'exposed' && !c.knownExploited);
  const unknown = open.filter((c) => c.status === 'unknown');
  const config = needsConfiguration(a);
  if (kev.length) {
    out.push('  EXPOSED to known-exploited CVEs:');
    for (const c of kev) out.push(`    ${cveLine(c)}`);
  }
  if (other.length) {
    const top = other.slice(0, 5);
    out.push(
      `  exposed to ${other.length} other CVE${other.length === 1 ? '' : 's'}${other.length > top.length ? ` (highest scores shown; all in --json/--csv)` : ''}:`,
    );
    for (const c of top) out.push(`    ${cveLine(c)}`);
  }
  const disputed = open.filter((c) => c.status === 'disputed');
  if (disputed.length) {
    out.push(`  disputed: ${disputed.length} CVE${disputed.length === 1 ? '' : 's'} (the sources name different updates; the advice takes the later):`);
    for (const c of disputed) out.push(`    ${c.cve} (${c.knownExploited ? 'known exploited; ' : ''}${c.reason})${c.fix ? `; ${c.fix.text}` : ''}`);
  }
  if (unknown.length) {
    const kevUnknown = unknown.filter((c) => c.knownExploited);
    out.push(
      `  cannot tell from this reading: ${unknown.length} CVE${unknown.length === 1 ? '' : 's'}${kevUnknown.length ? `, known exploited among them: ${kevUnknown.map((c) => c.cve).join(', ')}` : ''}`,
    );
  }
  if (config.length) {
    out.push('  needs configuration (the build can be protected; a setting decides, and no export given shows it):');
    const bySetting = new Map<string, CveExposure[]>();
    for (const c of config) bySetting.set(c.requires ?? 'a setting', [...(bySetting.get(c.requires ?? 'a setting') ?? []), c]);
    for (const [requires, cves] of bySetting) {
      out.push(`    ${requires}: ${cves.map((c) => `${c.cve}${c.knownExploited ? ' (known exploited)' : ''}`).join(', ')}`);
    }
  }
  if (s.settings.length) {
    out.push('  settings read:');
    for (const f of s.settings) out.push(`    ${f.setting} ${f.value ? 'on' : 'off'}: ${safeText(f.evidence)}`);
  }
  if (a.updatesWithUnknownFixes.length) {
    out.push(`  missing updates whose fixes are not in the table: ${a.updatesWithUnknownFixes.join(', ')}`);
  }
  const waves = a.waves.filter((w) => w.status !== 'not-affected');
  if (waves.length) {
    out.push('  waves:');
    for (const w of waves) out.push(`    ${w.name}: ${w.text}`);
  }
  out.push(`  to fix: ${a.recommended}`);
  return out;
}

export function renderConsole(report: ExposureReport): string {
  const lines: string[] = [tableLine(report), ''];
  const rows = report.servers.map((s) => {
    const open = openExposures(s.assessment);
    return [
      safeText(s.server),
      s.assessment.build,
      s.assessment.product ? versionName(s).replace('Exchange Server ', '') : 'not Exchange',
      s.assessment.newestUpdate.name ?? (s.assessment.newestUpdate.certain ? 'none' : 'unknown'),
      s.assessment.supported.value ? 'yes' : 'no',
      String(open.filter((c) => c.status === 'exposed' && c.knownExploited).length),
      String(open.filter((c) => c.status === 'exposed').length),
      String(open.filter((c) => c.status === 'unknown').length),
      String(needsConfiguration(s.assessment).length),
    ];
  });
  if (rows.length) {
    const head = ['Server', 'Build', 'Version', 'Newest update', 'Supported', 'KEV exposed', 'Exposed', 'Unknown', 'Needs config'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (r: string[]): string =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    lines.push(fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt), '');
  }
  if (report.histories.length) {
    lines.push("Patch history from the servers' own logs:");
    for (const h of report.histories) {
      lines.push(`  ${safeText(h.server)}: ${safeText(h.summary)}`);
      for (const w of h.waves) if (w.intervals.length) lines.push(`    ${w.name}: ${safeText(w.text)}`);
      for (const c of h.caveats) lines.push(`    note: ${safeText(c)}`);
    }
    lines.push('');
  }
  for (const s of report.servers) lines.push(...serverBlock(s), '');
  for (const p of report.probes) {
    lines.push(
      `probe ${safeText(p.target)}: sent ${p.requests.length} request${p.requests.length === 1 ? '' : 's'} (${p.requests.map((r) => `${new URL(r.url).pathname} ${r.status ?? r.error ?? ''}`).join('; ')})`,
    );
    if (p.failed) lines.push(`  PROBE FAILED: ${safeText(p.failed)}; nothing is known about this host`);
    else if (p.readings.length === 0) lines.push('  no build found');
    for (const r of p.readings) lines.push(`  ${r.source} ${safeText(r.value)}: shows Security Updates: ${r.showsSecurityUpdates}. ${r.note}`);
    lines.push(`  CVE-2021-26855 (Microsoft's check): ${p.cve202126855.status} (${safeText(p.cve202126855.evidence)})`);
    for (const r of p.redirectsNotFollowed) lines.push(`  redirect to another host not followed: ${safeText(r)}`);
    lines.push('');
  }
  const kev = report.servers.filter((s) => s.exposedToKnownExploited).length;
  lines.push(`${report.servers.length} server${report.servers.length === 1 ? '' : 's'}; ${kev} exposed to a known-exploited CVE.`);
  return `${lines.join('\n')}\n`;
}

/** JSON leaves C1 controls and bidi overrides raw; they are escaped too (still the same JSON). */
/** The whole report; a product is written by name, and control characters are escaped. */
export function renderJson(report: ExposureReport): string {
  const plain = JSON.parse(
    JSON.stringify(report, (key, value: unknown) => (key === 'product' && value && typeof value === 'object' ? (value as { name: string }).name : value)),
  ) as unknown;
  return `${safeJson(plain)}\n`;
}

export const CSV_HEADER = [
  'server',
  'input_kind',
  'input_text',
  'input_origin',
  'build',
  'shows_security_updates',
  'product',
  'cu',
  'cu_released',
  'newest_update',
  'newest_update_released',
  'newest_update_kb',
  'newest_update_certain',
  'supported',
  'support_note',
  'exposed_known_exploited',
  'exposed_cves',
  'unknown_cves',
  'needs_config_cves',
  'max_cvss_exposed',
  'waves_exposed',
  'missing_updates_with_unknown_fixes',
  'recommended',
  'live_cve_2021_26855',
  'table_checked',
  'disputed_cves',
  'newer_than_table',
];

/** One row per server; every cell that came from the input is neutralised against formulas. */
export function renderCsv(report: ExposureReport): string {
  const lines = [csvRow(CSV_HEADER)];
  for (const s of report.servers) {
    const a = s.assessment;
    const open = openExposures(a);
    const exposed = open.filter((c) => c.status === 'exposed');
    const maxScore = exposed.reduce<number | null>((m, c) => (c.cvss !== null && (m === null || c.cvss > m) ? c.cvss : m), null);
    lines.push(
      csvRow([
        s.server,
        s.reading.kind,
        s.reading.text,
        s.reading.origin,
        a.build,
        a.precision === 'full' ? 'yes' : 'no',
        a.product?.name,
        a.level,
        a.levelReleased,
        a.newestUpdate.name ?? (a.newestUpdate.certain ? 'none' : 'unknown'),
        a.newestUpdate.released,
        a.newestUpdate.kb,
        a.newestUpdate.certain ? 'yes' : 'no',
        a.supported.value ? 'yes' : 'no',
        a.supported.text,
        exposed
          .filter((c) => c.knownExploited)
          .map((c) => c.cve)
          .join(' '),
        exposed.map((c) => c.cve).join(' '),
        open
          .filter((c) => c.status === 'unknown')
          .map((c) => c.cve)
          .join(' '),
        needsConfiguration(a)
          .map((c) => c.cve)
          .join(' '),
        maxScore === null ? '' : maxScore.toFixed(1),
        a.waves
          .filter((w) => w.status === 'exposed')
          .map((w) => w.wave)
          .join(' '),
        a.updatesWithUnknownFixes.join(' '),
        a.recommended,
        s.liveCheck?.status,
        report.table.checked,
        open
          .filter((c) => c.status === 'disputed')
          .map((c) => c.cve)
          .join(' '),
        a.newerThanTable ? 'yes' : 'no',
      ]),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
