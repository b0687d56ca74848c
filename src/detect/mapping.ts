import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { LogRecord, SourceKind } from '../core/types.js';
import type { FieldAccess, SigmaLogsource } from './sigma/index.js';

/** How one log source is reached by rules and read by them (rules/mappings/logs.yml). */
export interface SourceMapping {
  kind: SourceKind;
  logsource: SigmaLogsource;
  /** Sigma field name → the log's column name. */
  fields: Map<string, string>;
  /** Columns that hold the client IP and the user, first non-empty wins. */
  who: { clientIp: string[]; user: string[]; requestId: string[] };
}

export type Mappings = Map<SourceKind, SourceMapping>;

interface MappingFile {
  sources?: Record<string, { logsource?: SigmaLogsource; fields?: Record<string, string>; who?: { clientIp?: string[]; user?: string[]; requestId?: string[] } }>;
}

export async function loadMappings(file: string): Promise<Mappings> {
  const doc = parse(await readFile(file, 'utf8')) as MappingFile | null;
  const out: Mappings = new Map();
  for (const [kind, source] of Object.entries(doc?.sources ?? {})) {
    out.set(kind as SourceKind, {
      kind: kind as SourceKind,
      logsource: source.logsource ?? {},
      fields: new Map(Object.entries(source.fields ?? {})),
      who: { clientIp: source.who?.clientIp ?? [], user: source.who?.user ?? [], requestId: source.who?.requestId ?? [] },
    });
  }
  return out;
}

/** A rule reaches a source when every logsource key the rule gives is the source's value for it. */
export function logsourceReaches(rule: SigmaLogsource, source: SigmaLogsource): boolean {
  for (const key of ['product', 'service', 'category'] as const) {
    const want = rule[key];
    if (want !== undefined && want.toLowerCase() !== source[key]?.toLowerCase()) return false;
  }
  return rule.product !== undefined || rule.service !== undefined || rule.category !== undefined;
}

/** Reads a record through the mapping: rules ask by Sigma name, the record answers by column. */
export function fieldAccess(record: LogRecord, mapping: SourceMapping | undefined): FieldAccess {
  const fields = record.fields;
  const names = mapping?.fields;
  return {
    get(field: string): string | undefined {
      const column = names?.get(field) ?? field;
      return fields[column];
    },
    text(): string {
      return record.raw;
    },
  };
}

export function firstValue(record: LogRecord, columns: string[]): string | undefined {
  for (const column of columns) {
    const value = record.fields[column];
    if (value !== undefined && value !== '' && value !== '-') return value;
  }
  return undefined;
}
