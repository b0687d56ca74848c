/**
 * Whether a log's request id names one request. Logs write placeholders where they have none (`-`,
 * `xxx`, `<empty>`, a zero GUID), and a placeholder shared by thousands of rows must join nothing.
 */
export function isRealRequestId(id: string | undefined): id is string {
  if (!id) return false;
  const t = id.trim();
  if (t.length < 8 || /\s/.test(t)) return false;
  if (/^<?(empty|null|none|unknown)>?$/i.test(t)) return false;
  // One character repeated (`xxxxxxxx`, `00000000-0000-…`) is filler, not an id.
  return !/^(.)\1*$/.test(t.replace(/-/g, ''));
}

/**
 * Ids that different clients' records in one log carry on one server: a real id belongs to one
 * request, so such an id was reused by the logger (or forged) and joins nothing. Two logs may see one
 * request from two addresses (IIS the load balancer or the front end, HttpProxy the client), so
 * addresses are compared within a log (`source`) when the items name it. Keys are `server \0 id`.
 */
export function sharedRequestIds(
  items: readonly { server: string; requestId?: string | undefined; clientIp?: string | undefined; source?: string }[],
): Set<string> {
  const ips = new Map<string, string>();
  const shared = new Set<string>();
  for (const it of items) {
    if (!it.requestId || !it.clientIp) continue;
    const key = `${it.server}\u0000${it.requestId}`;
    const inLog = `${it.source ?? ''}\u0000${key}`;
    const first = ips.get(inLog);
    if (first === undefined) ips.set(inLog, it.clientIp);
    else if (first !== it.clientIp) shared.add(key);
  }
  return shared;
}
