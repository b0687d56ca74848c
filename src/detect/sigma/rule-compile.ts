// A rule file's plain-data form (rule-data.ts) to compiled rules and located errors. A broken rule is
// reported and skipped; nothing here throws on bad input, nor loads the YAML library.

import { compileDetection } from './detection.js';
import { withCommonLiterals } from './literals.js';
import { withPlaceholders, type Placeholders } from './placeholders.js';
import { linePos, type DocData, type RuleFileData } from './rule-data.js';
import type { CompiledRule, RuleError, RuleLocation, SigmaLogsource, SigmaRule } from './types.js';

/** Keys that SigmaRule holds itself; every other top-level key goes to `custom`. */
const OWN_KEYS = new Set(['id', 'title', 'status', 'level', 'description', 'references', 'tags', 'logsource', 'falsepositives', 'detection']);

export interface CompileOptions {
  /** Strings that stand in most ordinary log lines; the pre-filter avoids them when it has a rarer choice. */
  commonLiterals?: readonly string[];
  /** Lists that `field|expand: '%name%'` stands for. */
  placeholders?: Placeholders;
}

export function compileRuleData(data: RuleFileData, file: string, options: CompileOptions = {}): { rules: CompiledRule[]; errors: RuleError[] } {
  return withPlaceholders(options.placeholders ?? new Map(), () => withCommonLiterals(options.commonLiterals ?? [], () => compileFile(data, file)));
}

function compileFile(data: RuleFileData, file: string): { rules: CompiledRule[]; errors: RuleError[] } {
  const rules: CompiledRule[] = [];
  const errors: RuleError[] = [];
  const locate = (at: number | undefined): RuleLocation => {
    if (at === undefined) return { file };
    const { line, col } = linePos(data.lineStarts, at);
    return { file, line, column: col };
  };
  for (const doc of data.docs) {
    if ('located' in doc) {
      for (const e of doc.located) errors.push({ file, ...e });
      continue;
    }
    try {
      const rule = compileDocument(doc, locate, errors);
      if (rule !== undefined) rules.push(rule);
    } catch (e) {
      // A defect of ours, not of the rule: still a located error, so one rule cannot stop the others loading.
      errors.push({ ...locate(doc.at), message: `internal error compiling rule: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { rules, errors };
}

function compileDocument(doc: DocData, locate: (at: number | undefined) => RuleLocation, errors: RuleError[]): CompiledRule | undefined {
  const location = locate(doc.at);
  const ruleId = doc.ruleId;
  let failed = false;
  const report = (message: string, at: number | undefined): void => {
    failed = true;
    errors.push({ ...locate(at), message, ...(ruleId === undefined ? {} : { ruleId }) });
  };
  for (const p of doc.problems) report(p.problem, p.at);
  if (doc.stop) return undefined;
  const detection = doc.detection === undefined ? undefined : compileDetection(doc.detection, report);
  if (failed || detection === undefined) return undefined;
  const rule = metadata(doc.data, ruleId ?? '');
  return {
    rule,
    location,
    match: detection.match,
    fields: detection.fields,
    literals: detection.literals === null ? null : [...detection.literals],
    need: detection.need,
  };
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

function textList(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).flatMap((x) => text(x) ?? []);
}

function metadata(data: Record<string, unknown>, id: string): SigmaRule {
  const ls = (data['logsource'] ?? {}) as Record<string, unknown>;
  const logsource: SigmaLogsource = {};
  for (const key of ['product', 'service', 'category'] as const) {
    const v = text(ls[key]);
    if (v !== undefined) logsource[key] = v;
  }
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!OWN_KEYS.has(k)) custom[k] = v;
  const rule: SigmaRule = {
    id,
    title: text(data['title']) ?? '',
    references: textList(data['references']),
    tags: textList(data['tags']),
    logsource,
    falsepositives: textList(data['falsepositives']),
    custom,
  };
  const status = text(data['status']);
  const level = text(data['level']);
  const description = text(data['description']);
  if (status !== undefined) rule.status = status;
  if (level !== undefined) rule.level = level;
  if (description !== undefined) rule.description = description;
  return rule;
}
