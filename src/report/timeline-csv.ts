import { csvRow } from '../core/neutralise.js';
import type { Finding } from '../core/types.js';

const FIXED = ['message', 'datetime', 'timestamp_desc', 'rule_id', 'stage', 'severity', 'cves', 'server', 'client_ip', 'user', 'source_file', 'source_line', 'benign'];

/** Timesketch's CSV import: message, datetime, timestamp_desc, then the finding's own fields. */
export function timelineCsv(findings: Finding[]): string {
  const extra = [...new Set(findings.flatMap((f) => Object.keys(f.fields)))].sort();
  const lines = [csvRow([...FIXED, ...extra.map((k) => `field_${k}`)])];
  for (const f of findings) {
    lines.push(csvRow([
      `${f.title}${f.clientIp ? ` from ${f.clientIp}` : ''} on ${f.server}`,
      f.time ?? '',
      'Log record time',
      f.ruleId,
      f.stage,
      f.severity,
      f.cves.join(' '),
      f.server,
      f.clientIp,
      f.user,
      f.origin.path,
      f.origin.line,
      f.benign,
      ...extra.map((k) => f.fields[k]),
    ]));
  }
  return `${lines.join('\n')}\n`;
}
