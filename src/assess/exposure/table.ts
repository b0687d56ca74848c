// The build table and the update-to-CVE map, loaded from data/exchange/ and indexed for lookups.
// The data files name their sources; this module only reads them and refuses a malformed one.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareBuilds, formatBuild, mustParse, parseDotted, type ExchangeBuild } from './version.js';

export type BuildKind = 'preview' | 'rtm' | 'cu' | 'sp' | 'ru' | 'su' | 'hu' | 'legacy-su' | 'interim' | 'disputed';

export interface Source {
  id: string;
  title?: string;
  url?: string;
  repository?: string;
  path?: string;
  commit?: string;
  fileCommit?: string;
  asOf?: string;
  checked: string;
  note?: string;
  local?: string;
}

export interface ProductInfo {
  id: string;
  name: string;
  major: number;
  minor: number;
  minBuild: number;
  maxBuild: number | null;
  released: string;
  /** Last day of extended support; null when none is set (2010 is long gone, SE is Modern Lifecycle). */
  supportEnd: string | null;
  /** CU levels Microsoft still services; empty when the product is out of support. */
  supportedLevels: string[];
  supportNote?: string;
  supportSource?: string;
  esu?: { levels: string[]; updatesUntil: string; note: string; source: string };
  /** The first build of the product's last CU (or rollup): no later one exists, so a higher build part is a typo. */
  lastLevel?: { build: string; sources: string[]; note: string };
}

export interface BuildEntry {
  build: string;
  product: string;
  level: string;
  kind: BuildKind;
  update?: string;
  released?: string;
  releasedFrom?: string;
  kb?: string;
  sources: string[];
  note?: string;
  disputed?: boolean;
  /** For a disputed build: the update one source says it is. */
  claimedUpdate?: string;
}

export interface Fix {
  cve: string;
  products: string[];
  /** A fix that also needs a configuration step the build number cannot show. */
  requires?: string;
  /** The fix for this product is configuration only; no build fixes it. */
  noBuildFix?: boolean;
  /** The setting (an id in settings.json) whose state decides the CVE on a build that has the fix. */
  setting?: string;
  /** An earlier update from which the setting alone protects a build that lacks this fix. */
  configurableFrom?: string;
  /** A security update the table has no build for fixed it first: builds from `from` up to the fix cannot be told. */
  suNotInTable?: { from: string; note: string };
  /** A configuration Microsoft gave that protects any build still below the fix: such a build is "needs configuration". */
  workaround?: { text: string; source: string };
  /** Another source says an earlier update fixes it: a build between the two is "disputed", and advice takes the later. */
  disputedWith?: { update: string; source: string; note: string };
  note?: string;
  source?: string;
}

export interface UpdateInfo {
  name: string;
  released?: string;
  kb?: string[];
  fixes: Fix[];
  /** False when the update exists but no source says what it fixes. */
  fixesKnown?: boolean;
  /** Builds that carry the fix without being named after the update (a CU that shipped it). */
  extraFixBuilds?: string[];
  /** Levels whose build of this update carries only some fixes and none of the earlier ones. */
  partialOn?: Record<string, string[]>;
  partialFixesOnly?: string[];
  partialNote?: string;
  note?: string;
  source?: string;
}

export interface CveInfo {
  impact: string | null;
  cvss: { base: number; version: string; source: string } | null;
  knownExploited: { kev: true; dateAdded: string; ransomware: string | null; source: string } | null;
  msSeverity?: { rating: string; source: string };
  aka?: string[];
  note?: string;
}

export interface Wave {
  id: string;
  name: string;
  cves: string[];
  disclosed: string;
  exploitedFrom?: string;
  exploitedFromSource?: string;
  exploitationReported?: string;
  exploitationReportedSource?: string;
  disclosedSource?: string;
  note?: string;
}

export interface BuildsFile {
  schema: 'exir.exchange-builds/1';
  checked: string;
  description?: string;
  /** How many of the newest CUs Microsoft services (the newest and the one before). */
  servicing?: { cusServiced: number; source: string; note: string };
  sources: Source[];
  products: ProductInfo[];
  builds: BuildEntry[];
}

export interface SecurityFile {
  schema: 'exir.exchange-security/1';
  checked: string;
  description?: string;
  sources: Source[];
  updates: UpdateInfo[];
  cves: Record<string, CveInfo>;
  waves: Wave[];
  /** Products whose CVE list is known to be partial: the note says what was read and what was not. */
  coverage?: Record<string, { complete: boolean; note: string }>;
}

export interface ExposureTable {
  builds: BuildsFile;
  security: SecurityFile;
  /** Build text (`15.1.2176.9`) to its entry. */
  byBuild: Map<string, BuildEntry>;
  products: Map<string, ProductInfo>;
  updates: Map<string, UpdateInfo>;
  /** Updates oldest first; same-day updates keep the file's order. */
  updatesInOrder: UpdateInfo[];
  /** Where the files were read from, for messages. */
  paths: { builds: string; security: string };
}

export class TableError extends Error {
  constructor(where: string, reason: string) {
    super(`${where}: ${reason}`);
    this.name = 'TableError';
  }
}

export const DEFAULT_TABLE = {
  builds: fileURLToPath(new URL('../../../data/exchange/builds.json', import.meta.url)),
  security: fileURLToPath(new URL('../../../data/exchange/security.json', import.meta.url)),
};

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TableError(path, `cannot read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new TableError(path, `not JSON: ${(err as Error).message}`);
  }
}

function check(cond: unknown, where: string, reason: string): asserts cond {
  if (!cond) throw new TableError(where, reason);
}

function validateBuilds(data: unknown, path: string): BuildsFile {
  const f = data as BuildsFile;
  check(f && f.schema === 'exir.exchange-builds/1', path, 'schema is not exir.exchange-builds/1');
  check(DATE.test(f.checked), path, 'checked is not a date');
  check(Array.isArray(f.products) && Array.isArray(f.builds) && Array.isArray(f.sources), path, 'products, builds and sources must be arrays');
  const products = new Set(f.products.map((p) => p.id));
  const sources = new Set(f.sources.map((s) => s.id));
  for (const p of f.products) {
    if (!p.lastLevel) continue;
    check(parseDotted(p.lastLevel.build)?.precision === 'full', `${path} product ${p.id}`, `lastLevel is not a four-part build: ${p.lastLevel.build}`);
    check(
      p.lastLevel.sources.every((s) => sources.has(s)),
      `${path} product ${p.id}`,
      'lastLevel names a source that is not listed',
    );
  }
  f.builds.forEach((b, i) => {
    const where = `${path} builds[${i}]`;
    check(typeof b.build === 'string', where, 'build is missing');
    try {
      mustParse(b.build);
    } catch {
      throw new TableError(where, `not a four-part build: ${b.build}`);
    }
    check(products.has(b.product), where, `unknown product ${b.product}`);
    check(typeof b.level === 'string' && b.level.length > 0, where, 'level is missing');
    check(b.released === undefined || DATE.test(b.released), where, `released is not a date: ${String(b.released)}`);
    check(Array.isArray(b.sources) && b.sources.every((s) => sources.has(s)), where, 'names a source that is not listed');
  });
  return f;
}

function validateSecurity(data: unknown, path: string, products: Set<string>): SecurityFile {
  const f = data as SecurityFile;
  check(f && f.schema === 'exir.exchange-security/1', path, 'schema is not exir.exchange-security/1');
  check(DATE.test(f.checked), path, 'checked is not a date');
  check(Array.isArray(f.updates) && f.cves && typeof f.cves === 'object' && Array.isArray(f.waves), path, 'updates, cves and waves are required');
  const sources = new Set((f.sources ?? []).map((s) => s.id));
  f.updates.forEach((u, i) => {
    const where = `${path} updates[${i}] (${String(u.name)})`;
    check(typeof u.name === 'string', where, 'name is missing');
    check(u.released === undefined || DATE.test(u.released), where, 'released is not a date');
    check(Array.isArray(u.fixes), where, 'fixes must be an array');
    for (const fix of u.fixes) {
      check(f.cves[fix.cve] !== undefined, where, `${fix.cve} has no entry in cves`);
      check(
        fix.configurableFrom === undefined || f.updates.some((x) => x.name === fix.configurableFrom),
        where,
        `${fix.cve}: configurableFrom names no update`,
      );
      check(fix.workaround === undefined || sources.has(fix.workaround.source), where, `${fix.cve}: workaround names a source that is not listed`);
      check(fix.disputedWith === undefined || f.updates.some((x) => x.name === fix.disputedWith?.update), where, `${fix.cve}: disputedWith names no update`);
      check(
        fix.products.every((p) => products.has(p)),
        where,
        `${fix.cve} names an unknown product`,
      );
    }
  });
  for (const id of Object.keys(f.coverage ?? {})) check(products.has(id), `${path} coverage`, `unknown product ${id}`);
  for (const w of f.waves) for (const c of w.cves) check(f.cves[c] !== undefined, `${path} wave ${w.id}`, `${c} has no entry in cves`);
  return f;
}

/** Reads and checks both files; the defaults are the ones shipped with exir. */
export function loadTable(paths: { builds?: string; security?: string } = {}): ExposureTable {
  const buildsPath = paths.builds ?? DEFAULT_TABLE.builds;
  const securityPath = paths.security ?? DEFAULT_TABLE.security;
  const builds = validateBuilds(readJson(buildsPath), buildsPath);
  const productIds = new Set(builds.products.map((p) => p.id));
  const security = validateSecurity(readJson(securityPath), securityPath, productIds);
  return indexTable(builds, security, { builds: buildsPath, security: securityPath });
}

export function indexTable(builds: BuildsFile, security: SecurityFile, paths: { builds: string; security: string }): ExposureTable {
  const byBuild = new Map<string, BuildEntry>();
  for (const b of builds.builds) byBuild.set(formatBuild(mustParse(b.build)), b);
  const updatesInOrder = security.updates
    .map((u, i) => ({ u, i }))
    .sort((a, b) => (a.u.released ?? '9999').localeCompare(b.u.released ?? '9999') || a.i - b.i)
    .map((x) => x.u);
  return {
    builds,
    security,
    byBuild,
    products: new Map(builds.products.map((p) => [p.id, p])),
    updates: new Map(security.updates.map((u) => [u.name, u])),
    updatesInOrder,
    paths,
  };
}

/** The product a build belongs to, by major, minor and build range; SE is 15.2 from build 2562. */
export function productOf(table: ExposureTable, b: ExchangeBuild): ProductInfo | undefined {
  return table.builds.products.find(
    (p) => p.major === b.major && p.minor === b.minor && b.build >= p.minBuild && (p.maxBuild === null || b.build <= p.maxBuild),
  );
}

const BASE_KINDS = new Set<BuildKind>(['preview', 'rtm', 'cu', 'sp']);

/** The CU (or RTM, SP) base builds of a product, lowest first. */
export function baseBuilds(table: ExposureTable, product: string): BuildEntry[] {
  return table.builds.builds
    .filter((e) => e.product === product && BASE_KINDS.has(e.kind))
    .sort((a, b) => compareBuilds(mustParse(a.build), mustParse(b.build)));
}

export interface LevelMatch {
  /** The CU (or RTM, SP) entry whose third build part is this build's. */
  base: BuildEntry | undefined;
  /** When no CU has this build part: the highest CU below it, for "after CU x". */
  below: BuildEntry | undefined;
}

/**
 * Every build of a CU shares the CU's third part (2176 for 2016 CU19), so the CU is found by that part.
 * Two bases can share it (2016 Preview 225.16 and RTM 225.42): the highest one at or below the build wins.
 */
export function levelOf(table: ExposureTable, product: string, b: ExchangeBuild): LevelMatch {
  const bases = baseBuilds(table, product);
  const same = bases.filter((e) => mustParse(e.build).build === b.build);
  if (same.length > 0) {
    const atOrBelow = same.filter((e) => (mustParse(e.build).revision ?? 0) <= (b.revision ?? Number.MAX_SAFE_INTEGER));
    return { base: atOrBelow[atOrBelow.length - 1] ?? same[0], below: undefined };
  }
  const lower = bases.filter((e) => mustParse(e.build).build < b.build);
  return { base: undefined, below: lower[lower.length - 1] };
}

/** The builds of an update for one product, including CUs that carry it without its name. */
export function fixBuildsOf(table: ExposureTable, update: UpdateInfo, product: string): BuildEntry[] {
  const named = table.builds.builds.filter((e) => e.update === update.name && e.product === product && e.kind !== 'disputed');
  const extra = (update.extraFixBuilds ?? [])
    .map((t) => table.byBuild.get(formatBuild(mustParse(t))))
    .filter((e): e is BuildEntry => e !== undefined && e.product === product);
  return [...named, ...extra].sort((a, b) => compareBuilds(mustParse(a.build), mustParse(b.build)));
}

/** The newest build the table knows for a product. */
export function newestBuild(table: ExposureTable, product: string): BuildEntry | undefined {
  let best: BuildEntry | undefined;
  for (const e of table.builds.builds) {
    if (e.product !== product || e.kind === 'disputed') continue;
    if (!best || compareBuilds(mustParse(e.build), mustParse(best.build)) > 0) best = e;
  }
  return best;
}

export function sourceById(table: ExposureTable, id: string): Source | undefined {
  return table.builds.sources.find((s) => s.id === id) ?? table.security.sources.find((s) => s.id === id);
}

/** Whole days from the table's check date to `today`, for "the table is N days old". */
export function tableAgeDays(table: ExposureTable, today: Date): number {
  const checked = Date.parse(`${table.builds.checked}T00:00:00Z`);
  return Math.floor((today.getTime() - checked) / 86_400_000);
}
