// The pre-filter's second step: the byte search finds records holding one rule's literal; this asks
// whether some rule could match the record at all, by every string that rule tests
// (detect/sigma/need.ts). It runs only on the records the search let through, on their text with a
// space before and after it, so that a value at the start or end of a space-separated row has its
// separator too. Each string carries the bits of the clauses it satisfies; one search of a record
// gives the clauses it meets (natively when the addon is built), and a rule's clauses are then one
// mask test, not a string search each.

import { nativeSearch, type NativeNeedles } from './native.js';

/**
 * Alternatives (one a rule, or a context literal): a record is wanted when one of them holds, and
 * one holds when each of its clauses has one of its strings in the record's text.
 */
export type RecordNeeds = readonly (readonly (readonly string[])[])[];

/** Whether `text` (a record's text as it is) meets one of the alternatives, ASCII letters folded. */
export function meetsNeeds(needs: RecordNeeds, text: string): boolean {
  const padded = ` ${foldAscii(text)} `;
  return needs.some((clauses) => clauses.every((clause) => clause.some((s) => padded.includes(s))));
}

/** A record's text as the byte search compares it: ASCII letters folded, every other character as it is. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Clauses are bits of two 32-bit words: past this many the check is not made (every candidate passes). */
const MAX_CLAUSES = 64;

export interface NeedsPlan {
  /** The distinct strings, lower-cased, and for each the clauses it satisfies (two words a string). */
  readonly strings: readonly string[];
  readonly masks: Uint32Array;
  /** Each alternative's clauses, two words each. */
  readonly alternatives: Uint32Array;
  readonly native: NativeNeedles | undefined;
  /**
   * The JavaScript path: every string, longest first, looked ahead for at each position (so strings
   * that overlap are all seen); at one position it takes the longest, and any other string there is a
   * prefix of it, so `prefixMasks` holds each string's masks with those of its prefixes.
   */
  readonly starting: RegExp;
  readonly prefixMasks: Uint32Array;
  /** Each string's place in `strings`, for the JavaScript path's matches. */
  readonly index: ReadonlyMap<string, number>;
}

const plans = [new WeakMap<RecordNeeds, NeedsPlan | null>(), new WeakMap<RecordNeeds, NeedsPlan | null>()] as const;

/** The check compiled (the same object for the same needs); undefined when it cannot be made. `native: false` for the JavaScript path. */
export function planNeeds(needs: RecordNeeds, native = true): NeedsPlan | undefined {
  const cache = plans[native ? 1 : 0];
  let plan = cache.get(needs);
  if (plan === undefined) {
    plan = makePlan(needs, native);
    cache.set(needs, plan);
  }
  return plan ?? undefined;
}

/** A clause's name among the plan's bits: the same strings in any order are one clause. */
function clauseKey(clause: readonly string[]): string {
  return [...clause].sort().join('\u0000');
}

interface ClauseBits {
  /** Clause (by clauseKey) → its bit. */
  readonly bits: ReadonlyMap<string, number>;
  /** Each lower-cased string → the bits of the clauses it satisfies. */
  readonly bitsOf: ReadonlyMap<string, number[]>;
  readonly alternatives: Uint32Array;
}

const clauseBitsMade = new WeakMap<RecordNeeds, ClauseBits | null>();

/**
 * The bit of each clause of the needs, as the plan's and the record's masks number them (the same
 * for both searches); null when no check can be made of them.
 */
function clauseBitsOf(needs: RecordNeeds): ClauseBits | null {
  let made = clauseBitsMade.get(needs);
  if (made === undefined) {
    made = makeClauseBits(needs);
    clauseBitsMade.set(needs, made);
  }
  return made;
}

function makeClauseBits(needs: RecordNeeds): ClauseBits | null {
  const clauseBits = new Map<string, number>();
  const alternatives = new Uint32Array(needs.length * 2);
  const bitsOf = new Map<string, number[]>();
  for (const [a, clauses] of needs.entries()) {
    if (clauses.length === 0) return null;
    for (const clause of clauses) {
      if (clause.length === 0) return null;
      const key = clauseKey(clause);
      let bit = clauseBits.get(key);
      if (bit === undefined) {
        bit = clauseBits.size;
        if (bit >= MAX_CLAUSES) return null;
        clauseBits.set(key, bit);
        for (const s of new Set(clause)) {
          const text = s.toLowerCase();
          // The byte search folds ASCII letters only: a string with other characters cannot be searched for.
          if (text.length === 0 || !/^[\x00-\x7f]*$/.test(text)) return null;
          bitsOf.set(text, [...(bitsOf.get(text) ?? []), bit]);
        }
      }
      alternatives[a * 2 + (bit >> 5)]! |= 1 << (bit & 31);
    }
  }
  return { bits: clauseBits, bitsOf, alternatives };
}

/**
 * The clause bits (low word, high word) a record must have met for one alternative of `needs`
 * (`clauses`, e.g. one rule's) to hold: its clauses must be among those of `needs`. Undefined when
 * the check of `needs` cannot be made or a clause is not one of theirs: then nothing can be said.
 */
export function clauseMask(needs: RecordNeeds, clauses: readonly (readonly string[])[]): readonly [number, number] | undefined {
  const made = clauseBitsOf(needs);
  if (!made || clauses.length === 0) return undefined;
  let lo = 0;
  let hi = 0;
  for (const clause of clauses) {
    const bit = made.bits.get(clauseKey(clause));
    if (bit === undefined) return undefined;
    if (bit < 32) lo |= 1 << bit;
    else hi |= 1 << (bit - 32);
  }
  return [lo, hi];
}

function makePlan(needs: RecordNeeds, native: boolean): NeedsPlan | null {
  const made = clauseBitsOf(needs);
  if (!made) return null;
  const { bitsOf, alternatives } = made;
  const strings = [...bitsOf.keys()];
  const masks = new Uint32Array(strings.length * 2);
  strings.forEach((s, i) => {
    for (const bit of bitsOf.get(s) ?? []) masks[i * 2 + (bit >> 5)]! |= 1 << (bit & 31);
  });
  const search = native ? nativeSearch() : undefined;
  const compiled = search
    ? search.compile(
        Buffer.from(strings.join(''), 'latin1'),
        Int32Array.from(strings, (s) => s.length),
        new Uint8Array(strings.length),
        masks,
      )
    : undefined;
  const longestFirst = strings.map((_, i) => i).sort((a, b) => (strings[b] as string).length - (strings[a] as string).length);
  const starting = new RegExp(`(?=(${longestFirst.map((i) => escape(strings[i] as string)).join('|')}))`, 'gi');
  const prefixMasks = new Uint32Array(strings.length * 2);
  strings.forEach((s, i) => {
    strings.forEach((p, k) => {
      if (!s.startsWith(p)) return;
      prefixMasks[i * 2]! |= masks[k * 2]!;
      prefixMasks[i * 2 + 1]! |= masks[k * 2 + 1]!;
    });
  });
  return { strings, masks, alternatives, native: compiled, starting, prefixMasks, index: new Map(strings.map((s, k) => [s, k])) };
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * For each record of a batch with `wanted[i]` set, `out[2i]`, `out[2i+1]` = the clauses it meets.
 * `starts`/`ends` are the records' byte ranges in `bytes`.
 */
export function clauseHits(plan: NeedsPlan, bytes: Buffer, starts: Int32Array, ends: Int32Array, wanted: Uint8Array, count: number, out: Uint32Array): void {
  if (plan.native) {
    nativeSearch()?.hits(plan.native, bytes, starts, ends, wanted, count, out);
    return;
  }
  const { index, starting: re } = plan;
  for (let i = 0; i < count; i++) {
    if (wanted[i] === 0) continue;
    // latin1: one character a byte; without the `u` flag, `i` folds ASCII letters only, as the native search does.
    const padded = ` ${bytes.toString('latin1', starts[i], ends[i])} `;
    let lo = 0;
    let hi = 0;
    re.lastIndex = 0;
    for (let m = re.exec(padded); m !== null; m = re.exec(padded)) {
      const k = index.get((m[1] as string).toLowerCase()) as number;
      lo |= plan.prefixMasks[k * 2]!;
      hi |= plan.prefixMasks[k * 2 + 1]!;
      re.lastIndex = m.index + 1;
    }
    out[i * 2] = lo;
    out[i * 2 + 1] = hi;
  }
}

/** Whether the clauses met (`lo`, `hi`) hold every clause of one alternative. */
export function meetsOne(plan: NeedsPlan, lo: number, hi: number): boolean {
  const alts = plan.alternatives;
  for (let a = 0; a < alts.length; a += 2) {
    if ((alts[a]! & ~lo) === 0 && (alts[a + 1]! & ~hi) === 0) return true;
  }
  return false;
}
