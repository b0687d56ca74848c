// Turns a pattern into the cheapest test that decides it: equality, startsWith, endsWith, includes, an indexOf
// chain for `a*b*c`, and a RegExp only when `?` or a windash class sits in the pattern.

import { normalise, type Pattern } from './pattern.js';

export type StringTest = (s: string) => boolean;

const DASH_CLASS = '[-/\u2013\u2014\u2015]';

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** An anchored RegExp for the whole pattern; `s` so that wildcards also span line breaks. */
export function patternRegExp(p: Pattern): RegExp {
  let src = '^';
  for (const x of p) {
    if (x.kind === 'text') src += escapeRegExp(x.text);
    else if (x.kind === 'star') src += '.*';
    else if (x.kind === 'one') src += '.';
    else src += DASH_CLASS;
  }
  return new RegExp(src + '$', 's');
}

/** The test compares the pattern as given: lower-case both sides beforehand for case-insensitive matching. */
export function compileStringTest(pattern: Pattern): StringTest {
  const p = normalise(pattern);
  if (p.some((x) => x.kind === 'one' || x.kind === 'dash')) {
    const re = patternRegExp(p);
    return (s) => re.test(s);
  }
  const texts = p.flatMap((x) => (x.kind === 'text' ? [x.text] : []));
  const first = p[0];
  const last = p[p.length - 1];
  if (first === undefined || last === undefined) return (s) => s === '';
  const anchoredStart = first.kind === 'text';
  const anchoredEnd = last.kind === 'text';
  if (texts.length === 0) return () => true;
  if (texts.length === 1) {
    const t = texts[0] as string;
    if (anchoredStart && anchoredEnd) return (s) => s === t;
    if (anchoredStart) return (s) => s.startsWith(t);
    if (anchoredEnd) return (s) => s.endsWith(t);
    return (s) => s.includes(t);
  }
  return chainTest(texts, anchoredStart, anchoredEnd);
}

/** Leftmost-first search is exact for `*`-only patterns: taking each piece as early as possible never loses a match. */
function chainTest(texts: readonly string[], anchoredStart: boolean, anchoredEnd: boolean): StringTest {
  const head = anchoredStart ? (texts[0] as string) : undefined;
  const tail = anchoredEnd ? (texts[texts.length - 1] as string) : undefined;
  const middle = texts.slice(head === undefined ? 0 : 1, tail === undefined ? texts.length : texts.length - 1);
  return (s) => {
    let pos = 0;
    let end = s.length;
    if (head !== undefined) {
      if (!s.startsWith(head)) return false;
      pos = head.length;
    }
    if (tail !== undefined) {
      end = s.length - tail.length;
      if (end < pos || !s.endsWith(tail)) return false;
    }
    for (let i = 0; i < middle.length; i++) {
      const t = middle[i] as string;
      const at = s.indexOf(t, pos);
      if (at < 0 || at + t.length > end) return false;
      pos = at + t.length;
    }
    return true;
  };
}
