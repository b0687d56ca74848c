// The literal pre-filter: which records are worth splitting into fields. The needles are searched
// over a whole batch of records at once, by the native addon (native/exir_scan.c) when it is built,
// else by case-insensitive regular expressions over the bytes read as latin1 (one code unit per
// byte, so positions are byte offsets, and without the `u` flag `i` folds ASCII letters only); both
// give the same marks. A literal with other characters is searched by its longest ASCII run and
// confirmed on the decoded, lower-cased text, because byte folding cannot fold non-ASCII letters.

import { nativeSearch, type NativeNeedles } from './native.js';

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
  /** The needles whose hit settles a record, in one case-insensitive alternation; undefined when none. */
  readonly exactPattern: RegExp | undefined;
  /** The other needles (a hit only means the text must be checked), the same way. */
  readonly checkPattern: RegExp | undefined;
  /** Lower-cased needle text → whether a hit settles the record. */
  readonly exact: ReadonlyMap<string, boolean>;
  /** The needles compiled for the native search; undefined when there are none or the JavaScript path is used. */
  readonly native: NativeNeedles | undefined;
}

const NO_NEEDLES = { exactPattern: undefined, checkPattern: undefined, exact: new Map<string, boolean>(), native: undefined };

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Shortest first: at one position the alternation takes the first alternative that matches, and a
 * hit running past its record's end is dropped; when the shortest one there does, every longer one does too.
 */
function alternation(texts: string[]): RegExp | undefined {
  if (texts.length === 0) return undefined;
  const ordered = [...texts].sort((a, b) => a.length - b.length);
  return new RegExp(ordered.map(escape).join('|'), 'gi');
}

function compileNative(exact: ReadonlyMap<string, boolean>): NativeNeedles | undefined {
  const search = nativeSearch();
  if (!search || exact.size === 0) return undefined;
  const texts = [...exact.keys()];
  const lengths = Int32Array.from(texts, (t) => t.length);
  const flags = Uint8Array.from(texts, (t) => (exact.get(t) === true ? 1 : 0));
  return search.compile(Buffer.from(texts.join(''), 'latin1'), lengths, flags);
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_RUNS = /[\x00-\x7f]+/g;

/** Plans by literal list: every file of a kind is read with the same list, and planning is not free. */
const planned = new Map<string, LiteralPlan>();
/** The same, by the list itself: the usual caller passes the same array for every file, and joining it for the key cost as much as the file's search. */
const plannedLists = [new WeakMap<readonly string[], LiteralPlan>(), new WeakMap<readonly string[], LiteralPlan>()] as const;
const PLANS_KEPT = 64;

/**
 * The search plan for a literal list (the same object for the same list). `native: false` plans for
 * the JavaScript path whatever is installed, so that the tests can compare the two.
 */
export function planLiterals(literals: readonly string[] | undefined, native = true): LiteralPlan {
  if (literals === undefined) return { all: true, none: false, needles: [], verify: [], verifyAll: false, ...NO_NEEDLES };
  if (literals.length === 0) return { all: false, none: true, needles: [], verify: [], verifyAll: false, ...NO_NEEDLES };
  const byList = plannedLists[native ? 1 : 0];
  const same = byList.get(literals);
  if (same) return same;
  const key = `${native ? 'n' : 'j'}\u0000${literals.join('\u0000')}`;
  let plan = planned.get(key);
  if (!plan) {
    plan = makePlan(literals, native);
    if (planned.size >= PLANS_KEPT) planned.clear();
    planned.set(key, plan);
  }
  byList.set(literals, plan);
  return plan;
}

function makePlan(literals: readonly string[], native: boolean): LiteralPlan {
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
  const texts = [...exact.keys()];
  return {
    all: false,
    none: false,
    needles,
    verify,
    verifyAll,
    exactPattern: alternation(texts.filter((t) => exact.get(t) === true)),
    checkPattern: alternation(texts.filter((t) => exact.get(t) !== true)),
    exact,
    native: native ? compileNative(exact) : undefined,
  };
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
 * Marks the records of one batch that hold a needle: MARK_EXACT when a needle whose hit settles it is
 * in the record, else MARK_CHECK when another needle is. `starts`/`ends` are the records' byte ranges
 * in `bytes` (sorted, not overlapping), `isRecord[i]` says which entries are records at all. A needle
 * counts only inside one record. The native search does it when the plan was compiled for it.
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
  if (count === 0) return;
  if (plan.native) {
    nativeSearch()?.mark(plan.native, bytes, starts, ends, isRecord, count, marks);
    return;
  }
  if (plan.exactPattern) searchBatch(plan.exactPattern, MARK_EXACT, bytes, starts, ends, isRecord, count, marks);
  if (plan.checkPattern) searchBatch(plan.checkPattern, MARK_CHECK, bytes, starts, ends, isRecord, count, marks);
}

/**
 * One pattern over the whole batch at once (one regular expression run beats one per record): each
 * hit inside a record marks it, and the search goes on from that record's end, as it is settled for
 * this pattern. Exact hits are searched first, so a record they settled is skipped by the second pass.
 */
function searchBatch(
  pattern: RegExp,
  mark: number,
  bytes: Buffer,
  starts: Int32Array,
  ends: Int32Array,
  isRecord: Uint8Array,
  count: number,
  marks: Uint8Array,
): void {
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
    if (i >= 0 && isRecord[i] === 1 && at + m[0].length <= ends[i]!) {
      if (mark === MARK_EXACT) marks[i] = MARK_EXACT;
      else if (marks[i] !== MARK_EXACT) marks[i] = marks[i]! | mark;
      pattern.lastIndex = ends[i]! - from;
      continue;
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

const WHOLE = { starts: new Int32Array(1), ends: new Int32Array(1), isRecord: Uint8Array.of(1), marks: new Uint8Array(1) };

/**
 * Whether `bytes`, taken as one record, may hold one of the plan's literals: an ASCII literal's hit
 * settles it, a non-ASCII one's ASCII run (or a literal with none) is enough to say maybe.
 */
export function mayHold(plan: LiteralPlan, bytes: Buffer): boolean {
  if (plan.all || plan.verifyAll) return true;
  if (plan.none || bytes.length === 0) return false;
  WHOLE.ends[0] = bytes.length;
  WHOLE.marks[0] = 0;
  markCandidates(plan, bytes, WHOLE.starts, WHOLE.ends, WHOLE.isRecord, 1, WHOLE.marks);
  return WHOLE.marks[0] !== 0;
}
