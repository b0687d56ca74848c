// Each server's patch history from the builds its own logs name, and its newest build as a reading
// to assess: what `exir exposure <evidence>` reports and what the dashboard's Exposure page shows.

import type { Warning } from '../../core/types.js';
import type { ServerHistoryReport } from './assess.js';
import type { BuildObservationRecord } from './history.js';
import { buildObservations, exposureWindows } from './history.js';
import type { BuildReading } from './inputs.js';
import type { ExposureTable } from './table.js';
import { parseDotted } from './version.js';

export function historiesFromLogs(
  table: ExposureTable,
  observations: BuildObservationRecord[],
  asOf: string,
): { histories: ServerHistoryReport[]; readings: BuildReading[]; warnings: Warning[] } {
  const { servers, warnings } = buildObservations(observations);
  const readings: BuildReading[] = [];
  const histories = servers.map((history) => {
    const newest = history.segments[history.segments.length - 1];
    const build = newest ? parseDotted(newest.build) : undefined;
    if (newest && build) {
      readings.push({ server: history.server, build, kind: 'log-build', text: newest.build, origin: `logs, last seen ${newest.lastSeen}` });
    }
    return {
      server: history.server,
      summary: history.summary,
      segments: history.segments,
      waves: exposureWindows(table, history, asOf),
      caveats: history.caveats,
    };
  });
  return { histories, readings, warnings };
}
