// The public shapes of the Sigma engine. Other stages speak these; nothing here depends on the YAML library.

import type { NeedNode } from './need.js';

export interface SigmaLogsource {
  product?: string;
  service?: string;
  category?: string;
}

/** The rule's metadata as written. */
export interface SigmaRule {
  /** '' when the rule has no `id` (Sigma makes it optional). */
  id: string;
  title: string;
  status?: string;
  level?: string;
  description?: string;
  references: string[];
  tags: string[];
  logsource: SigmaLogsource;
  falsepositives: string[];
  /** Every other top-level key (Sigma custom attributes), e.g. exir's `stage`, `benign`, `cites`. */
  custom: Record<string, unknown>;
}

export interface RuleLocation {
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export interface RuleError extends RuleLocation {
  message: string;
  ruleId?: string;
}

/** How a matcher reads a record: Sigma field name -> value (the caller applies field mappings). */
export interface FieldAccess {
  get(field: string): string | undefined;
  /** text searched by keyword rules */
  text(): string;
}

export interface CompiledRule {
  rule: SigmaRule;
  location: RuleLocation;
  match(record: FieldAccess): boolean;
  /** Sigma field names the detection uses, in order of first use. */
  fields: string[];
  /**
   * Pre-filter: lower-case ASCII literals such that whenever match() is true, at least one of them occurs as a
   * substring of `raw.toLowerCase()` (the record's raw text, lower-cased with String#toLowerCase). null = no such
   * set can be given: the rule must see every record.
   */
  literals: string[] | null;
  /**
   * Every string the rule tests, with the field and whether it starts or ends the value (need.ts): the
   * scanner checks it on the records the literal search lets through. Read it once; it is built on call.
   */
  need: () => NeedNode;
}
