// The literal pre-filter: which records are worth splitting into fields. ASCII literals are decided
// on ASCII-lower-cased bytes; a literal with other characters is searched by its longest ASCII run
// and confirmed on the decoded, lower-cased text, because byte folding cannot fold non-ASCII letters.

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
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_RUNS = /[\x00-\x7f]+/g;

export function planLiterals(literals: readonly string[] | undefined): LiteralPlan {
  if (literals === undefined) return { all: true, none: false, needles: [], verify: [], verifyAll: false };
  if (literals.length === 0) return { all: false, none: true, needles: [], verify: [], verifyAll: false };
  const needles: { bytes: Buffer; exact: boolean }[] = [];
  const verify: string[] = [];
  let verifyAll = false;
  const seen = new Set<string>();
  for (const raw of literals) {
    const literal = raw.toLowerCase();
    if (literal.length === 0) return { all: true, none: false, needles: [], verify: [], verifyAll: false };
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
  return { all: false, none: false, needles, verify, verifyAll };
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
 * `lower` (sorted, not overlapping), `isRecord[i]` says which entries are records at all. Each
 * needle is searched once over the batch; `Buffer.indexOf` has no end bound, so the search runs on
 * a view that ends where the batch ends.
 */
export function markCandidates(
  plan: LiteralPlan,
  lower: Buffer,
  starts: Int32Array,
  ends: Int32Array,
  isRecord: Uint8Array,
  count: number,
  marks: Uint8Array,
): void {
  if (count === 0) return;
  let from = -1;
  let to = -1;
  for (let i = 0; i < count; i++) {
    if (isRecord[i] !== 1) continue;
    if (from < 0) from = starts[i]!;
    to = ends[i]!;
  }
  if (from < 0) return;
  const view = lower.subarray(0, to);
  for (const needle of plan.needles) {
    const len = needle.bytes.length;
    const mark = needle.exact ? MARK_EXACT : MARK_CHECK;
    let at = view.indexOf(needle.bytes, from);
    while (at !== -1) {
      const i = itemAt(starts, count, at);
      const recordEnd = i >= 0 ? ends[i]! : -1;
      if (i >= 0 && isRecord[i] === 1 && at + len <= recordEnd) {
        marks[i] = marks[i]! | mark;
        // The record is settled; search on from its end.
        at = recordEnd < to ? view.indexOf(needle.bytes, recordEnd) : -1;
      } else {
        at = view.indexOf(needle.bytes, at + 1);
      }
    }
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
