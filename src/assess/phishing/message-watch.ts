// What message tracking shows of the phishing that follows stolen mail: mail from lookalike
// domains, mail still reaching the attacker's forwarding addresses after the attack, replies into
// old threads from new outside senders (thread hijack), and bulk sending from a reached mailbox.
// Reads the inbound-mail records the scans kept as context (one RECEIVE per message per server).

import type { ContextRecord, MailboxTouch, Origin } from '../../core/types.js';
import { imitates, splitDomain, type Lookalike } from './lookalikes.js';

type WatchKind = 'lookalike-sender' | 'to-attacker-forwarding' | 'thread-hijack' | 'bulk-sending';

export interface WatchHit {
  kind: WatchKind;
  time: string | undefined;
  server: string;
  sender: string;
  recipients: string;
  subject: string;
  /** Why, in one plain sentence. */
  why: string;
  origin: Origin;
  lookalike?: Lookalike;
}

export interface WatchInput {
  mail: ContextRecord[];
  mailboxes: MailboxTouch[];
  /** The firm's and its clients' domains. */
  protectedDomains: string[];
  /** When the attack began, from the first attack finding; checks that look for "after the attack" need it. */
  attackFrom: string | undefined;
}

/** A reply into a thread this long after the attack's start still counts as a possible hijack. */
const HIJACK_WEEKS = 12;
/**
 * Messages one mailbox submits in one hour before it counts as bulk sending. Ordinary people send
 * a few dozen a day; attackers sending from a stolen mailbox send to its whole address book at once.
 */
export const BULK_PER_HOUR = 50;

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const addresses = (list: string | undefined): string[] =>
  (list ?? '')
    .split(/[;,]/)
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a.includes('@'));

/** A subject without its reply and forward prefixes, in any of the usual languages, so that a thread is known by it. */
export function threadKey(subject: string): string {
  return subject
    .replace(/^(\s*(re|fw|fwd|aw|wg|sv|vs|tr|rif|antw)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .trim()
    .toLowerCase();
}
const isReply = (subject: string): boolean => /^\s*(re|aw|sv|antw|rif)\s*(\[\d+\])?\s*:/i.test(subject);

function registrable(domain: string): string {
  const parts = splitDomain(domain);
  return parts ? `${parts.label}.${parts.suffix}` : domain;
}

export function watchMessages(input: WatchInput): WatchHit[] {
  const hits: WatchHit[] = [];
  const own = new Set(input.protectedDomains.map(registrable));
  const mail = input.mail.filter((r) => r.kind === 'mail').sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const after = (t: string | undefined): boolean => Boolean(input.attackFrom && t && t >= input.attackFrom);
  const hit = (kind: WatchKind, r: ContextRecord, why: string, extra: Partial<WatchHit> = {}): void => {
    hits.push({
      kind,
      time: r.time,
      server: r.server,
      sender: r.fields['sender-address'] ?? '',
      recipients: r.fields['recipient-address'] ?? '',
      subject: r.fields['message-subject'] ?? '',
      why,
      origin: r.origin,
      ...extra,
    });
  };

  const forwarding = new Set(input.mailboxes.flatMap((m) => m.forwardedTo ?? []).map((a) => a.toLowerCase()));
  const reached = new Set(input.mailboxes.filter((m) => m.level !== 'reachable' && m.mailbox !== '*').map((m) => m.mailbox.toLowerCase()));
  const participants = new Map<string, Set<string>>();
  const hourly = new Map<string, { count: number; first: ContextRecord }>();

  for (const r of mail) {
    const sender = (r.fields['sender-address'] ?? '').toLowerCase();
    const subject = r.fields['message-subject'] ?? '';
    const to = addresses(r.fields['recipient-address']);

    const look = sender.includes('@') ? imitates(domainOf(sender), input.protectedDomains) : undefined;
    if (look) {
      hit('lookalike-sender', r, `Sent from ${look.unicode ?? look.domain}, a lookalike (${look.family}) of ${look.of}.`, { lookalike: look });
    }

    const forwardedTo = to.filter((a) => forwarding.has(a));
    if (forwardedTo.length > 0 && after(r.time)) {
      hit('to-attacker-forwarding', r, `Sent to ${forwardedTo.join(', ')}, an address the attacker set up for forwarding, after the attack began.`);
    }

    // A thread's participants are everyone who wrote or was written to in it before this message.
    const key = threadKey(subject);
    if (key !== '') {
      const known = participants.get(key);
      const external = sender.includes('@') && !own.has(registrable(domainOf(sender)));
      const inWeeks = input.attackFrom && r.time && Date.parse(r.time) - Date.parse(input.attackFrom) <= HIJACK_WEEKS * 7 * 86_400_000;
      if (known && isReply(subject) && external && !known.has(sender) && after(r.time) && inWeeks) {
        hit(
          'thread-hijack',
          r,
          `A reply into an existing thread from ${sender}, who had no part in it before, after the attack: a stolen thread reused to phish.`,
        );
      }
      const set = known ?? new Set<string>();
      set.add(sender);
      for (const a of to) set.add(a);
      participants.set(key, set);
    }

    // Submitted from a mailbox (not received from outside): count per sender per hour.
    if (reached.has(sender) && after(r.time) && (r.fields.source ?? '').toUpperCase() !== 'SMTP' && r.time) {
      const slot = `${sender}\u0000${r.time.slice(0, 13)}`;
      const seen = hourly.get(slot) ?? { count: 0, first: r };
      seen.count += Math.max(1, Number(r.fields['recipient-count'] ?? '') || to.length);
      hourly.set(slot, seen);
    }
  }
  for (const { count, first } of hourly.values()) {
    if (count >= BULK_PER_HOUR) {
      hit(
        'bulk-sending',
        first,
        `${count} recipients in one hour from ${(first.fields['sender-address'] ?? '').toLowerCase()}, a mailbox the attacker reached, after the attack.`,
      );
    }
  }
  return hits.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
}

/** The firm's own domains as the case shows them: its mailboxes' domains and the domains its inbound mail is addressed to. */
export function domainsOfCase(mail: ContextRecord[], mailboxes: MailboxTouch[]): string[] {
  const counts = new Map<string, number>();
  const add = (address: string, weight = 1): void => {
    if (!address.includes('@')) return;
    const d = registrable(domainOf(address));
    counts.set(d, (counts.get(d) ?? 0) + weight);
  };
  // A mailbox on the firm's servers is the firm's own, however rarely it is seen.
  for (const m of mailboxes) add(m.mailbox, 2);
  for (const r of mail) if ((r.fields.source ?? '').toUpperCase() === 'SMTP') for (const a of addresses(r.fields['recipient-address'])) add(a);
  // Inbound mail is addressed to the firm's accepted domains; a domain seen once is more likely a stray.
  return [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1])
    .map(([d]) => d);
}
