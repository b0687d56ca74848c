// Helpers for this folder's tests: a rule from a detection block, and a record from field values.

import assert from 'node:assert/strict';
import { compileRules } from '../rule-file.js';
import type { CompiledRule, FieldAccess } from '../types.js';

/** Compiles one rule whose detection block is `detection` (YAML, indented by four spaces per level). */
export function ruleFrom(detection: string): CompiledRule {
  const text = `title: test rule\nid: t-1\nlogsource:\n    category: webserver\ndetection:\n${indent(detection)}\n`;
  const { rules, errors } = compileRules(text, 'test.yml');
  assert.deepEqual(errors, [], 'rule should compile');
  assert.equal(rules.length, 1);
  return rules[0] as CompiledRule;
}

/** The errors a detection block gives. */
export function errorsFrom(detection: string): string[] {
  const text = `title: test rule\nid: t-1\nlogsource:\n    category: webserver\ndetection:\n${indent(detection)}\n`;
  const { rules, errors } = compileRules(text, 'test.yml');
  assert.equal(rules.length, 0, 'a broken rule must not load');
  return errors.map((e) => e.message);
}

/** Dedents the block (so tests may indent it with the code) and nests it under `detection:`. */
function indent(block: string): string {
  const lines = block.replace(/^\n+|\s+$/g, '').split('\n');
  const margin = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => `    ${l.slice(margin)}`).join('\n');
}

export function record(fields: Record<string, string>, text?: string): FieldAccess {
  return {
    get: (f) => fields[f],
    text: () => text ?? Object.values(fields).join(' '),
  };
}
