// FILETIME and SYSTEMTIME to ISO 8601 UTC, keeping every digit the value carries.

// Every FILETIME (at most 2^64 ticks, the year 60056) is within what Date can hold.
const SECONDS_1601_TO_1970 = 11644473600;

// Events come in time order, many in the same second: the 'YYYY-MM-DDTHH:MM:SS' part is reused,
// the last one at once, others from a bounded map (a log's chunks, or several logs' events, interleave).
let cachedSecond = Number.NaN;
let cachedPrefix = '';
const prefixes = new Map<number, string>();
const MAX_PREFIXES = 4096;

function secondPrefix(unixSeconds: number): string {
  if (unixSeconds === cachedSecond) return cachedPrefix;
  let prefix = prefixes.get(unixSeconds);
  if (prefix === undefined) {
    const iso = new Date(unixSeconds * 1000).toISOString();
    // Years past 9999 come out as '+010000-...': keep them whole rather than cut them wrong.
    prefix = iso.length === 24 ? iso.slice(0, 19) : iso.slice(0, iso.length - 5);
    if (prefixes.size >= MAX_PREFIXES) prefixes.clear();
    prefixes.set(unixSeconds, prefix);
  }
  cachedPrefix = prefix;
  cachedSecond = unixSeconds;
  return prefix;
}

/**
 * A FILETIME (100 ns ticks since 1601, as two u32 halves) as '2019-03-19T23:34:46.8720512Z'.
 * The 64-bit tick count is beyond a double's exact range, so it is split without rounding:
 * hi·2^32 = hi·429·10^7 + hi·4967296.
 */
export function filetimeIso(lo: number, hi: number): string {
  let seconds: number;
  let fraction: number;
  if (hi < 0x20000000) {
    const rest = hi * 4967296 + lo;
    seconds = hi * 429 + Math.floor(rest / 1e7);
    fraction = rest % 1e7;
  } else {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    seconds = Number(ticks / 10000000n);
    fraction = Number(ticks % 10000000n);
  }
  return `${secondPrefix(seconds - SECONDS_1601_TO_1970)}.${String(fraction).padStart(7, '0')}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A SYSTEMTIME (eight u16: year, month, weekday, day, hour, minute, second, ms), as written. */
export function systemtimeIso(b: Buffer, p: number): string {
  const w = (i: number): number => b[p + 2 * i]! | (b[p + 2 * i + 1]! << 8);
  return `${pad(w(0), 4)}-${pad(w(1), 2)}-${pad(w(3), 2)}T${pad(w(4), 2)}:${pad(w(5), 2)}:${pad(w(6), 2)}.${pad(w(7), 3)}Z`;
}
