// One build against the table: what it is, which updates it has, and for every CVE in the map whether
// this build is exposed, fixed, or cannot be told from the build alone, with the update that fixes it.

import {
  baseBuilds,
  fixBuildsOf,
  levelOf,
  newestBuild,
  productOf,
  sourceById,
  type BuildEntry,
  type ExposureTable,
  type Fix,
  type ProductInfo,
  type UpdateInfo,
  type Wave,
} from './table.js';
import { compareBuilds, formatBuild, mustParse, type ExchangeBuild } from './version.js';

export type CveStatus =
  /** The build is below the fix. */
  | 'exposed'
  /** The build is at or above the fix. */
  | 'fixed'
  /** The reading cannot show it (no SU level, sources disagree, or an out-of-support March 2021 update). */
  | 'unknown'
  /** The build has the fix, and the fix also needs a configuration step no build number shows. */
  | 'fixed-needs-config'
  /** Only configuration fixes this CVE on this product. */
  | 'needs-config'
  /** Sources disagree about which update fixes it, and the build has the earlier one only. */
  | 'disputed'
  /** The product shipped after the fix and includes it. */
  | 'not-affected'
  /**
   * Not in Microsoft's assessment: Microsoft published the fix for other versions only, or after this one
   * left support, and said nothing about this one. Never read as safe.
   */
  | 'not-listed';

export interface FixAdvice {
  update: string;
  /** The build that fixes it on this server's CU, or on the CU that must be installed first. */
  build: string | undefined;
  kb: string | undefined;
  /** True when the update exists for this server's CU. */
  onThisLevel: boolean;
  text: string;
}

export interface CveExposure {
  cve: string;
  update: string;
  updateReleased: string | undefined;
  status: CveStatus;
  reason: string;
  fix: FixAdvice | undefined;
  cvss: number | null;
  /** Where the score comes from (a source id of the CVE map): Microsoft's record, or a page quoting it. */
  cvssSource: string | null;
  knownExploited: boolean;
  kevDateAdded: string | undefined;
  aka: string[];
  requires: string | undefined;
  /** The setting that decides this CVE on a build that can have it (see settings.json). */
  setting: string | undefined;
  /** What a saved export showed about that setting; undefined when none was given. */
  configured: { value: boolean; evidence: string } | undefined;
}

export interface WaveExposure {
  wave: string;
  name: string;
  status: 'exposed' | 'fixed' | 'unknown' | 'not-affected' | 'not-listed';
  /** Start of the danger: first known exploitation, else public disclosure. */
  from: string;
  /** The fix date when it is known; null while exposed or when the build cannot date it. */
  to: string | null;
  text: string;
}

export interface BuildAssessment {
  build: string;
  precision: ExchangeBuild['precision'];
  product: ProductInfo | undefined;
  /** CU, RTM, SP (or `after CU x` when the build part is not a known CU). */
  level: string | undefined;
  levelReleased: string | undefined;
  /** The table's entry when the build is in it. */
  entry: BuildEntry | undefined;
  newestUpdate: { name: string | undefined; released: string | undefined; kb: string | undefined; certain: boolean; text: string };
  supported: { value: boolean; esu: boolean; text: string };
  cves: CveExposure[];
  /** Updates the build lacks whose fixes no source lists. */
  updatesWithUnknownFixes: string[];
  waves: WaveExposure[];
  recommended: string;
  /** The build is past every build the table has on its CU (or past its newest CU): what it lacks cannot be told. */
  newerThanTable: boolean;
  notes: string[];
}

const UPDATE_KINDS = new Set(['su', 'hu', 'ru', 'legacy-su']);

function at(e: BuildEntry): ExchangeBuild {
  return mustParse(e.build);
}

function kbText(kb: string | undefined): string {
  return kb ? `, ${kb}` : '';
}

interface UpdateVerdict {
  status: CveStatus;
  reason: string;
  fix: FixAdvice | undefined;
  /** True when the fix was judged by this CU's own build of the update (not by a later CU). */
  viaLevel: boolean;
}

function fixAdvice(update: UpdateInfo, levelFix: BuildEntry | undefined, newest: BuildEntry, level: string | undefined): FixAdvice {
  if (levelFix) {
    return {
      update: update.name,
      build: levelFix.build,
      kb: levelFix.kb,
      onThisLevel: true,
      text: `install ${update.name} for ${levelFix.level} (${levelFix.build}${kbText(levelFix.kb)})`,
    };
  }
  if (newest.kind === 'cu' || newest.kind === 'rtm') {
    // The fix shipped in a CU itself (CVE-2024-21410 and Exchange 2019 CU14).
    return { update: update.name, build: newest.build, kb: newest.kb, onThisLevel: false, text: `install ${newest.level} (${newest.build}) or later` };
  }
  return {
    update: update.name,
    build: newest.build,
    kb: newest.kb,
    onThisLevel: false,
    text: `${update.name} was not published for ${level ?? 'this build'}; move to ${newest.level} and install it (${newest.build}${kbText(newest.kb)}) or later`,
  };
}

/** The verdict for one update on one build; CVE-specific twists (partial updates, config) come after. */
function judgeUpdate(
  table: ExposureTable,
  b: ExchangeBuild,
  product: ProductInfo,
  level: string | undefined,
  update: UpdateInfo,
  fix: Fix | undefined,
): UpdateVerdict {
  if (fix?.noBuildFix) {
    return {
      status: 'needs-config',
      reason: `no build fixes it on ${product.name}; it needs ${fix.requires ?? 'a configuration change'}`,
      fix: undefined,
      viaLevel: false,
    };
  }
  const fixes = fixBuildsOf(table, update, product.id);
  const newest = fixes[fixes.length - 1];
  if (!newest) {
    if (update.released && product.released > update.released) {
      return { status: 'not-affected', reason: `${product.name} was released after ${update.name} and includes it`, fix: undefined, viaLevel: false };
    }
    if (update.released && product.supportEnd && update.released > product.supportEnd) {
      return {
        status: 'not-listed',
        reason: `not in Microsoft's assessment: ${update.name} came after ${product.name} left support; Microsoft published no fix or assessment for it`,
        fix: undefined,
        viaLevel: false,
      };
    }
    return {
      status: 'not-listed',
      reason: `not in Microsoft's assessment: ${update.name} was published for other versions only, and Microsoft did not say whether ${product.name} is affected`,
      fix: undefined,
      viaLevel: false,
    };
  }
  const levelFix = level === undefined ? undefined : fixes.find((f) => f.level === level);
  if (b.precision === 'full') {
    // Above the newest build on this very CU still means "this CU's own update", not a later CU.
    if (compareBuilds(b, at(newest)) >= 0)
      return { status: 'fixed', reason: `at or above ${newest.build} (${update.name} on ${newest.level})`, fix: undefined, viaLevel: newest.level === level };
    if (levelFix && compareBuilds(b, at(levelFix)) >= 0)
      return { status: 'fixed', reason: `at or above ${levelFix.build} (${update.name} for ${levelFix.level})`, fix: undefined, viaLevel: true };
    return {
      status: 'exposed',
      reason: levelFix ? `below ${levelFix.build} (${update.name} for ${levelFix.level})` : `${update.name} was never published for ${level ?? 'this build'}`,
      fix: fixAdvice(update, levelFix, newest, level),
      viaLevel: false,
    };
  }
  // A CU-level reading: the CU itself is known, the SU on top of it is not.
  const baseline: ExchangeBuild = { ...b, revision: b.revision ?? 0 };
  if (compareBuilds(baseline, at(newest)) >= 0)
    return { status: 'fixed', reason: `the CU itself is later than ${newest.build} (${update.name})`, fix: undefined, viaLevel: false };
  if (levelFix) {
    return {
      status: 'unknown',
      reason: `fixed only if ${update.name} (${levelFix.build}) or later is installed on ${levelFix.level}; this reading cannot show Security Updates`,
      fix: fixAdvice(update, levelFix, newest, level),
      viaLevel: false,
    };
  }
  return {
    status: 'exposed',
    reason: `${update.name} was never published for ${level ?? 'this build'}`,
    fix: fixAdvice(update, undefined, newest, level),
    viaLevel: false,
  };
}

/** The out-of-support March 2021 update on this build's CU, when the build has it. */
function partialUpdateOnLevel(table: ExposureTable, b: ExchangeBuild, product: ProductInfo, level: string | undefined): UpdateInfo | undefined {
  if (level === undefined || b.precision !== 'full') return undefined;
  for (const u of table.updatesInOrder) {
    if (!u.partialOn?.[product.id]?.includes(level)) continue;
    const onLevel = fixBuildsOf(table, u, product.id).find((f) => f.level === level);
    if (onLevel && compareBuilds(b, at(onLevel)) >= 0) return u;
  }
  return undefined;
}

function describeNewestUpdate(
  table: ExposureTable,
  b: ExchangeBuild,
  product: ProductInfo,
  level: string | undefined,
  entry: BuildEntry | undefined,
): BuildAssessment['newestUpdate'] {
  if (b.precision === 'cu') {
    return { name: undefined, released: undefined, kb: undefined, certain: false, text: 'unknown: this reading shows the CU only, never the Security Update' };
  }
  if (entry && UPDATE_KINDS.has(entry.kind)) {
    return {
      name: entry.update,
      released: entry.released,
      kb: entry.kb,
      certain: true,
      text: `${entry.update ?? entry.build} (${entry.released ?? 'date unknown'}${kbText(entry.kb)})`,
    };
  }
  if (entry?.kind === 'disputed') {
    return {
      name: undefined,
      released: undefined,
      kb: undefined,
      certain: false,
      text: `unknown: sources disagree about ${entry.build} (${entry.note ?? ''})`,
    };
  }
  if (entry) return { name: undefined, released: entry.released, kb: undefined, certain: true, text: `none on top of ${entry.level}` };
  // Not in the table: name the highest known update below it on the same CU.
  const sameLevel = table.builds.builds
    .filter((e) => e.product === product.id && e.level === level && UPDATE_KINDS.has(e.kind) && compareBuilds(at(e), b) < 0)
    .sort((x, y) => compareBuilds(at(x), at(y)));
  const below = sameLevel[sameLevel.length - 1];
  const anyAbove = table.builds.builds.some((e) => e.product === product.id && e.level === level && compareBuilds(at(e), b) > 0);
  const where = anyAbove ? "a build Microsoft's table does not list" : 'newer than the table: cannot tell which update it has';
  return {
    name: undefined,
    released: undefined,
    kb: undefined,
    certain: false,
    text: below ? `at least ${below.update ?? below.build} (${formatBuild(b)} is ${where})` : `unknown (${formatBuild(b)} is ${where})`,
  };
}

/**
 * How far past the newest CU in the table a build part may be and still be a newer CU: Exchange 2016 went
 * from 225 to 2507 over 23 CUs in seven years, so a CU 1000 past the newest is a typo, not news.
 */
const BUILD_PART_HEADROOM = 1000;

/**
 * Why a build cannot be Exchange's: no product has its major and minor, or its third part is below the
 * product's first build, past the last CU of a product that gets no more, or implausibly far past the
 * newest CU. Such a build is a typo or a misread, and is an error, never a verdict.
 */
export function notAKnownBuild(table: ExposureTable, b: ExchangeBuild): string | undefined {
  const head = `${formatBuild(b)} is not an Exchange build this table knows`;
  const product = productOf(table, b);
  if (!product) return `${head}: no Exchange 2010 SP3, 2013, 2016, 2019 or SE build starts ${b.major}.${b.minor}`;
  const bases = baseBuilds(table, product.id);
  const first = bases[0];
  if (first && b.build < at(first).build) return `${head}: the first ${product.name} build is ${first.build}`;
  if (product.lastLevel) {
    const last = mustParse(product.lastLevel.build);
    const entry = table.byBuild.get(formatBuild(last));
    if (b.build > last.build) {
      return `${head}: ${entry?.update ?? entry?.level ?? product.lastLevel.build} (${formatBuild(last)}) is the last ${product.name} level, and no build of it has a third part above ${last.build}`;
    }
    return undefined;
  }
  const newestBase = bases[bases.length - 1];
  if (newestBase && b.build > at(newestBase).build + BUILD_PART_HEADROOM) {
    return `${head}: the newest ${product.name} CU in the table is ${newestBase.level} (${newestBase.build}); ${b.build} is too far past it to be a later one`;
  }
  return undefined;
}

/** Past everything the table has on this build's CU, or on a CU newer than any it has. */
function isNewerThanTable(table: ExposureTable, b: ExchangeBuild, product: ProductInfo, entry: BuildEntry | undefined): boolean {
  if (entry) return false;
  const bases = baseBuilds(table, product.id);
  const newestBase = bases[bases.length - 1];
  if (newestBase && b.build > at(newestBase).build) return true;
  if (b.precision !== 'full') return false;
  const sameCu = table.builds.builds.filter((e) => e.product === product.id && at(e).build === b.build);
  return sameCu.length > 0 && sameCu.every((e) => compareBuilds(at(e), b) < 0);
}

/**
 * The CUs Microsoft serviced on `asOf`: today's serviced CUs once they all exist and none is newer;
 * before that, the newest CUs released by then (Microsoft services the newest and the one before).
 */
function servicedOn(table: ExposureTable, product: ProductInfo, asOf: string): { levels: string[]; then: boolean } {
  const released = baseBuilds(table, product.id).filter((e) => e.kind !== 'preview' && (e.released ?? '9999') <= asOf);
  const newest = released[released.length - 1];
  const current = product.supportedLevels;
  if (newest === undefined || (current.every((l) => released.some((e) => e.level === l)) && current.includes(newest.level)))
    return { levels: current, then: false };
  const count = table.builds.servicing?.cusServiced ?? 2;
  return { levels: [...new Set(released.map((e) => e.level))].slice(-count), then: true };
}

function supportOf(table: ExposureTable, product: ProductInfo, level: string | undefined, asOf: string): BuildAssessment['supported'] {
  const past = product.supportEnd !== null && asOf > product.supportEnd;
  const serviced = servicedOn(table, product, asOf);
  const inLevels = level !== undefined && serviced.levels.includes(level);
  if (past || product.supportedLevels.length === 0) {
    const esu = product.esu && level !== undefined && product.esu.levels.includes(level) && asOf <= product.esu.updatesUntil;
    const ended = product.supportEnd ? `${product.name} left support on ${product.supportEnd}` : `${product.name} is out of support`;
    if (esu)
      return {
        value: false,
        esu: true,
        text: `${ended}; ${level} got updates under the Extended Security Update programme until ${product.esu?.updatesUntil}`,
      };
    const esuOver = product.esu && level !== undefined && product.esu.levels.includes(level) ? `; its ESU updates ended ${product.esu.updatesUntil}` : '';
    return { value: false, esu: false, text: `${ended}${esuOver}` };
  }
  const when = serviced.then ? ` on ${asOf}, when Microsoft serviced ${serviced.levels.join(' and ')}` : '';
  if (inLevels) return { value: true, esu: false, text: `${level} is serviced${when}` };
  if (serviced.then) return { value: false, esu: false, text: `${level ?? 'this build'} was no longer serviced${when}` };
  return { value: false, esu: false, text: `${level ?? 'this build'} is no longer serviced; Microsoft services ${serviced.levels.join(' and ')}` };
}

function recommend(
  table: ExposureTable,
  product: ProductInfo,
  level: string | undefined,
  supported: BuildAssessment['supported'],
  newerThanTable: boolean,
): string {
  const newest = newestBuild(table, product.id);
  if (!newest) return 'no build of this product is in the table';
  if (newerThanTable) {
    // Naming the newest update the table knows would tell this server to go backwards.
    const cannotTell = `newer than the table: cannot tell which updates it has or lacks (the table was checked ${table.builds.checked}); look the build up on Microsoft's build page, or refresh the table with exir exposure update --from FILE`;
    return supported.value || product.supportEnd === null ? cannotTell : `${product.name} is out of support: migrate to Exchange Server SE; ${cannotTell}`;
  }
  const onLevel = table.builds.builds
    .filter((e) => e.product === product.id && e.level === level && e.kind !== 'disputed')
    .sort((a, b) => compareBuilds(at(a), at(b)));
  const newestOnLevel = onLevel[onLevel.length - 1];
  if (supported.value && newestOnLevel) {
    return `install ${newestOnLevel.update ?? newestOnLevel.level} for ${newestOnLevel.level} (${newestOnLevel.build}${kbText(newestOnLevel.kb)})`;
  }
  if (product.supportEnd === null && product.supportedLevels.length === 0) {
    return `${product.name} is out of support: migrate; its last build was ${newest.build} (${newest.update ?? newest.level})`;
  }
  if (product.supportEnd !== null && !product.supportedLevels.length) return `migrate to a supported version`;
  if (!supported.value && product.supportEnd !== null) {
    return `${product.name} is out of support: migrate to Exchange Server SE; the newest ${product.name} build in the table is ${newest.build} (${newest.update ?? newest.level}${kbText(newest.kb)})`;
  }
  return `move to ${newest.level} and install ${newest.update ?? 'its newest update'} (${newest.build}${kbText(newest.kb)})`;
}

function waveExposure(wave: Wave, cves: CveExposure[]): WaveExposure {
  const mine = cves.filter((c) => wave.cves.includes(c.cve));
  const from = wave.exploitedFrom ?? wave.disclosed;
  const fromText = wave.exploitedFrom ? `exploited from ${wave.exploitedFrom}` : `disclosed ${wave.disclosed}`;
  if (mine.some((c) => c.status === 'exposed')) {
    const fixes = [...new Set(mine.filter((c) => c.status === 'exposed').map((c) => c.update))];
    return {
      wave: wave.id,
      name: wave.name,
      status: 'exposed',
      from,
      to: null,
      text: `exposed since at least ${from} (${fromText}) and still exposed; needs ${fixes.join(', ')}`,
    };
  }
  if (mine.some((c) => c.status === 'unknown' || c.status === 'disputed')) {
    return {
      wave: wave.id,
      name: wave.name,
      status: 'unknown',
      from,
      to: null,
      text: `cannot tell from this reading; if not patched, exposed since ${from} (${fromText})`,
    };
  }
  if (mine.length > 0 && mine.every((c) => c.status === 'not-affected')) {
    return { wave: wave.id, name: wave.name, status: 'not-affected', from, to: null, text: 'this version shipped with the fixes' };
  }
  if (mine.every((c) => c.status === 'not-affected' || c.status === 'not-listed')) {
    // Microsoft did not assess this version for the wave's CVEs: that is no evidence it is safe.
    return {
      wave: wave.id,
      name: wave.name,
      status: 'not-listed',
      from,
      to: null,
      text: "not in Microsoft's assessment for this version: no fix was published for it and Microsoft did not say whether it is affected",
    };
  }
  const fixedBy = mine.filter((c) => c.status === 'fixed' || c.status === 'fixed-needs-config');
  const latest = fixedBy
    .map((c) => c.updateReleased ?? '')
    .sort()
    .pop();
  const latestUpdates = [...new Set(fixedBy.filter((c) => (c.updateReleased ?? '') === latest).map((c) => c.update))];
  return {
    wave: wave.id,
    name: wave.name,
    status: 'fixed',
    from,
    to: null,
    text: `fixed now; whether it was exposed between ${from} and the day ${latestUpdates.join(', ')} (published ${latest ?? 'date unknown'}) or a later build was installed cannot be told from one build (use the logs' history)`,
  };
}

/** Each wave's exposure from the CVE verdicts (again after a setting changed one). */
export function wavesFor(table: ExposureTable, cves: CveExposure[]): WaveExposure[] {
  return table.security.waves.map((w) => waveExposure(w, cves));
}

/** Evaluates one build; `asOf` (YYYY-MM-DD) decides what "supported" means. */
export function assessBuild(table: ExposureTable, b: ExchangeBuild, asOf: string): BuildAssessment {
  const product = productOf(table, b);
  const notes: string[] = [];
  const build = formatBuild(b);
  const mistake = notAKnownBuild(table, b);
  if (!product || mistake) {
    return {
      build,
      precision: b.precision,
      product: undefined,
      level: undefined,
      levelReleased: undefined,
      entry: undefined,
      newestUpdate: { name: undefined, released: undefined, kb: undefined, certain: false, text: 'unknown' },
      supported: { value: false, esu: false, text: 'not an Exchange 2010 SP3, 2013, 2016, 2019 or SE build' },
      cves: [],
      updatesWithUnknownFixes: [],
      waves: [],
      recommended: 'check the build number',
      newerThanTable: false,
      notes: [mistake ?? `${build} is not a build of a product in the table`],
    };
  }
  const entry = b.precision === 'full' ? table.byBuild.get(build) : undefined;
  const match = levelOf(table, product.id, b);
  let level = entry?.level ?? match.base?.level;
  let levelReleased = match.base?.released ?? baseBuilds(table, product.id).find((e) => e.level === level)?.released;
  if (!level && match.below) {
    level = product.id === 'exchange2010' ? match.below.level : undefined;
    levelReleased = product.id === 'exchange2010' ? match.below.released : undefined;
    if (product.id !== 'exchange2010') notes.push(`${build} is not on a CU the table knows; it is after ${match.below.level}`);
  }
  // A partial CVE list must say so, or a CVE it lacks would read as fixed.
  const coverage = table.security.coverage?.[product.id];
  if (coverage && !coverage.complete) notes.push(coverage.note);
  if (b.precision === 'cu') notes.push('This reading shows the CU only; Security Updates do not change it, so every SU-level answer is "unknown".');
  if (entry?.note) notes.push(entry.note);
  else if (entry && !entry.sources.some((id) => id.startsWith('ms-learn'))) {
    // Microsoft's build page is the primary source; say when a build rests on others alone.
    notes.push(
      `Microsoft's build page, as read, does not list ${entry.build}; only ${entry.sources.map((id) => sourceById(table, id)?.title ?? id).join(' and ')} ${entry.sources.length === 1 ? 'names' : 'name'} it.`,
    );
  }
  if (entry?.kind === 'disputed')
    notes.push(`Sources disagree about ${entry.build}; CVEs fixed by ${entry.claimedUpdate ?? 'the disputed update'} are reported as unknown.`);

  const partial = partialUpdateOnLevel(table, b, product, level);
  if (partial?.partialNote) notes.push(partial.partialNote);

  const cves: CveExposure[] = [];
  const unknownFixes: string[] = [];
  for (const update of table.updatesInOrder) {
    const relevant = update.fixes.filter((f) => f.products.includes(product.id));
    if (update.fixesKnown === false) {
      const v = judgeUpdate(table, b, product, level, update, undefined);
      if (v.status === 'exposed' || v.status === 'unknown') unknownFixes.push(update.name);
      continue;
    }
    for (const fix of relevant) {
      const v = judgeUpdate(table, b, product, level, update, fix);
      let { status, reason } = v;
      if (partial === update && status === 'fixed' && v.viaLevel && !(update.partialFixesOnly ?? []).includes(fix.cve)) {
        status = 'exposed';
        reason = `${update.name} for ${level ?? 'this CU'} carries only ${(update.partialFixesOnly ?? []).join(', ')}`;
      } else if (partial && partial !== update && status === 'fixed' && v.viaLevel && (update.released ?? '') < (partial.released ?? '')) {
        status = 'unknown';
        reason = `the build shows ${partial.name} for ${level ?? 'this CU'}, which does not include ${update.name}; whether ${update.name} was installed before cannot be told`;
      }
      if (entry?.kind === 'disputed' && entry.claimedUpdate === update.name && status === 'exposed') {
        status = 'unknown';
        reason = `${entry.note ?? 'sources disagree about this build'}`;
      }
      if (fix.requires && status === 'fixed') {
        status = 'fixed-needs-config';
        reason = `${reason}; also needs ${fix.requires}`;
      }
      if (status === 'exposed' && fix.suNotInTable && b.precision === 'full' && compareBuilds(b, mustParse(fix.suNotInTable.from)) >= 0) {
        status = 'unknown';
        reason = fix.suNotInTable.note;
      }
      const claimed = fix.disputedWith === undefined ? undefined : table.updates.get(fix.disputedWith.update);
      if (status === 'exposed' && claimed && fix.disputedWith && judgeUpdate(table, b, product, level, claimed, undefined).status === 'fixed') {
        status = 'disputed';
        reason = `sources disagree about the fix: ${fix.disputedWith.note} This build has ${claimed.name} but not ${update.name}`;
      }
      // A build below the fix that already has the update the setting came with is protected by the setting alone.
      const from = fix.configurableFrom === undefined ? undefined : table.updates.get(fix.configurableFrom);
      if (status === 'exposed' && from && judgeUpdate(table, b, product, level, from, undefined).status === 'fixed') {
        status = 'needs-config';
        reason = `${reason}; it has ${from.name}, so ${fix.requires ?? 'a setting'} protects it without the update`;
      }
      // Microsoft's workaround protects a build that cannot have the fix yet: the setting decides, not the build.
      const workaround = status === 'exposed' && fix.workaround !== undefined ? fix.workaround : undefined;
      if (workaround) {
        status = 'needs-config';
        reason = `${reason}; until the update is installed, ${workaround.text} protects it (${sourceById(table, workaround.source)?.title ?? workaround.source})`;
      }
      const info = table.security.cves[fix.cve];
      cves.push({
        cve: fix.cve,
        update: update.name,
        updateReleased: update.released,
        status,
        reason,
        fix: status === 'exposed' || status === 'unknown' || status === 'disputed' || workaround ? v.fix : undefined,
        cvss: info?.cvss?.base ?? null,
        cvssSource: info?.cvss?.source ?? null,
        knownExploited: info?.knownExploited !== null && info?.knownExploited !== undefined,
        kevDateAdded: info?.knownExploited?.dateAdded,
        aka: info?.aka ?? [],
        requires: workaround?.text ?? fix.requires,
        setting: fix.setting,
        configured: undefined,
      });
    }
  }
  // Updates the build table knows but the CVE map does not (added by `exposure update`): they exist,
  // and what they fix is unknown.
  const unmapped = new Map<string, string>();
  for (const e of table.builds.builds) {
    if (e.product !== product.id || (e.kind !== 'su' && e.kind !== 'hu') || !e.update || table.updates.has(e.update)) continue;
    const first = unmapped.get(e.update);
    if (e.released && (!first || e.released < first)) unmapped.set(e.update, e.released);
  }
  for (const [name, released] of [...unmapped].sort((x, y) => x[1].localeCompare(y[1]))) {
    const v = judgeUpdate(table, b, product, level, { name, released, fixes: [], fixesKnown: false }, undefined);
    if (v.status === 'exposed' || v.status === 'unknown') unknownFixes.push(name);
  }
  const supported = supportOf(table, product, level, asOf);
  const newerThanTable = isNewerThanTable(table, b, product, entry);
  return {
    build,
    precision: b.precision,
    product,
    level,
    levelReleased,
    entry,
    newestUpdate: describeNewestUpdate(table, b, product, level, entry),
    supported,
    cves,
    updatesWithUnknownFixes: unknownFixes,
    waves: wavesFor(table, cves),
    recommended: recommend(table, product, level, supported, newerThanTable),
    newerThanTable,
    notes,
  };
}

/** True when the build is exposed, for certain, to a CVE in CISA's known-exploited catalogue. */
export function exposedToKnownExploited(a: BuildAssessment): boolean {
  return a.cves.some((c) => c.status === 'exposed' && c.knownExploited);
}

/** Exposure worth showing: exposed and unknown first, highest score first. */
export function openExposures(a: BuildAssessment): CveExposure[] {
  const rank: Record<CveStatus, number> = {
    exposed: 0,
    disputed: 1,
    unknown: 2,
    'needs-config': 3,
    'fixed-needs-config': 4,
    fixed: 5,
    'not-affected': 6,
    'not-listed': 7,
  };
  return a.cves
    .filter((c) => c.status === 'exposed' || c.status === 'disputed' || c.status === 'unknown' || c.status === 'needs-config')
    .sort(
      (x, y) =>
        rank[x.status] - rank[y.status] || Number(y.knownExploited) - Number(x.knownExploited) || (y.cvss ?? -1) - (x.cvss ?? -1) || x.cve.localeCompare(y.cve),
    );
}
