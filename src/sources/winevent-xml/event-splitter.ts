// Cuts a stream of `<Event>` elements out of byte chunks, as `wevtutil qe /f:xml` writes them (one
// after another, no root, often no line breaks) or inside an `<Events>` root (Event Viewer's "Save
// as XML", PowerShell). Events never nest and their text cannot hold a raw `<`, so the next
// `</Event>` ends the element. UTF-16LE input (PowerShell's `>` redirection) is searched in its own
// bytes, so offsets stay the file's.

export type XmlEncoding = 'utf8' | 'utf16le';

export interface EventSink {
  /** One `<Event ...>...</Event>` element's text; `line` and `offset` are where `<Event` starts. */
  event(xml: string, line: number, offset: number): void;
  damage(line: number, offset: number, reason: string): void;
}

/** An event longer than this is reported and skipped (an .evtx record is at most a 64 KiB chunk). */
const MAX_EVENT_BYTES = 8 * 1024 * 1024;

/** Text allowed between events: a prolog, the `<Events>` root, comments, white space. */
// One white-space character per step: `(?:\s+|...)*` backtracks exponentially on a long run of spaces.
const BETWEEN = /^(?:\s|<\?[^]*?\?>|<!--[^]*?-->|<\/?Events(?:\s[^>]*)?>)*$/;

/** After `<Event`: a name that goes on (`<Events>`, `<EventData>`) is another element. */
function endsName(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x3e || code === 0x2f;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export class EventSplitter {
  private encoding: XmlEncoding | undefined;
  private unit = 1;
  private open = Buffer.alloc(0);
  private close = Buffer.alloc(0);
  private lt = Buffer.alloc(0);
  private gt = Buffer.alloc(0);
  /** Bytes of a byte-order mark at the start of the file. */
  private bom = 0;

  private buf = Buffer.alloc(0);
  /** File offset of `buf[0]`, and the line at the scan point. */
  private base = 0;
  private pos = 0;
  private line = 1;
  /** Start of the event being read (`-1` between events), and how far its end was looked for. */
  private start = -1;
  private closeFrom = 0;
  private openFrom = 0;
  private startLine = 1;
  /** Text between events seen so far that was not allowed there, reported once per stretch. */
  private junkReported = false;

  constructor(
    private readonly sink: EventSink,
    private readonly maxEvent = MAX_EVENT_BYTES,
  ) {}

  get detected(): XmlEncoding | undefined {
    return this.encoding;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.buf = this.pos === 0 && this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf.subarray(this.pos), chunk]);
    if (this.start >= 0) {
      this.start -= this.pos;
      this.closeFrom -= this.pos;
      this.openFrom -= this.pos;
    }
    this.base += this.pos;
    this.pos = 0;
    if (this.encoding === undefined) {
      if (this.buf.length < 4) return;
      this.detect();
    }
    this.scan(false);
  }

  finish(): void {
    if (this.encoding === undefined) {
      if (this.buf.length === 0) return;
      this.detect();
    }
    this.scan(true);
    if (this.start >= 0) {
      this.sink.damage(this.startLine, this.base + this.start, 'the last <Event> element is cut short: the file ends inside it');
      this.start = -1;
    } else {
      this.between(this.buf.length, true);
    }
    this.pos = this.buf.length;
  }

  private detect(): void {
    const b = this.buf;
    if (b[0] === 0xff && b[1] === 0xfe) {
      this.encoding = 'utf16le';
      this.bom = 2;
    } else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      this.encoding = 'utf8';
      this.bom = 3;
    } else if (b[1] === 0 && b[3] === 0 && b[0] !== 0) {
      this.encoding = 'utf16le';
    } else {
      this.encoding = 'utf8';
    }
    this.unit = this.encoding === 'utf16le' ? 2 : 1;
    this.open = Buffer.from('<Event', this.encoding);
    this.close = Buffer.from('</Event>', this.encoding);
    this.lt = Buffer.from('<', this.encoding);
    this.gt = Buffer.from('>', this.encoding);
    this.pos = this.bom;
  }

  private text(from: number, to: number): string {
    return this.buf.toString(this.encoding ?? 'utf8', from, to);
  }

  /** Next `<Event` start at or after `from` and before `limit`, on a character boundary. */
  private findOpen(from: number, limit: number): number {
    const view = limit < this.buf.length ? this.buf.subarray(0, limit) : this.buf;
    for (let at = view.indexOf(this.open, from); at !== -1; at = view.indexOf(this.open, at + 1)) {
      if (this.unit === 2 && (this.base + at - this.bom) % 2 !== 0) continue;
      const next = at + this.open.length;
      if (next + this.unit > this.buf.length) return limit >= this.buf.length ? at : -1;
      const code = this.unit === 2 ? this.buf.readUInt16LE(next) : this.buf[next];
      if (endsName(code)) return at;
    }
    return -1;
  }

  private findClose(from: number): number {
    for (let at = this.buf.indexOf(this.close, from); at !== -1; at = this.buf.indexOf(this.close, at + 1)) {
      if (this.unit === 1 || (this.base + at - this.bom) % 2 === 0) return at;
    }
    return -1;
  }

  private scan(eof: boolean): void {
    const end = this.buf.length;
    for (;;) {
      if (this.start < 0) {
        const s = this.findOpen(this.pos, end);
        // A `<Event` cut by the chunk's end may still come: keep the bytes that could hold it.
        const safe = s === -1 ? (eof ? end : Math.max(this.pos, end - this.open.length - this.unit)) : s;
        if (s === -1 || (s + this.open.length + this.unit > end && !eof)) {
          this.between(safe - ((safe - this.pos) % this.unit), false);
          return;
        }
        this.between(s, true);
        this.start = s;
        this.closeFrom = s + this.open.length;
        this.openFrom = this.closeFrom;
        this.startLine = this.line;
      }
      const e = this.findClose(this.closeFrom);
      // An event cut short: the next one starts before this one ends.
      const next = this.findOpen(this.openFrom, e === -1 ? end : e);
      if (next !== -1 && (e !== -1 || next + this.open.length + this.unit <= end || eof)) {
        this.sink.damage(this.startLine, this.base + this.start, 'an <Event> element is cut short: the next one starts inside it');
        this.line += countLines(this.text(this.start, next));
        this.start = -1;
        this.pos = next;
        continue;
      }
      if (e === -1) {
        if (end - this.start > this.maxEvent) {
          this.sink.damage(this.startLine, this.base + this.start, `an <Event> element longer than ${this.maxEvent} bytes; skipped`);
          this.line += countLines(this.text(this.start, end));
          this.start = -1;
          this.pos = end;
          this.junkReported = true;
          return;
        }
        // Look again only where new bytes can complete a match.
        this.closeFrom = Math.max(this.start + this.open.length, end - this.close.length);
        this.openFrom = Math.max(this.start + this.open.length, end - this.open.length - this.unit);
        return;
      }
      const stop = e + this.close.length;
      const xml = this.text(this.start, stop);
      this.sink.event(xml, this.startLine, this.base + this.start);
      this.line += countLines(xml);
      this.start = -1;
      this.pos = stop;
      this.junkReported = false;
    }
  }

  /** Consumes the text between events up to `to`; anything there but a prolog, a root or space is damage. */
  private between(to: number, complete: boolean): void {
    // An unfinished tag at the end (`<?xml vers`) waits for its next bytes before it is judged.
    const stop = complete ? to : this.tagStart(to);
    if (stop <= this.pos) return;
    const gap = this.text(this.pos, stop);
    if (!this.junkReported && !BETWEEN.test(gap)) {
      const lead = /^\s*/.exec(gap)?.[0] ?? '';
      this.sink.damage(this.line + countLines(lead), this.base + this.pos + lead.length * this.unit, 'text outside an <Event> element');
      this.junkReported = true;
    }
    this.line += countLines(gap);
    this.pos = stop;
  }

  /** Where a tag left open before `to` starts, or `to` when every tag there is closed. */
  private tagStart(to: number): number {
    const view = this.buf.subarray(0, to);
    for (let at = view.lastIndexOf(this.lt, to - 1); at >= this.pos; at = at > 0 ? view.lastIndexOf(this.lt, at - 1) : -1) {
      if (this.unit === 2 && (this.base + at - this.bom) % 2 !== 0) continue;
      return view.indexOf(this.gt, at) === -1 ? at : to;
    }
    return to;
  }
}
