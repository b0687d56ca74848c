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

const SOFTWARE = /^#Software:\s*Microsoft Exchange/i;
const LOG_TYPE = /^#Log-type:\s*(.*?)\s*$/i;

/** Lines of the head to look at: Rps_Http puts a header row before its `#` lines. */
const HEAD_LINES = 40;

/** The kind of an Exchange CSV log from its first bytes, or undefined when it is not one. */
export function sniffExchangeCsv(head: string): SourceKind | undefined {
  const lines = head.replace(/^\uFEFF/, '').split('\n', HEAD_LINES);
  let software = false;
  let logType: string | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (SOFTWARE.test(line)) software = true;
    const m = LOG_TYPE.exec(line);
    if (m && logType === undefined) logType = m[1] ?? '';
  }
  if (logType !== undefined) {
    const kind = kindOfLogType(logType);
    if (software || kind !== 'unknown') return kind;
  }
  return software ? 'unknown' : undefined;
}
