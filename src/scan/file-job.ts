import type { Finding, Warning } from '../core/types.js';
import type { FileChecker, FileCheckerOptions } from '../detect/files/index.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { peek, type EvidenceOpener } from '../evidence/open.js';
import { readInventory, sniffInventory, type InventoryEntry } from '../sources/inventory/index.js';

/** What the file checks need from the first pass. */
export interface FileJob {
  kind: 'files';
  sha256: string;
  server: string | undefined;
  checker: FileCheckerOptions;
}

export interface FileJobResult {
  kind: 'files';
  findings: Finding[];
  warnings: Warning[];
  /** Set when the file was a collected listing of files rather than a file itself. */
  listing?: { rows: number; badRows: number; badSamples: Finding['origin'][] };
}

const HEAD = 64 * 1024;
/** A file read whole for YARA is at most this big; larger ones are checked by their head. */
const MAX_WHOLE = 64 * 1024 * 1024;

async function readWhole(entry: EvidenceEntry, opener: EvidenceOpener): Promise<Buffer> {
  if (entry.size > MAX_WHOLE) throw new Error(`larger than ${MAX_WHOLE} bytes; checked by its first bytes only`);
  const parts: Buffer[] = [];
  for await (const chunk of await opener.open(entry)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/**
 * A file that is not a log, checked as evidence: against Microsoft's known-good baseline, the
 * published indicators and the YARA rules; or, when it is a collected listing of files, each row.
 */
export async function checkFile(entry: EvidenceEntry, job: FileJob, checker: FileChecker, opener: EvidenceOpener): Promise<FileJobResult> {
  const stream = await opener.open(entry);
  const { head, rest } = await peek(stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>, HEAD);
  const findings: Finding[] = [];
  if (sniffInventory(head.toString('utf8'))) {
    const rows: InventoryEntry[] = [];
    const stats = await readInventory(rest, { path: entry.path, ...(job.server ? { server: job.server } : {}), onEntry: (row) => rows.push(row) });
    for (const row of rows) findings.push(...(await checker.check(row)));
    return {
      kind: 'files',
      findings,
      warnings: [...checker.takeWarnings(), ...stats.notes.map((message) => ({ where: entry.path, message }))],
      listing: { rows: stats.rows, badRows: stats.badRows, badSamples: stats.badSamples.map((b) => b.origin) },
    };
  }
  stream.destroy();
  findings.push(
    ...(await checker.check({
      path: entry.path,
      sha256: job.sha256,
      size: entry.size,
      server: job.server,
      head: head.subarray(0, HEAD),
      read: () => readWhole(entry, opener),
    })),
  );
  return { kind: 'files', findings, warnings: checker.takeWarnings() };
}
