import { isRealRequestId } from '../core/request-id.js';
import { serverName } from '../core/server-name.js';
import type { Finding, LogRecord, SourceKind } from '../core/types.js';
import { clientIpOf, fieldAccesses, firstValue, logsourceReaches, viewsFor, type Mappings, type SourceMapping, type SourceView } from './mapping.js';
import { clauseMask, type RecordNeeds } from '../sources/bytes/record-needs.js';
import { W3C_QUERY_COLUMNS } from '../sources/w3c/w3c-reader.js';
import type { ExirRule, Ruleset } from './ruleset.js';
import type { FieldAccess } from './sigma/index.js';
import { anyOf } from './sigma/literals.js';
import { resolveNeed, type Clauses, type FieldWriting } from './sigma/need.js';

/** What the detector asks a reader for: the literals that make a record worth parsing. */
export interface ReadPlan {
  /** Lower-case literals, or undefined when some rule must see every record. */
  literals: string[] | undefined;
  /** What each rule tests, checked on the records holding a literal; undefined when it would add nothing. */
  needs?: RecordNeeds;
}

/**
 * Logs whose values stand whole between spaces, but for the columns named (IIS W3C, where the
 * reader takes three columns out of the query): a rule's value there can be asked for with its spaces.
 */
const SPACE_SEPARATED: Partial<Record<SourceKind, ReadonlySet<string>>> = { iis: W3C_QUERY_COLUMNS };

interface ViewRules {
  view: SourceView;
  attack: ExirRule[];
  benign: ExirRule[];
}

interface SourceRules {
  views: ViewRules[];
  plan: ReadPlan;
  /** The columns the source's views choose records by (Channel, EventID), empty for a one-view source. */
  whenColumns: string[];
  /** The views that apply, by a record's values in `whenColumns`: a log holds few such pairs. */
  byWhen: Map<string, ViewRules[]>;
  /** What each attack rule needs of a record's text (need.ts), as the read plan asks it. */
  ruleNeeds: Map<ExirRule, Clauses>;
}

/**
 * Which rules a record that passed a reader's check of the needs can match: each rule's clauses as
 * bits of those the record met. A rule is offered a record only if it met all of them: the rest
 * cannot match it (the pre-filter already relies on this for the record as a whole), and most
 * records the search lets through meet one rule's strings of a score.
 */
export interface RuleGate {
  readonly masks: ReadonlyMap<ExirRule, readonly [number, number]>;
}

/** A hostile log can name endless channels; past this many pairs the views are worked out each time. */
const MAX_WHEN_KEYS = 4096;

/**
 * Offers each record to the rules of its source and turns matches into findings. Classifiers of
 * harmless traffic (health probes, known scanners) only look at records an attack rule matched.
 */
export class Detector {
  /** Each kind's rules, worked out when a record or plan of that kind is first asked for (null: no attack rule reads it). */
  private readonly bySource = new Map<SourceKind, SourceRules | null>();

  constructor(
    private readonly ruleset: Ruleset,
    private readonly mappings: Mappings,
  ) {}

  /**
   * A kind's rules: made on first use, as most scans read a few kinds of the dozen mapped (a scan of
   * one IIS log spent 20 ms of its start making all of them).
   */
  private rulesOf(kind: SourceKind): SourceRules | undefined {
    let entry = this.bySource.get(kind);
    if (entry === undefined) {
      entry = this.makeRules(kind);
      this.bySource.set(kind, entry);
    }
    return entry ?? undefined;
  }

  private makeRules(kind: SourceKind): SourceRules | null {
    const mapping = this.mappings.get(kind);
    if (!mapping) return null;
    const views = mapping.views.map((view) => {
      const reached = this.ruleset.rules.filter((r) => logsourceReaches(r.compiled.rule.logsource, view.logsource));
      return { view, attack: reached.filter((r) => !r.benign), benign: reached.filter((r) => r.benign) };
    });
    const attack = [...new Set(views.flatMap((v) => v.attack))];
    if (attack.length === 0) return null;
    const whenColumns = [...new Set(mapping.views.flatMap((v) => [...(v.when?.keys() ?? [])]))];
    const writing = writingOf(mapping);
    const ruleNeeds = new Map(attack.map((r) => [r, resolveNeed(r.compiled.need(), writing)] as const));
    return { views, plan: planFor(attack, ruleNeeds), whenColumns, byWhen: new Map(), ruleNeeds };
  }

  plan(kind: SourceKind): ReadPlan {
    return this.rulesOf(kind)?.plan ?? { literals: [] };
  }

  /**
   * The gate for records read with `needs` (the kind's read plan's, widened or not): undefined when
   * the reader makes no such check.
   */
  gate(kind: SourceKind, needs: RecordNeeds | undefined): RuleGate | undefined {
    const entry = this.rulesOf(kind);
    if (!entry || !needs) return undefined;
    const masks = new Map<ExirRule, readonly [number, number]>();
    for (const [rule, clauses] of entry.ruleNeeds) {
      const mask = clauseMask(needs, clauses);
      if (mask) masks.set(rule, mask);
    }
    return { masks };
  }

  /**
   * The findings of the rules that match the record. With a gate, and the clauses the record met
   * (`metLo`, `metHi`, from the reader), a rule whose clauses it did not all meet is not tried.
   */
  detect(record: LogRecord, server: string, gate?: RuleGate, metLo = 0, metHi = 0): Finding[] {
    const entry = this.rulesOf(record.source);
    const mapping = this.mappings.get(record.source);
    if (!entry || !mapping) return [];
    const findings: Finding[] = [];
    // Who made the record is read once a rule matches it: most records the pre-filter lets through match none.
    let who: RecordWho | undefined;
    const applicable = mapping.views.length === 1 ? entry.views : this.viewsOf(record, entry, mapping);
    // Only a record seen through two views can reach a rule twice: the others need no set of their own.
    const tried = applicable.length > 1 ? new Set<ExirRule>() : undefined;
    for (const { view, attack, benign: classifiers } of applicable) {
      const accesses = fieldAccesses(record, view.fields, mapping.lists);
      const whole = accesses[0]!;
      let classifier: ExirRule | undefined | null = null;
      for (const rule of attack) {
        // A rule reached through two views of one record (Sysmon 1 is both sysmon and process_creation) counts once.
        if (tried) {
          if (tried.has(rule)) continue;
          tried.add(rule);
        }
        if (gate) {
          const mask = gate.masks.get(rule);
          if (mask && ((mask[0] & ~metLo) !== 0 || (mask[1] & ~metHi) !== 0)) continue;
        }
        // Through the record as a whole, else through one element of a list column (an address in a chain).
        const access = accesses.length === 1 ? (rule.compiled.match(whole) ? whole : undefined) : accesses.find((a) => rule.compiled.match(a));
        if (!access) continue;
        if (classifier === null) classifier = classifiers.find((b) => b.compiled.match(whole));
        who ??= whoOf(record, mapping, server);
        findings.push(findingOf(rule, record, mapping, access, classifier, who));
      }
    }
    return findings;
  }

  /**
   * Whether an attack rule reads a record of this kind with these columns, when only some of its
   * columns are known yet (`known`): a view that chooses by another column might apply, so yes.
   */
  wants(kind: SourceKind, fields: Readonly<Record<string, string>>, known: readonly string[]): boolean {
    const entry = this.rulesOf(kind);
    const mapping = this.mappings.get(kind);
    if (!entry || !mapping) return false;
    if (mapping.views.length === 1 || entry.whenColumns.some((c) => !known.includes(c))) return true;
    return this.viewsOf({ fields }, entry, mapping).some((v) => v.attack.length > 0);
  }

  /**
   * The source's views that apply to the record, worked out once per pair of values they choose by:
   * done for every record and every view, it took a third of an .evtx scan's time.
   */
  private viewsOf(record: Pick<LogRecord, 'fields'>, entry: SourceRules, mapping: SourceMapping): ViewRules[] {
    // JSON keeps an absent column apart from any text, and text with separators in it apart from two values.
    const key = JSON.stringify(entry.whenColumns.map((c) => record.fields[c] ?? null));
    let views = entry.byWhen.get(key);
    if (views === undefined) {
      const applies = new Set(viewsFor(record, mapping));
      views = entry.views.filter((v) => applies.has(v.view));
      if (entry.byWhen.size < MAX_WHEN_KEYS) entry.byWhen.set(key, views);
    }
    return views;
  }
}

function planFor(rules: ExirRule[], ruleNeeds: ReadonlyMap<ExirRule, Clauses>): ReadPlan {
  // The union of the rules' literals, minus those that hold a shorter one; null when a rule has none.
  const literals = anyOf(rules.map((r) => r.compiled.literals));
  if (literals === null) return { literals: undefined };
  const needs = rules.map((r) => ruleNeeds.get(r) ?? []);
  // A rule that can be asked nothing lets every record through the check; when every rule asks no more
  // than one of the searched literals, every record the search finds does. Either way it settles nothing.
  const adds = needs.every((n) => n.length > 0) && needs.some((n) => n.length > 1 || !(n[0] as readonly string[]).every((s) => literals.includes(s)));
  return { literals: [...literals].sort(), ...(adds ? { needs: dedupeNeeds(needs) } : {}) };
}

/** How the source writes a rule's field: whole between spaces, or not known to be. */
export function writingOf(mapping: SourceMapping): FieldWriting {
  const others = SPACE_SEPARATED[mapping.kind];
  const view = mapping.views.length === 1 ? mapping.views[0] : undefined;
  if (!others || !view) return () => 'free';
  return (field) => {
    const column = view.fields.get(field) ?? field;
    return others.has(column) || mapping.lists.includes(column) ? 'free' : 'separated';
  };
}

function dedupeNeeds(needs: RecordNeeds): RecordNeeds {
  const byKey = new Map<string, RecordNeeds[number]>();
  for (const n of needs) byKey.set(JSON.stringify(n), n);
  // Fewest clauses first: a rule that asks one string settles a record soonest.
  return [...byKey.values()].sort((a, b) => a.length - b.length);
}

interface RecordWho {
  requestId: string | undefined;
  url: string | undefined;
  userAgent: string | undefined;
  clientIp: string | undefined;
  recordServer: string;
  user: string | undefined;
}

/**
 * The finding of a rule that matched a record (through `access`), and of the classifier that
 * matched it too, if any. Apart from the detector's loop, which most records leave without a
 * match: compiled into it, this made the loop's optimised code several times larger, and it was
 * compiled again each time a rarely taken branch here deoptimised the loop (issue #17).
 */
function findingOf(rule: ExirRule, record: LogRecord, mapping: SourceMapping, access: FieldAccess, classifier: ExirRule | undefined, who: RecordWho): Finding {
  const benign = classifier?.benign;
  const fields: Record<string, string> = {};
  for (const name of rule.compiled.fields) {
    const value = access.get(name);
    if (value !== undefined) fields[name] = value;
  }
  // The values a reader decides by (the command line, the cmdlet and its parameters, the target
  // file), even where the rule matched on others (the event id, the parent process).
  for (const column of mapping.keep) {
    const value = record.fields[column];
    if (value && value !== '-' && fields[column] === undefined) fields[column] = value;
  }
  // A rule's strings found in a row the reader could not split: said, so no one reads it as a clean match.
  if (record.damaged) fields['damaged'] = `damaged record (${record.damaged}), matched on its raw text`;
  const { requestId, url, userAgent, clientIp, recordServer, user } = who;
  return {
    ruleId: rule.id,
    title: rule.title,
    cves: rule.cves,
    // Known scanners and health probes never raise a server above probed.
    stage: benign ? 'probe' : rule.stage,
    severity: benign ? 'informational' : rule.severity,
    time: record.time,
    server: recordServer,
    clientIp,
    user,
    origin: record.origin,
    fields,
    ...(benign ? { benign } : {}),
    ...(benign && classifier?.ownTraffic ? { ownTraffic: true } : {}),
    ...(requestId ? { requestId } : {}),
    ...(url ? { url } : {}),
    ...(rule.story ? { story: rule.story } : {}),
    ...(userAgent ? { userAgent } : {}),
    ...(rule.capsRequest ? { capsRequest: rule.capsRequest } : {}),
    ...(rule.indicatorOnly ? { indicatorOnly: true } : {}),
  };
}

function whoOf(record: LogRecord, mapping: SourceMapping, server: string): RecordWho {
  const id = firstValue(record, mapping.who.requestId);
  return {
    requestId: isRealRequestId(id) ? id : undefined,
    url: firstValue(record, mapping.who.url),
    userAgent: firstValue(record, mapping.who.userAgent),
    clientIp: clientIpOf(record, mapping.who),
    // One export can hold many machines' events: each finding goes to the machine that wrote it.
    recordServer: serverName(firstValue(record, mapping.who.server)) ?? server,
    user: firstValue(record, mapping.who.user),
  };
}
