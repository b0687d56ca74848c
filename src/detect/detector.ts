import type { Finding, LogRecord, SourceKind } from '../core/types.js';
import { fieldAccess, firstValue, type Mappings } from './mapping.js';
import type { ExirRule, Ruleset } from './ruleset.js';

/** What the detector asks a reader for: the literals that make a record worth parsing. */
export interface ReadPlan {
  /** Lower-case literals, or undefined when some rule must see every record. */
  literals: string[] | undefined;
}

interface SourceRules {
  attack: ExirRule[];
  benign: ExirRule[];
  plan: ReadPlan;
}

/**
 * Offers each record to the rules of its source and turns matches into findings. Classifiers of
 * harmless traffic (health probes, known scanners) only look at records an attack rule matched.
 */
export class Detector {
  private readonly bySource = new Map<SourceKind, SourceRules>();

  constructor(ruleset: Ruleset, private readonly mappings: Mappings) {
    for (const rule of ruleset.rules) {
      for (const kind of rule.sources) {
        let entry = this.bySource.get(kind);
        if (!entry) {
          entry = { attack: [], benign: [], plan: { literals: [] } };
          this.bySource.set(kind, entry);
        }
        (rule.benign ? entry.benign : entry.attack).push(rule);
      }
    }
    for (const entry of this.bySource.values()) entry.plan = planFor(entry.attack);
  }

  plan(kind: SourceKind): ReadPlan {
    return this.bySource.get(kind)?.plan ?? { literals: [] };
  }

  detect(record: LogRecord, server: string): Finding[] {
    const entry = this.bySource.get(record.source);
    if (!entry || entry.attack.length === 0) return [];
    const mapping = this.mappings.get(record.source);
    const access = fieldAccess(record, mapping);
    const findings: Finding[] = [];
    let benign: string | undefined | null = null;
    const requestId = mapping ? firstValue(record, mapping.who.requestId) : undefined;
    const url = mapping ? firstValue(record, mapping.who.url) : undefined;
    const userAgent = mapping ? firstValue(record, mapping.who.userAgent) : undefined;
    for (const rule of entry.attack) {
      if (!rule.compiled.match(access)) continue;
      if (benign === null) benign = entry.benign.find((b) => b.compiled.match(access))?.benign;
      const fields: Record<string, string> = {};
      for (const name of rule.compiled.fields) {
        const value = access.get(name);
        if (value !== undefined) fields[name] = value;
      }
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        cves: rule.cves,
        // Known scanners and health probes never raise a server above probed.
        stage: benign ? 'probe' : rule.stage,
        severity: benign ? 'informational' : rule.severity,
        time: record.time,
        server,
        clientIp: mapping ? firstValue(record, mapping.who.clientIp) : undefined,
        user: mapping ? firstValue(record, mapping.who.user) : undefined,
        origin: record.origin,
        fields,
        ...(benign ? { benign } : {}),
        ...(requestId ? { requestId } : {}),
        ...(url ? { url } : {}),
        ...(rule.story ? { story: rule.story } : {}),
        ...(userAgent ? { userAgent } : {}),
        ...(rule.capsRequest ? { capsRequest: rule.capsRequest } : {}),
      });
    }
    return findings;
  }
}

function planFor(rules: ExirRule[]): ReadPlan {
  const literals = new Set<string>();
  for (const rule of rules) {
    if (rule.compiled.literals === null) return { literals: undefined };
    for (const literal of rule.compiled.literals) literals.add(literal);
  }
  return { literals: withoutSubsumed([...literals]) };
}

/**
 * Drops every literal that holds a shorter one: a record containing `/owa/auth/x.js` contains
 * `/owa/auth/` too, so searching for both finds no more records and costs a second pass.
 */
export function withoutSubsumed(literals: string[]): string[] {
  const byLength = [...new Set(literals)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const literal of byLength) {
    if (!kept.some((shorter) => literal.includes(shorter))) kept.push(literal);
  }
  return kept.sort();
}
