import type { Finding } from '../core/types.js';
import type { ExirRule } from '../detect/ruleset.js';

/**
 * Findings of rules that mean something only after another (`after_rules`: the OAB virtual directory
 * set back after a script was written into it) are kept when such a finding on the same server came
 * before them within the rule's time, and say which; without one they are an administrator's
 * everyday change and are dropped.
 */
export function keepFollowers(findings: Finding[], rules: readonly Pick<ExirRule, 'id' | 'after'>[]): Finding[] {
  const after = new Map(rules.filter((r) => r.after).map((r) => [r.id, r.after!]));
  if (after.size === 0) return findings;
  return findings.filter((f) => {
    const need = after.get(f.ruleId);
    if (!need) return true;
    const t = f.time ? Date.parse(f.time) : NaN;
    if (Number.isNaN(t)) return false;
    let first: Finding | undefined;
    for (const g of findings) {
      if (g.server !== f.server || !need.rules.includes(g.ruleId) || !g.time) continue;
      const gt = Date.parse(g.time);
      if (gt <= t && t - gt <= need.withinMs && (!first || gt < Date.parse(first.time as string))) first = g;
    }
    if (!first) return false;
    f.fields['after'] = `${first.title}, ${first.time} (${first.origin.path}:${first.origin.line})`;
    return true;
  });
}
