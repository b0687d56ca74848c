import { inertJson } from '../core/inert-text.js';
import { csvRow } from '../core/neutralise.js';
import type { TimelineEntry } from '../core/types.js';
import { DEFAULT_ZONE, inZone } from '../core/zoned-time.js';

const FIXED = [
  'message',
  'datetime',
  'timestamp_desc',
  'local_time',
  'kind',
  'session',
  'rule_id',
  'stage',
  'cves',
  'note',
  'server',
  'source',
  'client_ip',
  'user_agent',
  'user',
  'request_id',
  'source_file',
  'source_line',
  'source_offset',
];

/**
 * Timesketch's CSV import: `message`, `datetime` (ISO UTC), `timestamp_desc`, then the entry's own
 * columns, with the time also shown in the user's zone. Cells a spreadsheet would run as formulas
 * are neutralised.
 */
export function timelineCsv(entries: TimelineEntry[], zone = DEFAULT_ZONE): string {
  const extra = [...new Set(entries.flatMap((e) => Object.keys(e.fields)))].sort();
  const lines = [csvRow([...FIXED, ...extra.map((k) => `field_${k}`)])];
  for (const e of entries) {
    lines.push(
      csvRow([
        `${e.summary} on ${e.server}`,
        e.time ?? '',
        e.kind === 'finding' ? 'Detection rule match' : 'Attacker activity',
        inZone(e.time, zone),
        e.kind,
        e.session,
        e.ruleId,
        e.stage,
        e.cves?.join(' '),
        e.note,
        e.server,
        e.source,
        e.clientIp,
        e.userAgent,
        e.user,
        e.requestId,
        e.origin.path,
        e.origin.line,
        e.origin.offset,
        ...extra.map((k) => e.fields[k]),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One JSON object per line, for Timesketch's JSONL import and for jq. */
export function timelineJsonl(entries: TimelineEntry[], zone = DEFAULT_ZONE): string {
  return (
    entries
      .map((e) =>
        inertJson({
          message: `${e.summary} on ${e.server}`,
          datetime: e.time ?? null,
          timestamp_desc: e.kind === 'finding' ? 'Detection rule match' : 'Attacker activity',
          local_time: inZone(e.time, zone),
          ...e,
        }),
      )
      .join('\n') + (entries.length ? '\n' : '')
  );
}
