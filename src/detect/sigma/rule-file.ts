// One rule file (one or more YAML documents) to compiled rules and located errors, in one go: read to
// plain data (rule-read.ts), then compiled (rule-compile.ts). The scan's rule set goes through the
// compiled-rules cache instead (detect/rule-cache.ts), which keeps the plain data.

import { compileRuleData, type CompileOptions } from './rule-compile.js';
import { readRuleFile } from './rule-read.js';
import type { CompiledRule, RuleError } from './types.js';

export type { CompileOptions };

export function compileRules(yamlText: string, file: string, options: CompileOptions = {}): { rules: CompiledRule[]; errors: RuleError[] } {
  return compileRuleData(readRuleFile(yamlText), file, options);
}
