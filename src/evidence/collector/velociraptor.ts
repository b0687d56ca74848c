// A Velociraptor offline collection, read in place: the zip holds `client_info.json` (the host it
// ran on), `uploads.json` (each file uploaded, with its size on disk and the bytes uploaded) and
// `log.json` (what the collector said), beside the files under `uploads/auto/C%3A/…` and
// `uploads/ntfs/%5C%5C.%5CC%3A/…`. The host names the server; a file uploaded short of its size
// and the collector's own errors are said as warnings, so a partial log is never taken for whole.

import type { Warning } from '../../core/types.js';
import type { EvidenceEntry } from '../bundle.js';
import { readSmallText, type EvidenceOpener } from '../open.js';

const MAX_JSON_BYTES = 32 * 1024 * 1024;

function jsonLines(text: string): { line: number; row: Record<string, unknown> }[] {
  const out: { line: number; row: Record<string, unknown> }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    try {
      const row: unknown = JSON.parse(raw);
      if (row && typeof row === 'object' && !Array.isArray(row)) out.push({ line: i + 1, row: row as Record<string, unknown> });
    } catch {
      // A damaged line of the collector's own log is not evidence; it is skipped with the rest said.
    }
  });
  return out;
}

/** A root (`x.zip!/` or `folder/`) holding `client_info.json` beside an `uploads` folder is a Velociraptor collection. */
function velociraptorRoots(entries: EvidenceEntry[]): Map<string, EvidenceEntry> {
  const roots = new Map<string, EvidenceEntry>();
  for (const e of entries) {
    const m = /^(.*(?:!\/|\/))client_info\.json$/.exec(e.path);
    if (!m) continue;
    const root = m[1] as string;
    if (entries.some((o) => o.path.startsWith(`${root}uploads/`))) roots.set(root, e);
  }
  return roots;
}

/** Names each Velociraptor collection's files after the host it ran on, and warns of short uploads and collector errors. */
export async function readVelociraptorCollections(entries: EvidenceEntry[], opener: EvidenceOpener, warnings: Warning[]): Promise<void> {
  for (const [root, info] of velociraptorRoots(entries)) {
    let host: string | undefined;
    try {
      const data = JSON.parse(await readSmallText(opener, info, MAX_JSON_BYTES)) as Record<string, unknown>;
      const name = data['Hostname'] ?? data['Fqdn'];
      if (typeof name === 'string' && name.trim()) host = name.trim().split('.')[0];
    } catch (err) {
      warnings.push({
        where: info.path,
        message: `Velociraptor client_info.json unreadable, so the server is named by the layout: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    if (host) for (const e of entries) if (e.path.startsWith(root)) e.layoutServer = host;

    const uploads = entries.find((e) => e.path === `${root}uploads.json`);
    if (uploads) {
      try {
        for (const { line, row } of jsonLines(await readSmallText(opener, uploads, MAX_JSON_BYTES))) {
          const size = Number(row['file_size']);
          const got = Number(row['uploaded_size']);
          if (Number.isFinite(size) && Number.isFinite(got) && got < size && row['Type'] !== 'idx') {
            const path = typeof row['vfs_path'] === 'string' ? row['vfs_path'] : `line ${line}`;
            warnings.push({
              where: `${uploads.path}:${line}`,
              message: `Velociraptor uploaded ${got} of ${size} bytes of ${path}: the copy is partial, so what it does not hold cannot be seen`,
            });
          }
        }
      } catch (err) {
        warnings.push({ where: uploads.path, message: `Velociraptor uploads.json unreadable: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    const log = entries.find((e) => e.path === `${root}log.json`);
    if (log) {
      try {
        for (const { line, row } of jsonLines(await readSmallText(opener, log, MAX_JSON_BYTES))) {
          if (row['level'] !== 'ERROR') continue;
          const message = typeof row['message'] === 'string' ? row['message'].trim() : '';
          warnings.push({ where: `${log.path}:${line}`, message: `Velociraptor could not collect: ${message}` });
        }
      } catch (err) {
        warnings.push({ where: log.path, message: `Velociraptor log.json unreadable: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  }
}
