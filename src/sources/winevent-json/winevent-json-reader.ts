// Windows events exported as JSON lines (Winlogbeat, NXLog, dataset collections, evtx_dump): one
// object per line, read into the same `winevent` records as .evtx files give.

import type { SourceKind } from '../../core/types.js';
import { noLineEnd, StatsBuilder } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { readThrough } from '../reader.js';
import { winEventRecord } from '../winevent-record.js';
import { eventFromJson, isObject, shapeOf, type JsonShape } from './json-shapes.js';
import { LineSplitter, type LineSink } from './line-splitter.js';
import { literalTest } from './literal-test.js';

/**
 * Keys that, in a first line too long for the sniffed head, mark a Windows event in one of the shapes:
 * an id key and a channel or provider key, each tested on its own (one pattern spanning both could backtrack).
 */
const HEAD_MARKS: [RegExp, RegExp][] = [
  [/"winlog"\s*:\s*\{/, /"(?:event_id|channel|provider_name)"\s*:/],
  [/"EventID"\s*:/, /"(?:Channel|SourceName|ProviderName|Provider_Name)"\s*:/],
  [/^\{\s*"Event"\s*:\s*\{/, /"System"\s*:\s*\{/],
  [/"event_id"\s*:/, /"(?:log_name|source_name)"\s*:/],
];

/** Lines of the head tried for an event: a first line that is damaged or a banner must not hide the rest. */
const SNIFF_LINES = 20;

function isEventLine(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) && shapeOf(value) !== undefined;
  } catch {
    return false;
  }
}

export function sniffWinEventJson(head: string): SourceKind | undefined {
  const start = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lines = head
    .slice(start)
    .split('\n')
    .map((l) => l.trim());
  // The last piece may be cut off by the end of the head; it counts when it parses whole.
  const tried = lines.filter((l) => l !== '').slice(0, SNIFF_LINES);
  if (tried.some((l) => l.startsWith('{') && isEventLine(l))) return 'winevent';
  // The head may end inside a long first line (a PowerShell script block): judge by its keys.
  const last = lines[lines.length - 1] ?? '';
  if (tried.length !== 1 || tried[0] !== last || !last.startsWith('{')) return undefined;
  return HEAD_MARKS.some(([id, source]) => id.test(last) && source.test(last)) ? 'winevent' : undefined;
}

const SHAPE_NOTES: Partial<Record<JsonShape, string>> = {
  'get-winevent':
    'PowerShell Get-WinEvent objects carry their event data without names (read as Data, Data1, ...): rules that test named fields cannot match them; keyword rules still can',
};

class JsonEventFile implements LineSink {
  readonly stats: StatsBuilder;
  private first: string | undefined;
  private last: string | undefined;
  private server: string | undefined;
  private zoneless = 0;
  private zonelessLine = 0;
  private readonly shapes = new Set<JsonShape>();

  private readonly wanted: (raw: string) => boolean;

  constructor(private readonly options: ReadOptions) {
    this.stats = new StatsBuilder(options.path);
    this.wanted = literalTest(options.literals);
  }

  line(text: string, line: number, offset: number, atEof: boolean): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      // The parser's message quotes the evidence; its position is all a reader needs.
      const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
      const why = `not valid JSON${at ? ` (at character ${at})` : ''}`;
      this.stats.bad(line, offset, atEof ? `last line cut off? ${why}` : why);
      return;
    }
    if (!isObject(value)) {
      this.stats.bad(line, offset, 'not a JSON object');
      return;
    }
    const read = eventFromJson(value);
    if (typeof read === 'string') {
      this.stats.bad(line, offset, read);
      return;
    }
    this.stats.records++;
    if (atEof) this.stats.note(noLineEnd(line));
    this.shapes.add(read.shape);
    if (read.zoneless && this.zoneless++ === 0) this.zonelessLine = line;
    const record = winEventRecord(read.event, { path: this.options.path, line, offset });
    const time = record.time;
    if (time) {
      if (!this.first || time < this.first) this.first = time;
      if (!this.last || time > this.last) this.last = time;
    }
    this.server ??= read.event.computer || undefined;
    if (this.wanted(record.raw)) this.options.onRecord(record);
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  finish(): ReadStats {
    if (this.zoneless > 0) {
      this.stats.note(
        `line ${this.zonelessLine}: ${this.zoneless} event time(s) name no time zone and were read as UTC (NXLog writes the collector's local time unless told otherwise)`,
      );
    }
    for (const shape of this.shapes) {
      const note = SHAPE_NOTES[shape];
      if (note) this.stats.note(note);
    }
    if (this.stats.records === 0 && this.stats.badRecords === 0) this.stats.note('no event was found in the file');
    return this.stats.finish({ kind: 'winevent', firstTime: this.first, lastTime: this.last, server: this.server, build: undefined });
  }
}

/** Windows events as JSON lines; never holds more than one line of the file. */
export const wineventJsonReader: LogReader = {
  name: 'winevent-json',
  sniff: sniffWinEventJson,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new JsonEventFile(options);
    const splitter = new LineSplitter(file);
    return readThrough(chunks, splitter, file);
  },
};
