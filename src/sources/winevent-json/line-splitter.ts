// Cuts a file's byte chunks into lines without holding the file: a line that runs over a chunk
// boundary is carried in pieces and joined once its end arrives. JSON lines cannot hold a raw line
// break inside a value (the format escapes them), so every LF ends a record.

const LF = 10;
const CR = 13;

export interface LineSink {
  /** A non-blank line without its line end; `atEof` when the file ended before its line end. */
  line(text: string, line: number, offset: number, atEof: boolean): void;
  damage(line: number, offset: number, reason: string): void;
}

/** A record longer than this is reported and skipped: no event exported as one line comes near it. */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** 1-based number of the line being read, and the file offset of its first byte. */
  private lineNo = 1;
  private lineStart = 0;
  /** File offset of the next byte pushed. */
  private pos = 0;
  /** Throwing away the rest of an over-long line. */
  private skipping = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    const base = this.pos;
    this.pos += chunk.length;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      this.endLine(chunk, start, nl);
      start = nl + 1;
      this.lineNo++;
      this.lineStart = base + start;
    }
    if (start < chunk.length) this.hold(chunk, start);
  }

  finish(): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (this.carryBytes > 0) this.emit(this.takeCarry(undefined, 0, 0), true);
  }

  private endLine(chunk: Buffer, from: number, nl: number): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (this.carryBytes + (nl - from) > this.maxLine) {
      this.tooLong();
      this.dropCarry();
      return;
    }
    let end = nl;
    if (end > from && chunk[end - 1] === CR) end--;
    if (this.carryBytes === 0) {
      if (end > from) this.emit(chunk.toString('utf8', from, end), false);
      return;
    }
    const text = this.takeCarry(chunk, from, end);
    // The CR of a CRLF sits at the end of the carried part when the LF starts this chunk.
    this.emit(end === from && text.endsWith('\r') ? text.slice(0, -1) : text, false);
  }

  private hold(chunk: Buffer, from: number): void {
    if (this.skipping) return;
    const n = chunk.length - from;
    if (this.carryBytes + n > this.maxLine) {
      this.tooLong();
      this.dropCarry();
      this.skipping = true;
      return;
    }
    // A copy: the caller may reuse the chunk it handed over.
    this.carry.push(Buffer.from(chunk.subarray(from)));
    this.carryBytes += n;
  }

  private takeCarry(chunk: Buffer | undefined, from: number, end: number): string {
    const parts = this.carry;
    if (chunk && end > from) parts.push(chunk.subarray(from, end));
    const text = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
    this.dropCarry();
    return text;
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryBytes = 0;
  }

  private tooLong(): void {
    this.sink.damage(this.lineNo, this.lineStart, `line longer than ${this.maxLine} bytes; skipped`);
  }

  private emit(text: string, atEof: boolean): void {
    // A UTF-8 BOM (PowerShell's Out-File -Encoding utf8 writes one) is not part of the first record.
    const body = this.lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    // Blank lines separate nothing in JSON lines; they are neither records nor damage.
    if (isBlank(body)) return;
    this.sink.line(body, this.lineNo, this.lineStart, atEof);
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
