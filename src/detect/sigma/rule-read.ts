// Reading a rule file's YAML into its plain-data form (rule-data.ts). Every structural mistake is kept
// where it was met, so compiling reports the same errors in the same order as reading and compiling
// in one go would. Nothing here throws on bad input.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Scalar, type YAMLError } from 'yaml';
import { RuleProblem } from './problem.js';
import type { ConditionItem, DetectionData, DocData, ItemData, ItemValue, MapData, Problem, RuleFileData, SelectionData } from './rule-data.js';

/** Resolving aliases by hand, so bound how many one rule may use (a YAML "billion laughs" must not hang a scan). */
const MAX_ALIASES = 100;

class NodeReader {
  private aliases = 0;
  constructor(private readonly doc: Document) {}

  resolve(node: unknown): unknown {
    if (!isAlias(node)) return node;
    if (++this.aliases > MAX_ALIASES) throw new RuleProblem('too many YAML aliases', node.range?.[0]);
    return node.resolve(this.doc);
  }
}

function offset(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function problem(message: string, at: number | undefined): Problem {
  return at === undefined ? { problem: message } : { problem: message, at };
}

function withAt<T extends object>(value: T, at: number | undefined): T & { at?: number } {
  return at === undefined ? value : { ...value, at };
}

/** A RuleProblem thrown while reading becomes a Problem node; anything else is a defect and propagates. */
function caught(e: unknown, fallbackAt?: number): Problem {
  if (!(e instanceof RuleProblem)) throw e;
  return problem(e.message, e.at ?? fallbackAt);
}

function scalarValue(node: Scalar): ItemValue {
  const v = node.value;
  const at = offset(node);
  if (v === null || v === undefined) return withAt({ kind: 'null', text: '' }, at);
  if (typeof v === 'string') return withAt({ kind: 'string', text: v }, at);
  if (typeof v === 'number') return withAt({ kind: 'number', text: typeof node.source === 'string' ? node.source : String(v) }, at);
  if (typeof v === 'boolean') return withAt({ kind: 'boolean', text: String(v) }, at);
  throw new RuleProblem('unsupported kind of value', at);
}

export function readRuleFile(yamlText: string): RuleFileData {
  const lines = new LineCounter();
  const out: RuleFileData = { lineStarts: lines.lineStarts, docs: [] };
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(yamlText, { lineCounter: lines, prettyErrors: true });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    out.docs.push({ located: [{ message: `cannot read YAML: ${e instanceof Error ? e.message : String(e)}` }] });
    return out;
  }
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      out.docs.push({ located: doc.errors.map((e) => ({ ...yamlErrorLocation(e), message: yamlMessage(e) })) });
      continue;
    }
    // An empty document (a trailing `---`, a file of comments) holds no rule and is no mistake.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
    try {
      out.docs.push(readDocument(doc, yamlText));
    } catch (e) {
      // A defect of ours, not of the rule: still a located error, so one rule cannot stop the others loading.
      out.docs.push({
        at: doc.contents.range[0],
        problems: [problem(`internal error compiling rule: ${e instanceof Error ? e.message : String(e)}`, doc.contents.range[0])],
        stop: true,
        data: {},
      });
    }
  }
  return out;
}

function yamlErrorLocation(e: YAMLError): { line?: number; column?: number } {
  const pos = e.linePos?.[0];
  return pos === undefined ? {} : { line: pos.line, column: pos.col };
}

/** The yaml library appends the position and a source excerpt; RuleError carries the position itself. */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? e.message;
  return `YAML: ${first.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function readDocument(doc: Document.Parsed, source: string): DocData {
  const root = doc.contents;
  const at = root?.range[0];
  const out: DocData = withAt({ problems: [] as Problem[], stop: false, data: {} }, at);
  const report = (message: string, where: number | undefined): void => {
    out.problems.push(problem(message, where));
  };
  if (!isMap(root)) {
    // Not a rule: no id, and no message of a rule's own.
    out.problems.push(problem('a rule must be a YAML map', at));
    out.stop = true;
    return out;
  }
  const idNode = root.get('id', true);
  if (isScalar(idNode) && idNode.value !== null) out.ruleId = String(idNode.value);
  const keyAt = (key: string): number | undefined => {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  };
  const stop = (message: string, where: number | undefined): DocData => {
    report(message, where);
    out.stop = true;
    return out;
  };

  if (root.has('correlation')) return stop('correlation rules are not supported', keyAt('correlation'));
  if (root.has('filter') && !root.has('detection')) return stop('Sigma filters (meta rules) are not supported', keyAt('filter'));
  if (root.has('action')) return stop('rule collections (action: global/reset/repeat) are not supported', keyAt('action'));
  if (root.has('timeframe')) report('timeframe (aggregation over time) is not supported', keyAt('timeframe'));

  try {
    out.data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    return stop(`cannot read rule: ${e instanceof Error ? e.message : String(e)}`, root.range[0]);
  }

  const title = out.data['title'];
  if (typeof title !== 'string' || title.trim() === '')
    report(title === undefined ? 'rule has no title' : 'title must be a non-empty string', keyAt('title') ?? root.range[0]);
  const logsource = root.get('logsource', true);
  if (logsource === undefined) report('rule has no logsource', root.range[0]);
  else if (!isMap(logsource)) report('logsource must be a map', logsource.range?.[0]);
  const detectionNode = root.get('detection', true);
  if (detectionNode === undefined) report('rule has no detection', root.range[0]);
  else out.detection = readDetection(detectionNode, doc, source);
  return out;
}

function readDetection(detection: unknown, doc: Document, source: string): DetectionData {
  const reader = new NodeReader(doc);
  let node: unknown;
  try {
    node = reader.resolve(detection);
  } catch (e) {
    return caught(e);
  }
  if (!isMap(node)) return problem('detection must be a map of selections and a condition', offset(detection));
  const out: Extract<DetectionData, { entries: unknown }> = withAt({ entries: [] as Extract<DetectionData, { entries: unknown }>['entries'] }, offset(node));
  let conditionNode: unknown;
  for (const pair of node.items) {
    const name = keyText(pair.key);
    if (name === 'condition') {
      conditionNode = pair.value;
    } else if (name === 'timeframe') {
      out.entries.push(withAt({ timeframe: true as const }, offset(pair.key)));
    } else {
      const fallbackAt = offset(pair.value) ?? offset(pair.key);
      let data: SelectionData;
      try {
        data = readSelection(pair.value, reader);
      } catch (e) {
        data = caught(e, fallbackAt);
      }
      out.entries.push(withAt({ selection: name, data }, fallbackAt));
    }
  }
  if (conditionNode !== undefined) out.condition = readCondition(conditionNode, reader, source);
  return out;
}

function readCondition(conditionNode: unknown, reader: NodeReader, source: string): { items: ConditionItem[]; at?: number } | Problem {
  try {
    const condition = reader.resolve(conditionNode);
    const conditionItems = isSeq(condition) ? condition.items.map((i) => reader.resolve(i)) : [condition];
    const items = conditionItems.map((item): ConditionItem => {
      if (!isScalar(item) || typeof item.value !== 'string')
        return problem('condition must be a string or a list of strings', offset(item) ?? offset(conditionNode));
      return withAt({ text: item.value, shift: innerShift(item, source) }, offset(item));
    });
    return withAt({ items }, offset(condition));
  } catch (e) {
    return caught(e);
  }
}

/**
 * How an offset inside the condition string maps to the file: exactly when the scalar is written on one
 * line without escapes (shifted past a quote when quoted); otherwise (null) every problem points at the
 * start of the condition.
 */
function innerShift(item: Scalar, source: string): number | null {
  const start = offset(item);
  const end = item.range?.[1];
  const value = item.value as string;
  if (start === undefined || end === undefined) return null;
  const written = source.slice(start, end);
  if (written === value && !value.includes('\n')) return 0;
  if (written.length === value.length + 2 && written.slice(1, -1) === value) return 1;
  return null;
}

function readSelection(value: unknown, reader: NodeReader): SelectionData {
  const node = reader.resolve(value);
  if (isMap(node)) return readMap(node.items, reader, offset(node));
  if (isSeq(node)) {
    if (node.items.length === 0) return problem('selection is an empty list', offset(node));
    const list: (MapData | { keyword: ItemValue } | Problem)[] = [];
    for (const raw of node.items) {
      try {
        const item = reader.resolve(raw);
        if (isMap(item)) list.push(readMap(item.items, reader, offset(item)));
        else if (isScalar(item)) list.push({ keyword: scalarValue(item) });
        else throw new RuleProblem('a selection list holds maps or keywords, not nested lists', offset(item));
      } catch (e) {
        // Compiling stops at the first mistake, so reading does too.
        list.push(caught(e));
        break;
      }
    }
    return { list };
  }
  if (isScalar(node) && node.value !== null && node.value !== undefined) return { keyword: scalarValue(node) };
  return problem('selection is empty', offset(node));
}

function readMap(pairs: readonly { key: unknown; value: unknown }[], reader: NodeReader, at: number | undefined): MapData {
  if (pairs.length === 0) return withAt({ map: [problem('selection is an empty map', at)] }, at);
  const map: (ItemData | Problem)[] = [];
  for (const pair of pairs) {
    const item = readItem(pair, reader);
    map.push(item);
    if (!Array.isArray(item.values)) break;
  }
  return withAt({ map }, at);
}

function readItem(pair: { key: unknown; value: unknown }, reader: NodeReader): ItemData {
  const keyAt = offset(pair.key);
  const out: ItemData = { key: keyText(pair.key), values: [] };
  if (keyAt !== undefined) out.keyAt = keyAt;
  try {
    const valueNode = reader.resolve(pair.value);
    if (isSeq(valueNode)) {
      const values: ItemValue[] = [];
      for (const raw of valueNode.items) {
        const v = reader.resolve(raw);
        if (!isScalar(v)) {
          out.values = withAt({ fieldProblem: 'values-not-scalars' as const }, offset(v) ?? offset(valueNode));
          return out;
        }
        values.push(scalarValue(v));
      }
      out.values = values.length === 0 ? withAt({ fieldProblem: 'no-value' as const }, offset(valueNode)) : values;
    } else if (isScalar(valueNode)) {
      out.values = [scalarValue(valueNode)];
    } else if (valueNode === null || valueNode === undefined) {
      out.values = [withAt({ kind: 'null' as const, text: '' }, keyAt)];
    } else {
      out.values = withAt({ fieldProblem: 'value-not-scalar' as const }, offset(valueNode));
    }
  } catch (e) {
    out.values = caught(e, keyAt);
  }
  return out;
}
