// Times as listings write them. Export-Csv writes dates in the collecting machine's culture
// (22/07/2019 11:57:52 in en-GB, 7/22/2019 11:57:52 AM in en-US, 22.07.2019 11:57:52 in de-DE), so
// the day/month order of slashed dates is learnt from the file: a day above 12 settles it.

export type DateOrder = 'day-first' | 'month-first';

export type ParsedTime =
  | { kind: 'time'; iso: string }
  /** Day and month both 12 or less, written d/m or m/d: the file must tell which. */
  | { kind: 'ambiguous'; a: number; b: number; rest: TimeRest }
  | { kind: 'bad' };

export interface TimeRest {
  year: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,7})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const CULTURE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$/;

function iso(year: number, month: number, day: number, r: TimeRest, offsetMinutes = 0): string | undefined {
  if (month < 1 || month > 12 || day < 1 || r.hour > 23 || r.minute > 59 || r.second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const ms = Date.UTC(year, month - 1, day, r.hour, r.minute, r.second) - offsetMinutes * 60_000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${(r.fraction + '000').slice(0, 3)}Z`);
}

export function parseListingTime(text: string): ParsedTime {
  const t = text.trim();
  const m = ISO.exec(t);
  if (m) {
    let offset = 0;
    const zone = m[8];
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    const r = { year: Number(m[1]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0), fraction: (m[7] ?? '').slice(1) };
    const out = iso(r.year, Number(m[2]), Number(m[3]), r, offset);
    return out ? { kind: 'time', iso: out } : { kind: 'bad' };
  }
  const c = CULTURE.exec(t);
  if (!c) return { kind: 'bad' };
  let hour = Number(c[5]);
  const ampm = c[8]?.toLowerCase();
  if (ampm) {
    if (hour < 1 || hour > 12) return { kind: 'bad' };
    hour = (hour % 12) + (ampm === 'p' ? 12 : 0);
  }
  const rest: TimeRest = { year: Number(c[4]), hour, minute: Number(c[6]), second: Number(c[7] ?? 0), fraction: '' };
  const a = Number(c[1]);
  const b = Number(c[3]);
  // Dotted dates (de-DE, ru-RU...) are always day first.
  if (c[2] === '.' || a > 12) return resolve(a, b, rest, 'day-first');
  if (b > 12) return resolve(a, b, rest, 'month-first');
  if (a === b) return resolve(a, b, rest, 'day-first');
  return { kind: 'ambiguous', a, b, rest };
}

export function resolve(a: number, b: number, rest: TimeRest, order: DateOrder): ParsedTime {
  const out = order === 'day-first' ? iso(rest.year, b, a, rest) : iso(rest.year, a, b, rest);
  return out ? { kind: 'time', iso: out } : { kind: 'bad' };
}

/** What a slashed date with a part above 12 says about the file's order, if anything. */
export function orderShownBy(text: string): DateOrder | undefined {
  const c = CULTURE.exec(text.trim());
  if (!c || c[2] === '.') return undefined;
  if (Number(c[1]) > 12) return 'day-first';
  if (Number(c[3]) > 12) return 'month-first';
  return undefined;
}
