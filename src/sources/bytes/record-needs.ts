// The check after the byte search: the search finds records holding one rule's literal; this asks
// whether some rule could match the record at all, by every string that rule tests (detect/sigma/need.ts).
// It runs only on the records the search let through, on their text lower-cased with a space either
// side, so that a value at the start or end of a space-separated row has its separator too.

/**
 * Alternatives (one a rule, or a context literal): a record is wanted when one of them holds, and
 * one holds when each of its clauses has one of its strings in the record's text.
 */
export type RecordNeeds = readonly (readonly (readonly string[])[])[];

/** Whether `text` (a record's decoded text, as it is) meets one of the alternatives. */
export function meetsNeeds(needs: RecordNeeds, text: string): boolean {
  const padded = ` ${text.toLowerCase()} `;
  for (const clauses of needs) {
    let all = true;
    for (const clause of clauses) {
      let any = false;
      for (const s of clause) {
        if (padded.includes(s)) {
          any = true;
          break;
        }
      }
      if (!any) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}
