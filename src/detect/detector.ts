import type { Finding, LogRecord, SourceKind } from '../core/types.js';
import { fieldAccess, firstValue, type Mappings } from './mapping.js';
import type { ExirRule, Ruleset } from './ruleset.js';
import { anyOf } from './sigma/literals.js';

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
  // The union of the rules' literals, minus those that hold a shorter one; null when a rule has none.
  const literals = anyOf(rules.map((r) => r.compiled.literals));
  return { literals: literals === null ? undefined : [...literals].sort() };
}
