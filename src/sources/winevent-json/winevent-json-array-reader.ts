// Windows events exported as one JSON document: PowerShell's `Get-WinEvent | ConvertTo-Json` (an
// array, pretty-printed or compressed; a single event is written as one object, not an array), read
// into the same `winevent` records as the JSON-lines export. UTF-16LE (`Out-File` in PowerShell 5.1)
// is decoded before it reaches a reader.

import type { SourceKind } from '../../core/types.js';
import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { readThrough } from '../reader.js';
import { ArraySplitter } from './array-splitter.js';
import { JsonEventFile } from './json-event-file.js';
import { isObject, shapeOf } from './json-shapes.js';
import { HEAD_MARKS } from './winevent-json-reader.js';

/** Objects of the head tried for an event: a damaged first event must not hide the rest. */
const SNIFF_OBJECTS = 5;

function sniffWinEventJsonArray(head: string): SourceKind | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = /\S/.exec(text);
  if (!first || (first[0] !== '[' && first[0] !== '{')) return undefined;
  const objects: string[] = [];
  const splitter = new ArraySplitter({
    element: (t) => {
      if (objects.length < SNIFF_OBJECTS) objects.push(t);
    },
    damage: () => undefined,
  });
  splitter.push(Buffer.from(text, 'utf8'));
  if (objects.some(isEventText)) return 'winevent';
  // The first event runs past the sniffed head (a long message): judged by its keys.
  if (objects.length > 0) return undefined;
  const body = text.slice(text.indexOf('{'));
  return HEAD_MARKS.some(([id, source]) => id.test(body) && source.test(body)) ? 'winevent' : undefined;
}

function isEventText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) && shapeOf(value) !== undefined;
  } catch {
    return false;
  }
}

/** Windows events as a JSON array or objects one after another; never holds more than one event of the file. */
export const wineventJsonArrayReader: LogReader = {
  name: 'winevent-json-array',
  sniff: sniffWinEventJsonArray,
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const file = new JsonEventFile(options);
    const splitter = new ArraySplitter({
      element: (text, line, offset) => file.line(text, line, offset, false),
      damage: (line, offset, reason) => file.damage(line, offset, reason),
    });
    return readThrough(chunks, splitter, file);
  },
};
