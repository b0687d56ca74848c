// How a reader whose rows lead with their time takes the plain records the scanner hands on in runs:
// it counts them and widens the file's time range, nothing else.
import { TIME_IIS, type PlainRecords } from './bytes/record-scanner.js';
import type { FieldSet } from './field-set.js';
import type { StatsBuilder } from './read-stats.js';
import type { TimeRange } from './time-range.js';

export class PlainLane implements PlainRecords {
  separatorsA = 0;
  separatorsB = 0;
  /** The length of the time that leads the row in `time`'s layout. */
  private readonly width: number;

  constructor(
    readonly time: number,
    private readonly stats: StatsBuilder,
    private readonly times: TimeRange,
  ) {
    this.width = time === TIME_IIS ? 19 : 24;
  }

  take(count: number, bytes: Buffer, least: number, greatest: number): void {
    this.stats.records += count;
    this.times.offer(bytes, least, least + this.width);
    this.times.offer(bytes, greatest, greatest + this.width);
  }

  /** The lane for rows of this field set: as many separators as it has names, or as its span allows. */
  accepting(fields: FieldSet): this {
    this.separatorsA = fields.count - 1;
    this.separatorsB = fields.span - 1;
    return this;
  }
}
