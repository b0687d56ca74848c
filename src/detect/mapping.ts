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
  /** Columns that hold who and what a record is about, first non-empty wins. */
  who: Who;
  /** How one record reads on a timeline: `{column}` is replaced by its value. */
  summary: string | undefined;
  /** The columns a timeline entry carries. */
  keep: string[];
}

export interface Who {
  clientIp: string[];
  user: string[];
  requestId: string[];
  url: string[];
  userAgent: string[];
}

export type Mappings = Map<SourceKind, SourceMapping>;

interface MappingFile {
  sources?: Record<string, {
    logsource?: SigmaLogsource;
    fields?: Record<string, string>;
    who?: Partial<Who>;
    summary?: string;
    keep?: string[];
  }>;
}

export async function loadMappings(file: string): Promise<Mappings> {
  const doc = parse(await readFile(file, 'utf8')) as MappingFile | null;
  const out: Mappings = new Map();
  for (const [kind, source] of Object.entries(doc?.sources ?? {})) {
    out.set(kind as SourceKind, {
      kind: kind as SourceKind,
      logsource: source.logsource ?? {},
      fields: new Map(Object.entries(source.fields ?? {})),
      who: {
        clientIp: source.who?.clientIp ?? [],
        user: source.who?.user ?? [],
        requestId: source.who?.requestId ?? [],
        url: source.who?.url ?? [],
        userAgent: source.who?.userAgent ?? [],
      },
      summary: source.summary,
      keep: source.keep ?? [],
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

/** The record as one line of a timeline, from the source's `summary` template; empty values drop out. */
export function summarise(record: LogRecord, mapping: SourceMapping | undefined): string {
  if (!mapping?.summary) return record.raw.slice(0, 300);
  const text = mapping.summary.replace(/\{([^}]+)\}/g, (_, column: string) => {
    const value = record.fields[column];
    return value === undefined || value === '-' ? '' : value;
  });
  // Tidy what empty values leave behind: "as  anchor " , "()" and doubled spaces.
  return text.replace(/\(\s*,?\s*\)/g, '').replace(/\b(as|anchor|impersonating|from|to)\s+(?=(as|anchor|impersonating|from|to|->|\(|$)\b)/g, '').replace(/\s{2,}/g, ' ').trim();
}

/** The columns worth carrying with a timeline entry. */
export function keptFields(record: LogRecord, mapping: SourceMapping | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const column of mapping?.keep ?? []) {
    const value = record.fields[column];
    if (value !== undefined && value !== '' && value !== '-') out[column] = value;
  }
  return out;
}
