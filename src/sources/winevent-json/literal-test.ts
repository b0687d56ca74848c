// The pre-filter on a record's text: one regular expression over every literal, which V8 runs several
// times faster than one `includes` per literal (57 literals over 1 KB events: 4.5x).

const SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** Whether a record's raw text holds one of the literals; undefined literals pass every record, none no record. */
export function literalTest(literals: readonly string[] | undefined): (raw: string) => boolean {
  if (literals === undefined) return () => true;
  if (literals.length === 0) return () => false;
  const lower = [...new Set(literals.map((l) => l.toLowerCase()))];
  if (lower.includes('')) return () => true;
  const any = new RegExp(lower.map((l) => l.replace(SPECIAL, '\\$&')).join('|'));
  return (raw) => any.test(raw.toLowerCase());
}
