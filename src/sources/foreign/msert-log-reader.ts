// Microsoft Safety Scanner's log, %SYSTEMROOT%\debug\msert.log, which Microsoft told Exchange
// administrators to run against the March 2021 attacks (MSRC, "Microsoft Exchange Server
// Vulnerabilities Mitigations – updated March 9, 2021"; CSS-Exchange EOMT runs it and points to this
// log). Microsoft publishes no description of the log's format, so only lines whose meaning is plain
// are read, in the shape of published logs (one reproduced as the example output of a public
// PowerShell script that runs the scanner):
//
//   Microsoft Safety Scanner v1.405, (build 1.405.445.0)
//   Started On Thu Feb 22 13:33:34 2024
//   Quick Scan Results:
//   Threat Detected: Virus:DOS/EICAR_Test_File, not removed.
//       Action: NoAction, Result: 0x00000000
//           file://C:\Windows\eicar.com
//   Results Summary:
//   Found Virus:DOS/EICAR_Test_File, not removed.
//
// Each resource line under a "Threat Detected" line is one `detection` record (the threat, the file
// or other resource, the scanner's words on removal); each "Found" line of the summary is one
// `summary` record. Every other line is counted as read and otherwise left alone.

import type { LogRecord, SourceKind } from '../../core/types.js';
import { StatsBuilder, noLineEnd } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { LineSplitter, type LineSink } from '../winevent-json/line-splitter.js';
import { literalTest } from '../winevent-json/literal-test.js';

const TOOL = 'Microsoft Safety Scanner';

const BANNER = /^Microsoft Safety Scanner v[\d.]+, \(build [\d.]+\)\s*$/;
const STARTED = /^Started On (.+?)\s*$/;
const SECTION = /^(.*Scan Results|Results Summary):\s*$/;
const THREAT = /^Threat Detected: (.+?), (.+?)\.?\s*$/i;
const ACTION = /^Action: ([^,]+)/;
const RESOURCE = /^([a-z]+):\/\/(.+?)\s*$/;
const FOUND = /^Found (\S+?),? (.+?)\.?\s*$/;
/** The scanner's words for a threat it did not take off the disk. */
const NOT_REMOVED = /\bnot\b|could not|fail|error|partial/i;

function sniffMsertLog(head: string): SourceKind | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  return first !== undefined && BANNER.test(first.trim()) ? 'msert' : undefined;
}

interface Threat {
  name: string;
  status: string;
  action: string;
}

class MsertFile implements LineSink {
  readonly stats: StatsBuilder;
  private readonly wanted: (raw: string) => boolean;
  private startedOn = '';
  private section = '';
  private threat: Threat | undefined;

  constructor(private readonly options: ReadOptions) {
    this.stats = new StatsBuilder(options.path);
    this.wanted = literalTest(options.literals);
  }

  line(raw: string, line: number, offset: number, atEof: boolean): void {
    if (atEof) this.stats.note(noLineEnd(line));
    const text = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = STARTED.exec(text))) {
      this.startedOn = m[1] ?? '';
    } else if ((m = SECTION.exec(text))) {
      this.section = m[1] ?? '';
      this.threat = undefined;
    } else if ((m = THREAT.exec(text))) {
      this.threat = { name: m[1] ?? '', status: m[2] ?? '', action: '' };
    } else if (this.threat && (m = ACTION.exec(text))) {
      this.threat.action = m[1]?.trim() ?? '';
    } else if (this.threat && (m = RESOURCE.exec(text))) {
      this.emit('detection', this.threat, m[1] ?? '', m[2] ?? '', raw, line, offset);
    } else if (this.section === 'Results Summary' && (m = FOUND.exec(text))) {
      this.emit('summary', { name: m[1] ?? '', status: m[2] ?? '', action: '' }, '', '', raw, line, offset);
    }
  }

  private emit(kind: string, threat: Threat, resource: string, path: string, raw: string, line: number, offset: number): void {
    this.stats.records++;
    // The scanner writes the machine's local time without its zone: kept as written, not placed on the timeline.
    const fields: Record<string, string> = {
      Tool: TOOL,
      Kind: kind,
      Threat: threat.name,
      Status: threat.status,
      Removed: NOT_REMOVED.test(threat.status) || !/removed/i.test(threat.status) ? 'no' : 'yes',
      Action: threat.action,
      Resource: resource,
      Path: path,
      Section: this.section,
      StartedOn: this.startedOn,
    };
    // Every value, so that a literal of any rule's field is found, and the line as written.
    const record: LogRecord = {
      source: 'msert',
      fields,
      time: undefined,
      origin: { path: this.options.path, line, offset },
      raw: `${Object.values(fields).join('\n')}\n${raw}`,
    };
    if (this.wanted(record.raw)) this.options.onRecord(record);
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  finish(): ReadStats {
    if (this.stats.records > 0) {
      this.stats.note(
        "Microsoft Safety Scanner writes the machine's local time without its zone: its detections are kept as written, not placed on the timeline",
      );
    }
    return this.stats.finish({ kind: 'msert', firstTime: undefined, lastTime: undefined, server: undefined, build: undefined });
  }
}

/** msert.log; holds one line at a time. */
export const msertLogReader: LogReader = {
  name: 'msert',
  sniff: sniffMsertLog,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new MsertFile(options);
    const splitter = new LineSplitter(file);
    for await (const chunk of chunks) splitter.push(chunk);
    splitter.finish();
    return file.finish();
  },
};
