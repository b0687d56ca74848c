import type { LogReader, ReadOptions, ReadStats } from '../reader.js';
import { StatsBuilder } from '../read-stats.js';
import { winEventRecord } from '../winevent-record.js';
import { readEvtx } from './read-evtx.js';

const MAGIC = 'ElfFile\0';

/** Windows .evtx files, through the project's own streaming parser (see README: why). */
export const evtxReader: LogReader = {
  name: 'evtx',
  binary: true,
  sniff: (head) => (head.startsWith(MAGIC) ? 'winevent' : undefined),
  async read(chunks: AsyncIterable<Buffer>, options: ReadOptions): Promise<ReadStats> {
    const stats = new StatsBuilder(options.path);
    const literals = options.literals;
    let first: string | undefined;
    let last: string | undefined;
    let server: string | undefined;
    const result = await readEvtx(
      chunks,
      (event) => {
        stats.records++;
        const record = winEventRecord(event, { path: options.path, line: event.recordId, offset: event.origin.offset });
        const time = record.time;
        if (time) {
          if (!first || time < first) first = time;
          if (!last || time > last) last = time;
        }
        server ??= event.computer || undefined;
        if (literals !== undefined) {
          if (literals.length === 0) return;
          const lower = record.raw.toLowerCase();
          if (!literals.some((l) => lower.includes(l))) return;
        }
        options.onRecord(record);
      },
      (damage) => {
        // A damaged chunk or record is counted and located; reading goes on with the next one.
        stats.bad(0, damage.offset, `${damage.chunk !== undefined ? `chunk ${damage.chunk}: ` : ''}${damage.reason}`);
      },
    );
    if (result.chunks === 0) stats.note('no event-log chunk was found in the file');
    return stats.finish({ kind: 'winevent', firstTime: first, lastTime: last, server, build: undefined });
  },
};
