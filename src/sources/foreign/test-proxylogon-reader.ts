// Test-ProxyLogon's CSV reports (microsoft/CSS-Exchange, Security/src/Test-ProxyLogon.ps1): what
// `Export-Csv` wrote for each check, a `#TYPE` line (Windows PowerShell 5.1; PowerShell 7 leaves it
// out) and a quoted header row. Each row is an observation that tool made, so every record names the
// tool and the check it came from; the rules decide what a row means.

import type { LogRecord, SourceKind } from '../../core/types.js';
import { splitQuoted } from '../csv-split.js';
import { StatsBuilder, noLineEnd } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { LineSplitter, type LineSink } from '../winevent-json/line-splitter.js';
import { literalTest } from '../winevent-json/literal-test.js';

export const TOOL = 'Test-ProxyLogon';

interface Report {
  check: string;
  columns: readonly string[];
  /** The column holding the row's time, the server's name. */
  time?: string;
  server?: string;
}

/** The reports by their exact header: `<server>-Cve-2021-26855.csv`, `-Cve-2021-26857.csv`, `-other.csv`, `-LogAgeDays.csv`. */
const REPORTS: readonly Report[] = [
  {
    check: 'CVE-2021-26855',
    columns: ['DateTime', 'RequestId', 'ClientIPAddress', 'UrlHost', 'UrlStem', 'RoutingHint', 'UserAgent', 'AnchorMailbox', 'HttpStatus'],
    time: 'DateTime',
  },
  { check: 'CVE-2021-26857', columns: ['TimeCreated', 'MachineName', 'Message'], time: 'TimeCreated', server: 'MachineName' },
  { check: 'suspicious-file', columns: ['ComputerName', 'Type', 'Path', 'Name', 'LastWrite'], time: 'LastWrite', server: 'ComputerName' },
  {
    check: 'log-age',
    columns: [
      'Oabgen',
      'Ecp',
      'AutodProxy',
      'EasProxy',
      'EcpProxy',
      'EwsProxy',
      'MapiProxy',
      'OabProxy',
      'OwaProxy',
      'OwaCalendarProxy',
      'PowershellProxy',
      'RpcHttpProxy',
    ],
  },
];

/** The tool names each report `<COMPUTERNAME>-<check>.csv`; the HttpProxy report's rows carry no server. */
const REPORT_NAME = /(?:^|[/\\!])([^/\\!]+)-(?:Cve-2021-26855|Cve-2021-26857|other|LogAgeDays)\.csv$/i;

const TYPE_LINE = /^#TYPE [\w.]+\r?$/;

function reportFor(header: string): Report | undefined {
  const names = splitQuoted(header.replace(/\r$/, ''), ',');
  return REPORTS.find((r) => r.columns.length === names.length && r.columns.every((c, i) => c === names[i]));
}

export function sniffTestProxyLogon(head: string): SourceKind | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const lines = text.split('\n', 3);
  const header = lines[0] !== undefined && TYPE_LINE.test(lines[0]) ? lines[1] : lines[0];
  // The header line must be whole inside the head (a line break after it) to be judged.
  if (header === undefined || lines.length < (header === lines[0] ? 2 : 3)) return undefined;
  return reportFor(header) ? 'test-proxylogon' : undefined;
}

/**
 * A time the report wrote as ISO 8601 (the HttpProxy log's own `DateTime`, copied through). Times that
 * `Export-Csv` formatted itself follow the exporting machine's culture (`3/4/2021 2:10:00 AM` is March
 * or April), so they are kept as written and not placed on the timeline.
 */
function isoTime(value: string): string | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return undefined;
  const ms = Date.parse(/[Zz]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

class ReportFile implements LineSink {
  readonly stats: StatsBuilder;
  private readonly wanted: (raw: string) => boolean;
  private report: Report | undefined;
  private seenHeader = false;
  private cultureTimes = 0;
  private first: string | undefined;
  private last: string | undefined;
  private server: string | undefined;
  /** A row whose quoted value runs over line breaks (an event's message), gathered until it closes. */
  private pending: { text: string; line: number; offset: number } | undefined;

  constructor(private readonly options: ReadOptions) {
    this.stats = new StatsBuilder(options.path);
    this.wanted = literalTest(options.literals);
  }

  line(text: string, line: number, offset: number, atEof: boolean): void {
    const row = this.pending ? { ...this.pending, text: `${this.pending.text}\n${text}` } : { text, line, offset };
    if (quotesOpen(row.text)) {
      this.pending = row;
      return;
    }
    this.pending = undefined;
    if (atEof) this.stats.note(noLineEnd(row.line));
    this.row(row.text, row.line, row.offset);
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  private row(text: string, line: number, offset: number): void {
    if (!this.seenHeader) {
      if (TYPE_LINE.test(text)) return;
      this.seenHeader = true;
      this.report = reportFor(text);
      if (!this.report) this.stats.note(`line ${line}: the header is not one of ${TOOL}'s reports`);
      return;
    }
    const report = this.report;
    if (!report) {
      this.stats.bad(line, offset, `no known header to read the row by`);
      return;
    }
    const values = splitQuoted(text, ',');
    if (values.length !== report.columns.length) {
      this.stats.bad(line, offset, `${values.length} values where the header names ${report.columns.length}`);
      return;
    }
    this.stats.records++;
    const fields: Record<string, string> = { Tool: TOOL, Check: report.check };
    report.columns.forEach((c, i) => (fields[c] = values[i] ?? ''));
    const written = report.time ? (fields[report.time] ?? '') : '';
    const time = isoTime(written);
    if (written && !time) this.cultureTimes++;
    if (time) {
      if (!this.first || time < this.first) this.first = time;
      if (!this.last || time > this.last) this.last = time;
    }
    if (report.server && fields[report.server]) this.server ??= fields[report.server];
    const record: LogRecord = { source: 'test-proxylogon', fields, time, origin: { path: this.options.path, line, offset }, raw: text };
    if (this.wanted(text)) this.options.onRecord(record);
  }

  finish(): ReadStats {
    if (this.pending) {
      this.stats.bad(this.pending.line, this.pending.offset, 'a quoted value is never closed: the file may have been cut off');
      this.pending = undefined;
    }
    if (this.cultureTimes > 0) {
      this.stats.note(`${this.cultureTimes} rows carry a time in the exporting machine's date format; kept as written, not placed on the timeline`);
    }
    const server = this.server ?? REPORT_NAME.exec(this.options.path)?.[1];
    return this.stats.finish({ kind: 'test-proxylogon', firstTime: this.first, lastTime: this.last, server, build: undefined });
  }
}

/** True while a row has an odd number of quotes: its last quoted value goes on past the line break. */
function quotesOpen(text: string): boolean {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n % 2 === 1;
}

/** Test-ProxyLogon's CSV reports; holds one row at a time. */
export const testProxyLogonReader: LogReader = {
  name: 'test-proxylogon',
  sniff: sniffTestProxyLogon,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new ReportFile(options);
    const splitter = new LineSplitter(file);
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.finish();
    return file.finish();
  },
};
