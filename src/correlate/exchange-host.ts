// Whether anything in the evidence shows Exchange on a machine. A domain controller or workstation
// found in the same event-log export holds no mailboxes, and must not be said to put them in reach.
import type { EvidenceFile, Origin, SourceKind } from '../core/types.js';

/** Logs only Exchange writes (IIS is left out: any web server writes it). */
const EXCHANGE_LOGS = new Set<SourceKind>(['httpproxy', 'ecp-server', 'ecp-activity', 'oabgenerator', 'rps-http', 'rps-cmdlet', 'msgtrk', 'ews']);

/** Exchange's processes, services, app pools and install folder, as event logs and file paths name them. */
const EXCHANGE_TRACE =
  /msexchange|umworkerprocess|umservice|edgetransport|\\exchange server\\|\/exchange server\/|frontend[\\/]httpproxy|clientaccess[\\/](owa|ecp)/i;
/** Exchange's own web applications, as IIS logs write their paths. */
const EXCHANGE_URL = /^\/(owa|ecp|ews|autodiscover|mapi|oab|rpc|powershell|microsoft-server-activesync)(\/|$)/i;

/** Findings and timeline entries: what the scan saw on each machine. */
interface Seen {
  server: string;
  origin: Origin;
  fields: Record<string, string>;
}

export function showsExchange(server: string, evidence: readonly EvidenceFile[], seen: readonly Seen[]): boolean {
  if (evidence.some((e) => e.server === server && EXCHANGE_LOGS.has(e.kind))) return true;
  return seen.some(
    (f) => f.server === server && (EXCHANGE_TRACE.test(f.origin.path) || Object.values(f.fields).some((v) => EXCHANGE_TRACE.test(v) || EXCHANGE_URL.test(v))),
  );
}
