// CSS-Exchange's build dictionary (GetExchangeBuildDictionary in Shared/Get-ExchangeBuildVersionInformation.ps1,
// the table Health Checker reads), saved by the user, against the build table: which builds it names that the
// table lacks, and where the two name a build differently. It reads and compares only; PowerShell is never run.

import type { Warning } from '../../core/types.js';
import type { ExposureTable } from './table.js';
import { formatBuild, parseDotted } from './version.js';

export interface DictionaryBuild {
  product: string;
  level: string;
  /** The SU or HU name; undefined for the CU's own build. */
  update: string | undefined;
  build: string;
  line: number;
}

export interface DictionaryChange {
  build: string;
  text: string;
}

const PRODUCTS: Record<string, string> = {
  Exchange2013: 'exchange2013',
  Exchange2016: 'exchange2016',
  Exchange2019: 'exchange2019',
  ExchangeSE: 'exchangeSE',
};

const MARKER = 'NewCUAndSUObject';
const PRODUCT_LINE = /^\s*"(Exchange\w+)"\s*=\s*@\{/;
const CU_LINE = /^\s*"(\w+)"\s*=\s*\(\s*NewCUAndSUObject\s+"([^"]*)"/;
const SU_LINE = /^\s*"(\w+)"\s*=\s*"([^"]*)"\s*$/;

export function looksLikeCssDictionary(text: string): boolean {
  return text.includes(MARKER) && PRODUCT_LINE.test(text.split('\n').find((l) => PRODUCT_LINE.test(l)) ?? '');
}

function fullBuild(text: string): string | undefined {
  const b = parseDotted(text);
  return b?.precision === 'full' ? formatBuild(b) : undefined;
}

/** The dictionary's rows; a row whose build is not a four-part number is a located warning, not a row. */
export function readCssDictionary(text: string, origin: string): { builds: DictionaryBuild[]; warnings: Warning[] } {
  const lines = text.split(/\r?\n/);
  // The version-detection code above the dictionary names CUs and SUs too; only the dictionary is read.
  const start = Math.max(
    0,
    lines.findIndex((l) => /function\s+GetExchangeBuildDictionary/i.test(l)),
  );
  const builds: DictionaryBuild[] = [];
  const warnings: Warning[] = [];
  let product: string | undefined;
  let level: string | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const where = `${origin}:${i + 1}`;
    const p = PRODUCT_LINE.exec(line);
    if (p) {
      product = PRODUCTS[p[1] ?? ''];
      level = undefined;
      if (!product) warnings.push({ where, message: `"${p[1] ?? ''}" is not an Exchange version exir knows; its rows are skipped` });
      continue;
    }
    if (!product) continue;
    const cu = CU_LINE.exec(line);
    if (cu) {
      level = cu[1];
      const build = fullBuild(cu[2] ?? '');
      if (build && level) builds.push({ product, level, update: undefined, build, line: i + 1 });
      else warnings.push({ where, message: `${level ?? '?'}: "${cu[2] ?? ''}" is not a four-part build` });
      continue;
    }
    const su = SU_LINE.exec(line);
    if (su && level) {
      const build = fullBuild(su[2] ?? '');
      if (build) builds.push({ product, level, update: su[1], build, line: i + 1 });
      else warnings.push({ where, message: `${level} ${su[1] ?? '?'}: "${su[2] ?? ''}" is not a four-part build` });
    }
  }
  return { builds, warnings };
}

/** What the dictionary says that the table does not: builds it lacks, and builds named differently. */
export function compareCssDictionary(table: ExposureTable, builds: DictionaryBuild[]): DictionaryChange[] {
  const changes: DictionaryChange[] = [];
  for (const d of builds) {
    const name = `${d.product} ${d.level}${d.update ? ` ${d.update}` : ''}`;
    const entry = table.byBuild.get(d.build);
    if (!entry) {
      changes.push({ build: d.build, text: `new: ${d.build} ${name} (not in the build table)` });
      continue;
    }
    // A build the table already holds as disputed for this very update is a known difference (differences.md).
    if (entry.kind === 'disputed' && entry.claimedUpdate === d.update) continue;
    // A CU that is also an update's level (2016 CU12 is Feb19SU) is the same build under two names, not a conflict.
    const updateDiffers = d.update !== undefined && entry.update !== d.update && !(entry.update === undefined && entry.kind === 'cu');
    if (entry.product !== d.product || entry.level !== d.level || updateDiffers) {
      const ours = `${entry.product} ${entry.level}${entry.update ? ` ${entry.update}` : ''}`;
      changes.push({ build: d.build, text: `differs: ${d.build} is ${ours} in the table, ${name} in the dictionary` });
    }
  }
  return changes;
}
