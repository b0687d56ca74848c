// IIS W3C extended logs: space-separated values under a `#Fields` line that may change after every
// restart; `-` is an empty value. On Exchange servers the query carries the front end's request id.

import type { LogRecord } from '../../core/types.js';
import { RecordScanner, TIME_IIS, type PlainRecords, type RecordView, type ScanSink } from '../bytes/record-scanner.js';
import { valueSpan, type Span } from '../bytes/field-span.js';
import { fieldSetsByText, perFieldSet, type FieldSet } from '../field-set.js';
import { PlainLane } from '../plain-lane.js';
import { noLineEnd, StatsBuilder } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { readThrough } from '../reader.js';
import { isClockAt, isDateAt, TimeRange } from '../time-range.js';
import { damagedRowValues } from './damaged-row.js';
import { parseExchangeQuerySuffix } from './exchange-query.js';
import { parseW3cFieldNames, sniffW3c } from './w3c-sniff.js';

const SPACE = 32;
const USER_AGENT = 'cs(User-Agent)';

interface Layout {
  fields: FieldSet;
  date: number;
  time: number;
  userAgent: number;
  query: number;
  server: number;
}

function makeLayout(fields: FieldSet): Layout {
  return {
    fields,
    date: fields.indexOf('date'),
    time: fields.indexOf('time'),
    userAgent: fields.indexOf(USER_AGENT),
    query: fields.indexOf('cs-uri-query'),
    server: fields.indexOf('s-computername'),
  };
}

/** A `#Fields` directive's value to its field set. */
const fieldsLineSet = fieldSetsByText(' ', parseW3cFieldNames);

/** Layouts by field set, each worked out once. */
const layoutOf = perFieldSet(makeLayout);

/** Where value `i` sits when `surplus` extra values were written into the user agent. */
function at(layout: Layout, i: number, surplus: number): number {
  return layout.userAgent >= 0 && i > layout.userAgent ? i + surplus : i;
}

/** `YYYY-MM-DD HH:MM:SS` (the range's byte layout) → `YYYY-MM-DDTHH:MM:SS.000Z`, the form Exchange's own logs use, so times compare as strings. */
function isoOf(dateTime: string | undefined): string | undefined {
  return dateTime === undefined ? undefined : `${dateTime.slice(0, 10)}T${dateTime.slice(11, 19)}.000Z`;
}

/**
 * The columns this reader adds from inside the query: every other column's value stands whole
 * between spaces in the row (IIS writes a space in a value as `+`), which the pre-filter's check
 * relies on (detect/detector.ts).
 */
export const W3C_QUERY_COLUMNS: ReadonlySet<string> = new Set(['CorrelationID', 'cafeReqId', 'ClientQuery']);

/** A row's values by column name (`-` is empty), with the request ids Exchange appends to the query. */
function fieldsOf(layout: Layout, values: readonly string[], count: number): Record<string, string> {
  // Set name by name, not from the set's blank row: the query's columns are added after, and a copy
  // grown by them made more garbage than the few columns an IIS row has.
  const fields: Record<string, string> = {};
  for (const [name, i] of layout.fields.columns(count)) {
    const value = values[i] ?? '';
    fields[name] = value === '-' ? '' : value;
  }
  if (layout.query >= 0) {
    const suffix = parseExchangeQuerySuffix(fields['cs-uri-query'] ?? '');
    if (suffix.CorrelationID !== undefined && !Object.hasOwn(fields, 'CorrelationID')) fields.CorrelationID = suffix.CorrelationID;
    if (suffix.cafeReqId !== undefined && !Object.hasOwn(fields, 'cafeReqId')) fields.cafeReqId = suffix.cafeReqId;
    if (!Object.hasOwn(fields, 'ClientQuery')) fields.ClientQuery = suffix.clientQuery;
  }
  return fields;
}

class W3cFile implements ScanSink {
  private layout: Layout | undefined;
  private server: string | undefined;
  /** Date of the last `#Date` directive, for logs whose fields have a time but no date. */
  private directiveDate: string | undefined;
  private readonly times = new TimeRange();
  private readonly span: Span = { start: 0, end: 0 };
  private readonly span2: Span = { start: 0, end: 0 };

  constructor(
    readonly stats: StatsBuilder,
    private readonly options: ReadOptions,
  ) {
    this.lane = new PlainLane(TIME_IIS, stats, this.times);
  }

  directive(text: string, line: number): void {
    const m = /^#\s*([A-Za-z-]+):\s*(.*)$/.exec(text);
    if (!m) return;
    const name = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? '';
    if (name === 'fields') {
      const fields = fieldsLineSet(value);
      if (this.layout?.fields.sameAs(fields)) return;
      if (fields.repeated.length > 0) {
        this.stats.note(`line ${line}: #Fields repeats ${fields.repeated.join(', ')}; rows are read by the first ${fields.span} names`);
      }
      if (this.layout) this.stats.note(`line ${line}: #Fields changes the field set to ${fields.count} names`);
      this.layout = layoutOf(fields);
    } else if (name === 'date') {
      const d = /^\d{4}-\d{2}-\d{2}/.exec(value.trim());
      if (d) this.directiveDate = d[0];
    }
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  /** Plain records: `date time …` rows, once the server is read (or the rows have no s-computername). */
  private readonly lane: PlainLane;

  plain(): PlainRecords | undefined {
    const layout = this.layout;
    if (!layout || layout.date !== 0 || layout.time !== 1 || (this.server === undefined && layout.server >= 0)) return undefined;
    // What `record` accepts without a surplus in the user agent.
    return this.lane.accepting(layout.fields);
  }

  record(v: RecordView): void {
    const layout = this.layout;
    if (!layout) {
      this.stats.bad(v.line, v.offset, 'record before any #Fields line');
      return;
    }
    const count = layout.fields.count;
    const values = v.separators + 1;
    let surplus = 0;
    if (!layout.fields.accepts(values)) {
      // A user agent written with raw spaces is the known cause; anything else is damage.
      if (values > count && layout.userAgent >= 0) {
        surplus = values - count;
        this.stats.note(`line ${v.line}: ${values} values for ${count} fields; the surplus is read as part of ${USER_AGENT}`);
      } else {
        const why = `${values} values, ${count} fields`;
        const reason = v.atEof ? `last line cut off? ${why}` : why;
        this.stats.bad(v.line, v.offset, reason);
        if (v.candidate && this.options.onDamaged) this.options.onDamaged(this.toDamagedRecord(v, layout, reason));
        return;
      }
    }
    this.stats.records++;
    if (v.atEof) this.stats.note(noLineEnd(v.line));
    const time = this.takeTime(v, layout, surplus);
    if (this.server === undefined && layout.server >= 0 && valueSpan(v, at(layout, layout.server, surplus), SPACE, this.span)) {
      const server = v.bytes.toString('utf8', this.span.start, this.span.end);
      if (server !== '-' && server !== '') this.server = server;
    }
    if (!v.candidate) return;
    const record = this.toRecord(v, layout, surplus, time);
    if (v.checked) this.options.onRecord(record, v.metLo, v.metHi);
    else this.options.onRecord(record);
  }

  /** Offers the record's date and time to the file's range; returns the ISO time for a handed-on record. */
  private takeTime(v: RecordView, layout: Layout, surplus: number): string | undefined {
    const b = v.bytes;
    const s = v.start;
    if (layout.date === 0 && layout.time === 1 && v.end - s >= 19 && isDateAt(b, s) && b[s + 10] === SPACE && isClockAt(b, s + 11)) {
      // IIS's own order, `date time …`: no search needed.
      if (v.end - s === 19 || b[s + 19] === SPACE) {
        this.times.offer(b, s, s + 19);
        return v.candidate ? `${b.toString('latin1', s, s + 10)}T${b.toString('latin1', s + 11, s + 19)}.000Z` : undefined;
      }
    }
    if (layout.time < 0 || !valueSpan(v, at(layout, layout.time, surplus), SPACE, this.span)) return undefined;
    const t = this.span;
    if (t.end - t.start < 8 || !isClockAt(v.bytes, t.start)) return undefined;
    if (layout.date >= 0) {
      if (!valueSpan(v, at(layout, layout.date, surplus), SPACE, this.span2)) return undefined;
      const d = this.span2;
      if (d.end - d.start !== 10 || !isDateAt(v.bytes, d.start)) return undefined;
      if (t.start === d.end + 1 && t.end - t.start === 8) {
        // The usual `date time` pair: its bytes already are the range's layout.
        this.times.offer(v.bytes, d.start, t.end);
      } else {
        this.times.offerText(`${v.bytes.toString('latin1', d.start, d.end)} ${v.bytes.toString('latin1', t.start, t.start + 8)}`);
      }
      if (!v.candidate) return undefined;
      return `${v.bytes.toString('latin1', d.start, d.end)}T${v.bytes.toString('latin1', t.start, t.start + 8)}.000Z`;
    }
    if (this.directiveDate === undefined) return undefined;
    const clock = v.bytes.toString('latin1', t.start, t.start + 8);
    this.times.offerText(`${this.directiveDate} ${clock}`);
    return `${this.directiveDate}T${clock}.000Z`;
  }

  private toRecord(v: RecordView, layout: Layout, surplus: number, time: string | undefined): LogRecord {
    const raw = v.text();
    let parts = raw.split(' ');
    if (surplus > 0) {
      const ua = layout.userAgent;
      parts = [...parts.slice(0, ua), parts.slice(ua, ua + surplus + 1).join(' '), ...parts.slice(ua + surplus + 1)];
    }
    return {
      source: 'iis',
      fields: fieldsOf(layout, parts, parts.length),
      time,
      origin: { path: this.options.path, line: v.line, offset: v.offset },
      raw,
    };
  }

  /** A row with the wrong number of values, read as well as it can be (see damagedRowValues) and marked damaged. */
  private toDamagedRecord(v: RecordView, layout: Layout, reason: string): LogRecord {
    const raw = v.text();
    const fields = fieldsOf(layout, damagedRowValues(layout.fields.names, raw.split(' ')), layout.fields.count);
    const date = layout.date >= 0 ? fields['date'] : this.directiveDate;
    const clock = fields['time'] ?? '';
    const time = date && /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}:\d{2}/.test(clock) ? `${date}T${clock.slice(0, 8)}.000Z` : undefined;
    return { source: 'iis', fields, time, origin: { path: this.options.path, line: v.line, offset: v.offset }, raw, damaged: reason };
  }

  finish(): ReadStats {
    return this.stats.finish({
      kind: 'iis',
      firstTime: isoOf(this.times.first()),
      lastTime: isoOf(this.times.last()),
      server: this.server,
      build: undefined,
    });
  }
}

export const w3cReader: LogReader = {
  name: 'w3c',
  // The record scanner copies what it keeps of a piece (an unended line) before it asks for the next.
  keepsNoPiece: true,
  sniff: sniffW3c,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new W3cFile(new StatsBuilder(options.path), options);
    const scanner = new RecordScanner({ separator: SPACE, quotes: false, literals: options.literals, needs: options.needs }, file);
    return readThrough(chunks, scanner, file);
  },
};
