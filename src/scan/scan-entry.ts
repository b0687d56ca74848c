import type { ContextRecord, EvidenceFile, Finding, LogRecord, Warning } from '../core/types.js';
import { contextOf, MAX_CONTEXT_PER_FILE, withContextLiterals } from '../detect/context.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { HashingReader, peek, type EvidenceOpener } from '../evidence/open.js';
import { MAX_BAD_SAMPLES } from '../sources/reader.js';
import { SNIFF_BYTES, sniff } from '../sources/registry.js';
import type { Engine } from './engine.js';
import { serverName } from '../core/server-name.js';

export interface EntryResult {
  evidence: EvidenceFile;
  findings: Finding[];
  warnings: Warning[];
  /** Logons, account changes and mail: kept beside the findings, never counted as them. Absent from a job result stored by an older exir. */
  context?: ContextRecord[];
}


const BINARY_KINDS: [Buffer, string][] = [
  [Buffer.from('PK\x03\x04', 'latin1'), 'a .zip archive by its content, not opened here (inside another archive, or named as something else): extract it or give it to exir scan by itself'],
];

/** Reads one file of the evidence: hash, recognise, read, detect. Never throws for bad content. */
export async function scanEntry(
  entry: EvidenceEntry,
  engine: Engine,
  opener: EvidenceOpener,
  onBytes?: (bytes: number) => void,
): Promise<EntryResult> {
  const warnings: Warning[] = [];
  const findings: Finding[] = [];
  const context: ContextRecord[] = [];
  const evidence: EvidenceFile = {
    path: entry.path,
    sha256: '',
    kind: 'unknown',
    server: serverName(entry.layoutServer),
    size: entry.size,
    records: 0,
    badRecords: 0,
    firstTime: undefined,
    lastTime: undefined,
    badSamples: [],
  };
  let hashing: HashingReader | undefined;
  let contentName: string | undefined;
  try {
    hashing = new HashingReader(await opener.open(entry), onBytes);
    const source = hashing.chunks();
    const { head, rest } = await peek(source, SNIFF_BYTES);
    const found = sniff(head.toString('utf8'));
    if (!found) {
      evidence.note = BINARY_KINDS.find(([magic]) => head.subarray(0, magic.length).equals(magic))?.[1]
        ?? 'not a log format exir reads; hashed and listed only';
      for await (const _ of rest) { /* drain for the hash */ }
    } else {
      evidence.kind = found.kind;
      const pending: LogRecord[] = [];
      const literals = withContextLiterals(found.kind, engine.detector.plan(found.kind).literals);
      const stats = await found.reader.read(rest, {
        path: entry.path,
        ...(literals ? { literals } : {}),
        onRecord: (record) => pending.push(record),
        onDamaged: (record) => pending.push(record),
      });
      evidence.kind = stats.kind;
      evidence.records = stats.records;
      evidence.badRecords = stats.badRecords;
      evidence.badSamples = stats.badSamples.slice(0, MAX_BAD_SAMPLES);
      evidence.firstTime = stats.firstTime;
      evidence.lastTime = stats.lastTime;
      // The server that wrote the log is known only once the file is read: findings wait for it.
      contentName = stats.server;
      evidence.server = serverName(stats.server) ?? serverName(entry.layoutServer);
      if (stats.build) evidence.build = stats.build;
      const server = evidence.server ?? 'unknown';
      let contextDropped = 0;
      for (const record of pending) {
        findings.push(...engine.detector.detect(record, server));
        const kept = contextOf(record, server);
        if (!kept) continue;
        if (context.length < MAX_CONTEXT_PER_FILE) context.push(kept);
        else contextDropped += 1;
      }
      if (contextDropped > 0) {
        warnings.push({ where: entry.path, message: `${contextDropped} logon, account or mail record(s) past the first ${MAX_CONTEXT_PER_FILE} not kept as context; credentials and phishing see only the first` });
      }
      for (const note of stats.notes) warnings.push({ where: entry.path, message: note });
      if (stats.badRecords > 0) {
        const first = stats.badSamples[0];
        warnings.push({
          where: first ? `${entry.path}:${first.origin.line}` : entry.path,
          message: `${stats.badRecords} unreadable record(s)${first ? `; first: ${first.reason}` : ''}`,
        });
      }
    }
  } catch (err) {
    warnings.push({ where: entry.path, message: `read failed: ${err instanceof Error ? err.message : String(err)}` });
    evidence.note = `read failed after ${hashing?.bytes ?? 0} bytes; the hash covers only what was read`;
  }
  evidence.sha256 = hashing ? hashing.digest() : '';
  const names = namesOf(evidence.server, [contentName, entry.layoutServer]);
  if (names.length) evidence.serverNames = names;
  return { evidence, findings, warnings, context };
}

/** The spellings that name the server the file went to (a folder `events` names no server). */
function namesOf(server: string | undefined, raw: (string | undefined)[]): string[] {
  if (!server) return [];
  return [...new Set(raw.map((r) => r?.trim()).filter((r): r is string => Boolean(r) && serverName(r) === server))];
}
