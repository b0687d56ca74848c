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

const compiledOnce = new WeakMap<Placeholders, Map<string, unknown>>();

/**
 * An item naming a placeholder compiled once per set of placeholders, however many rules name it:
 * five rules name Exchange's 635 stock pages, and compiling that list was most of compiling the rules.
 * Compiled items hold no state of their rule, so sharing one is safe; a failure is not kept. Only for
 * items without `|all`: their pre-filter literals then do not depend on the common literals.
 */
export function expandedOnce<T>(key: string, values: readonly ItemValue[], compile: (expanded: ItemValue[]) => T): T {
  let done = compiledOnce.get(current);
  if (!done) {
    done = new Map();
    compiledOnce.set(current, done);
  }
  const id = JSON.stringify([key, values.map((v) => [v.kind, v.text])]);
  if (done.has(id)) return done.get(id) as T;
  const compiled = compile(expandValues(values));
  done.set(id, compiled);
  return compiled;
}
