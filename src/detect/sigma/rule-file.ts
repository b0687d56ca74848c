// One rule file (one or more YAML documents) to compiled rules and located errors. A broken rule is reported and
// skipped; nothing here throws on bad input.

import { isMap, isScalar, LineCounter, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import { compileDetection } from './detection.js';
import { withCommonLiterals } from './literals.js';
import { withPlaceholders, type Placeholders } from './placeholders.js';
import type { CompiledRule, RuleError, RuleLocation, SigmaLogsource, SigmaRule } from './types.js';

/** Keys that SigmaRule holds itself; every other top-level key goes to `custom`. */
const OWN_KEYS = new Set(['id', 'title', 'status', 'level', 'description', 'references', 'tags', 'logsource', 'falsepositives', 'detection']);

export interface CompileOptions {
  /** Strings that stand in most ordinary log lines; the pre-filter avoids them when it has a rarer choice. */
  commonLiterals?: readonly string[];
  /** Lists that `field|expand: '%name%'` stands for. */
  placeholders?: Placeholders;
}

export function compileRules(yamlText: string, file: string, options: CompileOptions = {}): { rules: CompiledRule[]; errors: RuleError[] } {
  return withPlaceholders(options.placeholders ?? new Map(), () => withCommonLiterals(options.commonLiterals ?? [], () => compileRuleFile(yamlText, file)));
}

function compileRuleFile(yamlText: string, file: string): { rules: CompiledRule[]; errors: RuleError[] } {
  const rules: CompiledRule[] = [];
  const errors: RuleError[] = [];
  const lines = new LineCounter();
  const locate = (at: number | undefined): RuleLocation => {
    if (at === undefined) return { file };
    const { line, col } = lines.linePos(at);
    return { file, line, column: col };
  };
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(yamlText, { lineCounter: lines, prettyErrors: true });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    errors.push({ file, message: `cannot read YAML: ${e instanceof Error ? e.message : String(e)}` });
    return { rules, errors };
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ ...yamlErrorLocation(e, file), message: yamlMessage(e) });
      continue;
    }
    // An empty document (a trailing `---`, a file of comments) holds no rule and is no mistake.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    try {
      const rule = compileDocument(doc, yamlText, locate, errors);
      if (rule !== undefined) rules.push(rule);
    } catch (e) {
      // A defect of ours, not of the rule: still a located error, so one rule cannot stop the others loading.
      errors.push({ ...locate(doc.contents.range[0]), message: `internal error compiling rule: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { rules, errors };
}

function yamlErrorLocation(e: YAMLError, file: string): RuleLocation {
  const pos = e.linePos?.[0];
  return pos === undefined ? { file } : { file, line: pos.line, column: pos.col };
}

/** The yaml library appends the position and a source excerpt; RuleError carries the position itself. */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? e.message;
  return `YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function compileDocument(
  doc: Document.Parsed,
  source: string,
  locate: (at: number | undefined) => RuleLocation,
  errors: RuleError[],
): CompiledRule | undefined {
  const root = doc.contents;
  const location = locate(root?.range[0]);
  if (!isMap(root)) {
    errors.push({ ...location, message: 'a rule must be a YAML map' });
    return undefined;
  }
  const idNode = root.get('id', true);
  const ruleId = isScalar(idNode) && idNode.value !== null ? String(idNode.value) : undefined;
  let failed = false;
  const report = (message: string, at: number | undefined): void => {
    failed = true;
    errors.push({ ...locate(at), message, ...(ruleId === undefined ? {} : { ruleId }) });
  };
  const keyAt = (key: string): number | undefined => {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  };

  if (root.has('correlation')) {
    report('correlation rules are not supported', keyAt('correlation'));
    return undefined;
  }
  if (root.has('filter') && !root.has('detection')) {
    report('Sigma filters (meta rules) are not supported', keyAt('filter'));
    return undefined;
  }
  if (root.has('action')) {
    report('rule collections (action: global/reset/repeat) are not supported', keyAt('action'));
    return undefined;
  }
  if (root.has('timeframe')) report('timeframe (aggregation over time) is not supported', keyAt('timeframe'));

  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    report(`cannot read rule: ${e instanceof Error ? e.message : String(e)}`, root.range[0]);
    return undefined;
  }

  const title = data.title;
  if (typeof title !== 'string' || title.trim() === '')
    report(title === undefined ? 'rule has no title' : 'title must be a non-empty string', keyAt('title') ?? root.range[0]);
  const logsource = root.get('logsource', true);
  if (logsource === undefined) report('rule has no logsource', root.range[0]);
  else if (!isMap(logsource)) report('logsource must be a map', logsource.range?.[0]);
  const detectionNode = root.get('detection', true);
  let detection;
  if (detectionNode === undefined) report('rule has no detection', root.range[0]);
  else detection = compileDetection(detectionNode, doc, source, report);
  if (failed || detection === undefined) return undefined;

  const rule = metadata(data, ruleId ?? '');
  return { rule, location, match: detection.match, fields: detection.fields, literals: detection.literals === null ? null : [...detection.literals] };
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
  const ls = (data.logsource ?? {}) as Record<string, unknown>;
  const logsource: SigmaLogsource = {};
  for (const key of ['product', 'service', 'category'] as const) {
    const v = text(ls[key]);
    if (v !== undefined) logsource[key] = v;
  }
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!OWN_KEYS.has(k)) custom[k] = v;
  const rule: SigmaRule = {
    id,
    title: text(data.title) ?? '',
    references: textList(data.references),
    tags: textList(data.tags),
    logsource,
    falsepositives: textList(data.falsepositives),
    custom,
  };
  const status = text(data.status);
  const level = text(data.level);
  const description = text(data.description);
  if (status !== undefined) rule.status = status;
  if (level !== undefined) rule.level = level;
  if (description !== undefined) rule.description = description;
  return rule;
}
