// Windows events as XML: `wevtutil qe <log> /f:xml` (and /f:RenderedXml), Event Viewer's "Save as
// XML", PowerShell's `ToXml()`. Read into the same `winevent` records as .evtx files give.

import type { SourceKind } from '../../core/types.js';
import { StatsBuilder } from '../read-stats.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { readThrough } from '../reader.js';
import { winEventRecord } from '../winevent-record.js';
import { literalTest } from '../winevent-json/literal-test.js';
import { EventSplitter, type EventSink } from './event-splitter.js';
import { parseEventXml } from './xml-event.js';

/** The first element, after a prolog, comments and an `<Events>` root, is an `<Event>` of Windows' schema. */
const HEAD = /^(?:\s|<\?[^]*?\?>|<!--[^]*?-->|<Events(?:\s[^>]*)?>)*<Event[\s>]/;
const SCHEMA = /schemas\.microsoft\.com\/win\/2004\/08\/events\/event|<System>\s*<Provider\s/;

export function sniffWinEventXml(head: string): SourceKind | undefined {
  let text = head;
  // UTF-16LE read as UTF-8: a mangled BOM and a NUL after every ASCII character.
  if (text.includes('\0')) text = text.replace(/\0/g, '').replace(/^\ufffd\ufffd/, '');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return HEAD.test(text) && SCHEMA.test(text) ? 'winevent' : undefined;
}

class XmlEventFile implements EventSink {
  readonly stats: StatsBuilder;
  private first: string | undefined;
  private last: string | undefined;
  private server: string | undefined;

  private readonly wanted: (raw: string) => boolean;

  constructor(private readonly options: ReadOptions) {
    this.stats = new StatsBuilder(options.path);
    this.wanted = literalTest(options.literals);
  }

  event(xml: string, line: number, offset: number): void {
    const event = parseEventXml(xml);
    if (typeof event === 'string') {
      this.stats.bad(line, offset, event);
      return;
    }
    this.stats.records++;
    const record = winEventRecord(event, { path: this.options.path, line, offset });
    const time = record.time;
    if (time) {
      if (!this.first || time < this.first) this.first = time;
      if (!this.last || time > this.last) this.last = time;
    }
    this.server ??= event.computer || undefined;
    if (this.wanted(record.raw)) this.options.onRecord(record);
  }

  damage(line: number, offset: number, reason: string): void {
    this.stats.bad(line, offset, reason);
  }

  finish(): ReadStats {
    if (this.stats.records === 0 && this.stats.badRecords === 0) this.stats.note('no <Event> element was found in the file');
    return this.stats.finish({ kind: 'winevent', firstTime: this.first, lastTime: this.last, server: this.server, build: undefined });
  }
}

/** Windows events as XML; holds one event at a time, never the file. */
export const wineventXmlReader: LogReader = {
  name: 'winevent-xml',
  sniff: sniffWinEventXml,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new XmlEventFile(options);
    const splitter = new EventSplitter(file);
    return readThrough(chunks, splitter, file);
  },
};
