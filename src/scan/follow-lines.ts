// The follow pass reads a log that names an attacker for the few records that do. Read whole, every
// record of it is cut out, counted, timed and checked again (the first pass did that already), for a
// handful handed on: on a bundle where the attackers knock at every door, most of that pass's time.
// Here the reader is given only the lines it needs, and each record it hands on is placed back at
// its own line and offset:
//
// - every line that may hold a text followed (the byte search, a block at a time, then line by line
//   in the blocks that may), as the scanner would search it: without its line end;
// - every line that can change how later lines are read: the file's first line, directives (`#`),
//   and in an Exchange CSV log the rows that may be header rows (starting D, d, T or t, as
//   `DateTime`, `TimeStamp` and `date-time` do).
//
// A line left out is then one the reader would have counted, timed and let go, and the lines given
// are read exactly as in the whole file, while a line is a record and the scanner starts each line
// afresh. That stops at a NUL byte, at a quote in a CSV log (a quoted value may hold line ends), and
// at a line longer than the scanner takes: from the start of that line on, the reader is given
// every byte, as in a whole read.
//
// The native addon picks the same lines of most such logs before the pass, in the read that tells
// whether a log names an attacker at all (`picks`, follow-check.ts); LinePicker picks them for the
// logs it leaves to the pass, and without the addon.

import type { LogRecord } from '../core/types.js';
import type { LiteralPlan } from '../sources/bytes/literals.js';
import type { PickedLines } from '../sources/bytes/native.js';
import { markCandidates, mayHold } from '../sources/bytes/literals.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;

/** A line longer than this is the record scanner's damage (its default limit): from one on, every byte is read. */
const MAX_RECORD = 4 * 1024 * 1024;
/** Lines are searched a block at a time, and one by one only in a block that may hold a text. */
const BLOCK_BYTES = 16 * 1024;

/**
 * The stretches of `bytes`, cut at line ends, that may hold one of the plan's texts, as [start, end)
 * pairs; none when it holds none. The same answer as one search of the whole (for a text that holds
 * a line end, which could span a cut, the whole is one stretch), a block at a time, so that only the
 * blocks that may hold a text are looked at line by line.
 */
export function blocksHolding(plan: LiteralPlan, texts: readonly string[], bytes: Buffer): number[] {
  if (texts.some((t) => t.includes('\n'))) return mayHold(plan, bytes) ? [0, bytes.length] : [];
  const ranges = new Ranges();
  for (let p = 0; p < bytes.length;) {
    const far = p + BLOCK_BYTES >= bytes.length ? -1 : bytes.indexOf(LF, p + BLOCK_BYTES);
    const end = far === -1 ? bytes.length : far + 1;
    ranges.add(p, end);
    p = end;
  }
  const marks = ranges.search(plan, bytes);
  const blocks: number[] = [];
  for (let i = 0; i < ranges.count; i++) {
    if (marks[i] === 0) continue;
    const start = ranges.starts[i] as number;
    const end = ranges.ends[i] as number;
    // Neighbours are joined: a stretch is walked line by line at once.
    if (blocks.length > 0 && blocks[blocks.length - 1] === start) blocks[blocks.length - 1] = end;
    else blocks.push(start, end);
  }
  return blocks;
}

/** Byte ranges of one buffer, searched by one call for them all (a call per range cost more than the search). */
class Ranges {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;

  add(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      const ends = new Int32Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  /** Per range, non-zero when it may hold a text: what mayHold says of the range's bytes alone. */
  search(plan: LiteralPlan, bytes: Buffer): Uint8Array {
    const n = this.count;
    if (plan.all || plan.verifyAll) return new Uint8Array(n).fill(1);
    const marks = new Uint8Array(n);
    if (plan.none || n === 0) return marks;
    markCandidates(plan, bytes, this.starts, this.ends, new Uint8Array(n).fill(1), n, marks);
    return marks;
  }
}

/**
 * Picks, piece by piece of a log, the bytes its reader is to read (see the top of this file), and
 * places the records read from them back in the file. `plan` searches for `texts`; `csv`: an Exchange
 * CSV log, otherwise a W3C one.
 */
export class LinePicker {
  private readonly placement = new Placement();
  private given = 0;
  private givenLines = 0;
  /** The file offset and line of the first byte not yet looked at (the carried part line's). */
  private offset = 0;
  private line = 1;
  private carry: Buffer | undefined;
  /** From here on every byte is given. */
  private whole = false;

  constructor(
    private readonly plan: LiteralPlan,
    private readonly texts: readonly string[],
    private readonly csv: boolean,
  ) {}

  /**
   * The bytes to give the reader for the file's next piece (`last`: the file ends with it; it may be
   * empty). `blocks`: blocksHolding's stretches of this piece, when the caller searched it already.
   * The bytes given are views of `piece`: the caller keeps them unchanged until the reader has read
   * them, and may reuse them after (a part line carried to the next piece is a copy).
   */
  take(piece: Buffer, last: boolean, blocks?: readonly number[]): Buffer[] {
    if (this.whole) return piece.length > 0 ? [piece] : [];
    const out: Buffer[] = [];
    let rest = piece;
    let found = blocks;
    if (this.carry) {
      // The carried part line ends at this piece's first line end: that line alone is joined, not the piece.
      const nl = piece.indexOf(LF);
      const upto = nl === -1 ? piece.length : nl + 1;
      const line = Buffer.concat([this.carry, piece.subarray(0, upto)]);
      this.carry = undefined;
      this.pick(line, last && upto === piece.length, undefined, out);
      rest = piece.subarray(upto);
      found = undefined;
      if (this.whole && rest.length > 0) out.push(rest);
    }
    if (!this.whole && rest.length > 0) this.pick(rest, last, found, out);
    // One piece for the reader, not one per line.
    return out.length > 1 ? [Buffer.concat(out)] : out;
  }

  /** Adds to `out` what to give of `data`, the next bytes of the file, and carries its part line. */
  private pick(data: Buffer, last: boolean, found: readonly number[] | undefined, out: Buffer[]): void {
    const end = last ? data.length : data.lastIndexOf(LF) + 1;
    if (end === 0) {
      // No line ends here: a part line, carried (a copy: the piece's bytes may be read over).
      if (data.length > MAX_RECORD) this.giveRest(data, 0, out);
      else this.carry = Buffer.from(data);
      return;
    }
    // Lines are picked up to the first byte that makes a line no longer a record.
    let stop = end;
    const nul = data.indexOf(0);
    if (nul !== -1 && nul < stop) stop = nul;
    if (this.csv) {
      const quote = data.indexOf(QUOTE);
      if (quote !== -1 && quote < stop) stop = quote;
    }
    const marked = this.markLines(data, stop, found);
    let p = 0;
    let m = 0;
    while (p < end) {
      const nl = data.indexOf(LF, p);
      const next = nl === -1 || nl >= end ? end : nl + 1;
      if (next > stop || next - p > MAX_RECORD) {
        this.giveRest(data, p, out);
        return;
      }
      while (m < marked.length && (marked[m] as number) < p) m++;
      const first = data[p] as number;
      const wanted =
        marked[m] === p ||
        (this.offset === 0 && p === 0) ||
        first === HASH ||
        (this.csv && (first === 0x44 || first === 0x64 || first === 0x54 || first === 0x74));
      const ends = next === nl + 1;
      if (wanted) {
        this.mark(this.offset + p);
        out.push(data.subarray(p, next));
        this.given += next - p;
        if (ends) this.givenLines++;
      }
      if (ends) this.line++;
      p = next;
    }
    this.offset += end;
    if (end < data.length) this.carry = Buffer.from(data.subarray(end));
  }

  /** Moves a record read from what was given back to its own line and offset; records must come in the order read. */
  place(record: LogRecord): void {
    this.placement.place(record);
  }

  /** A stretch given from here: the next bytes given are the file's from `offset` on. */
  private mark(offset: number): void {
    this.placement.add(this.given, this.givenLines + 1, offset, this.line);
  }

  /** Gives every byte from `p` of `data` on, and of every later piece. */
  private giveRest(data: Buffer, p: number, out: Buffer[]): void {
    this.mark(this.offset + p);
    this.whole = true;
    out.push(data.subarray(p));
  }

  /** Starts of the lines in data[0, stop) that may hold a text, in order. */
  private markLines(data: Buffer, stop: number, found: readonly number[] | undefined): number[] {
    const region = data.subarray(0, stop);
    const blocks = found ?? blocksHolding(this.plan, this.texts, region);
    const lines = new Ranges();
    for (let b = 0; b < blocks.length; b += 2) {
      let p = blocks[b] as number;
      const end = Math.min(blocks[b + 1] as number, stop);
      while (p < end) {
        const nl = data.indexOf(LF, p);
        const next = nl === -1 || nl >= end ? end : nl + 1;
        // The record the scanner would search: the line without its line end; an empty line is none.
        let contentEnd = next === nl + 1 ? nl : next;
        if (contentEnd > p && data[contentEnd - 1] === CR) contentEnd--;
        if (contentEnd > p) lines.add(p, contentEnd);
        p = next;
      }
    }
    const marks = lines.search(this.plan, data);
    const starts: number[] = [];
    for (let i = 0; i < lines.count; i++) if (marks[i] !== 0) starts.push(lines.starts[i] as number);
    return starts;
  }
}

/**
 * Where each stretch given to a reader starts, in what was given and in the file, so that a record
 * read from the stretches is placed back at its own line and offset.
 */
export class Placement {
  private readonly givenAt: number[] = [];
  private readonly givenLine: number[] = [];
  private readonly fileOffset: number[] = [];
  private readonly fileLine: number[] = [];
  private next = 0;

  /** A stretch starting at byte `givenAt` and line `givenLine` of what was given, and at `fileOffset` and `fileLine` of the file. */
  add(givenAt: number, givenLine: number, fileOffset: number, fileLine: number): void {
    this.givenAt.push(givenAt);
    this.givenLine.push(givenLine);
    this.fileOffset.push(fileOffset);
    this.fileLine.push(fileLine);
  }

  /** Moves a record read from what was given back to its own line and offset; records must come in the order read. */
  place(record: LogRecord): void {
    const from = record.origin.offset;
    const at = this.givenAt;
    while (this.next + 1 < at.length && (at[this.next + 1] as number) <= from) this.next++;
    const k = this.next;
    if (k >= at.length || (at[k] as number) > from) throw new Error(`${record.origin.path}: a record at offset ${from} of the lines read is in no line given`);
    record.origin = {
      path: record.origin.path,
      line: (this.fileLine[k] as number) + record.origin.line - (this.givenLine[k] as number),
      offset: (this.fileOffset[k] as number) + from - (at[k] as number),
    };
  }
}

/** Where each picked line came from, for its records. */
export function placementOf(picked: PickedLines): Placement {
  const placement = new Placement();
  const lines = picked.lines;
  let given = 0;
  let givenLines = 0;
  for (let i = 0; i + 3 < lines.length; i += 4) {
    placement.add(given, givenLines + 1, lines[i] as number, lines[i + 1] as number);
    given += lines[i + 2] as number;
    if (lines[i + 3] === 1) givenLines++;
  }
  return placement;
}
