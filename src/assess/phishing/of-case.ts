// The phishing watch of one case: the domains to protect (given, or the firm's own as its mail
// shows them), their lookalikes to block, optionally which exist in DNS, and what message
// tracking shows of phishing after the attack. Reads only.

import type { CaseStore } from '../../case/index.js';
import { lookalikes, splitDomain, type Lookalike } from './lookalikes.js';
import { domainsOfCase, watchMessages, type WatchHit } from './message-watch.js';
import { resolveAll, type Resolver } from './resolve.js';

export interface PhishingOptions {
  /** The firm's domains; default: the domains the case's mail shows are the firm's. */
  domains?: string[];
  /** The clients' domains (their lookalikes phish the firm's clients' staff and the firm alike). */
  clientDomains?: string[];
  /** Ask DNS which lookalikes exist: only when the user asked (--resolve). */
  resolver?: Resolver;
  perSecond?: number;
}

interface ListedLookalike extends Lookalike {
  /** Seen as a sender in message tracking. */
  seen: boolean;
  /** Answer of DNS when asked: true registered, false not, absent when not asked or DNS did not say. */
  registered?: boolean;
}

export interface CasePhishing {
  case: string;
  domains: { domain: string; whose: 'firm' | 'client'; from: 'given' | 'case' }[];
  lookalikes: ListedLookalike[];
  watch: WatchHit[];
  resolved: boolean;
  limits: string[];
}

export async function phishingOfCase(store: CaseStore, ref: string, options: PhishingOptions = {}): Promise<CasePhishing> {
  const [record, findings, context, mailboxes] = await Promise.all([
    store.getCase(ref),
    store.listFindings(ref),
    store.readContext(ref),
    store.listMailboxes(ref),
  ]);
  const mail = context.records.filter((r) => r.kind === 'mail');
  const limits: string[] = [];
  const bad = [...(options.domains ?? []), ...(options.clientDomains ?? [])].filter((d) => !splitDomain(d));
  if (bad.length > 0) throw new Error(`not a registrable domain: ${bad.join(', ')} (write e.g. harbourtrust.co.je)`);
  const firm = options.domains?.length
    ? options.domains.map((d) => ({ domain: d, whose: 'firm' as const, from: 'given' as const }))
    : domainsOfCase(mail, mailboxes ?? []).map((d) => ({ domain: d, whose: 'firm' as const, from: 'case' as const }));
  const domains = [...firm, ...(options.clientDomains ?? []).map((d) => ({ domain: d, whose: 'client' as const, from: 'given' as const }))];
  if (domains.length === 0) limits.push("No domain to protect: the case's mail names none. Give the firm's domains with --domain.");
  if (mail.length === 0) limits.push("No message tracking in the case's scans: mail from lookalikes, thread hijacks and bulk sending cannot be looked for.");

  const attackFrom = findings
    .filter((f) => !f.benign && f.time)
    .map((f) => f.time as string)
    .sort()[0];
  const watch = watchMessages({ mail, mailboxes: mailboxes ?? [], protectedDomains: domains.map((d) => d.domain), attackFrom });
  const seen = new Map(watch.filter((h) => h.lookalike).map((h) => [h.lookalike?.domain as string, h.lookalike as Lookalike]));

  const listed = new Map<string, ListedLookalike>();
  for (const d of domains) for (const l of lookalikes(d.domain)) if (!listed.has(l.domain)) listed.set(l.domain, { ...l, seen: seen.has(l.domain) });
  // A lookalike seen in the mail that the families did not generate (two edits, a new suffix) is listed too.
  for (const [domain, l] of seen) if (!listed.has(domain)) listed.set(domain, { ...l, seen: true });
  if (options.resolver) {
    const answers = await resolveAll([...listed.keys()], options.resolver, { perSecond: options.perSecond ?? 10 });
    for (const [name, answer] of answers) {
      const l = listed.get(name);
      if (l && answer !== undefined) l.registered = answer;
    }
    const unknown = [...answers.values()].filter((a) => a === undefined).length;
    if (unknown > 0) limits.push(`DNS gave no answer for ${unknown} name(s); they are listed without saying whether they exist.`);
  }
  const rank = (l: ListedLookalike): number => (l.seen ? 0 : l.registered ? 1 : 2);
  const out = [...listed.values()].sort((a, b) => rank(a) - rank(b) || a.of.localeCompare(b.of) || a.domain.localeCompare(b.domain));
  return { case: record.ref, domains, lookalikes: out, watch, resolved: Boolean(options.resolver), limits };
}
