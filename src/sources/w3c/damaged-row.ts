// A W3C row with more or fewer values than its `#Fields` line names cannot be read by position
// alone. It stays a bad record; this gives each column the value it most likely holds, so a rule's
// strings in it are still found and the finding can say it came from a damaged row.

/** Columns whose values are free text (and so where a stray space lands); every other column is a token. */
const FREE_TEXT = new Set(['cs-uri-stem', 'cs-uri-query', 'cs-username', 'cs(user-agent)', 'cs(referer)', 'cs(cookie)', 'cs-host']);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^\d{2}:\d{2}:\d{2}/;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.%a-z]*)$/;
const NUMBER = /^-?\d+$/;

/** Whether `value` has the shape a token column `name` always has; true for columns with no known shape. */
function fits(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === '-') return true;
  switch (name.toLowerCase()) {
    case 'date':
      return DATE.test(value);
    case 'time':
      return CLOCK.test(value);
    case 's-ip':
    case 'c-ip':
      return IP.test(value);
    case 's-port':
    case 'sc-status':
    case 'sc-substatus':
    case 'sc-win32-status':
    case 'time-taken':
    case 'sc-bytes':
    case 'cs-bytes':
      return NUMBER.test(value);
    case 'cs-method':
      return /^[A-Z-]{3,20}$/.test(value);
    default:
      return true;
  }
}

/**
 * Values by column index for a row of `parts` under the column `names`.
 *
 * Too many values (the known cause is a space written raw into a free-text value): token columns
 * before the first free-text column are read from the left and those after the last from the right,
 * which is exact when the surplus sits in free text; a free-text column holds every value it may span,
 * so its strings are found though its exact value is not known; a token column between free-text
 * columns takes whichever reading has its shape, or nothing.
 *
 * Too few values (a row cut short, or one whose start was lost): read from the left when the row
 * starts as a row does, else from the right; the columns it lacks are empty.
 */
export function damagedRowValues(names: readonly string[], parts: readonly string[]): string[] {
  const surplus = parts.length - names.length;
  if (surplus < 0) {
    const headIntact = names.length > 0 && fits(names[0] ?? '', parts[0]);
    return names.map((_, i) => (headIntact ? parts[i] : parts[i + surplus]) ?? '');
  }
  const free = names.map((n) => FREE_TEXT.has(n.toLowerCase()));
  const first = free.indexOf(true);
  const last = free.lastIndexOf(true);
  return names.map((name, i) => {
    if (first < 0) return i === names.length - 1 ? parts.slice(i).join(' ') : (parts[i] ?? '');
    if (i < first) return parts[i] ?? '';
    if (i > last) return parts[i + surplus] ?? '';
    if (free[i]) return parts.slice(i, i + surplus + 1).join(' ');
    const left = parts[i];
    const right = parts[i + surplus];
    if (left === right || (fits(name, left) && !fits(name, right))) return left ?? '';
    if (fits(name, right) && !fits(name, left)) return right ?? '';
    return '';
  });
}
