// The Exchange On-premises Mitigation Tool's own log, EOMT.log (microsoft/CSS-Exchange,
// Security/src/EOMT.ps1, `Write-Log`): one line per step, `yyyy-MM-dd HH:mm:ss <Level>: <message>`,
// in the server's local time. Its lines say what EOMT did and what Microsoft Safety Scanner, which
// it ran, reported; every record names the tool, and the rules decide what a line means.

import type { LogRecord, SourceKind } from '../../core/types.js';
import { StatsBuilder, noLineEnd } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { LineSplitter, type LineSink } from '../winevent-json/line-splitter.js';
import { literalTest } from '../winevent-json/literal-test.js';

const TOOL = 'EOMT';

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (Info|Error): (.*)$/;
/** Steps only EOMT logs, so a log of the same line shape from another tool is not taken for it. */
const EOMT_STEP =
  /MSERTProcess|Threats detected! Please review|Microsoft Safety Scanner|IIS URL Rewrite Module|URL Rewrite configuration|CVE-2021-26855 mitigation/;
/** EOMT ends most steps with "on $env:computername". */
const SERVER =
  /\b(?:MSERTProcess|Microsoft Safety Scanner is complete|Mitigation complete|Mitigation failed|Installing the IIS URL Rewrite Module) on ([A-Za-z0-9][\w.-]*)/;

export function sniffEomtLog(head: string): SourceKind | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const lines = text.split(/\r?\n/);
  // The last piece may be cut by the end of the head; every whole line must have EOMT's shape.
  const whole = lines.slice(0, -1).filter((l) => l.trim() !== '');
  if (whole.length === 0 || !whole.every((l) => LINE.test(l))) return undefined;
  return whole.some((l) => EOMT_STEP.test(l)) ? 'eomt' : undefined;
}

class EomtFile implements LineSink {
  readonly stats: StatsBuilder;
  private readonly wanted: (raw: string) => boolean;
  private server: string | undefined;

  constructor(private readonly options: ReadOptions) {
    this.stats = new StatsBuilder(options.path);
    this.wanted = literalTest(options.literals);
  }

  line(text: string, line: number, offset: number, atEof: boolean): void {
    const m = LINE.exec(text);
    if (!m) {
      this.stats.bad(line, offset, 'not a line of EOMT.log (date, time, level, message)');
      return;
    }
    if (atEof) this.stats.note(noLineEnd(line));
    this.stats.records++;
    const [, written = '', level = '', message = ''] = m;
    this.server ??= SERVER.exec(message)?.[1];
    // EOMT writes the server's local time without its zone: kept as written, not placed on the timeline.
    const record: LogRecord = {
      source: 'eomt',
      fields: { Tool: TOOL, LocalTime: written, Level: level, Message: message },
      time: undefined,
      origin: { path: this.options.path, line, offset },
      raw: text,
    };
    if (this.wanted(text)) this.options.onRecord(record);
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  finish(): ReadStats {
    if (this.stats.records > 0)
      this.stats.note("EOMT writes the server's local time without its zone: its lines are kept as written, not placed on the timeline");
    return this.stats.finish({ kind: 'eomt', firstTime: undefined, lastTime: undefined, server: this.server, build: undefined });
  }
}

/** EOMT.log; holds one line at a time. */
export const eomtLogReader: LogReader = {
  name: 'eomt',
  sniff: sniffEomtLog,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new EomtFile(options);
    const splitter = new LineSplitter(file);
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.finish();
    return file.finish();
  },
};
