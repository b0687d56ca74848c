// Loads the indicator lists in rules/ioc/ and matches a file's hashes, path and name against them.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warning } from '../../core/types.js';
import { IOC_TYPES, type IocEntry, type IocList, type IocType } from './ioc-format.js';
import { baseName, splitSegments, windowsPath } from './paths.js';

const DEFAULT_IOC_DIR = fileURLToPath(new URL('../../../rules/ioc/', import.meta.url));

/** One entry, ready to compare, with the list it came from. */
export interface LoadedIoc {
  entry: IocEntry;
  list: IocList;
  /** `<list file>#<entry index>`, to point a reader at the entry. */
  where: string;
}

export interface IocIndex {
  lists: { file: string; list: IocList }[];
  hashes: Map<string, LoadedIoc[]>;
  /** Lower-case path segments from the drive root (or the Exchange install root), to compare with a path's tail. */
  paths: { tail: string[]; ioc: LoadedIoc }[];
  names: Map<string, LoadedIoc[]>;
  patterns: { re: RegExp; ioc: LoadedIoc }[];
  /** Whether any list holds MD5 or SHA-1 entries (worth computing those hashes when content is read). */
  wantsMd5: boolean;
  wantsSha1: boolean;
  count: number;
}

const HEX_LENGTH: Partial<Record<IocType, number>> = { sha256: 64, sha1: 40, md5: 32 };
const ROOTS = new Set(['program files', 'program files (x86)', 'programdata', 'inetpub', 'windows', 'users', 'root']);

/** Path segments to compare from the end of a file's path: from the Exchange web root, else from the drive root. */
export function pathTail(published: string): string[] {
  const segments = splitSegments(published);
  const fe = segments.findIndex((s, i) => (s === 'frontend' && segments[i + 1] === 'httpproxy') || s === 'clientaccess');
  if (fe >= 0) return segments.slice(fe);
  const drive = segments.findIndex((s) => /^[a-z]:$/.test(s));
  if (drive >= 0) return segments.slice(drive + 1);
  const root = segments.findIndex((s) => ROOTS.has(s));
  return root >= 0 ? segments.slice(root) : segments;
}

/** LOKI patterns are Python regular expressions; the few Python-only spellings are turned into JavaScript's. */
export function compilePattern(source: string): RegExp {
  const body = source.replace(/^\(\?i\)/, '');
  return new RegExp(body, 'i');
}

function validate(entry: unknown, list: IocList): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'entry is not an object';
  const e = entry as Partial<IocEntry>;
  if (!IOC_TYPES.includes(e.type as IocType)) return `type must be one of ${IOC_TYPES.join(', ')}`;
  if (typeof e.value !== 'string' || e.value.length === 0) return 'value missing';
  if (typeof e.source !== 'string' || !list.sources[e.source]) return `source ${JSON.stringify(e.source)} is not in the list's sources`;
  const hexLength = HEX_LENGTH[e.type as IocType];
  if (hexLength && !new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(e.value)) return `${e.type} must be ${hexLength} hex digits`;
  return undefined;
}

export async function loadIocs(dir: string = DEFAULT_IOC_DIR): Promise<{ index: IocIndex; warnings: Warning[] }> {
  const warnings: Warning[] = [];
  const index: IocIndex = { lists: [], hashes: new Map(), paths: [], names: new Map(), patterns: [], wantsMd5: false, wantsSha1: false, count: 0 };
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    let list: IocList;
    try {
      list = JSON.parse(await readFile(join(dir, file), 'utf8')) as IocList;
      if (!Array.isArray(list.entries) || typeof list.sources !== 'object' || !list.attribution) throw new Error('needs entries, sources and attribution');
    } catch (err) {
      warnings.push({ where: join(dir, file), message: `indicator list not loaded: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    index.lists.push({ file, list });
    list.entries.forEach((entry, i) => {
      const where = `${file}#${i}`;
      const problem = validate(entry, list);
      if (problem) {
        warnings.push({ where: join(dir, where), message: `indicator skipped: ${problem}` });
        return;
      }
      const ioc: LoadedIoc = { entry, list, where };
      index.count++;
      switch (entry.type) {
        case 'sha256':
        case 'sha1':
        case 'md5': {
          const key = entry.value.toLowerCase();
          index.hashes.set(key, [...(index.hashes.get(key) ?? []), ioc]);
          if (entry.type === 'md5') index.wantsMd5 = true;
          if (entry.type === 'sha1') index.wantsSha1 = true;
          break;
        }
        case 'path':
          index.paths.push({ tail: pathTail(entry.value), ioc });
          break;
        case 'name': {
          const key = entry.value.toLowerCase();
          index.names.set(key, [...(index.names.get(key) ?? []), ioc]);
          break;
        }
        case 'path-pattern':
          try {
            index.patterns.push({ re: compilePattern(entry.value), ioc });
          } catch (err) {
            index.count--;
            warnings.push({ where: join(dir, where), message: `pattern skipped: ${err instanceof Error ? err.message : String(err)}` });
          }
          break;
      }
    });
  }
  return { index, warnings };
}

export interface FileHashes {
  sha256?: string;
  sha1?: string;
  md5?: string;
}

export function matchHashes(index: IocIndex, hashes: FileHashes): LoadedIoc[] {
  const out: LoadedIoc[] = [];
  for (const value of [hashes.sha256, hashes.sha1, hashes.md5]) {
    if (value) out.push(...(index.hashes.get(value.toLowerCase()) ?? []));
  }
  return out;
}

/** Path, name and pattern entries that the file's path meets. */
export function matchPath(index: IocIndex, path: string): LoadedIoc[] {
  const segments = splitSegments(path);
  const out: LoadedIoc[] = [];
  for (const { tail, ioc } of index.paths) {
    if (tail.length === 0 || tail.length > segments.length) continue;
    const offset = segments.length - tail.length;
    if (tail.every((s, i) => segments[offset + i] === s)) out.push(ioc);
  }
  out.push(...(index.names.get(baseName(path).toLowerCase()) ?? []));
  if (index.patterns.length > 0) {
    const windows = windowsPath(path);
    for (const { re, ioc } of index.patterns) if (re.test(windows)) out.push(ioc);
  }
  return out;
}
