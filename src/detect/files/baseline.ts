// Compares an Exchange web file with the files Microsoft shipped for the server's build.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { BASELINE_EXTENSIONS, BASELINE_FILE, type BaselineData, type BaselineSource } from './baseline-format.js';
import { baseName, BUILD_FOLDER, extensionOf, type Place } from './paths.js';

export const DEFAULT_BASELINE_DIR = fileURLToPath(new URL('../../../data/baselines/', import.meta.url));

export interface Baseline {
  builds: string[];
  source: BaselineSource;
  extracted: string;
  /** Lower-case path below the install root → hash → build mask. */
  byPath: Map<string, Map<string, number>>;
  /** Hash → build mask, wherever the file sits. */
  byHash: Map<string, number>;
}

export async function loadBaseline(dir: string = DEFAULT_BASELINE_DIR): Promise<Baseline> {
  const file = `${dir.replace(/[\\/]+$/, '')}/${BASELINE_FILE}`;
  const data = JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as BaselineData;
  if (!Array.isArray(data.builds) || !Array.isArray(data.files)) throw new Error(`${file}: not a baseline file (builds and files expected)`);
  const byPath = new Map<string, Map<string, number>>();
  const byHash = new Map<string, number>();
  for (const [path, hash, mask] of data.files) {
    const key = path.toLowerCase();
    let hashes = byPath.get(key);
    if (!hashes) byPath.set(key, (hashes = new Map<string, number>()));
    hashes.set(hash, (hashes.get(hash) ?? 0) | mask);
    byHash.set(hash, (byHash.get(hash) ?? 0) | mask);
  }
  return { builds: data.builds, source: data.source, extracted: data.extracted, byPath, byHash };
}

export type BaselineVerdict =
  | { kind: 'not-compared'; reason: string }
  | { kind: 'known-good'; builds: string[]; samePath: boolean }
  /** No build compared ships a file at this path. */
  | { kind: 'unknown-file'; compared: string[]; union: boolean; note?: string; key: string }
  /** The path is Microsoft's, the bytes are not those of any build compared. */
  | { kind: 'modified'; compared: string[]; union: boolean; note?: string; key: string };

function mask(baseline: Baseline, builds: readonly string[]): number {
  return builds.reduce((m, b) => m | (1 << baseline.builds.indexOf(b)), 0);
}

function buildsIn(baseline: Baseline, m: number): string[] {
  return baseline.builds.filter((_, i) => (m & (1 << i)) !== 0);
}

/** `15.02.0792.010` (as logs write it) and `15.2.792.10` are the same build. */
export function normaliseBuild(build: string): string {
  return build
    .trim()
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? String(Number(part)) : part))
    .join('.');
}

/** A build-numbered folder names its build; Exchange 2013 also wrote three-part names (`15.0.1497`). */
function baselineFor(baseline: Baseline, build: string): string | undefined {
  const wanted = normaliseBuild(build);
  return baseline.builds.find((b) => b === wanted || (wanted.split('.').length === 3 && b.startsWith(wanted + '.')));
}

/**
 * The installed file's path as the baseline writes it: the build-numbered folder becomes
 * `version`. `Current` (owa\auth\Current\) is the same content under a fixed name, so it maps too.
 */
function baselineKeys(installRelative: string): string[] {
  const parts = installRelative.toLowerCase().split('\\');
  const versioned = parts.map((p) => (BUILD_FOLDER.test(p) ? 'version' : p)).join('\\');
  const current = parts.map((p) => (BUILD_FOLDER.test(p) || p === 'current' ? 'version' : p)).join('\\');
  return current === versioned ? [versioned] : [versioned, current];
}

export function compareToBaseline(baseline: Baseline, place: Place, path: string, sha256: string, build: string | undefined): BaselineVerdict {
  if (place.kind !== 'exchange-web' || !place.installRelative) return { kind: 'not-compared', reason: 'not in an Exchange web folder' };
  if (!(BASELINE_EXTENSIONS as readonly string[]).includes(extensionOf(path))) return { kind: 'not-compared', reason: 'file type not in the baseline' };
  if (!/^[0-9a-f]{64}$/.test(sha256)) return { kind: 'not-compared', reason: 'no SHA-256 for the file' };
  let compared: string[];
  let note: string | undefined;
  if (place.versionFolder) {
    // Old build folders stay behind after an update: the folder, not the server, says which build wrote them.
    const folderBuild = baselineFor(baseline, place.versionFolder);
    if (!folderBuild) return { kind: 'not-compared', reason: `no baseline for the build folder ${place.versionFolder}` };
    compared = [folderBuild];
  } else if (build && baselineFor(baseline, build)) {
    compared = [baselineFor(baseline, build) as string];
  } else {
    compared = [...baseline.builds];
    note = build
      ? `no baseline for build ${build}: compared with every build held (${baseline.builds.join(', ')})`
      : `server build unknown: compared with every build held (${baseline.builds.join(', ')})`;
  }
  const union = compared.length > 1;
  const want = mask(baseline, compared);
  const keys = baselineKeys(place.installRelative);
  const key = keys[0] as string;
  for (const k of keys) {
    const m = baseline.byPath.get(k)?.get(sha256) ?? 0;
    if ((m & want) !== 0) return { kind: 'known-good', builds: buildsIn(baseline, m & want), samePath: true };
  }
  const anywhere = (baseline.byHash.get(sha256) ?? 0) & want;
  if (anywhere !== 0) return { kind: 'known-good', builds: buildsIn(baseline, anywhere), samePath: false };
  // Microsoft's own check skipped these: the server rewrites them (CompareExchangeHashes.ps1, `.strings.localized.js`).
  if (baseName(path).toLowerCase().endsWith('.strings.localized.js'))
    return { kind: 'not-compared', reason: 'localized strings file, rewritten on the server' };
  const pathKnown = keys.some((k) => {
    const hashes = baseline.byPath.get(k);
    return hashes !== undefined && [...hashes.values()].some((m) => (m & want) !== 0);
  });
  const base = { compared, union, key, ...(note ? { note } : {}) };
  return pathKnown ? { kind: 'modified', ...base } : { kind: 'unknown-file', ...base };
}
