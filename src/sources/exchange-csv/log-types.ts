// Recognising an Exchange CSV log by its own header lines, and which kind of log `#Log-type` names.

import type { SourceKind } from '../../core/types.js';

/**
 * `#Log-type` values as Exchange 2013–2019 write them, compared with case, spaces, underscores and
 * a plural `s` ignored. Spellings from the corpus (qazeer-artefacts-help, velociraptor-testdata)
 * and, for Rps_Http, the `#Log-type: Rps Http Logs` header quoted in public ProxyNotShell write-ups.
 */
const LOG_TYPES: readonly (readonly [string, SourceKind])[] = [
  ['httpproxylog', 'httpproxy'],
  ['ecpserverlog', 'ecp-server'],
  ['ecpactivitycontextlog', 'ecp-activity'],
  ['ecpactivitylog', 'ecp-activity'],
  ['messagetrackinglog', 'msgtrk'],
  ['ewslog', 'ews'],
  ['rpscmdletlog', 'rps-cmdlet'],
  ['rpshttplog', 'rps-http'],
];

function squash(logType: string): string {
  return logType
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/logs$/, 'log');
}

/** The kind a `#Log-type` value names; `unknown` for Exchange logs this tool does not model. */
export function kindOfLogType(logType: string): SourceKind {
  const key = squash(logType);
  // The OAB generator's log type was not found in any public sample; accept any spelling that says so.
  if (key.startsWith('oabgen')) return 'oabgenerator';
  for (const [name, kind] of LOG_TYPES) if (key === name) return kind;
  return 'unknown';
}

/**
 * Columns only one kind of log has, for a log whose `#Log-type` line is damaged: its `#Fields` line
 * still says what it is. Only logs whose columns are known from public samples are listed.
 */
const FIELD_MARKS: readonly (readonly [SourceKind, readonly string[]])[] = [
  ['httpproxy', ['anchormailbox', 'proxyaction', 'backendcookie']],
  ['ews', ['soapaction', 'frontendserver']],
  ['rps-cmdlet', ['cmdlet', 'parameters', 'executingusersid']],
  ['msgtrk', ['internal-message-id', 'recipient-address', 'event-id']],
  // ECP's Server and Activity Context logs share these four columns (corpus: qazeer-artefacts-help),
  // so a damaged one is read as the Server log, the log the ECP rules are written for: its findings
  // are kept, and the note says which kind it was read as.
  ['ecp-server', ['timestamp', 'servername', 'eventid', 'eventdata']],
];

/** The kind a `#Fields` list of column names marks, or `unknown`. */
export function kindOfFields(names: readonly string[]): SourceKind {
  const have = new Set(names.map((n) => n.trim().toLowerCase()));
  return FIELD_MARKS.find(([, marks]) => marks.every((m) => have.has(m)))?.[0] ?? 'unknown';
}

const HASH = 35;
const FIELDS = /^#Fields:\s*(.*)$/i;

const SOFTWARE = /^#Software:\s*Microsoft Exchange/i;
const LOG_TYPE = /^#Log-type:\s*(.*?)\s*$/i;

/** Lines of the head to look at: Rps_Http puts a header row before its `#` lines. */
export const HEAD_LINES = 40;

/** The kind of an Exchange CSV log from its first bytes, or undefined when it is not one. */
export function sniffExchangeCsv(head: string): SourceKind | undefined {
  const lines = head.replace(/^\uFEFF/, '').split('\n', HEAD_LINES);
  let software = false;
  let logType: string | undefined;
  const fieldLines: string[] = [];
  for (const raw of lines) {
    // Every line looked for is a `#` line; most of a head is data rows.
    if (raw.charCodeAt(0) !== HASH) continue;
    const line = raw.replace(/\r$/, '');
    if (SOFTWARE.test(line)) software = true;
    const m = LOG_TYPE.exec(line);
    if (m && logType === undefined) logType = m[1] ?? '';
    const f = FIELDS.exec(line);
    if (f) fieldLines.push(f[1] ?? '');
  }
  // The columns are asked only when the log type does not say: the first `#Fields` line that marks a kind.
  const byFields = (): SourceKind => {
    for (const value of fieldLines) {
      const kind = kindOfFields(value.split(','));
      if (kind !== 'unknown') return kind;
    }
    return 'unknown';
  };
  if (logType !== undefined) {
    const kind = kindOfLogType(logType);
    if (kind !== 'unknown') return kind;
    if (software) return byFields();
  }
  return software ? byFields() : undefined;
}
