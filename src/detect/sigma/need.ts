// What a rule needs of a record's raw text, as a tree the same shape as its condition: every string
// a branch of AND tests, not only the one literal the byte search looks for. The scanner searches
// for `literals` (one string per rule is enough to find candidates) and then checks the whole need
// on the few records the search lets through, so a rule keyed on `s-port: 444` and a query starting
// `t=` no longer makes every line of a back-end IIS log a candidate.
//
// A leaf keeps which field it tests and whether its text starts or ends the field's value: a log whose
// values are written whole between separators (IIS W3C: space-separated, no value holds a space) can
// then ask for the separator too (` t=` rather than `t=`, ` 444 ` rather than `444`). Whether a log
// can is decided per source (see `resolveNeed`); the tree says only what the rule tests.

import type { Pattern } from './pattern.js';

/** A lower-case ASCII piece of a value the field must hold; `start`/`end`: the value begins/ends with it. */
export interface NeedText {
  readonly text: string;
  /** The Sigma field name; '' for a keyword (the record's whole text). */
  readonly field: string;
  readonly start: boolean;
  readonly end: boolean;
}

/** null: nothing can be said (the node may match a record holding none of its strings). */
export type NeedNode = NeedText | { readonly all: readonly NeedNode[] } | { readonly any: readonly NeedNode[] } | null;

/** Where a need is read from: computed on first use, never under NOT. */
export type LazyNeed = () => NeedNode;

export const NO_NEED: LazyNeed = () => null;

/**
 * The same characters valueLiteral cuts at (a log may write them otherwise: `+` for a space, `""`
 * for `"`, escapes in JSON and XML, `?` between stem and query), and any non-ASCII one.
 */
function isCut(code: number): boolean {
  return (
    code <= 0x20 ||
    code > 0x7e ||
    code === 0x22 ||
    code === 0x26 ||
    code === 0x27 ||
    code === 0x2b ||
    code === 0x3c ||
    code === 0x3e ||
    code === 0x3f ||
    code === 0x5c
  );
}

/**
 * The piece of a (lower-cased) pattern a matching value must hold, preferring one that starts or ends
 * the value (a separated log can then ask for its separator too), then the longest; null when none
 * is there. Patterns carry the stars their position adds (contains: both ends, startswith: the end).
 */
export function patternNeed(field: string, p: Pattern, anchorable: boolean): NeedText | null {
  const pieces: NeedText[] = [];
  let piece = '';
  let pieceStart = false;
  let atStart = true;
  const end = (isEnd: boolean): void => {
    if (piece !== '') pieces.push({ text: piece.toLowerCase(), field, start: anchorable && pieceStart, end: anchorable && isEnd });
    piece = '';
  };
  for (const [k, part] of p.entries()) {
    if (part.kind !== 'text') {
      end(false);
      atStart = false;
      continue;
    }
    const t = part.text;
    const lastPart = k === p.length - 1;
    for (let i = 0; i < t.length; i++) {
      if (isCut(t.charCodeAt(i))) {
        end(false);
        atStart = false;
        continue;
      }
      if (piece === '') pieceStart = atStart;
      piece += t[i];
    }
    if (lastPart) end(true);
    else end(false);
    atStart = false;
  }
  let best: NeedText | null = null;
  for (const n of pieces) if (best === null || score(n) > score(best)) best = n;
  return best;
}

function score(n: NeedText): number {
  return n.text.length + (n.start ? 1 : 0) + (n.end ? 1 : 0);
}

/** AND: every child's need holds. */
export function needAll(children: readonly NeedNode[]): NeedNode {
  const kept = children.filter((c) => c !== null);
  if (kept.length === 0) return null;
  return kept.length === 1 ? (kept[0] as NeedNode) : { all: kept };
}

/** OR (and "n of"): one child matched, so only a need every child has can be asked. */
export function needAny(children: readonly NeedNode[]): NeedNode {
  if (children.length === 0 || children.some((c) => c === null)) return null;
  return children.length === 1 ? (children[0] as NeedNode) : { any: children };
}

/** A clause: any one of its strings; a need in this form: every clause. */
export type Clauses = readonly (readonly string[])[];

/** How one source writes a field's value in its raw text: `separated` when whole between spaces. */
export type FieldWriting = (field: string) => 'separated' | 'free';

/** Pieces shorter than this, unanchored, are in most lines by chance: they add nothing to a check. */
const MIN_NEED = 3;

/**
 * The need as clauses of strings to look for in ` ${raw.toLowerCase()} ` (a space either side, so a
 * value at the start or end of the record has its separator too), for a source that writes fields as
 * `writing` says. Sound: whenever the rule matches, every clause has a string in that text. [] when
 * nothing can be asked.
 */
export function resolveNeed(node: NeedNode, writing: FieldWriting): Clauses {
  if (node === null) return [];
  if ('all' in node) return dedupe(node.all.flatMap((c) => resolveNeed(c, writing)));
  if ('any' in node) {
    const branches = node.any.map((c) => resolveNeed(c, writing));
    if (branches.some((c) => c.length === 0)) return [];
    // A record matching one branch holds a string of each of that branch's clauses, so of each
    // clause made of one clause from every branch: every such crossing is asked while they are few.
    // Past that, one clause from each branch, the most selective. (One clause each was all it asked
    // until December 2026: `/ecp/` OR (`/ecp/` AND `.js`) let every request under /ecp/ through.)
    return crossed(branches) ?? [[...new Set(branches.flatMap((c) => pickClause(c)))]];
  }
  const separated = node.field !== '' && writing(node.field) === 'separated';
  const text = `${separated && node.start ? ' ' : ''}${node.text}${separated && node.end ? ' ' : ''}`;
  return text.length >= MIN_NEED ? [[text]] : [];
}

/** Crossings of an OR's branches past this many: one clause of each branch instead (each clause is a bit of the source's check, which holds 64). */
const MAX_CROSSED = 4;

/** Every clause made of one clause of each branch, those implied by another left out; undefined past MAX_CROSSED. */
function crossed(branches: readonly Clauses[]): Clauses | undefined {
  let out: (readonly string[])[] = [[]];
  for (const clauses of branches) {
    if (out.length * clauses.length > MAX_CROSSED) return undefined;
    out = out.flatMap((acc) => clauses.map((c) => [...new Set([...acc, ...c])]));
  }
  // A clause holding all of another's strings is met whenever that one is: it asks nothing more.
  const kept = dedupe(out);
  return kept.filter((c) => !kept.some((other) => other.length < c.length && other.every((s) => c.includes(s))));
}

function pickClause(clauses: Clauses): readonly string[] {
  let best = clauses[0] as readonly string[];
  for (const c of clauses) if (weakest(c) > weakest(best) || (weakest(c) === weakest(best) && c.length < best.length)) best = c;
  return best;
}

function weakest(clause: readonly string[]): number {
  return Math.min(...clause.map((s) => s.length));
}

function dedupe(clauses: Clauses): Clauses {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = [...c].sort().join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
