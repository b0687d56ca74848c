// The condition language: `and`, `or`, `not`, parentheses, `1 of x*`, `all of them`. Binding, loosest first:
// or, and, not, `x of`, parentheses (the spec's order).

import { RuleProblem } from './problem.js';

export type Condition =
  | { op: 'and' | 'or'; args: Condition[] }
  | { op: 'not'; arg: Condition }
  | { op: 'ref'; name: string; at: number }
  /** `count` 1 is "1 of", a larger number "at least n of"; null pattern = `them`. */
  | { op: 'of'; count: number | 'all'; pattern: string | null; at: number };

interface Token {
  text: string;
  /** Offset in the condition string. */
  at: number;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(src)) !== null) {
    const text = m[1] as string;
    tokens.push({ text, at: m.index + m[0].length - text.length });
    end = re.lastIndex;
  }
  if (src.slice(end).trim() !== '') throw new RuleProblem('condition could not be read');
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', '(', ')']);

/** Errors carry `at` as an offset within `src`; the caller adds the condition's own position. */
export function parseCondition(src: string): Condition {
  const pipe = src.indexOf('|');
  if (pipe >= 0) throw new RuleProblem('aggregations in conditions (| count() …) are not supported', pipe);
  const tokens = tokenize(src);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (what: string, t: Token | undefined): never => {
    throw new RuleProblem(t === undefined ? `${what} at end of condition` : `${what}, found '${t.text}'`, t?.at ?? src.length);
  };

  const parseOr = (): Condition => {
    const args = [parseAnd()];
    while (peek()?.text === 'or') {
      i++;
      args.push(parseAnd());
    }
    return args.length === 1 ? (args[0] as Condition) : { op: 'or', args };
  };
  const parseAnd = (): Condition => {
    const args = [parseNot()];
    while (peek()?.text === 'and') {
      i++;
      args.push(parseNot());
    }
    return args.length === 1 ? (args[0] as Condition) : { op: 'and', args };
  };
  const parseNot = (): Condition => {
    if (peek()?.text === 'not') {
      i++;
      return { op: 'not', arg: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Condition => {
    const t = peek();
    if (t === undefined) return fail('expected a selection', t);
    if (t.text === '(') {
      i++;
      const inner = parseOr();
      if (peek()?.text !== ')') fail("expected ')'", peek());
      i++;
      return inner;
    }
    if (tokens[i + 1]?.text === 'of' && (t.text === 'all' || /^[0-9]+$/.test(t.text))) {
      i += 2;
      const count = t.text === 'all' ? 'all' : Number(t.text);
      if (count === 0) fail("expected '1 of' or 'all of'", t);
      const target = peek();
      if (target === undefined || (KEYWORDS.has(target.text) && target.text !== 'them')) {
        return fail("expected 'them' or a selection pattern", target);
      }
      i++;
      return { op: 'of', count, pattern: target.text === 'them' ? null : target.text, at: t.at };
    }
    if (KEYWORDS.has(t.text)) return fail('expected a selection', t);
    i++;
    return { op: 'ref', name: t.text, at: t.at };
  };

  const result = parseOr();
  if (i < tokens.length) fail("expected 'and' or 'or'", peek());
  return result;
}

/** `*` in an `of` pattern stands for any run of characters; nothing else is special. */
export function selectionPattern(pattern: string): RegExp {
  const src = pattern
    .split('*')
    .map((s) => s.replace(/[\\^$.+?()[\]{}|/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${src}$`);
}
