// Turns a file's byte chunks into lines and records without holding the file: complete records
// are cut out of a reusable working buffer, the incomplete tail is carried to the next chunk.
// Every record is counted by its readers; only the ones holding a literal are decoded.

import { allocAligned, countByte, type AlignedBuffer } from './swar.js';
import { FLAG_EOF, FLAG_QUOTED, ItemBatch, KIND_DIRECTIVE, KIND_RECORD } from './item-batch.js';
import { MARK_CHECK, MARK_EXACT, markCandidates, planLiterals, textHasVerifiedLiteral, type LiteralPlan } from './literals.js';
import { clauseHits, meetsOne, planNeeds, type NeedsPlan, type RecordNeeds } from './record-needs.js';
import { nativeSearch } from './native.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;

/** One record as the scanner hands it on. The object is reused: read what you need, keep none of it. */
export class RecordView {
  bytes: Buffer = Buffer.alloc(0);
  /** Byte range of the record in `bytes`, without its line end. */
  start = 0;
  end = 0;
  /** 1-based line of the record's first line, and file offset of its first byte. */
  line = 0;
  offset = 0;
  /** Separators outside quotes: the record has `separators + 1` values. */
  separators = 0;
  /** The record holds a quote character, so its values need the RFC-4180 splitter. */
  quoted = false;
  /** The record is the file's last and has no line end: the file may have been cut off. */
  atEof = false;
  /** The record holds one of the literals (or every record is wanted). */
  candidate = false;
  /**
   * Of a candidate, whether the check after the search was made, and then the clauses of the needs
   * it met (bits as record-needs.ts's clauseMask numbers them): the rules whose clauses it did not
   * meet cannot match it.
   */
  checked = false;
  metLo = 0;
  metHi = 0;

  text(): string {
    return this.bytes.toString('utf8', this.start, this.end);
  }
}

// Where a plain record's time is, and its layout (`plain` in native/exir_scan.c).
/** `YYYY-MM-DD HH:MM:SS` leading the record, then a space or its end (IIS). */
export const TIME_IIS = 1;
/** `YYYY-MM-DDTHH:MM:SS.fffZ` leading the record, then a comma or its end (Exchange CSV). */
export const TIME_EXCHANGE = 2;

/**
 * What a reader does with a plain record (one no literal is in, not quoted, not the unended last
 * line, with a value count its field set accepts and its time in place in `time`'s layout): counts
 * it and offers its time, nothing else. The scanner's native path hands such records on in runs.
 */
export interface PlainRecords {
  readonly time: number;
  /** The separator counts the field set accepts (the same twice when it accepts one). */
  readonly separatorsA: number;
  readonly separatorsB: number;
  /** Takes `count` plain records; the least and greatest of their times start at `least` and `greatest` in `bytes`. */
  take(count: number, bytes: Buffer, least: number, greatest: number): void;
}

export interface ScanSink {
  /** A line starting with `#`, without its line end. */
  directive(text: string, line: number, offset: number): void;
  record(view: RecordView): void;
  /** Damage the scanner sees itself: NUL bytes, an unclosed quote, an over-long line. */
  damage(line: number, offset: number, reason: string): void;
  /**
   * How the reader takes plain records now (asked again after each item it is given), or undefined
   * while it must see each record (no field set yet, its server not yet read, …).
   */
  plain?(): PlainRecords | undefined;
}

export interface ScanOptions {
  /** The value separator: `,` (0x2c) or space (0x20). */
  separator: number;
  /** Honour RFC-4180 quotes (CSV); W3C logs have none. */
  quotes: boolean;
  literals: readonly string[] | undefined;
  /** Checked on the records holding a literal: undefined, every one of them is a candidate. */
  needs?: RecordNeeds | undefined;
  /** A record (or unterminated line) longer than this is reported and skipped. */
  maxRecordBytes?: number;
  /** false: the JavaScript search and splitting even when the native ones are built (the tests compare the two). */
  native?: boolean;
}

const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;

// Working buffers and batches of finished scanners, taken by the next: a scan reads thousands of
// small files, and a fresh 64 KiB buffer and batch for each kept the garbage collector busy.
const spareBuffers: AlignedBuffer[] = [];
const spareBatches: ItemBatch[] = [];
const SPARES_KEPT = 8;
/** A buffer grown past this for one file's long records is left to the collector, not kept. */
const SPARE_MAX_BYTES = 1 << 20;
const WORKING_BYTES = 64 * 1024;
const NO_BYTES = allocAligned(0);
const NO_CLAUSES = new Uint32Array(0);

/** The native splitter stopped because the batch was full (it also stops at the end of the whole lines, and at a line for this code to read). */
const SPLIT_FULL = 2;
/** The native splitter's answer: position, item count, next line, why it stopped. One for all scanners: read at once after each call. */
const splitState = new Float64Array(4);
/** The same for the native run of plain records: where it stopped, how many, least and greatest time. */
const plainState = new Float64Array(4);

type Splitter = NonNullable<ReturnType<typeof nativeSearch>>;

interface QuotedScan {
  start: number;
  line: number;
  next: number;
  inQuote: boolean;
  fieldStart: boolean;
  separators: number;
  lines: number;
}

interface ZeroRun {
  line: number;
  offset: number;
  length: number;
  /** Already reported as the end of a record it cut short. */
  reported: boolean;
}

export class RecordScanner {
  private readonly sep: number;
  private readonly quotes: boolean;
  private readonly plan: LiteralPlan;
  private readonly needs: NeedsPlan | undefined;
  /** The clauses each record of the batch meets, two words a record. */
  private clauses = NO_CLAUSES;
  private readonly maxRecord: number;
  private readonly view = new RecordView();

  private buf: AlignedBuffer;
  /** Whether records are searched for the plan's needles (neither all nor none are candidates). */
  private readonly searching: boolean;
  private dataEnd = 0;
  private scanPos = 0;
  /** File offset of `buf[0]`. */
  private base = 0;
  private line = 1;
  private quoted: QuotedScan | undefined;
  private zeros: ZeroRun | undefined;
  /** Throwing away the rest of an over-long line. */
  private skipping = false;
  private bomChecked = false;
  /** Finished: its buffer and batch belong to another scanner now. */
  private done = false;

  private readonly items: ItemBatch;
  /** The native splitting of plain lines and whole quoted records; undefined on the JavaScript path. */
  private readonly splitter: Splitter | undefined;
  /** Whether runs of plain records go to the reader's `plain()` at once: a record no needle marked is then no candidate. */
  private readonly runs: boolean;

  // Next position of a quote / NUL at or after the scan point in this pass; -2 = not looked yet.
  private nextQuote = -2;
  private nextNul = -2;

  constructor(
    options: ScanOptions,
    private readonly sink: ScanSink,
  ) {
    this.sep = options.separator;
    this.quotes = options.quotes;
    this.plan = planLiterals(options.literals, options.native ?? true);
    this.needs = this.plan.all || this.plan.none || !options.needs ? undefined : planNeeds(options.needs, options.native ?? true);
    this.maxRecord = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.buf = spareBuffers.pop() ?? allocAligned(WORKING_BYTES);
    this.items = spareBatches.pop() ?? new ItemBatch();
    this.searching = !this.plan.all && !this.plan.none && this.plan.exact.size > 0;
    this.splitter = options.native === false ? undefined : nativeSearch();
    this.runs = this.splitter !== undefined && sink.plain !== undefined && (this.plan.none || (this.searching && !this.plan.verifyAll));
  }

  push(chunk: Buffer): void {
    if (this.done) throw new Error('the record scanner was given bytes after the end of its file');
    if (chunk.length === 0) return;
    if (this.splitter && this.dataEnd === this.scanPos && !this.quoted && chunk.byteOffset % 4 === 0) {
      this.readInPlace(chunk);
      return;
    }
    this.makeRoom(chunk.length);
    this.buf.bytes.set(chunk, this.dataEnd);
    this.dataEnd += chunk.length;
    this.parse(false);
    this.deliver();
  }

  /**
   * With nothing held from the last chunk, reads the chunk where it is (copying each chunk into the
   * working buffer cost a pass over every byte of the evidence) and keeps only what is left of it,
   * an unended line or quoted record, in the working buffer. Every item is handed on before the
   * chunk is let go. Native path only: the JavaScript path reads the working buffer as it always has.
   */
  private readInPlace(chunk: Buffer): void {
    const own = this.buf;
    // The chunk starts where the bytes read so far end.
    this.base += this.dataEnd;
    this.buf = { bytes: chunk, words: new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length >> 2) };
    this.dataEnd = chunk.length;
    this.scanPos = 0;
    this.parse(false);
    this.deliver();
    const keep = this.quoted ? this.quoted.start : this.scanPos;
    const held = chunk.length - keep;
    this.buf = held <= own.bytes.length ? own : allocAligned(Math.max(own.bytes.length * 2, held + (held >> 1)));
    chunk.copy(this.buf.bytes, 0, keep, chunk.length);
    this.droppedFront(keep, held);
  }

  /** Ends the file; the scanner is done with and its working memory goes to the next one. */
  finish(): void {
    if (this.done) throw new Error('the record scanner was finished twice');
    this.parse(true);
    this.deliver();
    this.release();
  }

  private release(): void {
    const buf = this.buf;
    this.done = true;
    this.buf = NO_BYTES;
    this.dataEnd = 0;
    this.scanPos = 0;
    this.view.bytes = this.buf.bytes;
    if (buf.bytes.length <= SPARE_MAX_BYTES && spareBuffers.length < SPARES_KEPT) spareBuffers.push(buf);
    if (spareBatches.length < SPARES_KEPT) spareBatches.push(this.items);
  }

  /** Keeps only the unread tail, moved to the front, and grows the buffer when that is not enough. */
  private makeRoom(incoming: number): void {
    const capacity = this.buf.bytes.length;
    if (this.dataEnd + incoming <= capacity) return;
    const keep = this.quoted ? this.quoted.start : this.scanPos;
    const held = this.dataEnd - keep;
    const needed = held + incoming;
    if (needed <= capacity) {
      this.buf.bytes.copyWithin(0, keep, this.dataEnd);
    } else {
      const next = allocAligned(Math.max(capacity * 2, needed + (needed >> 1)));
      this.buf.bytes.copy(next.bytes, 0, keep, this.dataEnd);
      this.buf = next;
    }
    this.droppedFront(keep, held);
  }

  /** Moves every position back by the `keep` bytes let go from the front; `held` bytes remain. */
  private droppedFront(keep: number, held: number): void {
    this.base += keep;
    this.dataEnd = held;
    this.scanPos -= keep;
    if (this.quoted) {
      this.quoted.start -= keep;
      this.quoted.next -= keep;
    }
  }

  private parse(eof: boolean): void {
    const b = this.buf.bytes;
    const end = this.dataEnd;
    const data = b.subarray(0, end);
    let p = this.scanPos;
    this.nextQuote = -2;
    this.nextNul = -2;

    if (!this.bomChecked) {
      if (end < 3 && !eof) return;
      this.bomChecked = true;
      if (end >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf && this.base === 0) p = 3;
    }

    for (;;) {
      if (this.zeros) {
        let q = p;
        while (q < end && b[q] === 0) q++;
        this.zeros.length += q - p;
        p = q;
        if (p === end && !eof) break;
        const run = this.zeros;
        this.zeros = undefined;
        if (!run.reported) {
          this.pushDamage(run.line, run.offset, p, `${run.length} NUL bytes (zero-filled region)`);
        }
        continue;
      }
      if (this.skipping) {
        const nl = data.indexOf(LF, p);
        if (nl === -1) {
          p = end;
          if (eof) this.skipping = false;
          break;
        }
        this.skipping = false;
        this.line++;
        p = nl + 1;
        continue;
      }
      const quoted = this.quoted;
      if (quoted) {
        const r = this.resumeQuoted(quoted, end, eof);
        if (r === TOO_LONG || (r === NEED_MORE && end - quoted.start > this.maxRecord)) {
          p = this.resyncQuoted(quoted, data);
          continue;
        }
        if (r === NEED_MORE) {
          p = quoted.start;
          break;
        }
        p = r;
        continue;
      }
      if (p >= end) break;
      if (this.splitter) {
        // The plain lines from here in one native call; the line it stops at, if any, is read below.
        p = this.splitNative(p, end);
        if (p >= end) break;
      }

      const c0 = b[p]!;
      if (c0 === 0) {
        this.zeros = { line: this.line, offset: this.base + p, length: 0, reported: false };
        continue;
      }
      const nl = data.indexOf(LF, p);
      const nul = this.findNul(data, p);
      // Past the size limit a NUL is part of an over-long line, as it is when the line comes in pieces.
      if (nul !== -1 && (nl === -1 || nul < nl) && nul - p <= this.maxRecord) {
        // NUL bytes end whatever they interrupt: a zero-filled region is followed by fresh lines.
        this.pushDamage(this.line, this.base + p, p, `record cut short by NUL bytes at offset ${this.base + nul}`);
        this.zeros = { line: this.line, offset: this.base + nul, length: 0, reported: true };
        p = nul;
        continue;
      }
      if (nl === -1 && !eof) {
        if (end - p > this.maxRecord) {
          this.pushDamage(this.line, this.base + p, p, this.tooLong());
          this.skipping = true;
          p = end;
        }
        break;
      }
      const lineEnd = nl === -1 ? end : nl;
      if (lineEnd - p > this.maxRecord) {
        // Judged on the whole line, the same as when the line arrives in pieces.
        this.pushDamage(this.line, this.base + p, p, this.tooLong());
        if (nl === -1) {
          p = end;
          break;
        }
        this.line++;
        p = nl + 1;
        continue;
      }
      let contentEnd = lineEnd;
      if (contentEnd > p && b[contentEnd - 1] === CR) contentEnd--;

      if (contentEnd === p) {
        // An empty line carries nothing; it is neither a record nor damage.
        if (nl === -1) {
          p = end;
          break;
        }
        this.line++;
        p = nl + 1;
        continue;
      }

      if (c0 === HASH) {
        this.pushItem(KIND_DIRECTIVE, p, contentEnd, this.line, 0, 0);
      } else if (this.quotes && this.findQuote(data, p) !== -1 && this.findQuote(data, p) < lineEnd) {
        const scan: QuotedScan = {
          start: p,
          line: this.line,
          next: p,
          inQuote: false,
          fieldStart: true,
          separators: 0,
          lines: 0,
        };
        this.quoted = scan;
        continue;
      } else {
        const count = countByte(this.buf, p, contentEnd, this.sep);
        this.pushItem(KIND_RECORD, p, contentEnd, this.line, count, nl === -1 ? FLAG_EOF : 0);
      }
      if (nl === -1) {
        p = end;
        break;
      }
      this.line++;
      p = nl + 1;
    }
    this.scanPos = p;
  }

  /**
   * Takes the plain lines and whole quoted records from p on as items (see `split` in
   * native/exir_scan.c) and returns where it stopped: at the end of the whole lines, or at a line
   * the scanner's own code must read (a NUL, a quoted record not whole in the bytes, over-long).
   */
  private splitNative(p: number, end: number): number {
    const items = this.items;
    const state = splitState;
    for (;;) {
      this.splitter!.split(
        this.buf.bytes,
        p,
        end,
        this.sep,
        this.quotes ? 1 : 0,
        this.maxRecord,
        this.line,
        this.base,
        items.kinds,
        items.starts,
        items.ends,
        items.lines,
        items.offsets,
        items.separators,
        items.flags,
        items.marks,
        items.recordMask(),
        items.count,
        state,
      );
      p = state[0]!;
      items.count = state[1]!;
      this.line = state[2]!;
      if (state[3] !== SPLIT_FULL) return p;
      items.grow();
    }
  }

  /**
   * Reads a record with quotes from where the last chunk left it, a stretch at a time: native
   * searches find the next quote, line end or NUL, and separators between them are counted a word
   * at a time. Returns the position after the record, NEED_MORE, or TOO_LONG.
   */
  private resumeQuoted(s: QuotedScan, end: number, eof: boolean): number {
    const b = this.buf.bytes;
    const data = b.subarray(0, end);
    const sep = this.sep;
    let i = s.next;
    let inQuote = s.inQuote;
    let fieldStart = s.fieldStart;
    let separators = s.separators;
    let lines = s.lines;
    // Next quote / line end / NUL at or after i, -1 when there is none. Quote and NUL positions are
    // kept for the whole pass: a search that finds nothing runs to the end of the buffer.
    let nl = -2;
    while (i < end) {
      const nq = this.findQuote(data, i);
      const nz = this.findNul(data, i);
      if (inQuote) {
        if (nz !== -1 && (nq === -1 || nz < nq)) {
          if (nz - s.start > this.maxRecord) return TOO_LONG;
          lines += countByte(this.buf, i, nz, LF);
          return this.cutByNul(s, nz, lines);
        }
        if (nq === -1) {
          lines += countByte(this.buf, i, end, LF);
          i = end;
          break;
        }
        lines += countByte(this.buf, i, nq, LF);
        if (nq + 1 >= end) {
          if (!eof) {
            i = nq;
            break;
          }
          inQuote = false;
          i = nq + 1;
        } else if (b[nq + 1] === QUOTE) {
          i = nq + 2;
        } else {
          inQuote = false;
          i = nq + 1;
        }
        continue;
      }
      if (nl !== -1 && nl < i) nl = data.indexOf(LF, i);
      let stop = end;
      if (nq !== -1 && nq < stop) stop = nq;
      if (nl !== -1 && nl < stop) stop = nl;
      if (nz !== -1 && nz < stop) stop = nz;
      if (stop > i) {
        separators += countByte(this.buf, i, stop, sep);
        fieldStart = b[stop - 1] === sep;
      }
      if (stop === end) {
        i = end;
        break;
      }
      const c = b[stop];
      if (c === 0) return stop - s.start > this.maxRecord ? TOO_LONG : this.cutByNul(s, stop, lines);
      if (c === LF) {
        if (stop - s.start > this.maxRecord) return TOO_LONG;
        const contentEnd = stop > s.start && b[stop - 1] === CR ? stop - 1 : stop;
        this.pushItem(KIND_RECORD, s.start, contentEnd, s.line, separators, FLAG_QUOTED);
        this.quoted = undefined;
        this.line = s.line + lines + 1;
        return stop + 1;
      }
      // A quote opens a quoted value only at the start of a value; elsewhere it is text.
      if (fieldStart) inQuote = true;
      fieldStart = false;
      i = stop + 1;
    }
    if (i >= end && eof) {
      if (end - s.start > this.maxRecord) return TOO_LONG;
      this.quoted = undefined;
      if (inQuote) {
        this.pushDamage(s.line, this.base + s.start, s.start, 'file ends inside a quoted value (cut off?)');
        this.line = s.line + lines;
      } else {
        const contentEnd = end > s.start && b[end - 1] === CR ? end - 1 : end;
        this.pushItem(KIND_RECORD, s.start, contentEnd, s.line, separators, FLAG_QUOTED | FLAG_EOF);
        this.line = s.line + lines;
      }
      return end;
    }
    s.next = i;
    s.inQuote = inQuote;
    s.fieldStart = fieldStart;
    s.separators = separators;
    s.lines = lines;
    return NEED_MORE;
  }

  private cutByNul(s: QuotedScan, at: number, lines: number): number {
    this.quoted = undefined;
    this.line = s.line + lines;
    this.pushDamage(s.line, this.base + s.start, s.start, `record cut short by NUL bytes at offset ${this.base + at}`);
    this.zeros = { line: this.line, offset: this.base + at, length: 0, reported: true };
    return at;
  }

  /** A quoted record grown past the limit: report its first line and read on from the next one. */
  private resyncQuoted(s: QuotedScan, data: Buffer): number {
    this.quoted = undefined;
    // Reading goes back to the record's second line: searches made past it no longer hold.
    this.nextQuote = -2;
    this.nextNul = -2;
    const nl = data.indexOf(LF, s.start);
    const reason = `record longer than ${this.maxRecord} bytes (a quote left open?); read on from the next line`;
    this.pushDamage(s.line, this.base + s.start, s.start, reason);
    if (nl === -1) {
      this.skipping = true;
      this.line = s.line;
      return this.dataEnd;
    }
    this.line = s.line + 1;
    return nl + 1;
  }

  private tooLong(): string {
    return `line longer than ${this.maxRecord} bytes; skipped`;
  }

  private findQuote(data: Buffer, p: number): number {
    if (this.nextQuote === -2 || (this.nextQuote !== -1 && this.nextQuote < p)) this.nextQuote = data.indexOf(QUOTE, p);
    return this.nextQuote;
  }

  private findNul(data: Buffer, p: number): number {
    if (this.nextNul === -2 || (this.nextNul !== -1 && this.nextNul < p)) this.nextNul = data.indexOf(0, p);
    return this.nextNul;
  }

  private pushDamage(line: number, offset: number, at: number, reason: string): void {
    this.items.pushDamage(at, line, offset, reason);
  }

  private pushItem(kind: number, start: number, end: number, line: number, separators: number, flags: number): void {
    this.items.push(kind, start, end, line, this.base + start, separators, flags);
  }

  private deliver(): void {
    const items = this.items;
    const n = items.count;
    if (n === 0) return;
    if (this.searching) markCandidates(this.plan, this.buf.bytes, items.starts, items.ends, items.recordMask(), n, items.marks);
    if (this.needs) {
      if (this.clauses.length < n * 2) this.clauses = new Uint32Array(Math.max(n * 2, 2 * this.clauses.length));
      // Only the records the search let through are checked (every record when a non-ASCII literal may be in any).
      clauseHits(this.needs, this.buf.bytes, items.starts, items.ends, this.plan.verifyAll ? items.recordMask() : items.marks, n, this.clauses);
    }
    const b = this.buf.bytes;
    const v = this.view;
    v.bytes = b;
    if (this.runs) this.settleMarks(n);
    // The item a run of plain records stopped at: the reader sees it itself.
    let runStopped = -1;
    for (let i = 0; i < n; i++) {
      const kind = items.kinds[i];
      if (kind === KIND_RECORD) {
        if (this.runs && items.marks[i] === 0 && i !== runStopped) {
          const plain = this.sink.plain!();
          if (plain) {
            const state = plainState;
            this.splitter!.plain(
              b,
              items.kinds,
              items.starts,
              items.ends,
              items.separators,
              items.flags,
              items.marks,
              i,
              n,
              plain.time,
              plain.separatorsA,
              plain.separatorsB,
              state,
            );
            const stop = state[0]!;
            if (state[1]! > 0) plain.take(state[1]!, b, state[2]!, state[3]!);
            runStopped = stop;
            if (stop > i) {
              i = stop - 1;
              continue;
            }
          }
        }
        v.start = items.starts[i]!;
        v.end = items.ends[i]!;
        v.line = items.lines[i]!;
        v.offset = items.offsets[i]!;
        v.separators = items.separators[i]!;
        const flags = items.flags[i]!;
        v.quoted = (flags & FLAG_QUOTED) !== 0;
        v.atEof = (flags & FLAG_EOF) !== 0;
        v.candidate =
          this.isCandidate(items.marks[i]!, v) && (this.needs === undefined || meetsOne(this.needs, this.clauses[i * 2]!, this.clauses[i * 2 + 1]!));
        v.checked = v.candidate && this.needs !== undefined;
        if (v.checked) {
          v.metLo = this.clauses[i * 2]!;
          v.metHi = this.clauses[i * 2 + 1]!;
        }
        this.sink.record(v);
      } else if (kind === KIND_DIRECTIVE) {
        this.sink.directive(b.toString('utf8', items.starts[i], items.ends[i]), items.lines[i]!, items.offsets[i]!);
      } else {
        this.sink.damage(items.lines[i]!, items.offsets[i]!, items.reason(i));
      }
    }
    items.clear();
  }

  /**
   * Decides each marked record of the batch before any is handed on: one the check after the search
   * turns down is then unmarked, so that it joins the runs of plain records; a candidate keeps a mark
   * that settles it.
   */
  private settleMarks(n: number): void {
    const items = this.items;
    const v = this.view;
    v.bytes = this.buf.bytes;
    for (let i = 0; i < n; i++) {
      const mark = items.marks[i]!;
      if (mark === 0 || items.kinds[i] !== KIND_RECORD) continue;
      v.start = items.starts[i]!;
      v.end = items.ends[i]!;
      const candidate = this.isCandidate(mark, v) && (this.needs === undefined || meetsOne(this.needs, this.clauses[i * 2]!, this.clauses[i * 2 + 1]!));
      items.marks[i] = candidate ? MARK_EXACT : 0;
    }
  }

  private isCandidate(mark: number, v: RecordView): boolean {
    const plan = this.plan;
    if (plan.all) return true;
    if (plan.none) return false;
    if ((mark & MARK_EXACT) !== 0) return true;
    if ((mark & MARK_CHECK) !== 0 || plan.verifyAll) return textHasVerifiedLiteral(plan, v.text());
    return false;
  }
}

const NEED_MORE = -1;
const TOO_LONG = -2;
