// The literal pre-filter: which records are worth splitting into fields. All needles are searched in
// one pass by one case-insensitive regular expression over the bytes read as latin1 (one code unit
// per byte, so positions are byte offsets, and without the `u` flag `i` folds ASCII letters only);
// a literal with other characters is searched by its longest ASCII run and confirmed on the
// decoded, lower-cased text, because byte folding cannot fold non-ASCII letters.

export interface LiteralPlan {
  /** Every record is a candidate (no literal list was given, or it holds the empty string). */
  readonly all: boolean;
  /** No record is a candidate (an empty list). */
  readonly none: boolean;
  /** Searched in the lower-cased bytes. `exact`: a hit settles it; otherwise the text is checked. */
  readonly needles: readonly { bytes: Buffer; exact: boolean }[];
  /** Literals with non-ASCII characters, checked on `text.toLowerCase()`. */
  readonly verify: readonly string[];
  /** A non-ASCII literal has no ASCII run to search for, so every record needs the text check. */
  readonly verifyAll: boolean;
  /** Every needle in one alternation, case-insensitive; undefined when there are none. */
  readonly pattern: RegExp | undefined;
  /** Lower-cased needle text → whether a hit settles the record. */
  readonly exact: ReadonlyMap<string, boolean>;
}

const NO_NEEDLES = { pattern: undefined, exact: new Map<string, boolean>() };

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_RUNS = /[\x00-\x7f]+/g;

export function planLiterals(literals: readonly string[] | undefined): LiteralPlan {
  if (literals === undefined) return { all: true, none: false, needles: [], verify: [], verifyAll: false, ...NO_NEEDLES };
  if (literals.length === 0) return { all: false, none: true, needles: [], verify: [], verifyAll: false, ...NO_NEEDLES };
  const needles: { bytes: Buffer; exact: boolean }[] = [];
  const verify: string[] = [];
  let verifyAll = false;
  const seen = new Set<string>();
  for (const raw of literals) {
    const literal = raw.toLowerCase();
    if (literal.length === 0) return { all: true, none: false, needles: [], verify: [], verifyAll: false, ...NO_NEEDLES };
    if (seen.has(literal)) continue;
    seen.add(literal);
    if (ASCII_ONLY.test(literal)) {
      needles.push({ bytes: Buffer.from(literal, 'latin1'), exact: true });
      continue;
    }
    verify.push(literal);
    const runs = literal.match(ASCII_RUNS) ?? [];
    const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length === 0) verifyAll = true;
    else needles.push({ bytes: Buffer.from(longest, 'latin1'), exact: false });
  }
  const exact = new Map<string, boolean>();
  for (const n of needles) {
    const text = n.bytes.toString('latin1');
    // The same run can come from an exact literal and a checked one: the exact one settles it.
    exact.set(text, (exact.get(text) ?? false) || n.exact);
  }
  // Longest first: at one position the alternation takes the first alternative that matches.
  const ordered = [...exact.keys()].sort((a, b) => b.length - a.length);
  const pattern = ordered.length ? new RegExp(ordered.map(escape).join('|'), 'gi') : undefined;
  return { all: false, none: false, needles, verify, verifyAll, pattern, exact };
}

/** Whether the decoded text holds one of the non-ASCII literals. */
export function textHasVerifiedLiteral(plan: LiteralPlan, text: string): boolean {
  if (plan.verify.length === 0) return false;
  const lower = text.toLowerCase();
  return plan.verify.some((literal) => lower.includes(literal));
}

export const MARK_EXACT = 1;
export const MARK_CHECK = 2;

/**
 * Marks the records of one batch that hold a needle. `starts`/`ends` are the records' byte ranges in
 * `bytes` (sorted, not overlapping), `isRecord[i]` says which entries are records at all. The batch
 * is searched once, by the plan's one pattern; a record settled by an exact needle is skipped to its end.
 */
export function markCandidates(
  plan: LiteralPlan,
  bytes: Buffer,
  starts: Int32Array,
  ends: Int32Array,
  isRecord: Uint8Array,
  count: number,
  marks: Uint8Array,
): void {
  const pattern = plan.pattern;
  if (count === 0 || !pattern) return;
  let from = -1;
  let to = -1;
  for (let i = 0; i < count; i++) {
    if (isRecord[i] !== 1) continue;
    if (from < 0) from = starts[i]!;
    to = ends[i]!;
  }
  if (from < 0) return;
  const text = bytes.toString('latin1', from, to);
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const at = from + m.index;
    const i = itemAt(starts, count, at);
    const recordEnd = i >= 0 ? ends[i]! : -1;
    if (i >= 0 && isRecord[i] === 1 && at + m[0].length <= recordEnd) {
      const exact = plan.exact.get(m[0].toLowerCase()) === true;
      marks[i] = marks[i]! | (exact ? MARK_EXACT : MARK_CHECK);
      // Settled: search on from the record's end. A hit that needs checking may not hold, and an
      // exact needle later in the same record must still be found.
      if (exact) {
        pattern.lastIndex = recordEnd - from;
        continue;
      }
    }
    pattern.lastIndex = m.index + 1;
  }
}

/** Index of the last entry whose start is at or before `pos`, or -1. */
function itemAt(starts: Int32Array, count: number, pos: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= pos) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
