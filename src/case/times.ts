import { CaseError } from './errors.js';

const WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Date.parse rolls 30 February into March; a typed date must exist as written. */
function realCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(s);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', sec = '0'] = m.slice(1).map((x) => x ?? '0');
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec) < 60
  );
}

/**
 * A time a person typed, as UTC ISO text. A time without a zone is refused rather than guessed:
 * the 72-hour clock runs from it, and Jersey is an hour off UTC half the year.
 * A bare date means midnight UTC.
 */
export function parseInstant(text: string, what: string): string {
  const s = text.trim();
  let ms = Number.NaN;
  if (DATE_ONLY.test(s)) ms = Date.parse(`${s}T00:00:00Z`);
  else if (WITH_ZONE.test(s)) ms = Date.parse(s.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms) || !realCalendarDate(s)) {
    throw new CaseError(`${what}: "${s}" is not a time with a zone; write e.g. 2021-03-05T14:00Z or 2021-03-05T15:00+01:00`);
  }
  return new Date(ms).toISOString();
}

/** A time from a scan result: normalised to millisecond UTC ISO text, or undefined when unreadable. */
export function normaliseTime(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
