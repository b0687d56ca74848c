/** RFC 4180 quoting, as Exchange's CSV logs write it: a value is quoted only when it must be. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  if (value.length === 0 || !NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

export function csvRow(values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += csvField(values[i] ?? '');
  }
  return out;
}

/**
 * HttpProxy and Rps_Http logs do not quote the User-Agent: Exchange turns its commas into spaces
 * ("KHTML  like Gecko" in real logs). Copy that, so the demo looks like the real thing.
 */
export function exchangeUserAgent(ua: string): string {
  return ua.replace(/,/g, ' ');
}
