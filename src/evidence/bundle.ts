import { lstat, open, readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Warning } from '../core/types.js';
import { DEFAULT_ZIP_LIMITS, listZip, type ZipLimits } from './zip.js';

/** One file of the evidence, wherever it sits: on disk or inside a .zip. */
export interface EvidenceEntry {
  /** Path shown to people and stored in origins: `<input name>/<path inside>`, a zip member as `x.zip!/member`. */
  path: string;
  location: { kind: 'file'; file: string } | { kind: 'zip'; archive: string; member: string };
  size: number;
  /** The server the layout suggests (top folder of the bundle), used when the content names none. */
  layoutServer: string | undefined;
}

export interface Enumeration {
  entries: EvidenceEntry[];
  warnings: Warning[];
}

/**
 * Folder names that are part of a collected server's own layout, so never a server's name:
 * when the bundle's top folder is one of these, the bundle itself is one server.
 */
const LAYOUT_FOLDERS = new Set(
  ['exchange', 'exchange server', 'v15', 'v14', 'logging', 'httpproxy', 'inetpub', 'logs', 'logfiles', 'ecp', 'program files',
    'microsoft', 'w3svc1', 'w3svc2', 'oabgeneratorlog', 'cmdletinfra', 'messagetracking', 'transportroles', 'windows', 'c', 'c$',
    'ews', 'owa', 'mapi', 'autodiscover', 'eas', 'rpchttp', 'powershell', 'oab', 'owacalendar', 'system32', 'winevt',
    // Velociraptor's upload folders (`uploads/auto/C%3A/…`, `uploads/ntfs/%5C%5C.%5CC%3A/…`) and KAPE's drive folders.
    'uploads', 'auto', 'ntfs', 'c%3a', '%5c%5c.%5cc%3a', 'd', 'e', 'd%3a', 'e%3a', 'exir', 'exchange', 'iis', 'eventlogs', 'config', 'listing', 'server']
    .map((s) => s.toLowerCase()),
);

function serverFromLayout(rootName: string, inner: string[]): string | undefined {
  const top = inner.length > 1 ? inner[0] : undefined;
  if (top && !LAYOUT_FOLDERS.has(top.toLowerCase())) return top;
  return rootName || undefined;
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
export async function enumerateEvidence(inputs: string[], limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Enumeration> {
  const out: Enumeration = { entries: [], warnings: [] };
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
      else out.entries.push({ path: rootName, location: { kind: 'file', file: input }, size: info.size, layoutServer: undefined });
    } else {
      throw new Error(`${input} is neither a file nor a folder`);
    }
  }
  return out;
}

/** Names that are logs or event logs by their ending: not worth opening to look for a zip inside. */
const NOT_ZIP = /\.(log|txt|csv|evtx|xml|json|jsonl|etl|dmp|aspx|ashx|js|css|config)$/i;

async function walk(root: string, dir: string, rootName: string, out: Enumeration, limits: ZipLimits): Promise<void> {
  const items = await readdir(dir, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Every file of a folder is looked at together: one at a time, thousands of hourly logs cost
  // seconds of waiting on stat and open alone.
  const files = await Promise.all(items.map(async (item) => {
    if (!item.isFile()) return undefined;
    const full = join(dir, item.name);
    const { size } = await lstat(full);
    const zip = size >= 4 && !NOT_ZIP.test(item.name) && (await isZip(full));
    return { size, zip };
  }));
  for (const [i, item] of items.entries()) {
    const full = join(dir, item.name);
    const inner = relative(root, full).split(sep);
    const shown = [rootName, ...inner].join('/');
    const file = files[i];
    if (item.isSymbolicLink()) {
      out.warnings.push({ where: shown, message: 'symbolic link not followed' });
    } else if (item.isDirectory()) {
      await walk(root, full, rootName, out, limits);
    } else if (file) {
      if (file.zip) {
        await addZip(full, shown, out, limits, serverFromLayout(rootName, inner));
      } else {
        out.entries.push({ path: shown, location: { kind: 'file', file: full }, size: file.size, layoutServer: serverFromLayout(rootName, inner) });
      }
    } else {
      out.warnings.push({ where: shown, message: 'not a regular file; not read' });
    }
  }
}

async function addZip(archive: string, shown: string, out: Enumeration, limits: ZipLimits, outerServer?: string): Promise<void> {
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
  for (const member of listing.members) {
    const inner = member.name.split('/');
    const path = `${shown}!/${member.name}`;
    if (/\.zip$/i.test(member.name)) {
      out.warnings.push({ where: path, message: 'archive inside an archive is not opened; extract the outer archive and scan again' });
    }
    out.entries.push({
      path,
      location: { kind: 'zip', archive, member: member.name },
      size: member.size,
      layoutServer: outerServer ?? serverFromLayout(zipName, inner),
    });
  }
}
