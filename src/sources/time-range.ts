// First and last time of a file, kept as bytes of one fixed-width layout per format, so that
// comparing them is comparing bytes and no string is made per record.

export class TimeRange {
  private readonly min = Buffer.alloc(64);
  private readonly max = Buffer.alloc(64);
  private minLen = 0;
  private maxLen = 0;

  /** Offers `buf[start, end)`, which must already be in the range's layout. */
  offer(buf: Buffer, start: number, end: number): void {
    const len = end - start;
    if (len <= 0 || len > 64) return;
    if (this.maxLen === 0) {
      copyBytes(buf, start, end, this.min);
      copyBytes(buf, start, end, this.max);
      this.minLen = this.maxLen = len;
      return;
    }
    // Logs are mostly in time order, so the latest is the usual case and is checked first.
    const vsMax = compareBytes(buf, start, end, this.max, this.maxLen);
    if (vsMax > 0) {
      copyBytes(buf, start, end, this.max);
      this.maxLen = len;
    } else if (vsMax < 0 && compareBytes(buf, start, end, this.min, this.minLen) < 0) {
      copyBytes(buf, start, end, this.min);
      this.minLen = len;
    }
  }

  offerText(text: string): void {
    const bytes = Buffer.from(text, 'latin1');
    this.offer(bytes, 0, bytes.length);
  }

  first(): string | undefined {
    return this.minLen === 0 ? undefined : this.min.toString('latin1', 0, this.minLen);
  }

  last(): string | undefined {
    return this.maxLen === 0 ? undefined : this.max.toString('latin1', 0, this.maxLen);
  }
}

/** Byte order of `a[start, end)` against `b[0, bLen)`. A loop: the spans are a few dozen bytes, shorter than a native call costs. */
function compareBytes(a: Buffer, start: number, end: number, b: Buffer, bLen: number): number {
  const len = end - start;
  const n = len < bLen ? len : bLen;
  for (let i = 0; i < n; i++) {
    const d = a[start + i]! - b[i]!;
    if (d !== 0) return d;
  }
  return len - bLen;
}

/**
 * `a[start, end)` to the front of `to`. A loop, not `Buffer#copy`: that makes a typed-array view of
 * the source for each call, and a log in time order copies its newest time at nearly every record.
 */
function copyBytes(a: Buffer, start: number, end: number, to: Buffer): void {
  for (let i = start; i < end; i++) to[i - start] = a[i]!;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** `YYYY-MM-DD` at `buf[at]`. */
export function isDateAt(buf: Buffer, at: number): boolean {
  return (
    isDigit(buf[at]) &&
    isDigit(buf[at + 1]) &&
    isDigit(buf[at + 2]) &&
    isDigit(buf[at + 3]) &&
    buf[at + 4] === 45 &&
    isDigit(buf[at + 5]) &&
    isDigit(buf[at + 6]) &&
    buf[at + 7] === 45 &&
    isDigit(buf[at + 8]) &&
    isDigit(buf[at + 9])
  );
}

/** `HH:MM:SS` at `buf[at]`. */
export function isClockAt(buf: Buffer, at: number): boolean {
  return (
    isDigit(buf[at]) &&
    isDigit(buf[at + 1]) &&
    buf[at + 2] === 58 &&
    isDigit(buf[at + 3]) &&
    isDigit(buf[at + 4]) &&
    buf[at + 5] === 58 &&
    isDigit(buf[at + 6]) &&
    isDigit(buf[at + 7])
  );
}
