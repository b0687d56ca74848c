// Windows events exported as JSON lines (Winlogbeat, NXLog, dataset collections, evtx_dump): one
// object per line, read into the same `winevent` records as .evtx files give.

import type { SourceKind } from '../../core/types.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { readThrough } from '../reader.js';
import { JsonEventFile } from './json-event-file.js';
import { isObject, shapeOf } from './json-shapes.js';
import { LineSplitter } from './line-splitter.js';

/**
 * Keys that, in a first line too long for the sniffed head, mark a Windows event in one of the shapes:
 * an id key and a channel or provider key, each tested on its own (one pattern spanning both could backtrack).
 */
export const HEAD_MARKS: [RegExp, RegExp][] = [
  [/"winlog"\s*:\s*\{/, /"(?:event_id|channel|provider_name)"\s*:/],
  [/"EventID"\s*:/, /"(?:Channel|SourceName|ProviderName|Provider_Name)"\s*:/],
  [/^\{\s*"Event"\s*:\s*\{/, /"System"\s*:\s*\{/],
  [/"event_id"\s*:/, /"(?:log_name|source_name)"\s*:/],
  [/"Id"\s*:/, /"(?:LogName|ProviderName)"\s*:/],
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
