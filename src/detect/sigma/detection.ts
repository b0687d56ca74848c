// A rule's `detection` block: its selections (maps, lists of maps, keyword lists) and the condition over them.

import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { and, atLeast, not, or } from './combine.js';
import { parseCondition, selectionPattern, type Condition } from './condition.js';
import { compileFieldItem, type Compiled, type ItemValue } from './field-item.js';
import { parseFieldSpec } from './modifiers.js';
import { expandValues } from './placeholders.js';
import { RuleProblem } from './problem.js';

/** Reports a problem at an offset in the rule file. */
export type Report = (message: string, at: number | undefined) => void;

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

function scalarValue(node: Scalar): ItemValue {
  const v = node.value;
  const at = offset(node);
  const base = at === undefined ? {} : { at };
  if (v === null || v === undefined) return { kind: 'null', text: '', ...base };
  if (typeof v === 'string') return { kind: 'string', text: v, ...base };
  if (typeof v === 'number') return { kind: 'number', text: typeof node.source === 'string' ? node.source : String(v), ...base };
  if (typeof v === 'boolean') return { kind: 'boolean', text: String(v), ...base };
  throw new RuleProblem('unsupported kind of value', at);
}

export interface Detection {
  match: Compiled['match'];
  literals: Compiled['literals'];
  fields: string[];
}

/** Returns undefined when the detection has problems; each has then been reported. */
export function compileDetection(detection: unknown, doc: Document, source: string, report: Report): Detection | undefined {
  const reader = new NodeReader(doc);
  const problems = { count: 0 };
  const fail: Report = (message, at) => {
    problems.count++;
    report(message, at);
  };
  const guard = <T>(fallbackAt: number | undefined, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof RuleProblem)) throw e;
      fail(e.message, e.at ?? fallbackAt);
      return undefined;
    }
  };

  const node = reader.resolve(detection);
  if (!isMap(node)) {
    fail('detection must be a map of selections and a condition', offset(detection));
    return undefined;
  }
  const selections = new Map<string, Compiled | undefined>();
  let conditionNode: unknown;
  for (const pair of node.items) {
    const name = keyText(pair.key);
    if (name === 'condition') {
      conditionNode = pair.value;
    } else if (name === 'timeframe') {
      fail('timeframe (aggregation over time) is not supported', offset(pair.key));
    } else {
      selections.set(
        name,
        guard(offset(pair.value) ?? offset(pair.key), () => compileSelection(pair.value, reader)),
      );
    }
  }
  if (conditionNode === undefined) {
    fail('detection has no condition', offset(node));
    return undefined;
  }
  const referenced = new Set<string>();
  const resolveRef = (cond: Condition, at: (inner: number) => number | undefined): Compiled | undefined => {
    switch (cond.op) {
      case 'and':
      case 'or': {
        const args = cond.args.map((a) => resolveRef(a, at));
        if (args.some((a) => a === undefined)) return undefined;
        return cond.op === 'and' ? and(args as Compiled[]) : or(args as Compiled[]);
      }
      case 'not': {
        const arg = resolveRef(cond.arg, at);
        return arg === undefined ? undefined : not(arg);
      }
      case 'ref': {
        if (!selections.has(cond.name)) {
          fail(`condition names unknown selection '${cond.name}'`, at(cond.at));
          return undefined;
        }
        referenced.add(cond.name);
        return selections.get(cond.name);
      }
      case 'of': {
        const names = [...selections.keys()].filter((n) => (cond.pattern === null ? !n.startsWith('_') : selectionPattern(cond.pattern).test(n)));
        const what = cond.pattern === null ? 'them' : `'${cond.pattern}'`;
        if (names.length === 0) {
          fail(`condition: ${what} matches no selection`, at(cond.at));
          return undefined;
        }
        if (typeof cond.count === 'number' && cond.count > names.length) {
          fail(`condition: ${cond.count} of ${what} can never hold (${names.length} selections)`, at(cond.at));
          return undefined;
        }
        for (const n of names) referenced.add(n);
        const args = names.map((n) => selections.get(n));
        if (args.some((a) => a === undefined)) return undefined;
        return cond.count === 'all' ? and(args as Compiled[]) : atLeast(cond.count, args as Compiled[]);
      }
    }
  };

  const condition = reader.resolve(conditionNode);
  const conditionItems = isSeq(condition) ? condition.items.map((i) => reader.resolve(i)) : [condition];
  if (conditionItems.length === 0) fail('condition is empty', offset(condition));
  const parts: (Compiled | undefined)[] = conditionItems.map((item) => {
    if (!isScalar(item) || typeof item.value !== 'string') {
      fail('condition must be a string or a list of strings', offset(item) ?? offset(conditionNode));
      return undefined;
    }
    const at = innerOffset(item, source);
    let parsed: Condition;
    try {
      parsed = parseCondition(item.value);
    } catch (e) {
      if (!(e instanceof RuleProblem)) throw e;
      fail(e.message, at(e.at ?? 0));
      return undefined;
    }
    return resolveRef(parsed, at);
  });
  if (problems.count > 0) return undefined;
  const whole = or(parts as Compiled[]);
  const fields: string[] = [];
  for (const [name, sel] of selections) {
    if (sel === undefined || !referenced.has(name)) continue;
    for (const f of sel.fields) if (!fields.includes(f)) fields.push(f);
  }
  return { match: whole.match, literals: whole.literals, fields };
}

/**
 * Maps an offset inside the condition string to an offset in the file, exactly when the scalar is written on
 * one line without escapes; otherwise every problem points at the start of the condition.
 */
function innerOffset(item: Scalar, source: string): (inner: number) => number | undefined {
  const start = offset(item);
  const end = item.range?.[1];
  const value = item.value as string;
  if (start === undefined || end === undefined) return () => start;
  const written = source.slice(start, end);
  if (written === value && !value.includes('\n')) return (inner) => start + inner;
  if (written.length === value.length + 2 && written.slice(1, -1) === value) return (inner) => start + 1 + inner;
  return () => start;
}

function compileSelection(value: unknown, reader: NodeReader): Compiled {
  const node = reader.resolve(value);
  if (isMap(node)) return compileMap(node.items, reader, offset(node));
  if (isSeq(node)) {
    if (node.items.length === 0) throw new RuleProblem('selection is an empty list', offset(node));
    const alternatives: Compiled[] = [];
    const keywords: ItemValue[] = [];
    for (const raw of node.items) {
      const item = reader.resolve(raw);
      if (isMap(item)) alternatives.push(compileMap(item.items, reader, offset(item)));
      else if (isScalar(item)) keywords.push(scalarValue(item));
      else throw new RuleProblem('a selection list holds maps or keywords, not nested lists', offset(item));
    }
    if (keywords.length > 0) alternatives.push(compileFieldItem(parseFieldSpec(''), keywords));
    return or(alternatives);
  }
  if (isScalar(node) && node.value !== null && node.value !== undefined) {
    return compileFieldItem(parseFieldSpec(''), [scalarValue(node)]);
  }
  throw new RuleProblem('selection is empty', offset(node));
}

function compileMap(pairs: readonly { key: unknown; value: unknown }[], reader: NodeReader, at: number | undefined): Compiled {
  if (pairs.length === 0) throw new RuleProblem('selection is an empty map', at);
  const items = pairs.map((pair) => {
    const keyAt = offset(pair.key);
    try {
      return compileItem(pair, reader, keyAt);
    } catch (e) {
      if (e instanceof RuleProblem && e.at === undefined) e.at = keyAt;
      throw e;
    }
  });
  return and(items);
}

function compileItem(pair: { key: unknown; value: unknown }, reader: NodeReader, keyAt: number | undefined): Compiled {
  const spec = parseFieldSpec(keyText(pair.key));
  const valueNode = reader.resolve(pair.value);
  let values: ItemValue[];
  if (isSeq(valueNode)) {
    values = valueNode.items.map((raw) => {
      const v = reader.resolve(raw);
      if (!isScalar(v)) throw new RuleProblem(`values of '${spec.field}' must be scalars`, offset(v) ?? offset(valueNode));
      return scalarValue(v);
    });
  } else if (isScalar(valueNode)) {
    values = [scalarValue(valueNode)];
  } else if (valueNode === null || valueNode === undefined) {
    values = [{ kind: 'null', text: '', ...(keyAt === undefined ? {} : { at: keyAt }) }];
  } else {
    throw new RuleProblem(`value of '${spec.field}' must be a scalar or a list of scalars`, offset(valueNode));
  }
  if (values.length === 0) throw new RuleProblem(`no value given for '${spec.field}'`, offset(valueNode));
  return compileFieldItem(spec, spec.expand ? expandValues(values) : values);
}
