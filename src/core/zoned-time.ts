// Times are stored and compared in UTC and shown in the user's zone (Jersey by default).

export const DEFAULT_ZONE = 'Europe/Jersey';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23', timeZoneName: 'shortOffset',
    });
    formatters.set(zone, f);
  }
  return f;
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

/** `2021-03-03 02:14:22 GMT` or `2021-07-03 03:14:22 GMT+1`, in the zone given. */
export function inZone(iso: string | undefined, zone = DEFAULT_ZONE): string {
  if (!iso) return 'time unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(formatter(zone).formatToParts(date).map((p) => [p.type, p.value]));
  const offset = (parts['timeZoneName'] ?? '').replace(/^GMT[+-]0$/, 'GMT');
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${offset}`;
}
