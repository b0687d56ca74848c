// One file of Windows events given as JSON objects, one object at a time: each is parsed, read into a
// `winevent` record and counted, whatever cut the file into objects (lines, or a JSON array).

import { noLineEnd, StatsBuilder } from '../read-stats.js';
import type { ReadOptions, ReadStats } from '../reader.js';
import { winEventRecord } from '../winevent-record.js';
import { eventFromJson, isObject, type JsonShape } from './json-shapes.js';
import type { LineSink } from './line-splitter.js';
import { literalTest } from './literal-test.js';

const SHAPE_NOTES: Partial<Record<JsonShape, string>> = {
  'get-winevent':
    'PowerShell Get-WinEvent objects carry their event data without names (read as Data, Data1, ...): rules that test named fields cannot match them; keyword rules still can',
};

/** What ConvertTo-Json writes for an event data item below its -Depth (2 unless told). */
const CUT_PROPERTY = 'System.Diagnostics.Eventing.Reader.EventProperty';

export class JsonEventFile implements LineSink {
  readonly stats: StatsBuilder;
  private first: string | undefined;
  private last: string | undefined;
  private server: string | undefined;
  private zoneless = 0;
  private zonelessLine = 0;
  private readonly shapes = new Set<JsonShape>();
  private depthCutLine = 0;

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
    if (this.depthCutLine === 0 && read.shape === 'get-winevent' && read.event.data['Data'] === CUT_PROPERTY) this.depthCutLine = line;
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
    if (this.depthCutLine > 0) {
      this.stats.note(
        `line ${this.depthCutLine}: the event data was cut off by ConvertTo-Json's -Depth (each item written as "${CUT_PROPERTY}"); export again with -Depth 4 to search it`,
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
