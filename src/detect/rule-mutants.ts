// Mutation testing of the shipped rules' conditions: each rule is changed one small step at a time
// (a selection that never matches, an item of a selection left out) and run on its own samples. A
// change no sample notices is a part of the rule that nothing pins: a near miss should show why the
// item is there, or the item is redundant and says so in rules/unpinned.yml.

import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { checkRuleText, sampleContext } from './rule-samples.js';
import { findRuleFiles } from './ruleset.js';

/** One changed copy of a rule: what was changed, and the rule's text after it. */
export interface RuleMutant {
  change: string;
  text: string;
}

/** What running one mutant on its rule's samples showed. */
export interface MutantOutcome {
  rule: string;
  change: string;
  outcome: 'killed' | 'survived' | 'does not load';
}

// A field no log has: a selection made of it never matches.
const NEVER = { 'exir-mutant-never': 'never' };

const SKIPPED_KEYS = new Set(['condition', 'timeframe']);

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** Every mutant of one rule file's text, in the order its selections are written. */
export function ruleMutants(text: string): RuleMutant[] {
  const detection = parseDocument(text).get('detection');
  if (!isMap(detection)) return [];
  const out: RuleMutant[] = [];
  const changed = (edit: (doc: ReturnType<typeof parseDocument>) => void): string => {
    const doc = parseDocument(text);
    edit(doc);
    return doc.toString();
  };
  for (const pair of detection.items) {
    const name = keyOf(pair);
    if (SKIPPED_KEYS.has(name)) continue;
    out.push({ change: `${name}: never matches`, text: changed((d) => d.setIn(['detection', name], d.createNode(NEVER))) });
    const dropEach = (path: (string | number)[], node: unknown, shown: string): void => {
      if (!isMap(node) || node.items.length < 2) return;
      for (const item of node.items) {
        const key = keyOf(item);
        out.push({ change: `${shown}: without ${key}`, text: changed((d) => (d.getIn(['detection', ...path]) as YAMLMap).delete(key)) });
      }
    };
    if (isSeq(pair.value)) pair.value.items.forEach((item, i) => dropEach([name, i], item, `${name}[${i}]`));
    else dropEach([name], pair.value, name);
  }
  return out;
}

/** Runs every mutant of every rule under `rulesDir` on the rule's samples. */
export async function runRuleMutants(rulesDir: string): Promise<MutantOutcome[]> {
  const ctx = await sampleContext();
  const outcomes: MutantOutcome[] = [];
  for (const file of await findRuleFiles(rulesDir)) {
    const rule = relative(rulesDir, file);
    for (const mutant of ruleMutants(await readFile(file, 'utf8'))) {
      const checks = await checkRuleText(mutant.text, file, rulesDir, ctx);
      const outcome = checks.some((c) => c.message.startsWith('does not load')) ? 'does not load' : checks.every((c) => c.ok) ? 'survived' : 'killed';
      outcomes.push({ rule, change: mutant.change, outcome });
    }
  }
  return outcomes;
}
