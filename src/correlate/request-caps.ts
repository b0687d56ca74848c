import { sharedRequestIds } from '../core/request-id.js';
import type { Finding } from '../core/types.js';
import { stageRank } from './verdict.js';

/**
 * One request can be seen by several rules and in several logs (HttpProxy and IIS share its id).
 * When one of its records shows it went no further than a probe (the ProxyLogon SSRF aimed only at
 * Autodiscover), the request's other findings are held to that stage, unless one shows success.
 */
export function capRequests(findings: Finding[]): Finding[] {
  const caps = new Map<string, Finding>();
  // An id that different clients carry is not one request: it caps nothing.
  const shared = sharedRequestIds(findings);
  for (const f of findings) {
    const key = `${f.server}\u0000${f.requestId ?? ''}`;
    if (f.capsRequest && f.requestId && !shared.has(key)) caps.set(key, f);
  }
  if (caps.size === 0) return findings;
  return findings.map((f) => {
    if (!f.requestId || f.capsRequest) return f;
    const cap = caps.get(`${f.server}\u0000${f.requestId}`);
    if (!cap?.capsRequest) return f;
    if (stageRank(f.stage) <= stageRank(cap.stage) || stageRank(f.stage) >= stageRank('exploited')) return f;
    return { ...f, stage: cap.stage, cappedBy: cap.capsRequest };
  });
}
