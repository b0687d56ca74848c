// Turns a file's byte chunks into lines and records without holding the file: complete records
// are cut out of a reusable working buffer, the incomplete tail is carried to the next chunk.
// Every record is counted by its readers; only the ones holding a literal are decoded.

import { allocAligned, countByte, lowerAsciiRange, type AlignedBuffer } from './swar.js';
import {
  MARK_CHECK,
  MARK_EXACT,
  markCandidates,
  planLiterals,
  textHasVerifiedLiteral,
  type LiteralPlan,
} from './literals.js';

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

  text(): string {
    return this.bytes.toString('utf8', this.start, this.end);
  }
}

export interface ScanSink {
  /** A line starting with `#`, without its line end. */
  directive(text: string, line: number, offset: number): void;
  record(view: RecordView): void;
  /** Damage the scanner sees itself: NUL bytes, an unclosed quote, an over-long line. */
  damage(line: number, offset: number, reason: string): void;
}

export interface ScanOptions {
  /** The value separator: `,` (0x2c) or space (0x20). */
  separator: number;
  /** Honour RFC-4180 quotes (CSV); W3C logs have none. */
  quotes: boolean;
  literals: readonly string[] | undefined;
  /** A record (or unterminated line) longer than this is reported and skipped. */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;

const KIND_RECORD = 1;
const KIND_DIRECTIVE = 2;
const KIND_DAMAGE = 3;
const FLAG_QUOTED = 1;
const FLAG_EOF = 2;

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
  private readonly maxRecord: number;
  private readonly view = new RecordView();

  private buf: AlignedBuffer;
  private low: AlignedBuffer | undefined;
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

  // One batch of items, in file order, delivered after the literal search.
  private count = 0;
  private kinds = new Uint8Array(256);
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  private lines = new Float64Array(256);
  private offsets = new Float64Array(256);
  private seps = new Int32Array(256);
  private flags = new Uint8Array(256);
  private marks = new Uint8Array(256);
  private reasons: string[] = [];

  // Next position of a quote / NUL at or after the scan point in this pass; -2 = not looked yet.
  private nextQuote = -2;
  private nextNul = -2;

  constructor(
    options: ScanOptions,
    private readonly sink: ScanSink,
  ) {
    this.sep = options.separator;
    this.quotes = options.quotes;
    this.plan = planLiterals(options.literals);
    this.maxRecord = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.buf = allocAligned(256 * 1024);
    const searching = !this.plan.all && !this.plan.none && this.plan.needles.length > 0;
    this.low = searching ? allocAligned(this.buf.bytes.length) : undefined;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.makeRoom(chunk.length);
    this.buf.bytes.set(chunk, this.dataEnd);
    if (this.low) lowerAsciiRange(this.buf, this.low, this.dataEnd, this.dataEnd + chunk.length);
    this.dataEnd += chunk.length;
    this.parse(false);
    this.deliver();
  }

  finish(): void {
    this.parse(true);
    this.deliver();
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
      this.low?.bytes.copyWithin(0, keep, this.dataEnd);
    } else {
      const next = allocAligned(Math.max(capacity * 2, needed + (needed >> 1)));
      this.buf.bytes.copy(next.bytes, 0, keep, this.dataEnd);
      if (this.low) {
        const nextLow = allocAligned(next.bytes.length);
        this.low.bytes.copy(nextLow.bytes, 0, keep, this.dataEnd);
        this.low = nextLow;
      }
      this.buf = next;
    }
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
      if (this.quoted) {
        const r = this.resumeQuoted(this.quoted, end, eof);
        if (r === TOO_LONG || (r === NEED_MORE && end - this.quoted.start > this.maxRecord)) {
          p = this.resyncQuoted(this.quoted, data);
          continue;
        }
        if (r === NEED_MORE) {
          p = this.quoted.start;
          break;
        }
        p = r;
        continue;
      }
      if (p >= end) break;

      const c0 = b[p]!;
      if (c0 === 0) {
        this.zeros = { line: this.line, offset: this.base + p, length: 0, reported: false };
        continue;
      }
      const nl = data.indexOf(LF, p);
      const nul = this.findNul(data, p);
      if (nul !== -1 && (nl === -1 || nul < nl)) {
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
   * Reads a record with quotes byte by byte, from where the last chunk left it. Returns the position
   * after the record, NEED_MORE, or TOO_LONG.
   */
  private resumeQuoted(s: QuotedScan, end: number, eof: boolean): number {
    const b = this.buf.bytes;
    const sep = this.sep;
    let i = s.next;
    let inQuote = s.inQuote;
    let fieldStart = s.fieldStart;
    let separators = s.separators;
    let lines = s.lines;
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === 0) {
        this.quoted = undefined;
        this.line = s.line + lines;
        this.pushDamage(s.line, this.base + s.start, s.start, `record cut short by NUL bytes at offset ${this.base + i}`);
        this.zeros = { line: this.line, offset: this.base + i, length: 0, reported: true };
        return i;
      }
      if (inQuote) {
        if (c === QUOTE) {
          if (i + 1 >= end) {
            if (!eof) break;
            inQuote = false;
          } else if (b[i + 1] === QUOTE) {
            i++;
          } else {
            inQuote = false;
          }
        } else if (c === LF) {
          lines++;
        }
        continue;
      }
      if (c === sep) {
        separators++;
        fieldStart = true;
        continue;
      }
      if (c === LF) {
        if (i - s.start > this.maxRecord) return TOO_LONG;
        const contentEnd = i > s.start && b[i - 1] === CR ? i - 1 : i;
        this.pushItem(KIND_RECORD, s.start, contentEnd, s.line, separators, FLAG_QUOTED);
        this.quoted = undefined;
        this.line = s.line + lines + 1;
        return i + 1;
      }
      if (c === QUOTE && fieldStart) inQuote = true;
      fieldStart = false;
    }
    if (i >= end && eof) {
      this.quoted = undefined;
      if (inQuote) {
        this.pushDamage(s.line, this.base + s.start, s.start, 'file ends inside a quoted value (cut off?)');
        this.line = s.line + lines;
      } else {
        if (end - s.start > this.maxRecord) return TOO_LONG;
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

  /** A quote that never closes: report its line and read on from the next one, quotes forgotten. */
  private resyncQuoted(s: QuotedScan, data: Buffer): number {
    this.quoted = undefined;
    const nl = data.indexOf(LF, s.start);
    const reason = `quoted value not closed within ${this.maxRecord} bytes; read on from the next line`;
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
    this.reasons.push(reason);
    this.pushItem(KIND_DAMAGE, at, at, line, this.reasons.length - 1, 0);
    this.offsets[this.count - 1] = offset;
  }

  private pushItem(kind: number, start: number, end: number, line: number, seps: number, flags: number): void {
    if (this.count === this.kinds.length) this.growItems();
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.lines[i] = line;
    this.offsets[i] = this.base + start;
    this.seps[i] = seps;
    this.flags[i] = flags;
    this.marks[i] = 0;
  }

  private growItems(): void {
    const n = this.kinds.length * 2;
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(a);
      return next;
    };
    this.kinds = grow(this.kinds, (k) => new Uint8Array(k));
    this.starts = grow(this.starts, (k) => new Int32Array(k));
    this.ends = grow(this.ends, (k) => new Int32Array(k));
    this.lines = grow(this.lines, (k) => new Float64Array(k));
    this.offsets = grow(this.offsets, (k) => new Float64Array(k));
    this.seps = grow(this.seps, (k) => new Int32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    this.marks = grow(this.marks, (k) => new Uint8Array(k));
  }

  private deliver(): void {
    const n = this.count;
    if (n === 0) return;
    const plan = this.plan;
    const isRecord = new Uint8Array(this.kinds.buffer, 0, n).map((k) => (k === KIND_RECORD ? 1 : 0));
    if (this.low) markCandidates(plan, this.low.bytes, this.starts, this.ends, isRecord, n, this.marks);
    const b = this.buf.bytes;
    const v = this.view;
    v.bytes = b;
    for (let i = 0; i < n; i++) {
      const kind = this.kinds[i];
      if (kind === KIND_RECORD) {
        v.start = this.starts[i]!;
        v.end = this.ends[i]!;
        v.line = this.lines[i]!;
        v.offset = this.offsets[i]!;
        v.separators = this.seps[i]!;
        const flags = this.flags[i]!;
        v.quoted = (flags & FLAG_QUOTED) !== 0;
        v.atEof = (flags & FLAG_EOF) !== 0;
        v.candidate = this.isCandidate(this.marks[i]!, v);
        this.sink.record(v);
      } else if (kind === KIND_DIRECTIVE) {
        this.sink.directive(b.toString('utf8', this.starts[i], this.ends[i]), this.lines[i]!, this.offsets[i]!);
      } else {
        this.sink.damage(this.lines[i]!, this.offsets[i]!, this.reasons[this.seps[i]!] ?? 'damaged record');
      }
    }
    this.count = 0;
    this.reasons = [];
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
