import { writeFile } from 'node:fs/promises';
import type { TimelineEntry } from '../core/types.js';
import { timelineCsv, timelineJsonl } from '../report/timeline-csv.js';

/** Writes a timeline as CSV, or as JSON lines when the name ends in .jsonl; `-` is stdout. */
export async function writeTimeline(file: string, entries: TimelineEntry[], zone: string, format?: 'csv' | 'jsonl'): Promise<void> {
  const jsonl = format ? format === 'jsonl' : /\.jsonl$/i.test(file);
  const text = jsonl ? timelineJsonl(entries, zone) : timelineCsv(entries, zone);
  if (file === '-') process.stdout.write(text);
  else await writeFile(file, text);
}
