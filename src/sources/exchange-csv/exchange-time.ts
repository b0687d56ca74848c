// Exchange CSV logs write UTC times as `2023-01-09T19:00:00.130Z`. That layout is kept as it
// stands (millisecond precision matters when joining HttpProxy to IIS); anything else that reads
// as an ISO time is brought to it.

import { isClockAt, isDateAt } from '../time-range.js';

/** `YYYY-MM-DDTHH:MM:SS.fffZ` at `buf[start, end)`. */
export function isExchangeTime(buf: Buffer, start: number, end: number): boolean {
  if (end - start !== 24) return false;
  return (
    isDateAt(buf, start) &&
    buf[start + 10] === 84 &&
    isClockAt(buf, start + 11) &&
    buf[start + 19] === 46 &&
    isDigitByte(buf[start + 20]) &&
    isDigitByte(buf[start + 21]) &&
    isDigitByte(buf[start + 22]) &&
    buf[start + 23] === 90
  );
}

function isDigitByte(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

const LOOSE_ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** A time in the Exchange layout, or undefined when the text is not a time. Zone-less times are UTC. */
export function normaliseExchangeTime(text: string): string | undefined {
  const m = LOOSE_ISO.exec(text.trim());
  if (!m) return undefined;
  const fraction = (m[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  const zone = m[4] ?? 'Z';
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
