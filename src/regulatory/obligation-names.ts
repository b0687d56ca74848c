// The names people use for obligations: `JOIC-1`, `JFSC-2`. A name is the recipient's short name
// (the acronym it starts with, else the rule's id) and the obligation's place among that
// recipient's obligations in the order the case made them. The store only ever appends obligations
// (a withdrawn one is kept), so a name, once given, stays with its obligation across reassessments.

interface Named {
  ref: string;
  ruleId: string;
  recipient: string;
}

/** `JOIC (Jersey Data Protection Authority)` → `JOIC`; `Affected individuals` → its rule's id. */
function shortName(o: Named): string {
  return /^([A-Z][A-Z0-9]{1,9})\b/.exec(o.recipient)?.[1] ?? o.ruleId;
}

const order = (ref: string): number => Number(ref.replace(/^\D+/, ''));

/** Each obligation's readable name, by its store reference (O1, O2, …). */
export function obligationNames(obligations: readonly Named[]): Map<string, string> {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const o of [...obligations].sort((a, b) => order(a.ref) - order(b.ref))) {
    const short = shortName(o);
    const n = (counts.get(short) ?? 0) + 1;
    counts.set(short, n);
    names.set(o.ref, `${short}-${n}`);
  }
  return names;
}

/** The obligation a user means by `JOIC-1` or `O1` (either, any case), or undefined. */
export function findObligation<T extends Named>(obligations: readonly T[], given: string): T | undefined {
  const wanted = given.trim().toUpperCase();
  const names = obligationNames(obligations);
  return obligations.find((o) => o.ref.toUpperCase() === wanted || names.get(o.ref)?.toUpperCase() === wanted);
}
