// The phishing section of what the firm sends: the letter to the people affected and the JFSC
// pack. Plain words, no internal ids, only what is true of the case: the lookalike domains seen in
// the firm's mail or found registered, the messages to expect, and what to do. The packs call
// this and render its paragraphs; it holds no formatting of its own.

import type { DraftSection } from '../../regulatory/draft-types.js';
import type { CasePhishing } from './of-case.js';

export interface PhishingSection {
  heading: string;
  paragraphs: string[];
  /** Domains to name in the section, as a reader would see them (the Unicode form of an IDN, with its DNS form). */
  domains: string[];
}

export function phishingSection(p: CasePhishing, audience: 'clients' | 'regulator'): PhishingSection {
  const named = p.lookalikes.filter((l) => l.seen || l.registered === true);
  const shown = named.map((l) => (l.unicode ? `${l.unicode} (${l.domain})` : l.domain));
  const firm = p.domains.filter((d) => d.whose === 'firm').map((d) => d.domain);
  const paragraphs: string[] = [];
  const ours = firm.length > 0 ? firm.join(', ') : 'our own';
  if (audience === 'clients') {
    paragraphs.push(
      'Whoever read our mail may use what they learnt to send you convincing messages that appear to come from us, ' +
        'sometimes as replies in a conversation you have already had with us.',
    );
  } else {
    paragraphs.push("The attacker had access to the firm's mail; the firm expects its clients to be targeted with messages that appear to come from it.");
  }
  if (shown.length > 0) {
    paragraphs.push(
      `These addresses look like ${ours} but are not ours: ${shown.join(', ')}. ` +
        `${audience === 'clients' ? 'We never write from them' : 'The firm does not use them'}; mail from them should be deleted, not answered.`,
    );
  }
  const hijacks = p.watch.filter((h) => h.kind === 'thread-hijack').length;
  if (hijacks > 0) {
    paragraphs.push(
      hijacks === 1
        ? 'One reply into an existing conversation, from someone who had no part in it, has already been seen.'
        : `${hijacks} replies into existing conversations, from people who had no part in them, have already been seen.`,
    );
  }
  paragraphs.push(
    'Expect in particular: a request to pay to new bank details or to change how a payment is made; ' +
      'a link to "view a shared document" or to sign in to read a message; an urgent request that asks you not to call.',
  );
  paragraphs.push(
    audience === 'clients'
      ? 'Before you pay, or change any payment detail, call us on a number you already hold (not one given in the message). ' +
          'Do not sign in through a link in an email. If you have acted on such a message, call your bank at once, then us.'
      : 'The firm is telling its clients to confirm any payment instruction by calling a number they already hold, and is blocking the domains named above at its mail gateway.',
  );
  return { heading: audience === 'clients' ? 'Messages that pretend to be from us' : 'Phishing that may follow the attack', paragraphs, domains: shown };
}

/**
 * The section as a pack draft's letter section, for the packs to append (the letter to the people
 * affected: 'clients'; the JFSC pack: 'regulator'). Traced to the message tracking and the lookalike
 * list, never to internal ids.
 */
export function phishingDraftSection(p: CasePhishing, audience: 'clients' | 'regulator'): DraftSection {
  const s = phishingSection(p, audience);
  const trace = [
    ...(p.watch.length > 0 ? [`message tracking: ${p.watch.length} message(s) flagged (exir phishing)`] : []),
    ...(s.domains.length > 0 ? [`lookalike domains seen in the mail${p.resolved ? ' or registered in DNS' : ''} (exir phishing)`] : []),
  ];
  return {
    title: s.heading,
    style: 'letter',
    items: [{ kind: 'field', id: `phishing-${audience}`, label: s.heading, lines: s.paragraphs, open: undefined, trace, source: 'exir phishing watch' }],
  };
}
