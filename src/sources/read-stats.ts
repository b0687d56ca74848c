// What every reader accumulates about a file: counts, the first bad records, notes, time range.

import type { BadRecord, SourceKind } from '../core/types.js';
import { MAX_BAD_SAMPLES, type ReadStats } from './reader.js';

/** Notes kept per file; past this the rest are counted, so a damaged file cannot flood a report. */
const MAX_NOTES = 50;

/** Note for a last record that reads whole but has no line end: its last value may be cut short. */
export function noLineEnd(line: number): string {
  return `line ${line}: the last line has no line end; the file may have been cut off there`;
}

export class StatsBuilder {
  records = 0;
  badRecords = 0;
  readonly badSamples: BadRecord[] = [];
  private readonly notes: string[] = [];
  private notesLeftOut = 0;

  constructor(private readonly path: string) {}

  bad(line: number, offset: number, reason: string): void {
    this.badRecords++;
    if (this.badSamples.length < MAX_BAD_SAMPLES) {
      this.badSamples.push({ origin: { path: this.path, line, offset }, reason });
    }
  }

  note(text: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(text);
    else this.notesLeftOut++;
  }

  finish(fields: {
    kind: SourceKind;
    firstTime: string | undefined;
    lastTime: string | undefined;
    server: string | undefined;
    build: string | undefined;
  }): ReadStats {
    const notes = [...this.notes];
    if (this.notesLeftOut > 0) notes.push(`${this.notesLeftOut} more notes like these were left out`);
    const stats: ReadStats = {
      kind: fields.kind,
      records: this.records,
      badRecords: this.badRecords,
      badSamples: this.badSamples,
      firstTime: fields.firstTime,
      lastTime: fields.lastTime,
      server: fields.server,
      notes,
    };
    if (fields.build !== undefined) stats.build = fields.build;
    return stats;
  }
}
