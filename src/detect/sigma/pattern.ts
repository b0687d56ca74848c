// A Sigma string value as a sequence of plain text and wildcards, after the spec's escaping rules.

/** `*` any run of characters, `?` exactly one, `dash` one of the windash characters. */
export type Part = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' } | { kind: 'dash' };
export type Pattern = readonly Part[];

/** The characters the `windash` modifier treats as interchangeable. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

const STAR: Part = { kind: 'star' };
const ONE: Part = { kind: 'one' };

/**
 * Per the spec: `\*` and `\?` are plain characters, `\\` is one backslash, and a backslash before anything
 * else (or at the end) is itself plain, so `C:\Windows` needs no doubling.
 */
export function parseWildcards(value: string): Pattern {
  const parts: Part[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else {
        text += c;
      }
    } else if (c === '*') {
      flush();
      if (parts[parts.length - 1]?.kind !== 'star') parts.push(STAR);
    } else if (c === '?') {
      flush();
      parts.push(ONE);
    } else {
      text += c;
    }
  }
  flush();
  return parts;
}

export function plain(text: string): Pattern {
  return text === '' ? [] : [{ kind: 'text', text }];
}

function hasWildcards(p: Pattern): boolean {
  return p.some((x) => x.kind !== 'text');
}

/** The pattern's text when it holds no wildcard, else undefined. */
export function plainText(p: Pattern): string | undefined {
  if (hasWildcards(p)) return undefined;
  return p.map((x) => (x.kind === 'text' ? x.text : '')).join('');
}

export function withLeadingStar(p: Pattern): Pattern {
  return p[0]?.kind === 'star' ? p : [STAR, ...p];
}

export function withTrailingStar(p: Pattern): Pattern {
  return p[p.length - 1]?.kind === 'star' ? p : [...p, STAR];
}

export function lowerPattern(p: Pattern): Pattern {
  return p.map((x) => (x.kind === 'text' ? { kind: 'text', text: x.text.toLowerCase() } : x));
}

/** Joins adjacent text parts and repeated stars, so matchers see the fewest pieces. */
export function normalise(p: Pattern): Pattern {
  const out: Part[] = [];
  for (const x of p) {
    const last = out[out.length - 1];
    if (x.kind === 'text') {
      if (x.text === '') continue;
      if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + x.text };
      else out.push(x);
    } else if (x.kind === 'star' && last?.kind === 'star') {
      continue;
    } else {
      out.push(x);
    }
  }
  return out;
}
