// One reader for every Exchange CSV log (HttpProxy, ECP, EWS, Rps, message tracking, …): columns
// are found by name from `#Fields`, never by position, because the set varies by build.

import type { LogRecord, SourceKind } from '../../core/types.js';
import { RecordScanner, TIME_EXCHANGE, type PlainRecords, type RecordView, type ScanSink } from '../bytes/record-scanner.js';
import { spanText, valueSpan, type Span } from '../bytes/field-span.js';
import { splitQuoted } from '../csv-split.js';
import { fieldSetOf, fieldSetsByText, perFieldSet, type FieldSet } from '../field-set.js';
import { PlainLane } from '../plain-lane.js';
import { noLineEnd, StatsBuilder } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { readThrough } from '../reader.js';
import { TimeRange } from '../time-range.js';
import { parseEventData } from './event-data.js';
import { isExchangeTime, normaliseExchangeTime } from './exchange-time.js';
import { kindOfFields, kindOfLogType, sniffExchangeCsv } from './log-types.js';

const COMMA = 44;
const TIME_COLUMNS = ['DateTime', 'TimeStamp', 'date-time'];
const SERVER_COLUMNS = ['ServerHostName', 'ServerName', 'server-hostname', 'Server'];
const BUILD_COLUMNS = ['MajorVersion', 'MinorVersion', 'BuildVersion', 'RevisionVersion'];

/** `15.01.2375.007` → `15.1.2375.7`; undefined unless four numbers. */
export function normaliseBuild(parts: readonly string[]): string | undefined {
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,6}$/.test(p))) return undefined;
  return parts.map((p) => String(Number(p))).join('.');
}

/** Column positions the reader needs for every record, worked out once per field set. */
interface Layout {
  fields: FieldSet;
  time: number;
  server: number;
  build: number[];
  eventData: number;
}

function makeLayout(fields: FieldSet): Layout {
  const build = BUILD_COLUMNS.map((c) => fields.indexOf(c));
  return {
    fields,
    time: fields.indexOf(...TIME_COLUMNS),
    server: fields.indexOf(...SERVER_COLUMNS),
    build: build.every((i) => i >= 0) ? build : [],
    eventData: fields.indexOf('EventData'),
  };
}

/** A `#Fields` line's value to its field set: names split at commas, spaces around each trimmed. */
const fieldsLineSet = fieldSetsByText(',', (value) => value.split(',').map((n) => n.trim()));

/** Layouts by field set, each worked out once. */
const layoutOf = perFieldSet(makeLayout);

class ExchangeCsvFile implements ScanSink {
  kind: SourceKind = 'unknown';
  private logType: string | undefined;
  private version: string | undefined;
  private layout: Layout | undefined;
  private server: string | undefined;
  private build: string | undefined;
  private buildLooked = false;
  private readonly times = new TimeRange();
  private readonly span: Span = { start: 0, end: 0 };

  constructor(
    readonly stats: StatsBuilder,
    private readonly options: ReadOptions,
  ) {
    this.lane = new PlainLane(TIME_EXCHANGE, stats, this.times);
  }

  directive(text: string, line: number): void {
    const colon = text.indexOf(':');
    const name = (colon < 0 ? text : text.slice(0, colon)).replace(/^#\s*/, '').toLowerCase();
    const value = colon < 0 ? '' : text.slice(colon + 1).trim();
    if (name === 'fields') this.setFields(fieldsLineSet(value), line, '#Fields line');
    else if (name === 'log-type') this.setLogType(value, line);
    else if (name === 'version' && this.version === undefined) this.version = value;
  }

  private setLogType(value: string, line: number): void {
    if (this.logType === undefined) {
      this.logType = value;
      this.kind = kindOfLogType(value);
    } else if (value !== this.logType) {
      this.stats.note(`line ${line}: #Log-type changes from "${this.logType}" to "${value}"; read as ${this.kind}`);
    }
  }

  private setFields(fields: FieldSet, line: number, what: string): void {
    const names = fields.names;
    if (this.layout && this.layout.fields.sameAs(fields)) return;
    if (fields.repeated.length > 0) {
      this.stats.note(`line ${line}: ${what} repeats ${fields.repeated.join(', ')}; rows are read by the first ${fields.span} names`);
    }
    if (this.layout) this.stats.note(`line ${line}: ${what} changes the field set to ${fields.count} names`);
    this.layout = layoutOf(fields);
    if (this.kind === 'unknown') {
      // A damaged or missing #Log-type: the columns still say which log this is.
      const kind = kindOfFields(names);
      if (kind !== 'unknown') {
        this.kind = kind;
        this.stats.note(
          `line ${line}: #Log-type ${this.logType === undefined ? 'missing' : `"${this.logType}" not recognised`}; read as ${kind} by its ${what}`,
        );
      }
    }
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  /** Plain records: rows led by their time, once the server and build are read (or the rows have no server column). */
  private readonly lane: PlainLane;

  plain(): PlainRecords | undefined {
    const layout = this.layout;
    if (!layout || layout.time !== 0 || !this.buildLooked || (this.server === undefined && layout.server >= 0)) return undefined;
    // A row led by a time is no header row, unless the header itself starts with a digit.
    const first = layout.fields.headerRow[0] ?? 0;
    if (first >= 48 && first <= 57) return undefined;
    return this.lane.accepting(layout.fields);
  }

  record(v: RecordView): void {
    const layout = this.layout;
    if (!layout) {
      // Rps_Http logs open with a plain header row, before their `#Fields` line.
      if (this.isHeaderRow(v)) this.setFields(fieldSetOf(v.text().split(','), ','), v.line, 'header row');
      else this.stats.bad(v.line, v.offset, 'record before any #Fields line');
      return;
    }
    const fields = layout.fields;
    const values = v.separators + 1;
    if (isSameBytes(v, fields.headerRow)) return;
    // Times start with a digit, so only a row that does not can be a header row written again.
    const first = v.bytes[v.start] ?? 0;
    if ((first < 48 || first > 57) && this.isHeaderRow(v)) {
      this.setFields(fieldSetOf(v.text().split(','), ','), v.line, 'header row');
      return;
    }
    if (!fields.accepts(values)) {
      const why = `${values} values, ${fields.count} fields`;
      this.stats.bad(v.line, v.offset, v.atEof ? `last line cut off? ${why}` : why);
      if (v.candidate && this.options.onDamaged) this.options.onDamaged(this.toDamagedRecord(v, layout, why));
      return;
    }
    this.stats.records++;
    if (v.atEof) this.stats.note(noLineEnd(v.line));
    const time = this.takeTime(v, layout);
    if (this.server === undefined && layout.server >= 0 && valueSpan(v, layout.server, COMMA, this.span)) {
      const server = spanText(v, this.span, ',').trim();
      if (server !== '') this.server = server;
    }
    if (!this.buildLooked) this.takeBuild(v, layout);
    if (!v.candidate) return;
    const record = this.toRecord(v, layout, values, time);
    if (v.checked) this.options.onRecord(record, v.metLo, v.metHi);
    else this.options.onRecord(record);
  }

  private isHeaderRow(v: RecordView): boolean {
    if (v.quoted) return false;
    const comma = v.bytes.indexOf(COMMA, v.start);
    const first = v.bytes.toString('utf8', v.start, comma === -1 || comma > v.end ? v.end : comma);
    return TIME_COLUMNS.some((c) => c.toLowerCase() === first.toLowerCase());
  }

  /** Offers the record's time to the file's range; returns it only when the record is handed on. */
  private takeTime(v: RecordView, layout: Layout): string | undefined {
    let start = v.start;
    let end = start + 24;
    // The time leads every row of the logs that matter: check its layout in place, no search.
    const inPlace = layout.time === 0 && (end === v.end || (end < v.end && v.bytes[end] === COMMA));
    if (!inPlace) {
      if (layout.time < 0 || !valueSpan(v, layout.time, COMMA, this.span)) return undefined;
      start = this.span.start;
      end = this.span.end;
    }
    if (isExchangeTime(v.bytes, start, end)) {
      this.times.offer(v.bytes, start, end);
      return v.candidate ? v.bytes.toString('latin1', start, end) : undefined;
    }
    if (inPlace && !valueSpan(v, 0, COMMA, this.span)) return undefined;
    const time = normaliseExchangeTime(spanText(v, this.span, ','));
    if (time !== undefined) this.times.offerText(time);
    return time;
  }

  private takeBuild(v: RecordView, layout: Layout): void {
    this.buildLooked = true;
    const parts: string[] = [];
    for (const i of layout.build) {
      if (!valueSpan(v, i, COMMA, this.span)) return;
      parts.push(spanText(v, this.span, ','));
    }
    this.build = normaliseBuild(parts);
  }

  private toRecord(v: RecordView, layout: Layout, values: number, time: string | undefined): LogRecord {
    const raw = v.text();
    const parts = v.quoted ? splitQuoted(raw, ',') : raw.split(',');
    const fields = layout.fields.row(values, parts);
    if (layout.eventData >= 0 && (this.kind === 'ecp-server' || this.kind === 'ecp-activity')) {
      for (const [key, value] of parseEventData(parts[layout.eventData] ?? '')) {
        if (!Object.hasOwn(fields, key)) fields[key] = value;
      }
    }
    return {
      source: this.kind,
      fields,
      time,
      origin: { path: this.options.path, line: v.line, offset: v.offset },
      raw,
    };
  }

  /**
   * A row whose quotes break the CSV: the columns before the first quote are read as written; the
   * column where it opens, and every one after, hold the rest of the line, so a rule's strings in them
   * are still found (an exact value there is not: the row cannot say where it ends).
   */
  private toDamagedRecord(v: RecordView, layout: Layout, reason: string): LogRecord {
    const raw = v.text();
    const quote = raw.indexOf('"');
    const head = (quote < 0 ? raw : raw.slice(0, quote)).split(',');
    const rest = quote < 0 ? undefined : raw.slice(quote + 1).replace(/"$/, '');
    const names = layout.fields.columns(layout.fields.count);
    const fields: Record<string, string> = {};
    for (const [name, i] of names) fields[name] = rest !== undefined && i >= head.length - 1 ? rest : (head[i] ?? '');
    if (layout.eventData >= 0 && (this.kind === 'ecp-server' || this.kind === 'ecp-activity')) {
      for (const [key, value] of parseEventData(fields[names.find(([, i]) => i === layout.eventData)?.[0] ?? ''] ?? '')) {
        if (!Object.hasOwn(fields, key)) fields[key] = value;
      }
    }
    const time = normaliseExchangeTime(head[Math.max(layout.time, 0)] ?? '');
    return { source: this.kind, fields, time, origin: { path: this.options.path, line: v.line, offset: v.offset }, raw, damaged: reason };
  }

  finish(): ReadStats {
    let build = this.build;
    if (build === undefined && this.version !== undefined) {
      const fromVersion = normaliseBuild(this.version.split('.'));
      if (fromVersion !== '15.0.0.0') build = fromVersion;
    }
    return this.stats.finish({
      kind: this.kind,
      firstTime: this.times.first(),
      lastTime: this.times.last(),
      server: this.server,
      build,
    });
  }
}

function isSameBytes(v: RecordView, bytes: Buffer): boolean {
  return v.end - v.start === bytes.length && v.bytes.compare(bytes, 0, bytes.length, v.start, v.end) === 0;
}

export const exchangeCsvReader: LogReader = {
  name: 'exchange-csv',
  // The record scanner copies what it keeps of a piece (an unended line) before it asks for the next.
  keepsNoPiece: true,
  sniff: sniffExchangeCsv,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new ExchangeCsvFile(new StatsBuilder(options.path), options);
    const scanner = new RecordScanner({ separator: COMMA, quotes: true, literals: options.literals, needs: options.needs }, file);
    return readThrough(chunks, scanner, file);
  },
};
