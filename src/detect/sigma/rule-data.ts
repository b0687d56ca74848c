// The plain-data form of a rule file, between reading its YAML and compiling its matchers: what the
// YAML said (values, offsets, the structural mistakes found while reading, in the order they were met)
// and nothing of the YAML library. It is JSON, so a cache can keep it and the YAML library need not
// load on a start whose rules are unchanged; compiling closures from it is the same code either way.
// A cached copy is read from disk, so `isRuleFileData` checks every node before it is trusted.

/** A scalar from the rule. Numbers keep the text they were written with (`1.10` stays `1.10`). */
export interface ItemValue {
  kind: 'string' | 'number' | 'boolean' | 'null';
  text: string;
  /** Offset of the value's node in the rule file, to locate errors. */
  at?: number;
}

/** A mistake met while reading, kept where it was met so that compiling reports it in the same order. */
export interface Problem {
  problem: string;
  at?: number;
}

/** A structural mistake in a field item whose message names the field (known only once its key is parsed). */
type ItemProblem = Problem | { fieldProblem: 'values-not-scalars' | 'value-not-scalar' | 'no-value'; at?: number };

/** `field|modifiers: value(s)`. */
export interface ItemData {
  key: string;
  keyAt?: number;
  values: ItemValue[] | ItemProblem;
}

export interface MapData {
  map: (ItemData | Problem)[];
  at?: number;
}

/** A selection: a map, a list of maps and keywords (a problem ends it), one keyword, or a mistake. */
export type SelectionData = MapData | { list: (MapData | { keyword: ItemValue } | Problem)[] } | { keyword: ItemValue } | Problem;

/** One condition string; `shift` maps an offset in the text to the file (null: point at the string's start). */
export type ConditionItem = { text: string; at?: number; shift: number | null } | Problem;

export type DetectionData =
  | Problem
  | {
      /** Selections and `timeframe` keys in the order written. */
      entries: ({ selection: string; at?: number; data: SelectionData } | { timeframe: true; at?: number })[];
      /** Absent: no condition key. */
      condition?: { items: ConditionItem[]; at?: number } | Problem;
      at?: number;
    };

/** One YAML document of the file. */
export interface DocData {
  at?: number;
  ruleId?: string;
  /** Mistakes of the document as a whole, reported before the detection's. */
  problems: Problem[];
  /** A mistake that leaves nothing to compile (a correlation rule, an unreadable document). */
  stop: boolean;
  /** The document as plain values (for the rule's metadata). */
  data: Record<string, unknown>;
  detection?: DetectionData;
}

/** Mistakes the YAML library located itself (syntax): the document is skipped. */
interface LocatedErrors {
  located: { message: string; line?: number; column?: number }[];
}

export interface RuleFileData {
  /** Offsets at which lines start (the YAML library's line counter), to turn offsets into lines and columns. */
  lineStarts: number[];
  docs: (DocData | LocatedErrors)[];
}

/** Line and column (1-based) of an offset, as the YAML library's line counter gives them. */
export function linePos(lineStarts: readonly number[], offset: number): { line: number; col: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((lineStarts[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1, col: 1 };
  if (low === 0) return { line: 0, col: offset };
  return { line: low, col: offset - (lineStarts[low - 1] as number) + 1 };
}

// ---- validation of a copy read back from a cache: every node, nothing assumed ----

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOffset = (v: unknown): boolean => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
const isText = (v: unknown): boolean => typeof v === 'string';
const listOf =
  (each: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(each);
const isProblem: Check = (v) => isObject(v) && isText(v['problem']) && isOffset(v['at']);
const VALUE_KINDS = new Set(['string', 'number', 'boolean', 'null']);
const isValue: Check = (v) => isObject(v) && VALUE_KINDS.has(v['kind'] as string) && isText(v['text']) && isOffset(v['at']);
const FIELD_PROBLEMS = new Set(['values-not-scalars', 'value-not-scalar', 'no-value']);
const isItem: Check = (v) => {
  if (!isObject(v) || !isText(v['key']) || !isOffset(v['keyAt'])) return false;
  const values = v['values'];
  if (Array.isArray(values)) return values.every(isValue);
  return isProblem(values) || (isObject(values) && FIELD_PROBLEMS.has(values['fieldProblem'] as string) && isOffset(values['at']));
};
const isMapData: Check = (v) => isObject(v) && listOf((i) => isItem(i) || isProblem(i))(v['map']) && isOffset(v['at']);
const isKeyword: Check = (v) => isObject(v) && isValue(v['keyword']);
const isSelection: Check = (v) =>
  isProblem(v) || isMapData(v) || isKeyword(v) || (isObject(v) && listOf((e) => isMapData(e) || isKeyword(e) || isProblem(e))(v['list']));
const isShift = (v: unknown): boolean => v === null || Number.isSafeInteger(v);
const isConditionItem: Check = (v) => isProblem(v) || (isObject(v) && isText(v['text']) && isOffset(v['at']) && isShift(v['shift']));
const isEntry: Check = (v) => isObject(v) && isOffset(v['at']) && (v['timeframe'] === true || (isText(v['selection']) && isSelection(v['data'])));
const isDetection: Check = (v) => {
  if (isProblem(v)) return true;
  if (!isObject(v) || !listOf(isEntry)(v['entries']) || !isOffset(v['at'])) return false;
  const c = v['condition'];
  return c === undefined || isProblem(c) || (isObject(c) && listOf(isConditionItem)(c['items']) && isOffset(c['at']));
};
const isDoc: Check = (v) =>
  isObject(v) &&
  isOffset(v['at']) &&
  (v['ruleId'] === undefined || isText(v['ruleId'])) &&
  listOf(isProblem)(v['problems']) &&
  typeof v['stop'] === 'boolean' &&
  isObject(v['data']) &&
  (v['detection'] === undefined || isDetection(v['detection']));
const isLine = (v: unknown): boolean => v === undefined || Number.isSafeInteger(v);
const isLocated: Check = (v) => isObject(v) && isText(v['message']) && isLine(v['line']) && isLine(v['column']);
const isLocatedErrors: Check = (v) => isObject(v) && listOf(isLocated)(v['located']);

/** Whether a value read back from a cache has the shape compiling relies on, in every node. */
export function isRuleFileData(v: unknown): v is RuleFileData {
  return isObject(v) && listOf((n) => Number.isSafeInteger(n))(v['lineStarts']) && listOf((d) => isDoc(d) || isLocatedErrors(d))(v['docs']);
}
