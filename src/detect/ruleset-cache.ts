// The rule set as compiled, kept between runs (issue #17): everything about each rule but its matcher
// (pre-filter literals, fields, sources, stage, the rule's metadata) and every rule error, as plain data,
// with each file's plain-data form beside it. A start whose rules, mappings, pre-filter list, expanded
// lists, exir version and build are those the cache was made from compiles nothing up front: a rule's
// matcher is compiled from its file's data the first time a record is offered to it, so a scan of IIS
// logs compiles the IIS rules only.
//
// The key holds the build's fingerprint (dist/build-id.txt, written by `npm run build` from the compiled
// code), because what is kept is the compiler's output: a changed compiler must not meet an old cache.
// Run from the sources there is no build id and nothing is kept. What is read back is checked node by
// node, as the plain-data cache is; a copy that fails is ignored and the rules are compiled afresh.

import { readFileSync } from 'node:fs';
import { STAGES, type Severity } from '../core/types.js';
import { TOOL } from '../core/tool.js';
import type { ExirRule, Ruleset } from './ruleset.js';
import type { CompiledRule, FieldAccess, RuleError, RuleLocation, SigmaRule } from './sigma/index.js';
import type { NeedNode } from './sigma/need.js';
import { isRuleFileData, type RuleFileData } from './sigma/rule-data.js';

/** What compiled the rules. */
export interface CompilerId {
  version: string;
  build: string;
}

let ownId: CompilerId | null | undefined;

/** This exir's version and build, or undefined when it runs from its sources (no build id). */
export function compilerId(): CompilerId | undefined {
  if (ownId === undefined) {
    try {
      const build = readFileSync(new URL('../build-id.txt', import.meta.url), 'utf8').trim();
      ownId = /^[0-9a-f]{16,}$/.test(build) ? { version: TOOL.version, build } : null;
    } catch {
      ownId = null;
    }
  }
  return ownId ?? undefined;
}

/** One loaded rule as plain data; `from` is its file's index and its place among that file's compiled rules. */
interface PlainRule {
  from: [number, number];
  id: string;
  title: string;
  stage: ExirRule['stage'];
  severity: Severity;
  cves: string[];
  benign?: string;
  ownTraffic: boolean;
  story?: string;
  capsRequest?: string;
  indicatorOnly: boolean;
  foldPerClient: boolean;
  after?: { rules: string[]; withinMs: number };
  sources: ExirRule['sources'];
  file: string;
  rule: SigmaRule;
  location: RuleLocation;
  fields: string[];
  literals: string[] | null;
  /** What the pre-filter's record check asks (need.ts), worked out once when the set was compiled. */
  need: NeedNode;
}

/** What a file's compile gives for each rule, as far as a rule read from the cache needs it. */
interface Matcher {
  rule: { id: string };
  match: (record: FieldAccess) => boolean;
}

export interface PlainRuleset {
  rules: PlainRule[];
  errors: RuleError[];
  /** Each rule file's plain-data form, in the order of the files. */
  files: RuleFileData[];
}

/** The set as plain data; `from[i]` says where `set.rules[i]` came from. */
export function plainRuleset(set: Ruleset, from: readonly [number, number][], files: RuleFileData[]): PlainRuleset {
  const rules = set.rules.map((r, i): PlainRule => {
    const { compiled, benign, story, capsRequest, after, ...rest } = r;
    return {
      from: from[i] as [number, number],
      ...rest,
      ...(benign !== undefined ? { benign } : {}),
      ...(story !== undefined ? { story } : {}),
      ...(capsRequest !== undefined ? { capsRequest } : {}),
      ...(after !== undefined ? { after } : {}),
      rule: compiled.rule,
      location: compiled.location,
      fields: compiled.fields,
      literals: compiled.literals,
      need: compiled.need(),
    };
  });
  return { rules, errors: set.errors, files };
}

/**
 * The rule set from its plain form. `compile` compiles one file's data (as on a miss); it is called
 * for a file the first time one of its rules is offered a record, once.
 */
export function lazyRuleset(plain: PlainRuleset, compile: (index: number, data: RuleFileData) => Matcher[]): Ruleset {
  const compiledFiles = new Map<number, Matcher[]>();
  const matcherOf = (p: PlainRule): CompiledRule['match'] => {
    const [index, place] = p.from;
    let rules = compiledFiles.get(index);
    if (rules === undefined) {
      rules = compile(index, plain.files[index] as RuleFileData);
      compiledFiles.set(index, rules);
    }
    const found = rules[place];
    // The key covers every input of the compile: this is a defect of ours, never the rule's.
    if (found?.rule.id !== p.id) throw new Error(`the compiled rules cache is out of step with ${p.file} (rule ${p.id})`);
    return found.match;
  };
  const rules = plain.rules.map((p): ExirRule => {
    const { from: _from, rule, location, fields, literals, need, benign, story, capsRequest, after, ...rest } = p;
    const compiled: CompiledRule = {
      rule,
      location,
      fields,
      literals,
      need: () => need,
      match: (record: FieldAccess): boolean => {
        compiled.match = matcherOf(p);
        return compiled.match(record);
      },
    };
    return { compiled, ...rest, benign, story, capsRequest, after };
  });
  return { rules, errors: plain.errors };
}

// ---- validation of a copy read back from disk: every node, nothing assumed ----

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isTexts = (v: unknown): v is string[] => Array.isArray(v) && v.every(isText);
const maybe = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const SEVERITIES = new Set(['informational', 'low', 'medium', 'high', 'critical']);

function isLocation(v: unknown): boolean {
  return isObject(v) && isText(v['file']) && maybe(v['line'], isCount) && maybe(v['column'], isCount);
}

function isRuleError(v: unknown): boolean {
  return isLocation(v) && isText((v as Record<string, unknown>)['message']) && maybe((v as Record<string, unknown>)['ruleId'], isText);
}

function isSigmaRule(v: unknown): boolean {
  if (!isObject(v) || !isText(v['id']) || !isText(v['title'])) return false;
  const ls = v['logsource'];
  return (
    ['status', 'level', 'description'].every((k) => maybe(v[k], isText)) &&
    ['references', 'tags', 'falsepositives'].every((k) => isTexts(v[k])) &&
    isObject(ls) &&
    Object.entries(ls).every(([k, x]) => ['product', 'service', 'category'].includes(k) && isText(x)) &&
    isObject(v['custom'])
  );
}

function isNeed(v: unknown): boolean {
  if (v === null) return true;
  if (!isObject(v)) return false;
  if ('all' in v) return Object.keys(v).length === 1 && Array.isArray(v['all']) && v['all'].every(isNeed);
  if ('any' in v) return Object.keys(v).length === 1 && Array.isArray(v['any']) && v['any'].every(isNeed);
  return isText(v['text']) && isText(v['field']) && typeof v['start'] === 'boolean' && typeof v['end'] === 'boolean';
}

function isPlainRule(v: unknown, files: number, kinds: ReadonlySet<string>): boolean {
  if (!isObject(v)) return false;
  const from = v['from'];
  const after = v['after'];
  return (
    Array.isArray(from) &&
    from.length === 2 &&
    isCount(from[0]) &&
    (from[0] as number) < files &&
    isCount(from[1]) &&
    ['id', 'title', 'file'].every((k) => isText(v[k])) &&
    (STAGES as readonly unknown[]).includes(v['stage']) &&
    SEVERITIES.has(v['severity'] as string) &&
    isTexts(v['cves']) &&
    ['benign', 'story', 'capsRequest'].every((k) => maybe(v[k], isText)) &&
    ['ownTraffic', 'indicatorOnly', 'foldPerClient'].every((k) => typeof v[k] === 'boolean') &&
    maybe(after, (a) => isObject(a) && isTexts(a['rules']) && typeof a['withinMs'] === 'number' && a['withinMs'] > 0) &&
    isTexts(v['sources']) &&
    v['sources'].every((s) => kinds.has(s)) &&
    isSigmaRule(v['rule']) &&
    isLocation(v['location']) &&
    isTexts(v['fields']) &&
    (v['literals'] === null || isTexts(v['literals'])) &&
    isNeed(v['need'])
  );
}

/** Whether a value read back from disk is a plain rule set whose sources are among `kinds`, in every node. */
export function isPlainRuleset(v: unknown, kinds: ReadonlySet<string>): v is PlainRuleset {
  if (!isObject(v) || !Array.isArray(v['files']) || !Array.isArray(v['rules']) || !Array.isArray(v['errors'])) return false;
  const files = v['files'].length;
  return v['files'].every(isRuleFileData) && v['rules'].every((r) => isPlainRule(r, files, kinds)) && v['errors'].every(isRuleError);
}
