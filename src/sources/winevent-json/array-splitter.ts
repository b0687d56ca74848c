// Cuts a JSON array of objects (PowerShell's `ConvertTo-Json`), or objects written one after another
// (a single event is written without the array), into the text of each top-level object, without
// holding the file. Only strings and brackets are followed here; each object's text is parsed by
// JSON.parse afterwards. Streaming JSON parsers stop at the first syntax error; this one resumes at
// the next top-level object, so one damaged event costs that event only.

const LF = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;

export interface ElementSink {
  /** The text of one top-level object, and the line and byte offset of its `{`. */
  element(text: string, line: number, offset: number): void;
  damage(line: number, offset: number, reason: string): void;
}

/** An object longer than this is reported and skipped: no exported event comes near it. */
const MAX_ELEMENT_BYTES = 8 * 1024 * 1024;

type Mode = 'between' | 'element' | 'seek';

function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === 10 || b === 13;
}

export class ArraySplitter {
  private mode: Mode = 'between';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Line (1-based) and offset of the byte being looked at, and of the object being cut. */
  private line = 1;
  private pos = 0;
  private startLine = 0;
  private startOffset = 0;
  /** Where on its line the first object began: later objects of the same array begin there too. */
  private firstColumn: number | undefined;
  private column = 0;
  private lineBlank = true;
  /** The last two bytes other than white space, for finding `},{` when seeking. */
  private lastSolid = 0;
  private solidBefore = 0;
  private started = false;

  constructor(
    private readonly sink: ElementSink,
    private readonly maxElement = MAX_ELEMENT_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    // A UTF-8 byte-order mark (Out-File -Encoding utf8) is not part of the first object.
    if (this.pos === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = 3;
    const base = this.pos;
    let start = from;
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.mode === 'element') {
        if (this.step(b)) {
          this.emit(chunk, start, i + 1);
          this.mode = 'between';
        } else if (b === LF && this.inString) {
          // JSON escapes line breaks inside strings: a raw one means a quote was lost or added.
          this.fail('a line break inside a string (damaged quoting)');
        } else if (this.carryBytes + (i + 1 - start) > this.maxElement) {
          this.fail(`event longer than ${this.maxElement} bytes; skipped`);
        }
      } else if (!isSpace(b)) {
        if (b === OPEN_OBJECT && (this.mode === 'between' || this.resumesHere())) {
          this.begin(base + i);
          start = i;
          this.step(b);
        } else if (this.mode === 'between' && (b === COMMA || b === OPEN_ARRAY || b === CLOSE_ARRAY)) {
          // Separators, and the array's own brackets (also a second array appended to the file).
        } else if (this.mode === 'between') {
          this.sink.damage(this.line, base + i, 'not a JSON object where an event was expected');
          this.mode = 'seek';
        }
      }
      this.track(b);
    }
    if (this.mode === 'element') this.hold(chunk, start);
    this.pos = base + chunk.length;
  }

  finish(): void {
    if (this.mode === 'element') this.sink.damage(this.startLine, this.startOffset, 'the file ends inside this event; cut off?');
    this.mode = 'between';
    this.dropCarry();
  }

  /** Follows one byte of an object; true when it closed the object. */
  private step(b: number): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) this.inString = false;
      return false;
    }
    if (b === QUOTE) this.inString = true;
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) this.depth++;
    else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) return --this.depth === 0;
    return false;
  }

  /**
   * After damage, where the next object starts: after a comma, at the column the array's objects
   * start at (pretty-printed); in compressed output, right after `},`.
   */
  private resumesHere(): boolean {
    if (this.lastSolid !== COMMA) return false;
    if (this.firstColumn !== undefined) return this.lineBlank && this.column === this.firstColumn;
    return !this.started || this.solidBefore === CLOSE_OBJECT;
  }

  private begin(offset: number): void {
    this.mode = 'element';
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.startLine = this.line;
    this.startOffset = offset;
    if (!this.started) {
      this.started = true;
      // Only an object on a line of its own sets the column: compressed output puts them anywhere.
      if (this.lineBlank) this.firstColumn = this.column;
    }
  }

  private track(b: number): void {
    if (b === LF) {
      this.line++;
      this.column = 0;
      this.lineBlank = true;
      return;
    }
    this.column++;
    if (!isSpace(b)) {
      // The column is counted before this byte: `lineBlank` tells whether only white space preceded it.
      this.lineBlank = false;
      this.solidBefore = this.lastSolid;
      this.lastSolid = b;
    }
  }

  private fail(reason: string): void {
    this.sink.damage(this.startLine, this.startOffset, reason);
    this.mode = 'seek';
    this.dropCarry();
  }

  private hold(chunk: Buffer, from: number): void {
    // A copy: the caller may reuse the chunk it handed over.
    this.carry.push(Buffer.from(chunk.subarray(from)));
    this.carryBytes += chunk.length - from;
  }

  private emit(chunk: Buffer, from: number, end: number): void {
    const parts = this.carry;
    parts.push(chunk.subarray(from, end));
    const text = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
    this.dropCarry();
    this.sink.element(text, this.startLine, this.startOffset);
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryBytes = 0;
  }
}
