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

/** The zone's abbreviation at that instant as people there say it: `GMT`, `BST`, `CET`, `UTC`; else `GMT-5`. */
export function zoneAbbreviation(iso: string, zone = DEFAULT_ZONE): string {
  const name =
    formatter(zone)
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return abbreviation(name, zone);
}

/** Throws a clear error for a zone name the runtime does not know. */
export function checkZone(zone: string): string {
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
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const name = abbreviation(parts['timeZoneName'] ?? '', zone);
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${name}`;
}
