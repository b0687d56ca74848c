// The processor's notice to a controller client: the facts the client needs for its own notification
// (GDPR Art. 33(2) and its mirrors) about the data the firm holds for it, and only that data — what
// happened, when the firm became aware, which of the client's data and categories, how many people and
// records, the likely consequences, what was done and is proposed, whom to contact, and what is still
// being investigated. Each answer speaks of the one client the notice goes to (DraftContext.client).

import { distinctPeople } from '../assess/breach/assess.js';
import { vocabulary } from '../assess/breach/categories.js';
import type { AccessLevel, DatasetAssessment } from '../assess/breach/types.js';
import type { ObligationTemplate } from './obligations.js';
import type { DraftContext, Resolved } from './resolvers.js';
import { clientOf } from './roles.js';
import { showTime } from './time.js';

const ACCESS: Record<AccessLevel, string> = {
  exported: 'copied out by the attacker',
  read: 'read by the attacker',
  reachable: "within the attacker's reach; that it was read or copied cannot be excluded",
  'no-evidence-found': 'no sign of access in the logs held (which does not prove it was left untouched)',
  'not-established': 'whether it was touched is not yet established',
};

const t = (c: DraftContext, iso: string | undefined): string => showTime(iso, c.tz);
const av = (c: DraftContext): string => (c.assessment ? `assessment v${c.assessment.version}` : 'assessment');
const about = (n: number | undefined): string => (n === undefined ? 'not yet known' : `about ${n}`);

function category(id: string): string {
  const k = vocabulary().categories.get(id);
  return k ? `${k.label}${k.special ? ' (special category or criminal-record data)' : ''}` : id;
}

const subject = (id: string): string => vocabulary().subjects.get(id) ?? id;

/** The client's datasets, or nothing when the answers do not say which data is the client's. */
function own(c: DraftContext): DatasetAssessment[] | undefined {
  const ds = c.client?.datasets ?? [];
  return ds.length ? ds : undefined;
}

function dataLine(d: DatasetAssessment): string {
  const where = Object.entries(d.jurisdictions)
    .map(([k, n]) => `${k} ${n === null ? '(number not known)' : about(n)}`)
    .join(', ');
  return (
    `${d.description}: ${d.subjects.map(subject).join(', ') || 'people not described'}; ` +
    `${d.categories.map(category).join('; ') || 'categories not given'}; ` +
    `${about(d.people)} people, ${about(d.records)} records${where ? `; where they live: ${where}` : ''}. ` +
    `Access: ${ACCESS[d.access]}.`
  );
}

export const PROCESSOR_RESOLVERS: Record<string, (c: DraftContext) => Resolved | undefined> = {
  'processor.opening': (c) => {
    const client = c.client?.name;
    if (client === undefined) return undefined;
    // The laws under which the notice is owed to this client, as the obligations name them.
    const mine = c.obligations.filter((o) => o.active && (o.template as Partial<ObligationTemplate>).pack === 'processor' && clientOf(o.recipient) === client);
    // Cited as a client reads a law, without our notes on it ("sub-paragraph not yet confirmed" stays in the working record).
    const laws = [...new Set(mine.filter((o) => !o.ruleId.startsWith('CONTRACT')).map((o) => o.legalReference.replace(/\s+\([^()]*\)$/, '')))];
    const contract = mine.find((o) => o.ruleId.startsWith('CONTRACT'));
    const basis = [...laws, ...(contract ? ['our contract with you'] : [])];
    return {
      lines: [
        `Dear ${client},`,
        `We process personal data on your behalf, as your processor. We write without undue delay to tell you of a personal data breach affecting that data, so that you can assess it and make any notification you owe as its controller.`,
        ...(basis.length ? [`We give this notice under ${basis.join('; ')}.`] : []),
        'This notice speaks only of the data we hold for you.',
      ],
      trace: [`answers: datasets[].controller (${av(c)})`, ...mine.map((o) => `obligation ${o.ref}`)],
      ...(basis.length ? {} : { open: 'Which law reaches the firm as processor: say where it is established (answers: firm.establishments, firm.gdprScope).' }),
    };
  },
  'processor.timing': (c) => {
    const r = c.facts.record;
    if (!r.awareAt && !r.detectedAt) return undefined;
    return {
      lines: [
        `The breach occurred from ${r.occurredFrom ? t(c, r.occurredFrom) : 'a start not yet established'} to ${r.occurredTo ? t(c, r.occurredTo) : 'an end not yet established'}.`,
        `We detected it ${t(c, r.detectedAt)} and became aware that it affected personal data ${t(c, r.awareAt)}.`,
      ],
      trace: ['case: occurred, detected, aware'],
      ...(r.awareAt ? {} : { open: 'When the firm became aware (exir case set --aware).' }),
    };
  },
  'processor.data': (c) => {
    const ds = own(c);
    if (!ds) return undefined;
    return { lines: ds.map(dataLine), trace: [`${av(c)}: datasets ${ds.map((d) => d.id).join(', ')}`] };
  },
  'processor.numbers': (c) => {
    const ds = own(c);
    if (!ds) return undefined;
    const { people, peopleBasis } = distinctPeople(ds);
    const records = ds.some((d) => d.records === undefined) ? undefined : ds.reduce((s, d) => s + (d.records ?? 0), 0);
    return {
      lines: [`People: ${about(people)}${ds.length > 1 && people !== undefined ? `, each counted once (${peopleBasis})` : ''}.`, `Records: ${about(records)}.`],
      trace: [`answers: datasets[].people, datasets[].records (${av(c)})`],
      ...(people === undefined || records === undefined
        ? { open: "An approximate number of people and records in each of the client's datasets (answers: datasets[].people, datasets[].records)." }
        : {}),
    };
  },
  'processor.consequences': (c) => {
    const ds = own(c);
    if (!ds) return undefined;
    const said = [...new Set(ds.flatMap((d) => (d.consequences ? [d.consequences] : [])))];
    if (said.length === 0) return undefined;
    return { lines: said, trace: [`answers: datasets[].consequences (${av(c)})`] };
  },
  'processor.investigating': (c) => {
    const ds = own(c) ?? [];
    const r = c.assessment?.result;
    const lines: string[] = [];
    const told = c.assessment?.answers.narrative?.stillInvestigating;
    if (told) lines.push(told);
    if (r && !r.mailboxesKnown) lines.push('Which mailboxes the attacker read or copied.');
    const unsure = ds.filter((d) => d.access === 'reachable' || d.access === 'not-established');
    if (unsure.length) lines.push(`Whether your data was read or copied: ${unsure.map((d) => d.description).join(', ')}.`);
    if (!c.facts.record.occurredTo) lines.push('When the exposure ended.');
    if (lines.length === 0) return undefined;
    return {
      lines: [...lines, 'We will tell you what we find as soon as we know it, so that you can update any notification you make.'],
      trace: [...(told ? [`answers: narrative.stillInvestigating (${av(c)})`] : []), `${av(c)}: datasets[].access, mailboxes`, 'case: occurred to'],
    };
  },
};
