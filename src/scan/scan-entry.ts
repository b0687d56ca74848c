import type { ContextRecord, EvidenceFile, Finding, LogRecord, SourceKind, Warning } from '../core/types.js';
import { contextOf, MAX_CONTEXT_PER_FILE, mayBeContext, withContextLiterals } from '../detect/context.js';
import { FindingCollector } from '../detect/repeats.js';
import type { ReadPlan, RuleGate } from '../detect/detector.js';
import { foldedRuleIds } from '../detect/ruleset.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { hash as hashOnce } from 'node:crypto';
import { hashBeside, hashOfRead, type BesideHash } from '../evidence/file-hash.js';
import { HashingReader, peekText, type EvidenceOpener, type LentBytes } from '../evidence/open.js';
import { looksUtf16le } from '../evidence/utf16.js';
import { lineAt, Utf8Check } from '../evidence/utf8-check.js';
import { MAX_BAD_SAMPLES, type LogReader, type ReadStats } from '../sources/reader.js';
import { SNIFF_BYTES, sniffBytes } from '../sources/registry.js';
import { EVENT_KIND_COLUMNS } from '../sources/winevent-record.js';
import type { Engine } from './engine.js';
import { serverName } from '../core/server-name.js';

export interface EntryResult {
  evidence: EvidenceFile;
  findings: Finding[];
  warnings: Warning[];
  /** Logons, account changes and mail: kept beside the findings, never counted as them. Absent from a job result stored by an older exir. */
  context?: ContextRecord[];
}

/** Stands for the log's server while the file is still being read; never a real server's name. */
const SERVER_NOT_YET_KNOWN = '\0server not yet known';

const BINARY_KINDS: [Buffer, string][] = [
  [
    Buffer.from('PK\x03\x04', 'latin1'),
    'a .zip archive by its content, not opened here (inside another archive, or named as something else): extract it or give it to exir scan by itself',
  ],
];

/**
 * The largest piece a reader is given at once. The record scanner copies what it is given into
 * its working buffer, grown to hold it: a 4 MiB file given whole grew a 6 MiB buffer for that file
 * alone, thousands of times a scan, and left the allocator's heap fragmented. Pieces this size
 * grow it once, to a size it keeps for the next file.
 */
const PIECE_BYTES = 256 * 1024;

async function* inPieces(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    if (chunk.length <= PIECE_BYTES) yield chunk;
    else for (let at = 0; at < chunk.length; at += PIECE_BYTES) yield chunk.subarray(at, at + PIECE_BYTES);
  }
}

/** A file's evidence row before it is read. */
export function evidenceRow(entry: EvidenceEntry): EvidenceFile {
  return {
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
}

/** Reads one file of the evidence: hash, recognise, read, detect. Never throws for bad content. */
export async function scanEntry(entry: EvidenceEntry, engine: Engine, opener: EvidenceOpener, onBytes?: (bytes: number) => void): Promise<EntryResult> {
  const warnings: Warning[] = [];
  let findings: Finding[] = [];
  const context: ContextRecord[] = [];
  const evidence = evidenceRow(entry);
  let hashing: HashingReader | undefined;
  let beside: BesideHash | undefined;
  /** A file that is not a log, hashed beside and not read here past its head. */
  let hashedWhole = false;
  let contentName: string | undefined;
  // A small file's bytes are lent for the read: every reader copies what it keeps of them.
  let lent: LentBytes | undefined;
  try {
    // Set once the format is known: its reader may then be given each piece in the last one's bytes.
    let lend = false;
    lent = opener.lend(entry);
    if (lent && !looksUtf16le(lent.bytes.subarray(0, SNIFF_BYTES))) return await scanLent(entry, engine, opener, lent, evidence, onBytes);
    // A large log on disk is hashed on the thread pool while this thread reads it (evidence/file-hash.ts).
    beside = !lent && entry.location.kind === 'file' ? hashBeside(entry.location.file) : undefined;
    hashing = new HashingReader(inPieces(lent ? [lent.bytes] : opener.pieces(entry, () => lend)), onBytes, beside === undefined);
    const chunks = hashing.chunks();
    // UTF-16LE is read as the UTF-8 it decodes to; the hash above is still of the file's own bytes.
    const { head, rest, utf16 } = await peekText(chunks, SNIFF_BYTES);
    if (utf16) {
      warnings.push({ where: entry.path, message: 'UTF-16LE text, read as such; byte offsets in it count the text as UTF-8' });
    }
    const found = sniffBytes(head);
    if (!found) {
      evidence.note =
        BINARY_KINDS.find(([magic]) => head.subarray(0, magic.length).equals(magic))?.[1] ?? 'not a log format exir reads; hashed and listed only';
      if (beside) {
        // Hashed whole beside the read: not read here to its end only to be counted.
        hashedWhole = true;
        await chunks.return(undefined);
      } else {
        // Only hashed: no piece is kept.
        lend = true;
        for await (const _ of rest) {
          /* drain for the hash */
        }
      }
    } else {
      lend = found.reader.keepsNoPiece === true;
      // UTF-16 decoded here is valid UTF-8 by construction; a binary format is not text at all.
      const utf8 = utf16 || found.reader.binary ? undefined : new Utf8Check();
      ({ findings, contentName } = await readLog(entry, engine, opener, found, utf8 ? utf8.through(rest) : rest, utf8, evidence, warnings, context));
    }
  } catch (err) {
    warnings.push({ where: entry.path, message: `read failed: ${err instanceof Error ? err.message : String(err)}` });
    evidence.unreadable = true;
    evidence.note = `unreadable after ${hashing?.bytes ?? 0} bytes; the hash covers only what was read`;
  }
  const loc = entry.location;
  evidence.sha256 = !hashing
    ? ''
    : beside && loc.kind === 'file'
      ? await hashOfRead(beside, loc.file, hashedWhole ? undefined : hashing.bytes)
      : hashing.digest();
  lent?.release();
  nameServer(evidence, entry, contentName);
  return { evidence, findings, warnings, context };
}

/**
 * Reads a recognised log from `source` (its bytes, checked as UTF-8 on the way when `utf8` is
 * given) and fills in its evidence row: the same for a file read as a stream and one lent whole.
 * The server that wrote the log is known only once the file is read: each record is matched as it
 * comes (holding them all costs gigabytes on a scanner's flood) and its findings and context are
 * given the server afterwards, unless the record named its own.
 */
async function readLog(
  entry: EvidenceEntry,
  engine: Engine,
  opener: EvidenceOpener,
  found: { reader: LogReader; kind: SourceKind },
  source: AsyncIterable<Buffer>,
  utf8: Utf8Check | undefined,
  evidence: EvidenceFile,
  warnings: Warning[],
  context: ContextRecord[],
): Promise<{ findings: Finding[]; contentName: string | undefined }> {
  evidence.kind = found.kind;
  const taker = logTaker(engine, found.kind, context);
  const { literals, needs, take, wantsEvent } = taker;
  const stats = await found.reader.read(source, {
    path: entry.path,
    ...(literals ? { literals } : {}),
    ...(needs ? { needs } : {}),
    ...(wantsEvent ? { wantsEvent } : {}),
    onRecord: take,
    onDamaged: take,
  });
  const utf8At =
    utf8?.firstAt !== undefined ? { invalid: utf8.invalid, firstAt: utf8.firstAt, line: await lineAt(await opener.open(entry), utf8.firstAt) } : undefined;
  return finishLog(entry, evidence, warnings, {
    stats,
    findings: taker.collector.findings(),
    context,
    contextDropped: taker.contextDropped,
    ...(utf8At ? { utf8: utf8At } : {}),
  });
}

/**
 * A small file's bytes in pieces, as the stream of them in scanEntry gives them to its reader: the
 * first piece is taken at once (it holds the head), the others as the reader asks; each is counted
 * and checked as UTF-8 (when asked) as it is taken, and the check ends when the reader asks past the
 * last. One plain object: a small file's read went through four generators, and their promises were
 * most of the garbage of a scan of many small files.
 */
class LentPieces implements AsyncIterable<Buffer>, AsyncIterator<Buffer> {
  /** Bytes taken so far: what the hash covers. */
  taken = 0;
  private at = 0;
  utf8: Utf8Check | undefined;

  constructor(
    private readonly bytes: Buffer,
    private readonly onBytes: ((bytes: number) => void) | undefined,
  ) {
    if (bytes.length > 0) this.take(Math.min(bytes.length, PIECE_BYTES));
  }

  /** Counts `n` more bytes as taken. */
  take(n: number): void {
    this.taken += n;
    this.onBytes?.(n);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    const at = this.at;
    if (at >= this.bytes.length) {
      this.utf8?.end();
      this.utf8 = undefined;
      return Promise.resolve({ done: true, value: undefined });
    }
    const piece = this.bytes.subarray(at, at + PIECE_BYTES);
    this.at += piece.length;
    if (this.at > this.taken) this.take(this.at - this.taken);
    this.utf8?.take(piece);
    return Promise.resolve({ done: false, value: piece });
  }
}

/** scanEntry of a small file read whole into a lent buffer (not UTF-16): the same steps, on the buffer. */
async function scanLent(
  entry: EvidenceEntry,
  engine: Engine,
  opener: EvidenceOpener,
  lent: LentBytes,
  evidence: EvidenceFile,
  onBytes: ((bytes: number) => void) | undefined,
): Promise<EntryResult> {
  const warnings: Warning[] = [];
  let findings: Finding[] = [];
  const context: ContextRecord[] = [];
  let contentName: string | undefined;
  const pieces = new LentPieces(lent.bytes, onBytes);
  try {
    const head = lent.bytes.subarray(0, SNIFF_BYTES);
    const found = sniffBytes(head);
    if (!found) {
      evidence.note =
        BINARY_KINDS.find(([magic]) => head.subarray(0, magic.length).equals(magic))?.[1] ?? 'not a log format exir reads; hashed and listed only';
      pieces.take(lent.bytes.length - pieces.taken);
    } else {
      // The pieces check the UTF-8 as they are taken: no stream through a checker.
      const utf8 = found.reader.binary ? undefined : new Utf8Check();
      pieces.utf8 = utf8;
      ({ findings, contentName } = await readLog(entry, engine, opener, found, pieces, utf8, evidence, warnings, context));
    }
  } catch (err) {
    warnings.push({ where: entry.path, message: `read failed: ${err instanceof Error ? err.message : String(err)}` });
    evidence.unreadable = true;
    evidence.note = `unreadable after ${pieces.taken} bytes; the hash covers only what was read`;
  }
  evidence.sha256 = hashOnce('sha256', lent.bytes.subarray(0, pieces.taken), 'hex');
  lent.release();
  nameServer(evidence, entry, contentName);
  return { evidence, findings, warnings, context };
}

/** What reading a log gave, before the server that wrote it is known: from one pass over the file or from its byte ranges put together. */
export interface LogReading {
  stats: ReadStats;
  /** Found with the server not yet known (SERVER_NOT_YET_KNOWN) unless the record named its own. */
  findings: Finding[];
  context: ContextRecord[];
  /** Context records past MAX_CONTEXT_PER_FILE, not kept. */
  contextDropped: number;
  /** Bytes not valid UTF-8: how many, the file offset and line of the first. */
  utf8?: { invalid: number; firstAt: number; line: number };
}

/**
 * How a log's records are taken as they are read (the file and its byte ranges alike): each matched
 * at once, its findings collected, and its logon, account or mail context kept up to the cap, the
 * rest counted.
 */
export function logTaker(engine: Engine, kind: SourceKind, context: ContextRecord[]) {
  const collector = new FindingCollector(foldedOf(engine));
  const gate = gateOf(engine, kind);
  const taker = {
    collector,
    literals: planOf(engine, kind).literals,
    needs: planOf(engine, kind).needs,
    // A Windows event no rule and no context reads is left undecoded past its System section. Asked
    // with its kind's columns only: a view that chooses by another column makes the detector say yes.
    wantsEvent:
      kind === 'winevent'
        ? (event: Readonly<Record<string, string>>): boolean => engine.detector.wants(kind, event, EVENT_KIND_COLUMNS) || mayBeContext(event)
        : undefined,
    contextDropped: 0,
    take: (record: LogRecord, metLo?: number, metHi?: number): void => {
      // The clauses the reader's check found let the detector leave out the rules they rule out.
      const findings =
        metLo === undefined || metHi === undefined
          ? engine.detector.detect(record, SERVER_NOT_YET_KNOWN)
          : engine.detector.detect(record, SERVER_NOT_YET_KNOWN, gate, metLo, metHi);
      for (const finding of findings) collector.add(finding);
      const kept = contextOf(record, SERVER_NOT_YET_KNOWN);
      if (!kept) return;
      if (context.length < MAX_CONTEXT_PER_FILE) context.push(kept);
      else taker.contextDropped += 1;
    },
  };
  return taker;
}

/** The rules folded per client, worked out once per engine rather than once per file. */
const foldedSets = new WeakMap<Engine, ReadonlySet<string>>();

function foldedOf(engine: Engine): ReadonlySet<string> {
  let folded = foldedSets.get(engine);
  if (!folded) {
    folded = foldedRuleIds(engine.ruleset);
    foldedSets.set(engine, folded);
  }
  return folded;
}

/** Each kind's rule gate for its read plan's needs, made once per engine. */
const gates = new WeakMap<Engine, Map<SourceKind, RuleGate | undefined>>();

function gateOf(engine: Engine, kind: SourceKind): RuleGate | undefined {
  let byKind = gates.get(engine);
  if (!byKind) {
    byKind = new Map();
    gates.set(engine, byKind);
  }
  if (!byKind.has(kind)) byKind.set(kind, engine.detector.gate(kind, planOf(engine, kind).needs));
  return byKind.get(kind);
}

/** Each kind's read plan, made once per engine: the same list for every file lets the scanner find its search plan at once. */
const readPlans = new WeakMap<Engine, Map<SourceKind, ReadPlan>>();

function planOf(engine: Engine, kind: SourceKind): ReadPlan {
  let byKind = readPlans.get(engine);
  if (!byKind) {
    byKind = new Map();
    readPlans.set(engine, byKind);
  }
  let plan = byKind.get(kind);
  if (!plan) {
    plan = withContextLiterals(kind, engine.detector.plan(kind));
    byKind.set(kind, plan);
  }
  return plan;
}

/** Fills in the file's evidence row and warnings from what its reading gave, and names the server on its findings and context. */
export function finishLog(
  entry: EvidenceEntry,
  evidence: EvidenceFile,
  warnings: Warning[],
  reading: LogReading,
): { findings: Finding[]; contentName: string | undefined } {
  const { stats, findings, context, contextDropped, utf8 } = reading;
  evidence.kind = stats.kind;
  evidence.records = stats.records;
  evidence.badRecords = stats.badRecords;
  evidence.badSamples = stats.badSamples.slice(0, MAX_BAD_SAMPLES);
  evidence.firstTime = stats.firstTime;
  evidence.lastTime = stats.lastTime;
  evidence.server = serverName(stats.server) ?? serverName(entry.layoutServer);
  if (stats.build) evidence.build = stats.build;
  const server = evidence.server ?? 'unknown';
  for (const finding of findings) if (finding.server === SERVER_NOT_YET_KNOWN) finding.server = server;
  for (const kept of context) if (kept.server === SERVER_NOT_YET_KNOWN) kept.server = server;
  if (contextDropped > 0) {
    warnings.push({
      where: entry.path,
      message: `${contextDropped} logon, account or mail record(s) past the first ${MAX_CONTEXT_PER_FILE} not kept as context; credentials and phishing see only the first`,
    });
  }
  for (const note of stats.notes) warnings.push({ where: entry.path, message: note });
  if (utf8) {
    warnings.push({
      where: `${entry.path}:${utf8.line}`,
      message: `${utf8.invalid} byte(s) not valid UTF-8, the first at byte ${utf8.firstAt} (line ${utf8.line}); read as U+FFFD, their records still searched`,
    });
  }
  if (stats.badRecords > 0) {
    const first = stats.badSamples[0];
    warnings.push({
      where: first ? `${entry.path}:${first.origin.line}` : entry.path,
      message: `${stats.badRecords} unreadable record(s)${first ? `; first: ${first.reason}` : ''}`,
    });
  }
  return { findings, contentName: stats.server };
}

/** Lists the spellings of the server's name the file's content and place gave. */
export function nameServer(evidence: EvidenceFile, entry: EvidenceEntry, contentName: string | undefined): void {
  const names = namesOf(evidence.server, [contentName, entry.layoutServer]);
  if (names.length) evidence.serverNames = names;
}

/** The spellings that name the server the file went to (a folder `events` names no server). */
function namesOf(server: string | undefined, raw: (string | undefined)[]): string[] {
  if (!server) return [];
  return [...new Set(raw.map((r) => r?.trim()).filter((r): r is string => Boolean(r) && serverName(r) === server))];
}
