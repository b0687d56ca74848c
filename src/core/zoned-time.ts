// Times are stored and compared in UTC and shown in the user's zone (Jersey by default).

export const DEFAULT_ZONE = 'Europe/Jersey';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The summer names the runtime's data gives only for London and Dublin themselves: in the zones that
 * keep British (or Irish) time it calls summer time `GMT+1`, which nobody in Jersey says.
 */
const SUMMER_NAMES: Record<string, string> = {
  'Europe/Jersey': 'BST',
  'Europe/Guernsey': 'BST',
  'Europe/Isle_of_Man': 'BST',
  'Europe/London': 'BST',
  'Europe/Belfast': 'BST',
  GB: 'BST',
  'GB-Eire': 'BST',
  'Europe/Dublin': 'IST',
  Eire: 'IST',
};

function abbreviation(name: string, zone: string): string {
  if (name === 'GMT+1') return SUMMER_NAMES[zone] ?? name;
  return name;
}

/**
 * Zones that keep British time, worked out here rather than by the runtime's formatter, whose first
 * use loads the time-zone data and costs about 50 ms of every start (issue #17). Since 1996 their
 * summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October (the EU rule the tz database gives Europe/London); other years go to the formatter.
 */
const BRITISH = new Set(['Europe/Jersey', 'Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/London', 'Europe/Belfast', 'GB']);
const UTC_ZONES = new Set(['UTC', 'Etc/UTC']);
const FIRST_YEAR = 1996;
const LAST_YEAR = 2037;

/** 01:00 UTC on the last Sunday of the month (0-based). */
function lastSundayOneAm(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** The offset in hours and the abbreviation, when worked out here; undefined: ask the formatter. */
function ownReading(date: Date, zone: string): { hours: number; name: string } | undefined {
  if (UTC_ZONES.has(zone)) return { hours: 0, name: 'UTC' };
  if (!BRITISH.has(zone)) return undefined;
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
  const t = date.getTime();
  const summer = t >= lastSundayOneAm(year, 2) && t < lastSundayOneAm(year, 9);
  return summer ? { hours: 1, name: 'BST' } : { hours: 0, name: 'GMT' };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The zone's abbreviation at that instant as people there say it: `GMT`, `BST`, `CET`, `UTC`; else `GMT-5`. */
export function zoneAbbreviation(iso: string, zone = DEFAULT_ZONE): string {
  const own = ownReading(new Date(iso), zone);
  if (own) return own.name;
  const name =
    formatter(zone)
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return abbreviation(name, zone);
}

/** Throws a clear error for a zone name the runtime does not know. */
export function checkZone(zone: string): string {
  if (BRITISH.has(zone) || UTC_ZONES.has(zone)) return zone;
  try {
    formatter(zone);
  } catch {
    throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Jersey or UTC)`);
  }
  return zone;
}

/** `2021-03-03 02:14:22 GMT` or `2021-07-03 03:14:22 BST`, in the zone given, with its abbreviation. */
export function inZone(iso: string | undefined, zone = DEFAULT_ZONE): string {
  if (!iso) return 'time unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const own = ownReading(date, zone);
  if (own) {
    const local = new Date(date.getTime() + own.hours * 3_600_000);
    const day = `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`;
    return `${day} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${own.name}`;
  }
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const name = abbreviation(parts['timeZoneName'] ?? '', zone);
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${name}`;
}
