// The pre-filter: for a rule, lower-case literals of which at least one must occur in the raw text of any record the
// rule matches. It must never reject a record the rule would match; being loose only costs speed.

import type { Pattern } from './pattern.js';

/** null = no literal is required (the node can match records holding none of our literals). */
export type Literals = readonly string[] | null;

/** Shorter pieces would let nearly every record through, so they give no pre-filter at all. */
const MIN_LITERAL = 3;

/**
 * Characters a log may write differently from the field value: `"` is doubled in CSV and escaped in JSON and XML,
 * IIS writes spaces as `+`, readers split URLs at `?`, JSON escapes `\` and control characters, XML escapes
 * `&<>'`. Non-ASCII characters are cut too, so that every literal is ASCII and lower-casing the record and the
 * literal separately can never disagree (toLowerCase maps some non-ASCII letters onto ASCII ones, e.g. the Kelvin
 * sign onto `k`).
 */
function isSeparator(code: number): boolean {
  return (
    code < 0x20 ||
    code > 0x7e ||
    code === 0x20 || // space
    code === 0x22 || // "
    code === 0x26 || // &
    code === 0x27 || // '
    code === 0x2b || // +
    code === 0x3c || // <
    code === 0x3e || // >
    code === 0x3f || // ?
    code === 0x5c // \
  );
}

/**
 * The piece of the pattern's text, of those that survive any of the log encodings above, that is most
 * selective: the longest one that no common string holds (so Tunna's `proxy&port=` is found by `port=`, not
 * by the `proxy` of every `/rpc/rpcproxy.dll` line), else the longest; null if every piece is too short.
 */
export function valueLiteral(p: Pattern): string | null {
  const pieces: string[] = [];
  let piece = '';
  const end = (): void => {
    if (piece.length >= MIN_LITERAL) pieces.push(piece.toLowerCase());
    piece = '';
  };
  for (const part of p) {
    if (part.kind !== 'text') {
      end();
      continue;
    }
    const t = part.text;
    for (let i = 0; i < t.length; i++) {
      const code = t.charCodeAt(i);
      if (isSeparator(code)) end();
      else piece += t[i];
    }
  }
  end();
  let best: string | null = null;
  for (const l of pieces) if (best === null || betterPiece(l, best)) best = l;
  return best;
}

function betterPiece(a: string, b: string): boolean {
  const ca = isCommon(a);
  if (ca !== isCommon(b)) return !ca;
  return a.length > b.length;
}

function isCommon(l: string): boolean {
  return l.length < SHORT || common.some((c) => c.includes(l));
}

/**
 * Gives `node` a `literals` property worked out the first time it is read, then kept. A node under NOT is
 * never asked (its filters name Exchange's hundreds of stock pages), and a rule's literals are read while
 * its compile runs, so `common` is still the compile's own.
 */
export function lazyLiterals<T extends object>(node: T, compute: () => Literals): T & { readonly literals: Literals } {
  let done = false;
  let value: Literals = null;
  return Object.defineProperty(node, 'literals', {
    enumerable: true,
    get: (): Literals => {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    },
  }) as T & { readonly literals: Literals };
}

/** OR: any child may be the one that matched, so every child must give literals. */
export function anyOf(children: readonly Literals[]): Literals {
  if (children.length === 0) return null;
  const all: string[] = [];
  for (const c of children) {
    if (c === null) return null;
    all.push(...c);
  }
  return minimalUnion(all);
}

/**
 * AND: every child matched, so any one child's literals will do; take the most selective (its shortest literal
 * longest, then its literals longest on average, then the fewest literals). Longer literals are rarer: a set of
 * folder names (`/aspnet_client/`, `/owa/auth/`) passes far fewer IIS lines than a set of extensions (`.asmx`).
 */
export function allOf(children: readonly Literals[]): Literals {
  let best: Literals = null;
  for (const c of children) {
    if (c === null || c.length === 0) continue;
    if (best === null || better(c, best)) best = c;
  }
  return best;
}

/**
 * Literals known to stand in a large share of ordinary lines (an Exchange protocol's own URL path):
 * a branch that needs one passes nearly every line of that protocol's log, so another branch is
 * preferred. Set for the duration of one compile by `withCommonLiterals`.
 */
let common: readonly string[] = [];

/** Runs a (synchronous) compile with these literals counted as common. */
export function withCommonLiterals<T>(literals: readonly string[], compile: () => T): T {
  const before = common;
  common = literals.map((l) => l.toLowerCase());
  try {
    return compile();
  } finally {
    common = before;
  }
}

/** Shorter than this, a literal (`200`, `post`, `ip=`) turns up in most lines by chance. */
const SHORT = 5;

/** A literal that a common string holds occurs at least as often as that string does. */
function commonCount(set: readonly string[]): number {
  return set.filter(isCommon).length;
}

function better(a: readonly string[], b: readonly string[]): boolean {
  const ca = commonCount(a);
  const cb = commonCount(b);
  if (ca > 0 !== cb > 0) return ca === 0;
  const ma = Math.min(...a.map((s) => s.length));
  const mb = Math.min(...b.map((s) => s.length));
  if (ma !== mb) return ma > mb;
  const meanA = a.reduce((n, s) => n + s.length, 0) / a.length;
  const meanB = b.reduce((n, s) => n + s.length, 0) / b.length;
  if (meanA !== meanB) return meanA > meanB;
  return a.length < b.length;
}

/** Up to this many kept literals, trying each with the engine's own `includes` costs less than a search. */
const FEW = 32;

/**
 * A literal containing another literal of the set adds nothing: wherever it occurs, the shorter one does too.
 * Shortest first, a literal is kept unless a kept one occurs in it; containment is transitive, so checking the kept
 * ones is enough. Rules list hundreds of URL paths, so past a few kept literals they are looked up by their first
 * character and a binary search, from each position of the candidate, rather than tried one by one.
 */
function minimalUnion(literals: readonly string[]): string[] {
  const unique = [...new Set(literals)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  const byFirst = new Map<number, string[]>();
  for (const s of unique) {
    if (kept.length <= FEW ? kept.some((k) => s.includes(k)) : holdsOneOf(byFirst, s)) continue;
    kept.push(s);
    const bucket = byFirst.get(s.charCodeAt(0));
    if (bucket) bucket.splice(upperBound(bucket, s), 0, s);
    else byFirst.set(s.charCodeAt(0), [s]);
  }
  return kept;
}

/**
 * Whether one of the kept literals (by first character, each list in the order of `<`, none containing another)
 * occurs in s. No kept literal is a prefix of another, so if one starts s at some position, it is the greatest one
 * not after the rest of s from there.
 */
function holdsOneOf(byFirst: ReadonlyMap<number, readonly string[]>, s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const bucket = byFirst.get(s.charCodeAt(i));
    if (!bucket) continue;
    const rest = s.slice(i);
    const at = upperBound(bucket, rest) - 1;
    if (at >= 0 && rest.startsWith(bucket[at]!)) return true;
  }
  return false;
}

/** The index of the first of `ordered` after s. */
function upperBound(ordered: readonly string[], s: string): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ordered[mid]! <= s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
