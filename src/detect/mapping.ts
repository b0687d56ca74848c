import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord, SourceKind } from '../core/types.js';
import { parseYaml, throughCache } from './rule-cache.js';
import type { FieldAccess, SigmaLogsource } from './sigma/index.js';

/**
 * One way rules see a log: the `logsource` it answers to and how Sigma's field names map onto its
 * columns. Most logs have one view; Windows event logs have one per channel and event (Sysmon 1 is
 * `process_creation`, Security 4688 too, with other field names), chosen per record by `when`.
 */
export interface SourceView {
  logsource: SigmaLogsource;
  /** Column → accepted values: the view applies to a record whose columns all hold one of them. */
  when: Map<string, Set<string>> | undefined;
  /** Sigma field name → the log's column name. */
  fields: Map<string, string>;
}

/** How one kind of log is reached by rules and read by them (rules/mappings/*.yml). */
export interface SourceMapping {
  kind: SourceKind;
  views: SourceView[];
  /** Columns that hold who and what a record is about, first non-empty wins. */
  who: Who;
  /** How one record reads on a timeline: `{column}` is replaced by its value. */
  summary: string | undefined;
  /** The columns a timeline entry carries. */
  keep: string[];
  /**
   * Columns that can hold a list of values separated by commas or spaces (Rps_Http's
   * `ClientIpAddress` holds a chain of addresses): a rule's value matches such a column when it
   * matches one element.
   */
  lists: string[];
}

interface Who {
  /** The machine that wrote the record, where one log holds many (forwarded event exports). */
  server: string[];
  clientIp: string[];
  user: string[];
  requestId: string[];
  url: string[];
  userAgent: string[];
  /** Where a message went (message tracking), to follow mail to addresses the attacker set up. */
  recipient: string[];
}

export type Mappings = Map<SourceKind, SourceMapping>;

interface ViewSpec {
  logsource?: SigmaLogsource;
  when?: Record<string, (string | number)[] | string | number>;
  fields?: Record<string, string>;
}

interface MappingFile {
  sources?: Record<
    string,
    ViewSpec & {
      views?: ViewSpec[];
      who?: Partial<Who>;
      summary?: string;
      keep?: string[];
      lists?: string[];
    }
  >;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
const isScalars = (v: unknown): boolean =>
  ['string', 'number'].includes(typeof v) || (Array.isArray(v) && v.every((s) => ['string', 'number'].includes(typeof s)));
const isView = (v: unknown): boolean =>
  isObject(v) &&
  (v['logsource'] === undefined || (isObject(v['logsource']) && Object.values(v['logsource']).every((x) => typeof x === 'string'))) &&
  (v['when'] === undefined || (isObject(v['when']) && Object.values(v['when']).every(isScalars))) &&
  (v['fields'] === undefined || (isObject(v['fields']) && Object.values(v['fields']).every((x) => typeof x === 'string')));

/** The shape this file reads, checked on a copy read back from the cache (mappings are parsed YAML). */
function isMappingFile(v: unknown): v is MappingFile | null {
  if (v === null) return true;
  if (!isObject(v)) return false;
  const sources = v['sources'];
  if (sources === undefined) return true;
  return (
    isObject(sources) &&
    Object.values(sources).every(
      (s) =>
        isView(s) &&
        isObject(s) &&
        (s['views'] === undefined || (Array.isArray(s['views']) && s['views'].every(isView))) &&
        (s['who'] === undefined || (isObject(s['who']) && Object.values(s['who']).every(isStrings))) &&
        (s['summary'] === undefined || typeof s['summary'] === 'string') &&
        isStrings(s['keep']) &&
        isStrings(s['lists']),
    )
  );
}

function view(spec: ViewSpec, base: Record<string, string> = {}): SourceView {
  const when = spec.when ? new Map(Object.entries(spec.when).map(([k, v]) => [k, new Set((Array.isArray(v) ? v : [v]).map(String))])) : undefined;
  return { logsource: spec.logsource ?? {}, when, fields: new Map(Object.entries({ ...base, ...(spec.fields ?? {}) })) };
}

/** Reads every mapping file in a folder (or one file); a kind defined twice is an error. */
export async function loadMappings(path: string): Promise<Mappings> {
  const files = (await stat(path)).isDirectory()
    ? (await readdir(path))
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const texts = await Promise.all(files.map(async (file) => ({ path: file, text: await readFile(file, 'utf8') })));
  const docs = await throughCache('mappings', texts, parseYaml, isMappingFile);
  const out: Mappings = new Map();
  for (const [i, file] of files.entries()) {
    const doc = docs[i] as MappingFile | null;
    for (const [kind, source] of Object.entries(doc?.sources ?? {})) {
      if (out.has(kind as SourceKind)) throw new Error(`${file}: log source ${kind} is mapped twice`);
      const views = source.views?.length ? source.views.map((v) => view(v, source.fields)) : [view(source)];
      out.set(kind as SourceKind, {
        kind: kind as SourceKind,
        views,
        who: {
          server: source.who?.server ?? [],
          clientIp: source.who?.clientIp ?? [],
          user: source.who?.user ?? [],
          requestId: source.who?.requestId ?? [],
          url: source.who?.url ?? [],
          userAgent: source.who?.userAgent ?? [],
          recipient: source.who?.recipient ?? [],
        },
        summary: source.summary,
        keep: source.keep ?? [],
        lists: source.lists ?? [],
      });
    }
  }
  return out;
}

/** The views of a log that apply to this record. */
export function viewsFor(record: Pick<LogRecord, 'fields'>, mapping: SourceMapping): SourceView[] {
  return mapping.views.filter((v) => {
    if (!v.when) return true;
    for (const [column, values] of v.when) {
      const value = record.fields[column];
      if (value === undefined || !values.has(value)) return false;
    }
    return true;
  });
}

/** A rule reaches a source when every logsource key the rule gives is the source's value for it. */
export function logsourceReaches(rule: SigmaLogsource, source: SigmaLogsource): boolean {
  for (const key of ['product', 'service', 'category'] as const) {
    const want = rule[key];
    if (want !== undefined && want.toLowerCase() !== source[key]?.toLowerCase()) return false;
  }
  return rule.product !== undefined || rule.service !== undefined || rule.category !== undefined;
}

/** Reads a record through a view: rules ask by Sigma name, the record answers by column. */
export function fieldAccess(record: LogRecord, fields: Map<string, string> | undefined): FieldAccess {
  return new ViewAccess(record, fields);
}

// One small object per record and view: the closures it replaced were three objects for each.
class ViewAccess implements FieldAccess {
  constructor(
    private readonly record: LogRecord,
    private readonly fields: Map<string, string> | undefined,
  ) {}

  get(field: string): string | undefined {
    const column = this.fields?.get(field) ?? field;
    return this.record.fields[column];
  }

  text(): string {
    return this.record.raw;
  }
}

const LIST_SEPARATOR = /[\s,]/;
const LIST_SEPARATORS = /[\s,]+/;

/**
 * The ways rules read a record through a view: one, or, where a list column holds several values,
 * one per element with the column holding that element alone (Sigma's any-element match for a
 * field with many values), so an exact value matches inside a chain and never a near miss of it.
 */
export function fieldAccesses(record: LogRecord, fields: Map<string, string> | undefined, lists: readonly string[]): FieldAccess[] {
  const whole = fieldAccess(record, fields);
  const out = [whole];
  for (const column of lists) {
    const value = record.fields[column];
    if (value === undefined || !LIST_SEPARATOR.test(value)) continue;
    for (const item of value.split(LIST_SEPARATORS)) {
      if (item) out.push(fieldAccess({ ...record, fields: { ...record.fields, [column]: item } }, fields));
    }
  }
  return out;
}

export function firstValue(record: LogRecord, columns: string[]): string | undefined {
  for (const column of columns) {
    const value = record.fields[column];
    if (value !== undefined && value !== '' && value !== '-') return value;
  }
  return undefined;
}

/**
 * The address a record came from. A connection the machine itself opened (Sysmon 3 with Initiated
 * true) has none: its source address is the server's own, and the far end is where it went, not who
 * came in; naming either as the client would count the server or its target among the attackers.
 * A loopback address is every machine's own: as a client it would join one server's local logon to
 * another's health probes and list 127.0.0.1 among the attackers, so it names no client.
 */
export function clientIpOf(record: LogRecord, who: Pick<Who, 'clientIp'>): string | undefined {
  if (record.fields['Initiated']?.toLowerCase() === 'true') return undefined;
  const ip = firstValue(record, who.clientIp);
  return ip !== undefined && isLoopback(ip) ? undefined : ip;
}

function isLoopback(ip: string): boolean {
  return /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(ip) || /^(?:0{0,4}:){2,7}0{0,3}1$|^::1$/.test(ip);
}

/** The record as one line of a timeline, from the source's `summary` template; empty values drop out. */
export function summarise(record: LogRecord, mapping: SourceMapping | undefined): string {
  if (!mapping?.summary) return record.raw.slice(0, 300);
  const text = mapping.summary.replace(/\{([^}]+)\}/g, (_, column: string) => {
    const value = record.fields[column];
    return value === undefined || value === '-' ? '' : value;
  });
  // Tidy what empty values leave behind: "as  anchor " , "()" and doubled spaces.
  return text
    .replace(/\(\s*,?\s*\)/g, '')
    .replace(/\b(as|anchor|impersonating|from|to)\s+(?=(as|anchor|impersonating|from|to|->|\(|$)\b)/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
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
