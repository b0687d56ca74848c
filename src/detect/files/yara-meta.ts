// Reads each rule's name and `meta:` block from YARA source text. The YARA binding reports meta only
// for rules that match; exir needs it before scanning, to check every rule says its stage.

export interface RuleMetaText {
  name: string;
  /** 1-based line of the `rule` keyword. */
  line: number;
  meta: Record<string, string | number | boolean>;
}

function stripComments(source: string): string {
  // Keeps line breaks so line numbers stay right; leaves strings alone.
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '"') {
      const end = findStringEnd(source, i);
      out += source.slice(i, end);
      i = end;
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function findStringEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, source.length);
}

function unescape(value: string): string {
  return value.replace(/\\(["\\nrt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}

export function readRuleMeta(source: string): RuleMetaText[] {
  const text = stripComments(source);
  const rules: RuleMetaText[] = [];
  const header = /(?:^|\n)[ \t]*(?:(?:private|global)\s+)*rule\s+([A-Za-z_][A-Za-z0-9_]*)/g;
  const starts: { name: string; index: number }[] = [];
  for (let m = header.exec(text); m; m = header.exec(text)) starts.push({ name: m[1] ?? '', index: m.index + (m[0].startsWith('\n') ? 1 : 0) });
  starts.forEach((start, k) => {
    const body = text.slice(start.index, starts[k + 1]?.index ?? text.length);
    const line = text.slice(0, start.index).split('\n').length;
    const meta: Record<string, string | number | boolean> = {};
    const section = /\bmeta\s*:([\s\S]*?)(?:\bstrings\s*:|\bcondition\s*:)/.exec(body);
    if (section?.[1]) {
      const entry = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\\n]|\\.)*"|-?\d+|true|false)/g;
      for (let e = entry.exec(section[1]); e; e = entry.exec(section[1])) {
        const key = e[1] ?? '';
        const raw = e[2] ?? '';
        meta[key] = raw.startsWith('"') ? unescape(raw.slice(1, -1)) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
      }
    }
    rules.push({ name: start.name, line, meta });
  });
  return rules;
}
