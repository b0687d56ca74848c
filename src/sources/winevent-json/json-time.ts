// The times JSON exports of Windows events carry, in the forms their writers use, to ISO UTC.

export interface ReadTime {
  /** ISO 8601 UTC, or undefined when the value is not a time. */
  iso: string | undefined;
  /** The value named no zone (NXLog's default EventTime is the collector's local time): read as UTC. */
  zoneless: boolean;
}

const NONE: ReadTime = { iso: undefined, zoneless: false };
const ISO_ZULU = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})$/i;
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?$/;
/** PowerShell 5's ConvertTo-Json writes a DateTime as `/Date(1614737662101)/`. */
const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

function fromMs(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function readTime(value: unknown): ReadTime {
  if (typeof value === 'number') {
    // Epoch seconds (Velociraptor writes fractional ones) or milliseconds, told apart by size.
    return { iso: fromMs(value > 1e11 ? value : value * 1000), zoneless: false };
  }
  if (typeof value !== 'string') return NONE;
  const text = value.trim();
  // Kept as written: the record keeps the digits a reader of the source would see.
  if (ISO_ZULU.test(text)) return { iso: Number.isNaN(Date.parse(text)) ? undefined : text, zoneless: false };
  const ms = MS_DATE.exec(text);
  if (ms) return { iso: fromMs(Number(ms[1])), zoneless: false };
  const offset = WITH_OFFSET.exec(text);
  if (offset) {
    const zone = offset[3]!.toUpperCase() === 'Z' ? 'Z' : offset[3]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    return { iso: fromMs(Date.parse(`${offset[1]}T${offset[2]}${zone}`)), zoneless: false };
  }
  const bare = ZONELESS.exec(text);
  if (bare) {
    const iso = `${bare[1]}T${bare[2]}${bare[3] ?? ''}Z`;
    return { iso: Number.isNaN(Date.parse(iso)) ? undefined : iso, zoneless: true };
  }
  return NONE;
}
