// The parts that make a draft a letter a firm signs: its letterhead, the date and the firm's own
// reference, the addressee, the opening, the signature, and the reader's right to complain to the
// authority that applies to them, with how to reach it. Every part comes from the firm's answers or
// the data files; nothing internal (no case or obligation id) is a letter's reference.

import { vocabulary } from '../assess/breach/categories.js';
import type { BreachAnswers, DatasetAssessment } from '../assess/breach/types.js';
import { authorityContacts } from './authority-contacts.js';
import { authorities } from './authorities.js';
import { EU_STATES } from './predicates.js';
import type { DraftContext, Resolved } from './resolvers.js';
import { localParts } from './time.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const answers = (c: DraftContext): BreachAnswers => c.assessment?.answers ?? {};
const av = (c: DraftContext): string => (c.assessment ? `assessment v${c.assessment.version}` : 'assessment');

/** The letter's date as a letter writes it: `13 March 2021`, in the case's zone. */
function letterDate(iso: string, tz: string): string {
  const [y, m, d] = localParts(iso, tz).date.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

function legalName(c: DraftContext): { name: string; trace: string } | undefined {
  const a = answers(c).firm?.legalName;
  if (a) return { name: a, trace: `answers: firm.legalName (${av(c)})` };
  const f = c.facts.record.firm;
  return f.name !== f.slug ? { name: f.name, trace: `case firm name (${f.slug})` } : undefined;
}

/** The datasets the letter speaks of: its audience's, or every dataset where one letter goes to all. */
const readersData = (c: DraftContext): DatasetAssessment[] => c.audience?.datasets ?? c.assessment?.result.datasets ?? [];

/** Where the letter's readers live, by code (UK as GB), those with people in them. */
function readersLiveIn(c: DraftContext): Set<string> {
  return new Set(readersData(c).flatMap((d) => Object.entries(d.jurisdictions).flatMap(([k, n]) => (n === 0 ? [] : [k === 'UK' ? 'GB' : k]))));
}

const placeName = (code: string): string =>
  code === 'GB' ? 'the United Kingdom' : code === 'GG' ? 'the Bailiwick of Guernsey' : (new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code);

/**
 * The authorities a reader of this letter may complain to: the one of each place the firm is
 * established (its home law), and for readers living where another law reaches the firm (its answers'
 * gdprScope), that place's authority: the ODPA for Guernsey, the ICO for the UK, the member state's
 * authority for the EU (the CNIL for France). Each with whom it is for.
 */
function complaintAuthorities(c: DraftContext): { code: string; forWhom: string }[] {
  const f = answers(c).firm;
  const scope = new Set(f?.gdprScope ?? []);
  const home = (f?.establishments ?? []).map((e) => (e === 'UK' ? 'GB' : e));
  const lives = readersLiveIn(c);
  const out: { code: string; forWhom: string }[] = [];
  const add = (code: string, forWhom: string): void => {
    if (!out.some((o) => o.code === code) && authorities().has(code)) out.push({ code, forWhom });
  };
  for (const e of home) add(e, `which oversees us under the law of ${e === 'JE' ? 'Jersey' : placeName(e)}`);
  // The islands and the UK first, then the EU states by code.
  const rank = (k: string): string => `${['JE', 'GG', 'GB'].includes(k) ? ['JE', 'GG', 'GB'].indexOf(k) : 9}${k}`;
  for (const code of [...lives].sort((a, b) => rank(a).localeCompare(rank(b)))) {
    // Where the firm has not said where it is established, no reader is left without an authority.
    const reaches =
      home.length === 0 ||
      home.includes(code) ||
      (code === 'GG' && scope.has('GG')) ||
      (code === 'GB' && scope.has('UK')) ||
      (EU_STATES.includes(code) && (scope.has('EU') || home.some((e) => EU_STATES.includes(e))));
    if (reaches) add(code, `if you live in ${placeName(code)}`);
  }
  return out;
}

function authorityLine(code: string, forWhom: string): string {
  const a = authorities().get(code);
  const k = authorityContacts().get(code);
  const how = k ? [k.address.join(', '), k.phone ? `telephone ${k.phone}` : undefined, k.email, k.web].filter((x): x is string => !!x).join('; ') : a?.site;
  return `${a?.name ?? code}, ${forWhom}: ${how ?? ''}`.replace(/: $/, '');
}

const plainList = (xs: string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs.at(-1) ?? ''}`);

export const LETTER_RESOLVERS: Record<string, (c: DraftContext) => Resolved | undefined> = {
  'letter.letterhead': (c) => {
    const n = legalName(c);
    if (!n) return undefined;
    const l = answers(c).firm?.letterhead;
    const reach = [l?.phone ? `Telephone ${l.phone}` : undefined, l?.email, l?.website].filter((x): x is string => !!x);
    return {
      lines: [n.name, ...(l?.address ?? []), ...(reach.length ? [reach.join(' · ')] : [])],
      trace: [n.trace, ...(l ? [`answers: firm.letterhead (${av(c)})`] : [])],
      ...(l?.address?.length
        ? {}
        : { open: "The firm's postal address for the letterhead (answers: firm.letterhead.address), unless it is printed on headed paper." }),
    };
  },
  'letter.dateRef': (c) => {
    const ref = answers(c).firm?.letterReference;
    return {
      lines: [letterDate(c.now, c.tz), ...(ref ? [`Our reference: ${ref}`] : [])],
      trace: ['date the draft was made', ...(ref ? [`answers: firm.letterReference (${av(c)})`] : [])],
    };
  },
  'letter.addressee': () => ({
    // One letter goes to many people: the firm merges each reader's name and address from its records.
    lines: ['«Name»', '«Postal address»'],
    trace: ["mail-merge fields: the firm fills each reader's name and address from its own records"],
  }),
  'letter.opening': (c) => {
    const n = legalName(c);
    const subjects = [...new Set(readersData(c).flatMap((d) => d.subjects))].map((s) => vocabulary().subjects.get(s) ?? s);
    const as = subjects.length ? ` as one of our ${plainList(subjects)}` : '';
    return {
      lines: [
        'Dear «Name»,',
        `We are writing to tell you about a security incident at ${n?.name ?? 'our firm'} that affects information we hold about you${as}. We are sorry that this has happened. This letter explains what happened, what it means for you, what we have done and what you can do.`,
      ],
      trace: [n?.trace ?? 'firm name not recorded', `${av(c)}: the letter's datasets, subjects`],
    };
  },
  'letter.rights': (c) => {
    const list = complaintAuthorities(c);
    if (list.length === 0) return undefined;
    const rep = answers(c).firm?.euRepresentative;
    const euReaders = [...readersLiveIn(c)].some((k) => EU_STATES.includes(k));
    return {
      lines: [
        'If you are unhappy with how we have handled your information, please tell us first, and we will try to put it right. You also have the right to complain to a data protection authority:',
        ...list.map((a) => authorityLine(a.code, a.forWhom)),
        ...(rep && euReaders
          ? [
              `If you live in the European Union, you can also contact our representative there: ${[rep.name, rep.email, rep.address].filter(Boolean).join(', ')}.`,
            ]
          : []),
      ],
      trace: [
        `answers: firm.establishments, firm.gdprScope, datasets[].jurisdictions (${av(c)})`,
        'data/regulatory/authorities.yml, data/regulatory/authority-contacts.yml',
        ...(rep && euReaders ? [`answers: firm.euRepresentative (${av(c)})`] : []),
      ],
    };
  },
  'letter.signOff': (c) => {
    const n = legalName(c);
    const f = answers(c).firm;
    const who = f?.signer ?? (f?.contact?.name ? { name: f.contact.name, role: f.contact.role } : undefined);
    return {
      lines: ['Yours sincerely,', ...(who ? [who.name, ...(who.role ? [who.role] : [])] : []), ...(n ? [n.name] : [])],
      trace: [...(f?.signer ? [`answers: firm.signer (${av(c)})`] : who ? [`answers: firm.contact (${av(c)})`] : []), n?.trace ?? 'firm name not recorded'],
      ...(who ? {} : { open: 'Who signs the letter: name and role (answers: firm.signer).' }),
    };
  },
  'jfsc.addressee': () => ({
    lines: ['The Supervisor', 'Jersey Financial Services Commission', 'St Helier, Jersey'],
    trace: ["the firm's supervisor at the JFSC"],
  }),
};
