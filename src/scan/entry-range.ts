// Reading one byte range of a large log, so that a 5 GB IIS log is read by several workers at once.
// A range is cut at line starts: it begins at the first line that starts at or after its offset
// and reads on past its end to the end of the line it is in, so neighbouring ranges meet exactly.
// A range after the first is read with the file's header block (#Software … #Fields) put before
// it, so its reader knows the columns. Only what makes that sound is split: W3C and Exchange CSV
// logs whose header block holds a #Fields line and whose body holds no other directive, header row,
// NUL byte or quoted value left open at a cut. Anything else is reported back as needing a read
// of the whole file, which the coordinator then gives it, so the result never depends on the cut.

import { open } from 'node:fs/promises';
import type { ContextRecord, Finding, Origin } from '../core/types.js';
import { MAX_CONTEXT_PER_FILE } from '../detect/context.js';
import { FindingCollector } from '../detect/repeats.js';
import { readBuffer } from '../evidence/aligned.js';
import type { EvidenceEntry } from '../evidence/bundle.js';
import { HashingReader, type EvidenceOpener } from '../evidence/open.js';
import { looksUtf16le } from '../evidence/utf16.js';
import { Utf8Check } from '../evidence/utf8-check.js';
import { exchangeCsvReader } from '../sources/exchange-csv/exchange-csv-reader.js';
import { MAX_BAD_SAMPLES, type ReadStats } from '../sources/reader.js';
import { SNIFF_BYTES, sniffBytes } from '../sources/registry.js';
import { w3cReader } from '../sources/w3c/w3c-reader.js';
import type { Engine } from './engine.js';
import { evidenceRow, finishLog, logTaker, nameServer, type EntryResult, type LogReading } from './scan-entry.js';

/** Which part of a file a job reads: byte offsets as the coordinator cut them, before they are moved to line starts. */
export interface ByteRange {
  index: number;
  count: number;
  start: number;
  end: number;
}

/** What one range gave: its records' results in the file's own lines and offsets once `placed`, or why the file must be read whole. */
export type RangePart =
  | { index: number; whole: string }
  | {
      index: number;
      /** The file offsets the range really read, from a line start to a line start. */
      from: number;
      to: number;
      /** Line ends in [from, to): how the next ranges' line numbers are found. */
      lineEnds: number;
      /** Lines and bytes of the header block put before the range (0 for the first range). */
      headerLines: number;
      headerBytes: number;
      stats: ReadStats;
      findings: Finding[];
      context: ContextRecord[];
      contextDropped: number;
      /** Bytes not valid UTF-8 in [from, to): how many, the first's offset from `from` and its line counted from `from`. */
      utf8?: { invalid: number; at: number; line: number };
      /** The whole file's SHA-256, taken by the first range. */
      sha256?: string;
    };

/** A line longer than this is the scanner's damage, and a quoted value open longer than this its resync: not cut around. */
const MAX_RECORD = 4 * 1024 * 1024;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;

/** The formats a range may be cut from, and how their records look. */
function splittable(reader: unknown): { quotes: boolean; timeFirst: boolean } | undefined {
  if (reader === w3cReader) return { quotes: false, timeFirst: false };
  // An Exchange CSV row starts with its time; a row that does not may be a header row that changes the columns.
  if (reader === exchangeCsvReader) return { quotes: true, timeFirst: true };
  return undefined;
}

/** The end of the file's leading block of `#` lines (after a byte-order mark), or undefined when the head does not hold all of it. */
function headerEnd(head: Buffer): number | undefined {
  let p = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (p < head.length && head[p] === HASH) {
    const lf = head.indexOf(LF, p);
    if (lf === -1) return undefined;
    p = lf + 1;
  }
  return p;
}

/**
 * Watches a range's body for what would make a cut unsound, mirroring the record scanner's rules:
 * a quote opens a quoted value only at the start of a value, `""` inside one is a quote, and a
 * line end inside one does not end the record.
 */
class BodyCheck {
  lineEnds = 0;
  problem: string | undefined;
  private inQuote = false;
  private pendingQuote = false;
  private fieldStart = true;
  private lineStart = true;
  private quoteFrom = 0;
  private pos: number;

  constructor(
    private readonly format: { quotes: boolean; timeFirst: boolean },
    from: number,
  ) {
    this.pos = from;
  }

  push(b: Buffer): void {
    for (let p = b.indexOf(LF); p !== -1; p = b.indexOf(LF, p + 1)) this.lineEnds++;
    if (!this.problem) this.look(b);
    this.pos += b.length;
  }

  finish(): string | undefined {
    if (!this.problem && this.inQuote && !this.pendingQuote) this.problem = 'a quoted value runs past the cut';
    return this.problem;
  }

  private look(b: Buffer): void {
    if (b.includes(0)) {
      this.problem = 'NUL bytes';
      return;
    }
    let i = 0;
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (b[0] === QUOTE) i = 1;
      else this.inQuote = false;
    }
    while (i < b.length) {
      if (this.inQuote) {
        const q = b.indexOf(QUOTE, i);
        if (q === -1) break;
        if (q + 1 >= b.length) {
          this.pendingQuote = true;
          break;
        }
        if (b[q + 1] === QUOTE) i = q + 2;
        else {
          this.inQuote = false;
          i = q + 1;
        }
        continue;
      }
      if (this.lineStart) {
        this.lineStart = false;
        this.fieldStart = true;
        const c = b[i] as number;
        if (c === HASH) {
          this.problem = `a directive after the header, at byte ${this.pos + i}`;
          return;
        }
        if (this.format.timeFirst && c !== LF && c !== CR && (c < 48 || c > 57)) {
          this.problem = `a row not starting with a time (a header row?), at byte ${this.pos + i}`;
          return;
        }
      }
      const nl = b.indexOf(LF, i);
      const nq = this.format.quotes ? b.indexOf(QUOTE, i) : -1;
      if (nq !== -1 && (nl === -1 || nq < nl)) {
        if (nq === i ? this.fieldStart : b[nq - 1] === COMMA) {
          this.inQuote = true;
          this.quoteFrom = this.pos + nq;
        }
        this.fieldStart = false;
        i = nq + 1;
        continue;
      }
      if (nl === -1) {
        this.fieldStart = b[b.length - 1] === COMMA;
        break;
      }
      this.lineStart = true;
      i = nl + 1;
    }
    if (this.inQuote && this.pos + b.length - this.quoteFrom > MAX_RECORD) this.problem = 'a quoted value longer than a record may be';
  }
}

/**
 * The bytes of [first line start at or after `from`, first line start at or after `to`) of a
 * stream whose first byte is at file offset `at`; `cut` learns both. Pulls from `source` by hand, so
 * the caller may read the rest of it afterwards (the first range hashes the whole file).
 */
async function* between(
  source: AsyncIterator<Buffer>,
  at: number,
  from: number | undefined,
  to: number | undefined,
  cut: { from: number; to: number },
): AsyncGenerator<Buffer> {
  let pos = at;
  let started = from === undefined;
  cut.from = from === undefined ? at : Number.NaN;
  for (;;) {
    const next = await source.next();
    if (next.done) break;
    let chunk = next.value;
    let chunkAt = pos;
    pos += chunk.length;
    if (!started) {
      // The first line start at or after `from`: just after a line end at or after from - 1.
      const lf = chunk.indexOf(LF, Math.max(0, (from as number) - 1 - chunkAt));
      if (lf === -1) continue;
      started = true;
      cut.from = chunkAt + lf + 1;
      chunk = chunk.subarray(lf + 1);
      chunkAt = cut.from;
      if (to !== undefined && cut.from >= to) {
        cut.to = cut.from;
        return;
      }
    }
    if (to !== undefined && pos >= to) {
      const lf = chunk.indexOf(LF, Math.max(0, to - 1 - chunkAt));
      if (lf !== -1) {
        cut.to = chunkAt + lf + 1;
        yield chunk.subarray(0, lf + 1);
        return;
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  if (!started) cut.from = pos;
  cut.to = pos;
}

async function* after(first: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  yield* rest;
}

async function* tee(chunks: AsyncIterable<Buffer>, check: BodyCheck): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    check.push(chunk);
    yield chunk;
  }
}

async function* fileBytes(file: string, start: number): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = readBuffer(1 << 20);
    for (let pos = start; ;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield Buffer.from(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** Reads one range of a file on disk (never a zip member: those cannot be read from an offset). */
export async function scanRange(entry: EvidenceEntry, range: ByteRange, engine: Engine, opener: EvidenceOpener): Promise<RangePart> {
  const { index } = range;
  if (entry.location.kind !== 'file') return { index, whole: 'an archive member is read whole' };
  const file = entry.location.file;
  const headStream = fileBytes(file, 0);
  const first = await headStream.next();
  await headStream.return(undefined);
  const head = (first.done ? Buffer.alloc(0) : first.value).subarray(0, SNIFF_BYTES);
  if (looksUtf16le(head)) return { index, whole: 'UTF-16 text' };
  const found = sniffBytes(head);
  const format = found ? splittable(found.reader) : undefined;
  if (!found || !format) return { index, whole: 'not a format read by ranges' };
  const hEnd = headerEnd(head);
  if (hEnd === undefined || !/^#\s*fields\s*:/im.test(head.toString('utf8', 0, hEnd))) return { index, whole: 'no #Fields line in the header' };

  const last = index === range.count - 1;
  const to = last ? undefined : Math.max(range.end, hEnd);
  const cut = { from: 0, to: 0 };
  let hashing: HashingReader | undefined;
  let source: AsyncIterator<Buffer>;
  let body: AsyncIterable<Buffer>;
  let check: BodyCheck;
  let headerBytes = 0;
  let headerLines = 0;
  if (index === 0) {
    hashing = new HashingReader(await opener.open(entry));
    source = hashing.chunks();
    const all = between(source, 0, undefined, to, cut);
    // The header is the reader's to see; what follows it is checked.
    check = new BodyCheck(format, hEnd);
    body = (async function* () {
      let pos = 0;
      for await (const chunk of all) {
        const skip = Math.max(0, Math.min(chunk.length, hEnd - pos));
        if (skip < chunk.length) check.push(chunk.subarray(skip));
        pos += chunk.length;
        yield chunk;
      }
    })();
  } else {
    const from = Math.max(range.start, hEnd);
    source = fileBytes(file, from - 1);
    check = new BodyCheck(format, from);
    body = tee(between(source, from - 1, from, to, cut), check);
    headerBytes = hEnd;
    headerLines = countLineEnds(head.subarray(0, hEnd));
  }
  const utf8 = new Utf8Check();
  const stream = index === 0 ? utf8.through(body) : after(head.subarray(0, hEnd), utf8.through(body));

  const context: ContextRecord[] = [];
  const taker = logTaker(engine, found.kind, context);
  const { literals, needs, take } = taker;
  let stats: ReadStats;
  try {
    stats = await found.reader.read(stream, {
      path: entry.path,
      ...(literals ? { literals } : {}),
      ...(needs ? { needs } : {}),
      onRecord: take,
      onDamaged: take,
    });
    if (hashing) for (let next = await source.next(); !next.done; next = await source.next()) void next;
  } finally {
    await source.return?.(undefined);
  }
  const problem = check.finish();
  if (problem) return { index, whole: problem };
  const part: RangePart = {
    index,
    from: cut.from,
    to: cut.to,
    lineEnds: index === 0 ? countLineEndsUpTo(head, hEnd) + check.lineEnds : check.lineEnds,
    headerLines,
    headerBytes,
    stats,
    findings: taker.collector.findings(),
    context,
    contextDropped: taker.contextDropped,
  };
  if (utf8.firstAt !== undefined) {
    // The first range's check sees the file from its first byte, a later one's from its first line.
    part.utf8 = { invalid: utf8.invalid, at: utf8.firstAt, line: await lineOf(file, cut.from, utf8.firstAt) };
  }
  if (hashing) part.sha256 = hashing.digest();
  return part;
}

function countLineEnds(b: Buffer): number {
  let n = 0;
  for (let p = b.indexOf(LF); p !== -1; p = b.indexOf(LF, p + 1)) n++;
  return n;
}

function countLineEndsUpTo(b: Buffer, end: number): number {
  return countLineEnds(b.subarray(0, end));
}

/** The 1-based line, counted from `from`, of the byte `at` bytes after it. */
async function lineOf(file: string, from: number, at: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const chunk of fileBytes(file, from)) {
    const upto = Math.min(chunk.length, at - seen);
    line += countLineEnds(chunk.subarray(0, upto));
    seen += chunk.length;
    if (seen >= at) break;
  }
  return line;
}

/** Moves a range's origin from its reading (header block first) to the file's lines and offsets. */
function place(origin: Origin, lineShift: number, offsetShift: number): Origin {
  return { ...origin, line: origin.line + lineShift, offset: origin.offset + offsetShift };
}

const NOTE_LINE = /^line (\d+): /;
const NOTES_LEFT_OUT = /^(\d+) more notes like these were left out$/;
/** As the readers' own: notes past this are counted, not kept. */
const MAX_NOTES = 50;

/**
 * One file's result from its ranges' results, as `scanEntry` gives it from one read; or why the
 * file must be read whole (a range said so, or one is missing).
 */
export function mergeRanges(entry: EvidenceEntry, parts: readonly RangePart[], count: number, folded: ReadonlySet<string>): EntryResult | { whole: string } {
  const sorted = [...parts].sort((a, b) => a.index - b.index);
  if (sorted.length !== count || sorted.some((p, i) => p.index !== i)) return { whole: 'a range was not read' };
  const read: Extract<RangePart, { from: number }>[] = [];
  for (const p of sorted) {
    if ('whole' in p) return { whole: p.whole };
    read.push(p);
  }
  const firstPart = read[0];
  if (!firstPart) return { whole: 'no range' };
  const kind = firstPart.stats.kind;
  let lines = 0;
  // A flood folded within each range is folded across them as it would be in one read.
  const collector = new FindingCollector(folded);
  const context: ContextRecord[] = [];
  let contextDropped = 0;
  const badSamples: ReadStats['badSamples'] = [];
  const notes: string[] = [];
  let notesLeftOut = 0;
  let records = 0;
  let badRecords = 0;
  let firstTime: string | undefined;
  let lastTime: string | undefined;
  let server: string | undefined;
  let build: string | undefined;
  let utf8: LogReading['utf8'];
  let expectedFrom = 0;
  for (const p of read) {
    if (p.stats.kind !== kind) return { whole: 'the ranges read the file as different logs' };
    if (p.from !== expectedFrom) return { whole: 'the ranges do not meet' };
    expectedFrom = p.to;
    const lineShift = p.index === 0 ? 0 : lines - p.headerLines;
    const offsetShift = p.index === 0 ? 0 : p.from - p.headerBytes;
    const inHeader = (line: number): boolean => p.index > 0 && line <= p.headerLines;
    for (const f of p.findings) {
      f.origin = place(f.origin, lineShift, offsetShift);
      if (f.repeats) f.repeats.samples = f.repeats.samples.map((o) => place(o, lineShift, offsetShift));
      collector.add(f);
    }
    for (const c of p.context) {
      if (context.length < MAX_CONTEXT_PER_FILE) context.push({ ...c, origin: place(c.origin, lineShift, offsetShift) });
      else contextDropped += 1;
    }
    contextDropped += p.contextDropped;
    for (const b of p.stats.badSamples) {
      if (inHeader(b.origin.line)) continue;
      if (badSamples.length < MAX_BAD_SAMPLES) badSamples.push({ ...b, origin: place(b.origin, lineShift, offsetShift) });
    }
    for (const note of p.stats.notes) {
      const left = NOTES_LEFT_OUT.exec(note);
      if (left) {
        notesLeftOut += Number(left[1]);
        continue;
      }
      const m = NOTE_LINE.exec(note);
      if (m && inHeader(Number(m[1]))) continue;
      const placed = m ? `line ${Number(m[1]) + lineShift}: ${note.slice(m[0].length)}` : note;
      if (notes.length < MAX_NOTES) notes.push(placed);
      else notesLeftOut += 1;
    }
    records += p.stats.records;
    badRecords += p.stats.badRecords;
    if (p.stats.firstTime !== undefined && (firstTime === undefined || p.stats.firstTime < firstTime)) firstTime = p.stats.firstTime;
    if (p.stats.lastTime !== undefined && (lastTime === undefined || p.stats.lastTime > lastTime)) lastTime = p.stats.lastTime;
    server ??= p.stats.server;
    build ??= p.stats.build;
    if (p.utf8) {
      if (utf8) utf8.invalid += p.utf8.invalid;
      else utf8 = { invalid: p.utf8.invalid, firstAt: p.from + p.utf8.at, line: lines + p.utf8.line };
    }
    lines += p.lineEnds;
  }
  if (notesLeftOut > 0) notes.push(`${notesLeftOut} more notes like these were left out`);
  const stats: ReadStats = { kind, records, badRecords, badSamples, firstTime, lastTime, server, notes, ...(build !== undefined ? { build } : {}) };
  const evidence = evidenceRow(entry);
  evidence.kind = kind;
  const warnings: EntryResult['warnings'] = [];
  const { findings: named, contentName } = finishLog(entry, evidence, warnings, {
    stats,
    findings: collector.findings(),
    context,
    contextDropped,
    ...(utf8 ? { utf8 } : {}),
  });
  evidence.sha256 = firstPart.sha256 ?? '';
  nameServer(evidence, entry, contentName);
  return { evidence, findings: named, warnings, context };
}

/** The byte ranges a file of `size` bytes is cut into, each at most `rangeBytes` (moved to line starts when read). */
export function cutRanges(size: number, rangeBytes: number): ByteRange[] {
  const count = Math.max(1, Math.ceil(size / rangeBytes));
  return Array.from({ length: count }, (_, index) => ({ index, count, start: index * rangeBytes, end: Math.min(size, (index + 1) * rangeBytes) }));
}
