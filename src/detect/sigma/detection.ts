// A rule's `detection` block, from its plain-data form (rule-data.ts): its selections (maps, lists of
// maps, keyword lists) and the condition over them, compiled to one matcher.

import { and, atLeast, not, or } from './combine.js';
import { parseCondition, selectionPattern, type Condition } from './condition.js';
import { compileFieldItem, type Compiled } from './field-item.js';
import { parseFieldSpec } from './modifiers.js';
import { expandedOnce, expandValues } from './placeholders.js';
import { RuleProblem } from './problem.js';
import type { DetectionData, ItemData, ItemValue, MapData, Problem, SelectionData } from './rule-data.js';

/** Reports a problem at an offset in the rule file. */
export type Report = (message: string, at: number | undefined) => void;

export interface Detection {
  match: Compiled['match'];
  literals: Compiled['literals'];
  need: Compiled['need'];
  fields: string[];
}

function isProblem(v: object): v is Problem {
  return 'problem' in v;
}

/** A mistake met while reading, raised where compiling in one go would have met it. */
function raise(p: Problem): never {
  throw new RuleProblem(p.problem, p.at);
}

/** Returns undefined when the detection has problems; each has then been reported. */
export function compileDetection(detection: DetectionData, report: Report): Detection | undefined {
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

  // Not a map, or more aliases than allowed: the rule's mistake, reported at the detection.
  if (isProblem(detection)) {
    fail(detection.problem, detection.at);
    return undefined;
  }
  const selections = new Map<string, Compiled | undefined>();
  for (const entry of detection.entries) {
    if ('timeframe' in entry) fail('timeframe (aggregation over time) is not supported', entry.at);
    else
      selections.set(
        entry.selection,
        guard(entry.at, () => compileSelection(entry.data)),
      );
  }
  const condition = detection.condition;
  if (condition === undefined) {
    fail('detection has no condition', detection.at);
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

  if (isProblem(condition)) {
    fail(condition.problem, condition.at);
    return undefined;
  }
  if (condition.items.length === 0) fail('condition is empty', condition.at);
  const parts: (Compiled | undefined)[] = condition.items.map((item) => {
    if (isProblem(item)) {
      fail(item.problem, item.at);
      return undefined;
    }
    const start = item.at;
    const shift = item.shift;
    const at = (inner: number): number | undefined => (start === undefined || shift === null ? start : start + shift + inner);
    let parsed: Condition;
    try {
      parsed = parseCondition(item.text);
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
  return { match: whole.match, literals: whole.literals, need: whole.need, fields };
}

function compileSelection(data: SelectionData): Compiled {
  if (isProblem(data)) raise(data);
  if ('map' in data) return compileMap(data);
  if ('keyword' in data) return compileFieldItem(parseFieldSpec(''), [data.keyword]);
  const alternatives: Compiled[] = [];
  const keywords: ItemValue[] = [];
  for (const item of data.list) {
    if (isProblem(item)) raise(item);
    if ('map' in item) alternatives.push(compileMap(item));
    else keywords.push(item.keyword);
  }
  if (keywords.length > 0) alternatives.push(compileFieldItem(parseFieldSpec(''), keywords));
  return or(alternatives);
}

function compileMap(data: MapData): Compiled {
  const items = data.map.map((item) => {
    if (isProblem(item)) raise(item);
    try {
      return compileItem(item);
    } catch (e) {
      if (e instanceof RuleProblem && e.at === undefined) e.at = item.keyAt;
      throw e;
    }
  });
  return and(items);
}

function compileItem(item: ItemData): Compiled {
  const spec = parseFieldSpec(item.key);
  const values = item.values;
  if (!Array.isArray(values)) {
    if ('problem' in values) raise(values);
    const message =
      values.fieldProblem === 'values-not-scalars'
        ? `values of '${spec.field}' must be scalars`
        : values.fieldProblem === 'value-not-scalar'
          ? `value of '${spec.field}' must be a scalar or a list of scalars`
          : `no value given for '${spec.field}'`;
    throw new RuleProblem(message, values.at);
  }
  if (!spec.expand) return compileFieldItem(spec, values);
  // With `|all` the item's pre-filter depends on the common literals too: compiled each time.
  if (spec.all) return compileFieldItem(spec, expandValues(values));
  return expandedOnce(item.key, values, (expanded) => compileFieldItem(spec, expanded));
}
