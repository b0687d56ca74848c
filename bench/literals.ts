// The literals exir's pre-filter looks for, over every source: what ripgrep is given to find, and
// what the search bench searches for.

import { Detector } from '../src/detect/detector.js';
import { loadMappings } from '../src/detect/mapping.js';
import { loadRuleset, MAPPINGS_DIR, SHIPPED_SIGMA_DIR } from '../src/detect/ruleset.js';

export async function shippedLiterals(): Promise<string[]> {
  const mappings = await loadMappings(MAPPINGS_DIR);
  const detector = new Detector(await loadRuleset([SHIPPED_SIGMA_DIR], mappings), mappings);
  const all = new Set<string>();
  for (const kind of mappings.keys()) for (const l of detector.plan(kind).literals ?? []) all.add(l);
  return [...all].sort();
}
