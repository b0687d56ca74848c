// One `field|modifiers: value(s)` entry of a selection, compiled to a closure and its pre-filter literals.

import { parseCidr } from './cidr.js';
import { allOf, anyOf, lazyLiterals, valueLiteral, type Literals } from './literals.js';
import { needAll, needAny, NO_NEED, patternNeed, type LazyNeed, type NeedNode } from './need.js';
import type { FieldSpec } from './modifiers.js';
import { lowerPattern, parseWildcards, plain, plainText, withLeadingStar, withTrailingStar, type Pattern } from './pattern.js';
import { RuleProblem } from './problem.js';
import type { ItemValue } from './rule-data.js';
import { compileStringTest } from './string-match.js';
import { base64, base64offset, utf16, windash, type Stage } from './transforms.js';
import type { FieldAccess } from './types.js';

export interface Compiled {
  match: (record: FieldAccess) => boolean;
  literals: Literals;
  /** Every string the node tests, for the check after the byte search (need.ts). */
  need: LazyNeed;
  /** Sigma field names read, in order. */
  fields: string[];
}

/** `v` as read, `lv` its lower-case form (only computed when some test asks for it). */
type ValueTest = (v: string | undefined, lv: string | undefined, record: FieldAccess) => boolean;

interface CompiledValue {
  test: ValueTest;
  usesLower: boolean;
  /** Asked only when the item's own literals are (never under NOT). */
  literals: () => Literals;
  need: LazyNeed;
  /** Set for a case-insensitive exact string: lets a list of them become one Set lookup. */
  exact?: string;
  refField?: string;
}

const NONE = (): Literals => null;

let lastText: string | undefined;
let lastLower = '';

/** Every rule with a keyword selection lower-cases the same record text; do it once per record. */
function lowerText(s: string): string {
  if (s !== lastText) {
    lastText = s;
    lastLower = s.toLowerCase();
  }
  return lastLower;
}

export function compileFieldItem(spec: FieldSpec, values: readonly ItemValue[]): Compiled {
  if (values.length === 0) throw new RuleProblem(`no value given for '${spec.field}'`);
  if (isEqualityList(spec, values)) return equalityList(spec.field, values);
  const compiled = values.map((v) => {
    try {
      return compileValue(spec, v);
    } catch (e) {
      if (e instanceof RuleProblem && e.at === undefined) e.at = v.at;
      throw e;
    }
  });
  const fields = spec.field === '' ? [] : [spec.field];
  for (const c of compiled) if (c.refField !== undefined && !fields.includes(c.refField)) fields.push(c.refField);
  const tests = spec.all ? compiled.map((c) => c.test) : mergeExact(compiled);
  const usesLower = compiled.some((c) => c.usesLower);
  const keyword = spec.field === '';
  const field = spec.field;
  const all = spec.all;
  const n = tests.length;
  const only = tests[0] as ValueTest;
  const match = (r: FieldAccess): boolean => {
    const v = keyword ? r.text() : r.get(field);
    const lv = usesLower && v !== undefined ? (keyword ? lowerText(v) : v.toLowerCase()) : v;
    if (n === 1) return only(v, lv, r);
    if (all) {
      for (let i = 0; i < n; i++) if (!(tests[i] as ValueTest)(v, lv, r)) return false;
      return true;
    }
    for (let i = 0; i < n; i++) if ((tests[i] as ValueTest)(v, lv, r)) return true;
    return false;
  };
  const literals = (): Literals => (spec.all ? allOf(compiled.map((c) => c.literals())) : anyOf(compiled.map((c) => c.literals())));
  const need = (): NeedNode => (spec.all ? needAll : needAny)(compiled.map((c) => c.need()));
  return lazyLiterals({ match, fields, need }, literals);
}

/** Values without wildcards, compared whole and case-insensitively: what a list of pages or addresses is. */
function isEqualityList(spec: FieldSpec, values: readonly ItemValue[]): boolean {
  return (
    spec.field !== '' &&
    spec.type === 'string' &&
    spec.position === 'exact' &&
    !spec.all &&
    !spec.cased &&
    spec.transforms.length === 0 &&
    values.every((v) => v.kind !== 'null' && (v.kind !== 'string' || !/[*?\\]/.test(v.text)))
  );
}

/**
 * Such a list straight to one Set lookup, as `stringValue` and `mergeExact` would make it, without a
 * pattern per value: Exchange's 635 stock pages were most of compiling the rules.
 */
function equalityList(field: string, values: readonly ItemValue[]): Compiled {
  const lower = values.map((v) => v.text.toLowerCase());
  const set = new Set(lower);
  const match = (r: FieldAccess): boolean => {
    const v = r.get(field);
    return v !== undefined && set.has(v.toLowerCase());
  };
  const need = (): NeedNode => needAny(lower.map((text) => patternNeed(field, plain(text), true)));
  return lazyLiterals({ match, fields: [field], need }, () =>
    anyOf(
      lower.map((text) => {
        const l = valueLiteral(plain(text));
        return l === null ? null : [l];
      }),
    ),
  );
}

/** Many exact values for one field (user agents, methods) become a single Set lookup. */
function mergeExact(compiled: readonly CompiledValue[]): ValueTest[] {
  const exact = compiled.filter((c) => c.exact !== undefined);
  if (exact.length < 3) return compiled.map((c) => c.test);
  const set = new Set(exact.map((c) => c.exact as string));
  const inSet: ValueTest = (_v, lv) => lv !== undefined && set.has(lv);
  return [inSet, ...compiled.filter((c) => c.exact === undefined).map((c) => c.test)];
}

function compileValue(spec: FieldSpec, value: ItemValue): CompiledValue {
  if (value.kind === 'null') return nullValue(spec);
  switch (spec.type) {
    case 'exists':
      return existsValue(value);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return numericValue(spec.type, value);
    case 'cidr':
      return cidrValue(value);
    case 're':
      return regexValue(value, spec.reFlags);
    case 'fieldref':
      return fieldrefValue(spec, value);
    case 'string':
      return stringValue(spec, value);
  }
}

function nullValue(spec: FieldSpec): CompiledValue {
  if (spec.type !== 'string' || spec.position !== 'exact' || spec.transforms.length > 0) {
    throw new RuleProblem(`null cannot be used with modifiers ${spec.modifiers.join('|')}`);
  }
  if (spec.field === '') throw new RuleProblem('null is not a keyword');
  return { test: (v) => v === undefined || v === '', usesLower: false, literals: NONE, need: NO_NEED };
}

function existsValue(value: ItemValue): CompiledValue {
  if (value.kind !== 'boolean') throw new RuleProblem(`exists takes true or false, not '${value.text}'`);
  const want = value.text.toLowerCase() === 'true';
  return { test: (v) => (v !== undefined) === want, usesLower: false, literals: NONE, need: NO_NEED };
}

/** Whole-string numbers only: an empty field is not 0, and `12abc` is not 12. */
function toNumber(s: string): number {
  const t = s.trim();
  return t === '' ? NaN : Number(t);
}

function numericValue(op: 'lt' | 'lte' | 'gt' | 'gte', value: ItemValue): CompiledValue {
  const limit = toNumber(value.text);
  if (value.kind === 'boolean' || !Number.isFinite(limit)) throw new RuleProblem(`${op} needs a number, not '${value.text}'`);
  const cmp: (n: number) => boolean = op === 'lt' ? (n) => n < limit : op === 'lte' ? (n) => n <= limit : op === 'gt' ? (n) => n > limit : (n) => n >= limit;
  return {
    test: (v) => {
      if (v === undefined) return false;
      const n = toNumber(v);
      return !Number.isNaN(n) && cmp(n);
    },
    usesLower: false,
    literals: NONE,
    need: NO_NEED,
  };
}

function cidrValue(value: ItemValue): CompiledValue {
  const cidr = parseCidr(value.text);
  return { test: (v) => v !== undefined && cidr.test(v), usesLower: false, literals: NONE, need: NO_NEED };
}

const INLINE_FLAGS = /^\(\?([a-zA-Z]+)\)/;

function regexValue(value: ItemValue, reFlags: string): CompiledValue {
  let source = value.text;
  let flags = reFlags;
  // Many published rules start with PCRE's `(?i)`, which JavaScript does not accept: read it as the i modifier.
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    for (const f of inline[1] as string) {
      if (!'ims'.includes(f)) throw new RuleProblem(`unsupported inline regular expression flag '${f}'`);
      if (!flags.includes(f)) flags += f;
    }
    source = source.slice(inline[0].length);
  }
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new RuleProblem(`bad regular expression: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { test: (v) => v !== undefined && re.test(v), usesLower: false, literals: NONE, need: NO_NEED };
}

function fieldrefValue(spec: FieldSpec, value: ItemValue): CompiledValue {
  if (value.kind !== 'string' || value.text === '') throw new RuleProblem('fieldref needs a field name');
  const ref = value.text;
  const cased = spec.cased;
  const compare: (a: string, b: string) => boolean =
    spec.position === 'contains'
      ? (a, b) => a.includes(b)
      : spec.position === 'startswith'
        ? (a, b) => a.startsWith(b)
        : spec.position === 'endswith'
          ? (a, b) => a.endsWith(b)
          : (a, b) => a === b;
  return {
    test: (v, lv, r) => {
      if (v === undefined || lv === undefined) return false;
      const other = r.get(ref);
      if (other === undefined) return false;
      return cased ? compare(v, other) : compare(lv, other.toLowerCase());
    },
    usesLower: !cased,
    literals: NONE,
    need: NO_NEED,
    refField: ref,
  };
}

function stringValue(spec: FieldSpec, value: ItemValue): CompiledValue {
  let stages: Stage[] = [{ kind: 'pattern', pattern: value.kind === 'string' ? parseWildcards(value.text) : plain(value.text) }];
  for (const t of spec.transforms) {
    if (t === 'windash') {
      stages = stages.flatMap((s): Stage[] => {
        if (s.kind !== 'pattern') throw new RuleProblem(`windash cannot follow ${s.encoding}`);
        return windash(s.pattern).map((pattern) => ({ kind: 'pattern', pattern }));
      });
    } else if (t === 'base64') {
      stages = stages.map(base64);
    } else if (t === 'base64offset') {
      stages = stages.flatMap(base64offset);
    } else {
      stages = stages.map((s) => utf16(s, t));
    }
  }
  // Keyword items search the whole text: contains, unless the rule anchors them itself.
  const position = spec.field === '' && spec.position === 'exact' ? 'contains' : spec.position;
  const patterns = stages.map((s): Pattern => {
    if (s.kind !== 'pattern') throw new RuleProblem(`${s.encoding} must be followed by base64 or base64offset`);
    let p = s.pattern;
    if (position === 'contains' || position === 'endswith') p = withLeadingStar(p);
    if (position === 'contains' || position === 'startswith') p = withTrailingStar(p);
    return spec.cased ? p : lowerPattern(p);
  });
  const literals = (): Literals =>
    anyOf(
      patterns.map((p) => {
        const l = valueLiteral(p);
        return l === null ? null : [l];
      }),
    );
  // Where the value starts and ends is known only without transformations (base64 shifts it).
  const anchorable = spec.field !== '' && spec.transforms.length === 0;
  const need = (): NeedNode => needAny(patterns.map((p) => patternNeed(spec.field, p, anchorable)));
  const cased = spec.cased;
  const only = patterns.length === 1 ? plainText(patterns[0] as Pattern) : undefined;
  // A plain value is an equality: no pattern test to build (a list of them becomes one Set lookup).
  const test: ValueTest = only !== undefined ? (cased ? (v) => v === only : (_v, lv) => lv === only) : patternsTest(patterns, cased);
  return { test, usesLower: !cased, literals, need, ...(cased || only === undefined ? {} : { exact: only }) };
}

function patternsTest(patterns: readonly Pattern[], cased: boolean): ValueTest {
  const tests = patterns.map(compileStringTest);
  if (tests.length === 1) {
    const t = tests[0] as (s: string) => boolean;
    return cased ? (v) => v !== undefined && t(v) : (_v, lv) => lv !== undefined && t(lv);
  }
  const any = (s: string): boolean => {
    for (let i = 0; i < tests.length; i++) if ((tests[i] as (s: string) => boolean)(s)) return true;
    return false;
  };
  return cased ? (v) => v !== undefined && any(v) : (_v, lv) => lv !== undefined && any(lv);
}
