// Recognising an IIS W3C extended log by its own directive lines.

const IIS_SOFTWARE = /^#Software:\s*Microsoft Internet Information Services/i;
const EXCHANGE_SOFTWARE = /^#Software:\s*Microsoft Exchange/i;
const FIELDS = /^#\s*Fields:\s*(.*)$/i;
const W3C_NAME = /^(?:c|s|cs|sc|x)[-(]/;

export function parseW3cFieldNames(fieldsValue: string): string[] {
  return fieldsValue
    .trim()
    .split(/\s+/)
    .filter((n) => n.length > 0);
}

/** True when the names read as a W3C field list (IIS names its columns `cs-uri-stem`, `sc-status`, …). */
function isW3cFieldList(names: readonly string[]): boolean {
  if (names.includes('cs-uri-stem')) return true;
  return names.includes('date') && names.includes('time') && names.some((n) => W3C_NAME.test(n));
}

export const HEAD_LINES = 40;
const HASH = 35;

export function sniffW3c(head: string): 'iis' | undefined {
  const lines = head.replace(/^\uFEFF/, '').split('\n', HEAD_LINES);
  let iis = false;
  for (const raw of lines) {
    // Every line looked for is a `#` line; most of a head is data rows.
    if (raw.charCodeAt(0) !== HASH) continue;
    const line = raw.replace(/\r$/, '');
    if (EXCHANGE_SOFTWARE.test(line)) return undefined;
    if (IIS_SOFTWARE.test(line)) iis = true;
    const m = FIELDS.exec(line);
    if (m && isW3cFieldList(parseW3cFieldNames(m[1] ?? ''))) return 'iis';
  }
  return iis ? 'iis' : undefined;
}
