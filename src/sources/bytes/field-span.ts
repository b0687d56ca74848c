// Finds one value of a record in its bytes without splitting the rest: the time and server columns
// of every record are read this way.

import { splitQuoted } from '../csv-split.js';
import type { RecordView } from './record-scanner.js';

export interface Span {
  start: number;
  end: number;
}

/**
 * Sets `out` to the byte range of value `k` of the record (quotes included when the value is
 * quoted). False when the record has fewer values.
 */
export function valueSpan(v: RecordView, k: number, separator: number, out: Span): boolean {
  return v.quoted ? quotedSpan(v, k, separator, out) : plainSpan(v, k, separator, out);
}

function plainSpan(v: RecordView, k: number, separator: number, out: Span): boolean {
  const b = v.bytes;
  let s = v.start;
  for (let j = 0; j < k; j++) {
    const i = b.indexOf(separator, s);
    if (i === -1 || i >= v.end) return false;
    s = i + 1;
  }
  let e = b.indexOf(separator, s);
  if (e === -1 || e > v.end) e = v.end;
  out.start = s;
  out.end = e;
  return true;
}

function quotedSpan(v: RecordView, k: number, separator: number, out: Span): boolean {
  const b = v.bytes;
  let value = 0;
  let valueStart = v.start;
  let inQuote = false;
  let fieldStart = true;
  for (let i = v.start; i < v.end; i++) {
    const c = b[i];
    if (inQuote) {
      if (c === 34) {
        if (b[i + 1] === 34 && i + 1 < v.end) i++;
        else inQuote = false;
      }
      continue;
    }
    if (c === separator) {
      if (value === k) {
        out.start = valueStart;
        out.end = i;
        return true;
      }
      value++;
      valueStart = i + 1;
      fieldStart = true;
      continue;
    }
    if (c === 34 && fieldStart) inQuote = true;
    fieldStart = false;
  }
  if (value !== k) return false;
  out.start = valueStart;
  out.end = v.end;
  return true;
}

/** The text of a value span, with RFC-4180 quoting undone. */
export function spanText(v: RecordView, span: Span, separator: string): string {
  const text = v.bytes.toString('utf8', span.start, span.end);
  if (!v.quoted || text[0] !== '"') return text;
  return splitQuoted(text, separator)[0] ?? '';
}
