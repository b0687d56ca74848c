// Sigma's `expand` modifier: a value `%name%` stands for a list kept outside the rule (pySigma's
// placeholders), so a long list of facts (Exchange's stock pages) lives in one data file, not in
// every rule that needs it.

import type { ItemValue } from './rule-data.js';
import { RuleProblem } from './problem.js';

export type Placeholders = ReadonlyMap<string, readonly string[]>;

let current: Placeholders = new Map();

/** Runs a (synchronous) compile with these placeholders defined. */
export function withPlaceholders<T>(placeholders: Placeholders, compile: () => T): T {
  const before = current;
  current = placeholders;
  try {
    return compile();
  } finally {
    current = before;
  }
}

/** Each `%name%` value becomes the placeholder's values; an undefined name is the rule's mistake. */
export function expandValues(values: readonly ItemValue[]): ItemValue[] {
  const out: ItemValue[] = [];
  for (const v of values) {
    const m = /^%([A-Za-z0-9_.-]+)%$/.exec(v.text);
    if (v.kind !== 'string' || !m?.[1]) throw new RuleProblem(`expand needs a %placeholder% value, got '${v.text}'`, v.at);
    const list = current.get(m[1]);
    if (!list) throw new RuleProblem(`unknown placeholder %${m[1]}%`, v.at);
    if (list.length === 0) throw new RuleProblem(`placeholder %${m[1]}% is empty`, v.at);
    for (const text of list) out.push({ kind: 'string', text, ...(v.at === undefined ? {} : { at: v.at }) });
  }
  return out;
}
