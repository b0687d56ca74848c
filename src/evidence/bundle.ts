import { lstat, open, readdir } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Warning } from '../core/types.js';
import { DEFAULT_ZIP_LIMITS, listZip, type ZipLimits } from './zip.js';

/** One file of the evidence, wherever it sits: on disk or inside a .zip. */
export interface EvidenceEntry {
  /** Path shown to people and stored in origins: `<input name>/<path inside>`, a zip member as `x.zip!/member`. */
  path: string;
  location: { kind: 'file'; file: string } | { kind: 'zip'; archive: string; member: string; index: number };
  size: number;
  /** The server the layout suggests (top folder of the bundle), used when the content names none. */
  layoutServer: string | undefined;
}

export interface Enumeration {
  entries: EvidenceEntry[];
  warnings: Warning[];
}

/** Told the evidence's bytes and files listed so far, each time a file is added: a scan starts its threads before the listing ends. */
export type ListingWatch = (bytes: number, files: number) => void;

/** The listing as the walk makes it. */
class Listing implements Enumeration {
  entries: EvidenceEntry[] = [];
  warnings: Warning[] = [];
  private bytes = 0;

  constructor(private readonly watch: ListingWatch | undefined) {}

  add(entry: EvidenceEntry): void {
    this.entries.push(entry);
    this.bytes += entry.size;
    this.watch?.(this.bytes, this.entries.length);
  }
}

/**
 * Folder names that are part of a collected server's own layout, so never a server's name:
 * when the bundle's top folder is one of these, the bundle itself is one server.
 */
const LAYOUT_FOLDERS = new Set(
  [
    'exchange',
    'exchange server',
    'v15',
    'v14',
    'logging',
    'httpproxy',
    'inetpub',
    'logs',
    'logfiles',
    'ecp',
    'program files',
    'microsoft',
    'w3svc1',
    'w3svc2',
    'oabgeneratorlog',
    'cmdletinfra',
    'messagetracking',
    'transportroles',
    'windows',
    'c',
    'c$',
    'ews',
    'owa',
    'mapi',
    'autodiscover',
    'eas',
    'rpchttp',
    'powershell',
    'oab',
    'owacalendar',
    'system32',
    'winevt',
    // Velociraptor's upload folders (`uploads/auto/C%3A/…`, `uploads/ntfs/%5C%5C.%5CC%3A/…`) and KAPE's drive folders.
    'uploads',
    'auto',
    'ntfs',
    'c%3a',
    '%5c%5c.%5cc%3a',
    'd',
    'e',
    'd%3a',
    'e%3a',
    'exir',
    'iis',
    'eventlogs',
    'config',
    'listing',
    'server',
  ].map((s) => s.toLowerCase()),
);

function serverFromLayout(rootName: string, inner: string[]): string | undefined {
  const top = inner.length > 1 ? inner[0] : undefined;
  if (top && !LAYOUT_FOLDERS.has(top.toLowerCase())) return top;
  return rootName || undefined;
}

/**
 * A log given by itself belongs to the server its folder names, the nearest folder that is not part
 * of Exchange's or IIS's own layout (`EX01/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log` → EX01); a
 * file with no such folder above it is named by itself, so it still gets a verdict.
 */
function serverOfLooseFile(file: string): string {
  const folders = resolve(dirname(file)).split(sep).filter(Boolean).reverse();
  return folders.find((f) => !LAYOUT_FOLDERS.has(f.toLowerCase())) ?? basename(file);
}

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(ZIP_MAGIC);
  } finally {
    await handle.close();
  }
}

function stripZipSuffix(name: string): string {
  return name.replace(/\.zip$/i, '');
}

/**
 * Lists every file under the inputs (folders walked, .zip archives read in place), without reading
 * content. Links are not followed: evidence is what was collected, not what a link points at.
 */
export async function enumerateEvidence(inputs: string[], limits: ZipLimits = DEFAULT_ZIP_LIMITS, watch?: ListingWatch): Promise<Enumeration> {
  const out = new Listing(watch);
  for (const input of inputs) {
    let info;
    try {
      info = await lstat(input);
    } catch (err) {
      throw new Error(`cannot read ${input}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const rootName = basename(input.replace(/[\\/]+$/, '')) || input;
    if (info.isDirectory()) {
      await walk(input, input, rootName, out, limits);
    } else if (info.isFile()) {
      if (await isZip(input)) await addZip(input, rootName, out, limits);
      else out.add({ path: rootName, location: { kind: 'file', file: input }, size: info.size, layoutServer: serverOfLooseFile(input) });
    } else {
      throw new Error(`${input} is neither a file nor a folder`);
    }
  }
  return { entries: out.entries, warnings: out.warnings };
}

/** Names that are logs or event logs by their ending: not worth opening to look for a zip inside. */
const NOT_ZIP = /\.(log|txt|csv|evtx|xml|json|jsonl|etl|dmp|aspx|ashx|js|css|config)$/i;

/**
 * Files looked at together while listing a folder: enough to hide the wait on stat and open, far
 * below any limit on open files however many thousand hourly logs the folder holds.
 */
const LIST_IN_FLIGHT = 32;

async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? (err instanceof Error ? err.message : String(err));
}

/**
 * The shown path, held as the end of the file's path on disk when it is that (as it is on a system
 * whose separator is `/`): both are kept for every file until the report, and a slice of a string
 * costs a few words where a copy costs its length.
 */
function keptPath(shown: string, full: string): string {
  return full.length > shown.length && full.endsWith(shown) && full[full.length - shown.length - 1] === sep ? full.slice(full.length - shown.length) : shown;
}

async function walk(root: string, dir: string, rootName: string, out: Listing, limits: ZipLimits): Promise<void> {
  const here = [rootName, ...relative(root, dir).split(sep).filter(Boolean)].join('/');
  let items;
  try {
    items = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    // One folder that cannot be listed (no permission, a path too long, too many open files) is
    // said and skipped; the rest of the evidence is still read.
    out.warnings.push({ where: here, message: `folder not read (${reason(err)}); the files in it are not in this scan` });
    return;
  }
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files = await mapBounded(items, LIST_IN_FLIGHT, async (item) => {
    if (!item.isFile()) return undefined;
    const full = join(dir, item.name);
    try {
      // Synchronous: a stat answers in microseconds, a promise of one costs many times that for every hourly log.
      const { size } = lstatSync(full);
      const zip = size >= 4 && !NOT_ZIP.test(item.name) && (await isZip(full));
      return { size, zip };
    } catch (err) {
      return { error: reason(err) };
    }
  });
  // Every file of a folder has the same layout server: one string for them all, not one each.
  const folderServer = serverFromLayout(rootName, [...relative(root, dir).split(sep).filter(Boolean), '']);
  for (const [i, item] of items.entries()) {
    const full = join(dir, item.name);
    const inner = relative(root, full).split(sep);
    const shown = keptPath([rootName, ...inner].join('/'), full);
    const file = files[i];
    if (item.isSymbolicLink()) {
      out.warnings.push({ where: shown, message: 'symbolic link not followed' });
    } else if (item.isDirectory()) {
      await walk(root, full, rootName, out, limits);
    } else if (file && 'error' in file) {
      out.warnings.push({ where: shown, message: `file not read (${file.error}); not in this scan` });
    } else if (file) {
      if (file.zip) {
        await addZip(full, shown, out, limits, serverFromLayout(rootName, inner));
      } else {
        out.add({ path: shown, location: { kind: 'file', file: full }, size: file.size, layoutServer: folderServer });
      }
    } else {
      out.warnings.push({ where: shown, message: 'not a regular file; not read' });
    }
  }
}

async function addZip(archive: string, shown: string, out: Listing, limits: ZipLimits, outerServer?: string): Promise<void> {
  let listing;
  try {
    listing = await listZip(archive, limits);
  } catch (err) {
    out.warnings.push({ where: shown, message: `archive refused: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  const zipName = stripZipSuffix(basename(archive));
  for (const refused of listing.refused) {
    out.warnings.push({ where: `${shown}!/${JSON.stringify(refused.name).slice(1, -1)}`, message: `entry refused: ${refused.reason}` });
  }
  const seen = new Map<string, number>();
  for (const member of listing.members) {
    const inner = member.name.split('/');
    const times = (seen.get(member.name) ?? 0) + 1;
    seen.set(member.name, times);
    // A name that repeats is still a different file: each is read and listed as itself, the later
    // ones by their entry number so no two evidence paths are the same.
    const path = times === 1 ? `${shown}!/${member.name}` : `${shown}!/${member.name} [entry ${member.index + 1}]`;
    if (times > 1) {
      out.warnings.push({ where: path, message: `the archive holds more than one entry named ${JSON.stringify(member.name)}; each is read as itself` });
    }
    if (/\.zip$/i.test(member.name)) {
      out.warnings.push({ where: path, message: 'archive inside an archive is not opened; extract the outer archive and scan again' });
    }
    out.add({
      path,
      location: { kind: 'zip', archive, member: member.name, index: member.index },
      size: member.size,
      layoutServer: outerServer ?? serverFromLayout(zipName, inner),
    });
  }
}
