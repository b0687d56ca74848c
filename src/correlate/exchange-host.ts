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
  return exchangeShown(evidence, () => seen)(server);
}

/**
 * showsExchange for any server, the evidence and what was seen gone through once (when first asked),
 * not once per server asked about: on an event log of thousands of findings and no Exchange, that
 * was every field of every finding tested again for each machine, twice a scan.
 */
export function exchangeShown(evidence: readonly EvidenceFile[], seen: () => readonly Seen[]): (server: string) => boolean {
  let shown: Set<string> | undefined;
  return (server) => {
    shown ??= machinesShowingExchange(evidence, seen());
    return shown.has(server);
  };
}

function machinesShowingExchange(evidence: readonly EvidenceFile[], seen: readonly Seen[]): Set<string> {
  const shown = new Set<string>();
  for (const e of evidence) if (e.server !== undefined && EXCHANGE_LOGS.has(e.kind)) shown.add(e.server);
  // Records repeat the same values (the same process, the same path): each is tested once.
  const traces = new Map<string, boolean>();
  const traced = (v: string): boolean => {
    let t = traces.get(v);
    if (t === undefined) {
      t = EXCHANGE_TRACE.test(v) || EXCHANGE_URL.test(v);
      traces.set(v, t);
    }
    return t;
  };
  // A session's entry for a finding holds the finding's own fields: each set is gone through once.
  const tracedFields = new Map<Record<string, string>, boolean>();
  for (const f of seen) {
    if (shown.has(f.server)) continue;
    let t = tracedFields.get(f.fields);
    if (t === undefined) {
      t = Object.values(f.fields).some(traced);
      tracedFields.set(f.fields, t);
    }
    if (t || EXCHANGE_TRACE.test(f.origin.path)) shown.add(f.server);
  }
  return shown;
}
