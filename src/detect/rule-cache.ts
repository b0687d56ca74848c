// The cache of what the rule and mapping files' YAML says, as plain data, so that a start whose rules
// are unchanged neither loads the YAML library nor parses a hundred files (issue #17: most of a small
// scan's start-up). One cache file per set of files, keyed by a hash of exir's version, the form's
// version and every file's path and content: any change is a miss, read afresh and written back.
//
// The cache is only ever a shortcut. A copy that cannot be read, is not JSON, has another key or fails
// the caller's check of every node is ignored and the files are parsed; a cache that cannot be written
// (a read-only home) is left alone. Whoever can write the cache folder can change what rules say, as
// whoever can write the rules folder can: it lives in the user's own cache folder for that reason.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { TOOL } from '../core/tool.js';

/** Bumped whenever the shape of what is cached changes. */
const FORMAT = 1;

/** A larger cache file is not ours: the shipped rules make about a megabyte. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * `EXIR_CACHE_DIR` if set (`off` turns the cache off), else `$XDG_CACHE_HOME/exir`, else `~/.cache/exir`.
 * Undefined: no cache.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env['EXIR_CACHE_DIR'];
  if (own !== undefined && own !== '') return own === 'off' ? undefined : own;
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'exir');
  const home = homedir();
  return home ? join(home, '.cache', 'exir') : undefined;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface CachedFile {
  path: string;
  text: string;
}

/** Where one cached value lives and the key it must carry: undefined when there is no cache folder. */
export interface CacheEntry {
  file: string;
  key: string;
}

/**
 * The entry for a value of this kind computed from `inputs` (anything JSON can say: any change to them is
 * a miss); `names` tell apart the files of different sets of inputs, so that they do not overwrite each other.
 */
export function cacheEntry(kind: string, names: readonly string[], inputs: unknown, dir: string | undefined = cacheDir()): CacheEntry | undefined {
  if (dir === undefined) return undefined;
  return { file: join(dir, `${kind}-${sha256(names.join('\n')).slice(0, 16)}.json`), key: sha256(JSON.stringify([TOOL.version, FORMAT, kind, inputs])) };
}

/**
 * What `read` gives for each file's text, from the cache when it holds this very set of files, else
 * from `read` (and then kept). `valid` checks one value read back from disk before it is trusted.
 */
export async function throughCache<T>(
  kind: string,
  files: readonly CachedFile[],
  read: (texts: string[]) => Promise<T[]>,
  valid: (value: unknown) => value is T,
  dir: string | undefined = cacheDir(),
): Promise<T[]> {
  const entry = cacheEntry(
    kind,
    files.map((f) => f.path),
    files.map((f) => [f.path, sha256(f.text)]),
    dir,
  );
  if (entry !== undefined) {
    const cached = await readCache(entry, (v): v is T[] => Array.isArray(v) && v.length === files.length && v.every((x) => valid(x)));
    if (cached !== undefined) return cached;
  }
  const values = await read(files.map((f) => f.text));
  if (entry !== undefined) await writeCache(entry, values);
  return values;
}

/** The value kept under the entry, if it is there, carries the entry's key and passes `valid`. */
export async function readCache<T>(entry: CacheEntry, valid: (value: unknown) => value is T): Promise<T | undefined> {
  try {
    if ((await stat(entry.file)).size > MAX_CACHE_BYTES) return undefined;
    const parsed = JSON.parse(await readFile(entry.file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { key: storedKey, values } = parsed as { key?: unknown; values?: unknown };
    if (storedKey !== entry.key || !valid(values)) return undefined;
    return values;
  } catch {
    return undefined;
  }
}

export async function writeCache(entry: CacheEntry, values: unknown): Promise<void> {
  const { file, key } = entry;
  const text = JSON.stringify({ key, values });
  // Only what JSON gives back unchanged is kept (a rule's `.inf` or a date would not be): such a set is
  // simply read afresh each time.
  if (!isDeepStrictEqual(JSON.parse(text), { key, values })) return;
  // Written beside and renamed over, so that a reader never sees half a file, whoever writes last.
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, file);
  } catch {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Plain YAML files, parsed: the library is loaded only when the cache misses. */
export async function parseYaml(texts: string[]): Promise<unknown[]> {
  const { parse } = await import('yaml');
  return texts.map((t) => parse(t) as unknown);
}
