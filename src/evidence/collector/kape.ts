// A KAPE target collection, checked against KAPE's own copy log. KAPE writes
// `<run time>_CopyLog.csv` at the top of its target destination (`--tdest`), one row per file copied,
// with the columns CopiedTimestamp, SourceFile, DestinationFile, FileSize, SourceFileSha1,
// DeferredCopy, CreatedOnUtc, ModifiedOnUtc, LastAccessedOnUtc, CopyDuration (KapeDocs, "Log files";
// the same header in KAPE output published with public DFIR write-ups and tools that read it).
// Every file the log lists is hashed again with SHA-1 and compared, so a file changed or lost since
// KAPE copied it is said, as for exir's own collector.

import { createHash } from 'node:crypto';
import type { CollectionCheck, Warning } from '../../core/types.js';
import type { EvidenceEntry } from '../bundle.js';
import { readSmallText, type EvidenceOpener } from '../open.js';

const COPY_LOG = /(?:^|\/|!\/)[^/]*_CopyLog\.csv$/i;
/** KAPE's own logs beside the files it copied: not copies, so not "added after collection". */
const KAPE_OWN = /(?:^|\/)[^/]*_(?:CopyLog|SkipLog|ConsoleLog)\.(?:csv|txt)(?:\.csv)?$/i;
const MAX_COPY_LOG_BYTES = 256 * 1024 * 1024;
const COLUMNS = ['DestinationFile', 'FileSize', 'SourceFileSha1'] as const;

interface Copied {
  /** DestinationFile as KAPE wrote it (a path on the machine that ran KAPE). */
  destination: string;
  size: number;
  sha1: string;
  line: number;
}

/** One CSV line's values; KAPE quotes a value holding a comma or a quote. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(value);
      value = '';
    } else value += c;
  }
  out.push(value);
  return out;
}

function parseCopyLog(text: string, where: string, warnings: Warning[]): Copied[] | undefined {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const header = splitCsv(lines[0] ?? '');
  const at = COLUMNS.map((c) => header.indexOf(c));
  if (at.some((i) => i < 0)) {
    warnings.push({
      where: `${where}:1`,
      message: `not used to verify the KAPE collection: its header lacks ${COLUMNS.filter((_, k) => at[k]! < 0).join(', ')}`,
    });
    return undefined;
  }
  const rows: Copied[] = [];
  let bad = 0;
  let firstBad = 0;
  for (let n = 1; n < lines.length; n++) {
    if (!lines[n]!.trim()) continue;
    const v = splitCsv(lines[n]!);
    const [destination, size, sha1] = at.map((i) => v[i]?.trim() ?? '');
    if (!destination || !/^[0-9a-f]{40}$/i.test(sha1!) || !/^\d+$/.test(size!)) {
      if (bad++ === 0) firstBad = n + 1;
      continue;
    }
    rows.push({ destination, size: Number(size), sha1: sha1!.toLowerCase(), line: n + 1 });
  }
  if (bad > 0)
    warnings.push({
      where: `${where}:${firstBad}`,
      message: `${bad} row(s) of the KAPE copy log unreadable (no destination, size or SHA-1); their files are not verified`,
    });
  return rows;
}

const parts = (path: string): string[] => path.split(/[\\/]+/).filter(Boolean);

/**
 * The path of a copied file below the copy log's folder: DestinationFile less the target
 * destination KAPE ran with, learnt from the rows whose file is found (the destination is a path on
 * the machine that ran KAPE, not here).
 */
function relativePaths(rows: Copied[], present: Set<string>): (string | undefined)[] {
  let prefix: number | undefined;
  for (const row of rows) {
    const p = parts(row.destination);
    for (let k = 1; k < p.length; k++) {
      if (present.has(p.slice(k).join('/').toLowerCase())) {
        prefix = k;
        break;
      }
    }
    if (prefix !== undefined) break;
  }
  return rows.map((row) => (prefix === undefined ? undefined : parts(row.destination).slice(prefix).join('/')));
}

async function sha1Of(opener: EvidenceOpener, entry: EvidenceEntry): Promise<{ sha1: string; size: number }> {
  const hash = createHash('sha1');
  let size = 0;
  for await (const chunk of await opener.open(entry)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha1: hash.digest('hex'), size };
}

/** Checks every KAPE collection among the entries against its copy log; one check per copy log. */
export async function checkKapeCollections(entries: EvidenceEntry[], opener: EvidenceOpener, warnings: Warning[]): Promise<CollectionCheck[]> {
  const checks: CollectionCheck[] = [];
  for (const log of entries.filter((e) => COPY_LOG.test(e.path))) {
    const root = log.path.slice(0, log.path.lastIndexOf('/') + 1);
    let rows: Copied[] | undefined;
    try {
      rows = parseCopyLog(await readSmallText(opener, log, MAX_COPY_LOG_BYTES), log.path, warnings);
    } catch (err) {
      warnings.push({
        where: log.path,
        message: `KAPE copy log unreadable, so the collection is not verified: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    if (!rows) continue;
    const below = new Map(entries.filter((e) => e.path.startsWith(root) && e !== log).map((e) => [e.path.slice(root.length).toLowerCase(), e]));
    const check: CollectionCheck = {
      manifest: log.path,
      server: log.layoutServer ?? '',
      tool: 'KAPE',
      hash: 'sha1',
      files: rows.length,
      verified: 0,
      changed: [],
      missing: [],
      unlisted: [],
      notCollected: [],
    };
    const relative = relativePaths(rows, new Set(below.keys()));
    for (const [k, row] of rows.entries()) {
      const rel = relative[k];
      const entry = rel === undefined ? undefined : below.get(rel.toLowerCase());
      if (rel !== undefined) below.delete(rel.toLowerCase());
      if (!entry) {
        check.missing.push(rel ?? row.destination);
        continue;
      }
      let got: { sha1: string; size: number };
      try {
        got = await sha1Of(opener, entry);
      } catch (err) {
        warnings.push({
          where: entry.path,
          message: `unreadable, so not verified against the KAPE copy log: ${err instanceof Error ? err.message : String(err)}`,
        });
        check.missing.push(rel!);
        continue;
      }
      if (got.sha1 !== row.sha1 || got.size !== row.size) {
        check.changed.push({ path: rel!, expected: row.sha1, actual: got.sha1, expectedSize: row.size, actualSize: got.size });
      } else check.verified += 1;
    }
    check.unlisted = [...below.entries()]
      .filter(([, e]) => !KAPE_OWN.test(e.path))
      .map(([, e]) => e.path.slice(root.length))
      .sort();
    checks.push(check);
  }
  return checks;
}

/** The warnings a KAPE check gives: each changed, missing or added file, located. */
export function kapeWarnings(check: CollectionCheck): Warning[] {
  const root = check.manifest.slice(0, check.manifest.lastIndexOf('/') + 1);
  return [
    ...check.changed.map((c) => ({
      where: `${root}${c.path}`,
      message: `differs from KAPE's copy log: SHA-1 ${c.actual} (${c.actualSize} bytes), copied as ${c.expected} (${c.expectedSize} bytes)`,
    })),
    ...check.missing.map((p) => ({ where: `${root}${p}`, message: "listed in KAPE's copy log but not in the evidence" })),
    ...check.unlisted.map((p) => ({ where: `${root}${p}`, message: 'in the KAPE collection but not in its copy log (added after collection)' })),
  ];
}
