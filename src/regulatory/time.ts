// Times are stored as UTC ISO text and shown in the reader's zone (Jersey by default). A deadline
// in hours counts elapsed hours, so across a clock change its local end moves by an hour.

import { DEFAULT_ZONE, zoneAbbreviation } from '../core/zoned-time.js';

const HOUR_MS = 3_600_000;

/** The instant `hours` elapsed hours after `iso`, as UTC ISO text. */
export function addElapsedHours(iso: string, hours: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${iso}`);
  return new Date(ms + hours * HOUR_MS).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The parts of a local time a test or a table needs: `2021-03-29`, `10:00`, `Mon`, `BST`. */
export function localParts(iso: string, tz = DEFAULT_ZONE): { date: string; time: string; weekday: string; zone: string } {
  const parts = formatter(tz).formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  // The month as a number: ICU's short English name for September is 'Sept' in some versions, 'Sep' in others.
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}`,
    weekday: get('weekday'),
    zone: zoneAbbreviation(iso, tz),
  };
}

/** `Mon 29 Mar 2021 10:00 BST`; the UTC time follows when the zone is not UTC. */
export function showTime(iso: string | undefined, tz = DEFAULT_ZONE, withUtc = true): string {
  if (iso === undefined) return 'not recorded';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = localParts(iso, tz);
  const [y, m, d] = p.date.split('-');
  const monthName = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m) - 1] ?? m;
  const local = `${p.weekday} ${d} ${monthName} ${y} ${p.time} ${p.zone}`;
  if (!withUtc || tz === 'UTC' || p.zone === 'UTC') return local;
  return `${local} (${new Date(ms).toISOString().slice(11, 16)} UTC)`;
}

/** `2 d 3 h 5 min`, for what is left or how late; whole minutes, sign dropped. */
export function showDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const min = total % 60;
  const parts: string[] = [];
  if (d > 0) parts.push(`${d} d`);
  if (h > 0) parts.push(`${h} h`);
  if (min > 0 || parts.length === 0) parts.push(`${min} min`);
  return parts.join(' ');
}
