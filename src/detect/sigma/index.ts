// The Sigma rule engine: compile a rule file once, then match records and pre-filter them by literal.
//
// Choices where the spec leaves room (each has a test):
// - matching is case-insensitive (String#toLowerCase on both sides) unless `cased`; `re` is case-sensitive unless `i`,
//   and a leading PCRE `(?i)`/`(?s)`/`(?m)` is read as those modifiers;
// - `null` matches an absent or empty field, `''` an empty one, `exists: true` a present one (even empty);
// - keywords are searched as substrings of `text()`; numbers and booleans compare as the text written (`1.10`);
// - `lt`/`lte`/`gt`/`gte` compare numbers; a field that is not a whole number never matches;
// - contains/startswith/endswith apply after the transformations, whatever their order in the key;
// - `expand` takes its lists from the caller's placeholders (an undefined one is a located error);
// - `neq` and the time modifiers, aggregations, `timeframe`, correlation and filter documents are refused
//   with a located error, as the spec asks of tools that cannot honour them.

export { compileRules, type CompileOptions } from './rule-file.js';
export type { Placeholders } from './placeholders.js';
export type { CompiledRule, FieldAccess, RuleError, RuleLocation, SigmaLogsource, SigmaRule } from './types.js';
