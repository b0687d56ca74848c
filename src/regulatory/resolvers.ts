// Each question's answer, read from the case: its clocks, scans, findings, decisions, actions and
// the firm's answers. A resolver returns the words and where each came from, or nothing when the
// case cannot answer yet (the draft then shows the question as open with what is needed).

import { vocabulary } from '../assess/breach/categories.js';
import { EI_LABELS } from '../assess/breach/enisa.js';
import type { AccessLevel, BreachAnswers, BreachAssessment, DatasetAssessment } from '../assess/breach/types.js';
import type { StoredObligation } from '../case/regulatory-types.js';
import type { Audience } from './audiences.js';
import { BOARD_RESOLVERS } from './board.js';
import { LETTER_RESOLVERS } from './letter-parts.js';
import { EVIDENCE_RESOLVERS } from './evidence-summary.js';
import { PROCESSOR_RESOLVERS } from './processor-notice.js';
import type { Clock } from './clocks.js';
import type { CaseFacts } from './facts.js';
import { showTime } from './time.js';

export interface DraftContext {
  facts: CaseFacts;
  assessment: { version: number; answers: BreachAnswers; result: BreachAssessment } | undefined;
  obligations: StoredObligation[];
  clocks: Clock[];
  now: string;
  tz: string;
  /** For an authority's report: the authority it goes to (the JOIC when not set). */
  authority?: { ruleId: string; recipient: string; short: string } | undefined;
  /** For a letter to the people affected: the datasets it speaks of (the others are not its readers'). */
  audience?: Audience | undefined;
  /** For a processor's notice: the controller client it goes to, and the datasets the firm holds for it. */
  client?: { name: string; datasets: DatasetAssessment[] } | undefined;
}

/** The first few reasons, and how many more the assessment holds (all are in the JSON draft's assessment). */
export function someReasons(reasons: string[], n = 6): string {
  return reasons.length <= n ? reasons.join('; ') : `${reasons.slice(0, n).join('; ')}; and ${reasons.length - n} more (see the assessment)`;
}

export type Resolved = { lines: string[]; trace: string[]; open?: string } | { table: { columns: string[]; rows: string[][] }; trace: string[]; open?: string };

type Resolver = (c: DraftContext) => Resolved | undefined;

const ACCESS_WORDS: Record<AccessLevel, string> = {
  exported: 'copied out by the attacker (exported)',
  read: 'read by the attacker',
  reachable: "within the attacker's reach; access cannot be excluded",
  'no-evidence-found': 'no evidence of access in the logs held (this does not prove the data was left untouched)',
  'not-established': 'whether it was touched is not yet established',
};

const FULL_REACH = new Set(['exploited', 'post-exploitation']);

const answers = (c: DraftContext): BreachAnswers => c.assessment?.answers ?? {};
const result = (c: DraftContext): BreachAssessment | undefined => c.assessment?.result;
const t = (c: DraftContext, iso: string | undefined): string => showTime(iso, c.tz);
const av = (c: DraftContext): string => (c.assessment ? `assessment v${c.assessment.version}` : 'assessment');
const catLabel = (id: string): string => vocabulary().categories.get(id)?.label ?? id;
const subjLabel = (id: string): string => vocabulary().subjects.get(id) ?? id;

function narrative(c: DraftContext, id: string): Resolved | undefined {
  const text = answers(c).narrative?.[id];
  return text === undefined ? undefined : { lines: [text], trace: [`answers: narrative.${id} (${av(c)})`] };
}

function firmName(c: DraftContext): { name: string; trace: string } | undefined {
  const a = answers(c).firm?.legalName;
  if (a) return { name: a, trace: `answers: firm.legalName (${av(c)})` };
  const f = c.facts.record.firm;
  return f.name !== f.slug ? { name: f.name, trace: `case firm name (${f.slug})` } : undefined;
}

function registration(c: DraftContext, scheme: string): string | undefined {
  return c.facts.record.firm.registrations.find((r) => r.scheme.toUpperCase() === scheme)?.number;
}

function clocksFor(c: DraftContext, ruleId: string, stage?: string): Clock[] {
  return c.clocks.filter((k) => k.ruleId === ruleId && (stage === undefined || k.stage === stage));
}

const JOIC = { ruleId: 'JE_DPJL_ART20_AUTHORITY', recipient: 'JOIC (Jersey Data Protection Authority)', short: 'JOIC' };

/** The authority an authority report goes to, and its clocks: its own references and delay, never the JOIC's. */
function authority(c: DraftContext): typeof JOIC {
  return c.authority ?? JOIC;
}

function authorityClocks(c: DraftContext, stage?: string): Clock[] {
  const a = authority(c);
  return clocksFor(c, a.ruleId, stage).filter((k) => k.recipient === a.recipient || c.authority === undefined);
}

function clockLine(c: DraftContext, k: Clock): string {
  const when = k.dueAt ? `due ${t(c, k.dueAt)}` : k.targetAt ? `firm target ${t(c, k.targetAt)}` : 'no statutory hours';
  return `${k.ref} ${k.recipient}, ${k.stage}: ${k.state} (${when}); ${k.says}. Law: ${k.law} [${k.confirmation}]`;
}

function datasetAccess(d: DatasetAssessment): string {
  const numbers = [
    d.people !== undefined ? `about ${d.people} people` : 'number of people not given',
    d.records !== undefined ? `about ${d.records} records` : 'number of records not given',
  ];
  return `${d.description} (${d.subjects.map(subjLabel).join(', ') || 'subjects not given'}; ${d.categories.map(catLabel).join(', ') || 'categories not given'}; ${numbers.join(', ')}): ${ACCESS_WORDS[d.access]}`;
}

function verdictLines(c: DraftContext): { lines: string[]; trace: string[] } {
  const lines: string[] = [];
  const trace: string[] = [];
  for (const s of c.facts.story.servers) {
    if (s.verdict === undefined) {
      lines.push(`${s.name}: not yet scanned.`);
      trace.push(`case servers: ${s.name}`);
    } else {
      lines.push(`${s.name}: ${s.verdict}. ${s.summary ?? ''}`.trim());
      trace.push(`scan verdict: ${s.name}`);
    }
  }
  return { lines, trace };
}

function cves(c: DraftContext): string[] {
  return [...new Set(c.facts.findings.filter((f) => f.benign === undefined).flatMap((f) => f.cves))].sort();
}

function joinParts(parts: (Resolved | undefined)[]): Resolved | undefined {
  const lines: string[] = [];
  const trace: string[] = [];
  for (const p of parts)
    if (p && 'lines' in p) {
      lines.push(...p.lines);
      trace.push(...p.trace);
    }
  return lines.length === 0 ? undefined : { lines, trace };
}

/** Where to report a scam, for the places this letter's readers live (their datasets' jurisdictions). */
function whereToReport(c: DraftContext): string[] {
  const homes = new Set((c.audience?.datasets ?? result(c)?.datasets ?? []).flatMap((d) => Object.keys(d.jurisdictions)));
  const lines: string[] = [];
  if (homes.has('JE')) lines.push('In Jersey, report any scam to the States of Jersey Police (scams500@police.je).');
  if (homes.has('GG')) lines.push('In Guernsey, report any scam to the police (Bailiwick of Guernsey Law Enforcement).');
  if (homes.has('GB'))
    lines.push('In England, Wales or Northern Ireland, report any scam to Action Fraud (0300 123 2040); in Scotland, to Police Scotland on 101.');
  if (homes.size === 0 || [...homes].some((h) => !['JE', 'GG', 'GB'].includes(h))) {
    lines.push(lines.length ? 'Anywhere else, report it to the police where you live.' : 'Report any scam to the police where you live.');
  }
  return lines;
}

export const RESOLVERS: Record<string, Resolver> = {
  ...EVIDENCE_RESOLVERS,
  ...BOARD_RESOLVERS,
  ...PROCESSOR_RESOLVERS,
  ...LETTER_RESOLVERS,
  'firm.contact': (c) => {
    const k = answers(c).firm?.contact;
    if (!k?.name) return undefined;
    const missing = [k.role ? undefined : 'role', k.email ? undefined : 'email', k.phone ? undefined : 'telephone'].filter(Boolean);
    return {
      lines: [[k.name, k.role, k.email, k.phone].filter(Boolean).join(', ')],
      trace: [`answers: firm.contact (${av(c)})`],
      ...(missing.length ? { open: `Add the contact's ${missing.join(', ')} (answers: firm.contact).` } : {}),
    };
  },
  'firm.legalName': (c) => {
    const f = firmName(c);
    return f && { lines: [f.name], trace: [f.trace] };
  },
  'firm.joicRegistration': (c) => {
    const a = answers(c).firm?.joicRegistration;
    if (a) return { lines: [a], trace: [`answers: firm.joicRegistration (${av(c)})`] };
    const r = registration(c, 'JOIC');
    return r ? { lines: [r], trace: ['case firm registration JOIC'] } : undefined;
  },
  'firm.dpo': (c) => {
    const a = answers(c).firm?.dpo ?? c.facts.record.firm.dpo;
    return a ? { lines: [a], trace: [answers(c).firm?.dpo ? `answers: firm.dpo (${av(c)})` : 'case firm DPO'] } : undefined;
  },
  'firm.establishments': (c) => {
    const e = answers(c).firm?.establishments;
    return e?.length ? { lines: [e.join(', ')], trace: [`answers: firm.establishments (${av(c)})`] } : undefined;
  },
  'joic.stage': (c) => {
    const a = authority(c);
    const initial = authorityClocks(c, 'initial')[0];
    if (initial?.firstFiledAt) {
      return {
        lines: [
          `Follow-up notification (first notification filed ${t(c, initial.firstFiledAt)}${initial.references.length ? `, ${a.short} reference ${initial.references.join(', ')}` : ''})`,
        ],
        trace: [`obligation ${initial.ref} filings`],
      };
    }
    return {
      lines: ['First notification'],
      trace: initial ? [`obligation ${initial.ref}: no filing recorded`] : [`no ${a.short} filing recorded in the case`],
    };
  },
  'joic.previousReference': (c) => {
    const a = authority(c);
    const refs = authorityClocks(c).flatMap((k) => k.references);
    return refs.length
      ? { lines: [[...new Set(refs)].join(', ')], trace: [`filings of the ${a.short} obligations`] }
      : { lines: ['None: this is the first notification'], trace: [`no ${a.short} filing recorded in the case`] };
  },
  'data.jurisdictions': (c) => {
    const j = result(c)?.jurisdictions ?? {};
    const entries = Object.entries(j);
    if (entries.length === 0) return undefined;
    return {
      lines: [entries.map(([k, n]) => `${k}: ${n === null ? 'number not known' : `about ${n}`}`).join('; ')],
      trace: [`answers: datasets[].jurisdictions (${av(c)})`],
    };
  },
  'obligations.others': (c) => {
    const a = authority(c);
    if (c.obligations.length === 0) return undefined;
    // Authorities only (not the people, not clients), first notifications, said as a regulator reads them.
    const authorityRules = new Set(
      c.obligations.filter((o) => ['joic', 'jfsc'].includes(String((o.template as { pack?: unknown }).pack))).map((o) => o.ruleId),
    );
    const others = c.clocks.filter(
      (k) =>
        authorityRules.has(k.ruleId) &&
        k.stage === 'initial' &&
        k.state !== 'withdrawn' &&
        !(k.ruleId === a.ruleId && (c.authority === undefined || k.recipient === a.recipient)),
    );
    const plain = (k: Clock): string => {
      if (k.firstFiledAt)
        return `${k.recipient}: notified ${t(c, k.firstFiledAt)}${k.references.length ? ` (their reference ${k.references.join(', ')})` : ''}`;
      if (k.state === 'not-required') return `${k.recipient}: not notified; our assessment does not make it a duty`;
      if (k.state === 'exception') return `${k.recipient}: not notified; an exception in the law applies`;
      if (k.state === 'to-confirm' || k.state === 'decision-needed') return `${k.recipient}: whether to notify is under consideration`;
      return `${k.recipient}: to be notified`;
    };
    return {
      lines: others.length ? others.map(plain) : ['No other authority'],
      trace: others.length ? others.map((k) => `obligation ${k.ref} (${k.state})`) : ['obligations (rule pack): no other authority on the answers given'],
    };
  },
  'obligations.all': (c) =>
    c.obligations.length === 0 ? undefined : { lines: c.clocks.map((k) => clockLine(c, k)), trace: ['obligations (rule pack) and their filings'] },
  'case.whatHappened': (c) => {
    const v = verdictLines(c);
    const scanned = c.facts.story.servers.some((s) => s.verdict !== undefined);
    const list = cves(c);
    const parts: (Resolved | undefined)[] = [narrative(c, 'whatHappened')];
    if (scanned) {
      parts.push({
        lines: [`Microsoft Exchange server(s) ${c.facts.story.servers.map((s) => s.name).join(', ')}; the evidence shows:`, ...v.lines],
        trace: v.trace,
      });
      if (list.length)
        parts.push({ lines: [`Vulnerabilities the findings point to: ${list.join(', ')}.`], trace: ['findings: CVEs named by the matched rules'] });
    }
    return joinParts(parts);
  },
  'case.cyberIncident': (c) => {
    const attacked = c.facts.story.servers.filter((s) => s.verdict !== undefined && s.verdict !== 'clean' && s.verdict !== 'probed');
    if (attacked.length > 0)
      return {
        lines: [`Yes: exploitation of Microsoft Exchange (${attacked.map((s) => `${s.name} ${s.verdict ?? ''}`).join(', ')})`],
        trace: attacked.map((s) => `scan verdict: ${s.name}`),
      };
    return narrative(c, 'cyberIncident');
  },
  'case.detectedAt': (c) => (c.facts.record.detectedAt ? { lines: [t(c, c.facts.record.detectedAt)], trace: ['case: detected'] } : undefined),
  'case.awareAt': (c) => {
    const r = c.facts.record;
    if (!r.awareAt) return undefined;
    return {
      lines: [`${t(c, r.awareAt)}${r.awareReason ? `. Why this differs from detection: ${r.awareReason}` : ''}`],
      trace: ['case: aware', ...(r.awareReason ? ['case: aware reason'] : [])],
    };
  },
  'case.occurred': (c) => {
    const r = c.facts.record;
    if (!r.occurredFrom && !r.occurredTo) return undefined;
    return {
      lines: [
        `From ${r.occurredFrom ? t(c, r.occurredFrom) : 'a start not yet established'} to ${r.occurredTo ? t(c, r.occurredTo) : 'an end not yet established'}`,
      ],
      trace: ['case: occurred from/to'],
      ...(r.occurredTo ? {} : { open: 'When the exposure ended (exir case set --occurred-to).' }),
    };
  },
  'data.categories': (c) => {
    const ds = result(c)?.datasets ?? [];
    if (ds.length === 0) return undefined;
    return {
      lines: ds.map((d) => `${d.description}: ${d.categories.map(catLabel).join('; ') || 'not given'}`),
      trace: [`answers: datasets[].categories (${av(c)})`],
    };
  },
  'data.specialChecklist': (c) => {
    const ds = result(c)?.datasets ?? [];
    if (ds.length === 0) return undefined;
    const lines = [...vocabulary().categories.values()]
      .filter((k) => k.special)
      .map((k) => {
        const inSets = ds.filter((d) => d.categories.includes(k.id)).map((d) => d.description);
        return `${k.label}: ${inSets.length ? `YES (${inSets.join(', ')})` : 'no (not recorded in any dataset)'}`;
      });
    return { lines, trace: [`answers: datasets[].categories (${av(c)})`, 'data/regulatory/data-categories.yml (special categories)'] };
  },
  'data.subjects': (c) => {
    const ds = result(c)?.datasets ?? [];
    const all = [...new Set(ds.flatMap((d) => d.subjects))];
    return all.length === 0 ? undefined : { lines: [all.map(subjLabel).join(', ')], trace: [`answers: datasets[].subjects (${av(c)})`] };
  },
  'data.people': (c) => {
    const r = result(c);
    if (!r || r.datasets.length === 0) return undefined;
    const per = r.datasets.map((d) => `${d.description}: ${d.people !== undefined ? `about ${d.people}` : 'not given'}`);
    return {
      lines: [
        r.totals.people !== undefined
          ? `About ${r.totals.people} in all${r.flags.moreThan100People ? ' (more than 100)' : ''}${r.totals.peopleBasis ? `, counting each person once: ${r.totals.peopleBasis}` : ''}`
          : 'Total not yet known',
        ...per,
      ],
      trace: [`answers: datasets[].people (${av(c)})`],
      ...(r.totals.people === undefined ? { open: 'An approximate number of people for every dataset.' } : {}),
    };
  },
  'data.records': (c) => {
    const r = result(c);
    if (!r || r.datasets.length === 0) return undefined;
    const per = r.datasets.map((d) => `${d.description}: ${d.records !== undefined ? `about ${d.records}` : 'not given'}`);
    return {
      lines: [r.totals.records !== undefined ? `About ${r.totals.records} in all` : 'Total not yet known', ...per],
      trace: [`answers: datasets[].records (${av(c)})`],
      ...(r.totals.records === undefined ? { open: 'An approximate number of records for every dataset.' } : {}),
    };
  },
  'data.encrypted': (c) => {
    const ds = result(c)?.datasets ?? [];
    if (ds.length === 0) return undefined;
    const unknown = ds.filter((d) => d.encrypted === undefined);
    return {
      lines: ds.map(
        (d) =>
          `${d.description}: ${d.encrypted === undefined ? 'not stated' : d.unintelligible ? 'encrypted, key not compromised (unintelligible)' : d.encrypted ? 'encrypted, but the key may be compromised' : 'not encrypted'}`,
      ),
      trace: [`answers: datasets[].encrypted (${av(c)})`],
      ...(unknown.length ? { open: 'Say for each dataset whether it was encrypted (answers: datasets[].encrypted).' } : {}),
    };
  },
  'data.access': (c) => {
    const r = result(c);
    if (!r || r.datasets.length === 0) return undefined;
    const lines: string[] = [];
    const trace: string[] = [`${av(c)}: datasets[].access`];
    if (r.cannotExcludeAccess) {
      lines.push(`The evidence cannot exclude access to this data: ${someReasons(r.cannotExcludeReasons)}.`);
      trace.push('scan verdicts and log coverage');
    }
    for (const d of r.datasets) {
      lines.push(datasetAccess(d));
      // Log gaps are many and the same for every dataset on a server: counted here, listed once above and in the assessment.
      const gaps = d.accessBasis.filter((b) => b.startsWith('coverage:'));
      for (const b of d.accessBasis) if (!b.startsWith('coverage:')) lines.push(`  basis: ${b}`);
      if (gaps.length)
        lines.push(`  basis: ${gaps.length} gap(s) in the logs of its servers during the exploitation window; access in those times cannot be excluded`);
      for (const e of d.evidence.slice(0, 5)) trace.push(`evidence ${e.path}:${e.line}`);
    }
    const open = r.mailboxesKnown
      ? undefined
      : 'Which mailboxes were read or exported is not yet established: scan the evidence with mailbox analysis into the case.';
    return { lines, trace, ...(open ? { open } : {}) };
  },
  'risk.assessment': (c) => {
    const r = result(c);
    if (!r?.enisa || !c.assessment) return undefined;
    const e = r.enisa;
    const input = (name: string, i: { value: number; from: string; why: string }): string => `${name} ${i.value} (${i.from}: ${i.why})`;
    return {
      lines: [
        `Assessment v${c.assessment.version}, ${t(c, r.assessedAt)}. ENISA severity: SE = DPC × EI + CB = ${e.dpc} × ${e.ei.value} + ${e.cbTotal} = ${e.se}, ${e.level}.`,
        input('DPC base', e.dpcBase) +
          (e.dpcAdjustments.length
            ? `; adjusted by ${e.dpcAdjustments.map((a) => `${a.delta > 0 ? '+' : ''}${a.delta} (${a.factor})`).join(', ')} to ${e.dpc}`
            : ''),
        input(`EI (${EI_LABELS[e.ei.value] ?? ''})`, e.ei),
        `CB: ${[input('confidentiality', e.cb.confidentiality), input('integrity', e.cb.integrity), input('availability', e.cb.availability), input('malicious intent', e.cb.malicious)].join('; ')}`,
        ...(r.override ? [`Overridden by the firm to ${r.override.level}: ${r.override.reason}`] : []),
        `Conclusion: ${r.conclusion ?? 'not reached'} (${r.conclusionBasis.join('; ')})`,
      ],
      trace: [`assessment v${c.assessment.version}: enisa, conclusion`],
    };
  },
  'subjects.told': (c) => {
    const k = clocksFor(c, 'JE_DPJL_DATA_SUBJECTS')[0];
    const told = narrative(c, 'subjectsTold');
    if (k?.state === 'filed')
      return joinParts([
        { lines: [`Yes: told ${t(c, k.firstFiledAt)}${k.references.length ? ` (${k.references.join(', ')})` : ''}`], trace: [`obligation ${k.ref} filings`] },
        told,
      ]);
    if (told) return told;
    if (k?.state === 'exception') return { lines: [`No: ${k.says}`], trace: [`obligation ${k.ref}`, `case decision ${k.decision ?? ''}`] };
    if (k && (k.state === 'not-required' || k.state === 'decision-needed')) {
      return {
        lines: [`Not yet: the assessment (${result(c)?.conclusion ?? 'not made'}) does not find a high risk to the people. ${k.says}`],
        trace: [`obligation ${k.ref}`, av(c)],
      };
    }
    return undefined;
  },
  'joic.delayReasons': (c) => {
    const k = authorityClocks(c, 'initial')[0];
    if (!k?.dueAt) return undefined;
    if (k.state === 'filed') {
      return k.lateByMs !== undefined
        ? { lines: [k.delayReasons ?? ''], trace: [`obligation ${k.ref}: first filing, delay reasons`] }
        : {
            lines: [`Not applicable: first filed ${t(c, k.firstFiledAt)}, within the 72 hours (which ended ${t(c, k.dueAt)})`],
            trace: [`obligation ${k.ref}`],
          };
    }
    if (k.state === 'overdue') return undefined;
    return { lines: [`Not applicable as of ${t(c, c.now)}: the 72 hours end ${t(c, k.dueAt)}`], trace: [`obligation ${k.ref}`, 'case: aware'] };
  },
  'joic.declarations': () => ({
    lines: [
      '[ ] Supporting evidence is included, or listed in the evidence appendix.',
      '[ ] The Commissioner may share this information to carry out regulatory functions.',
      "[ ] The information is accurate to the best of the signer's knowledge.",
      '[ ] The Commissioner will store this report and the documents electronically.',
    ],
    trace: ['legacy OIC self-reporting form declarations (regulatory.md §2.6(b))'],
    open: 'The signer confirms each declaration when submitting the form.',
  }),
  'jfsc.letterOpening': (c) => {
    const f = firmName(c);
    const r = c.facts.record;
    const reg = registration(c, 'JFSC');
    const joic = clocksFor(c, 'JE_DPJL_ART20_AUTHORITY', 'initial')[0];
    const v = verdictLines(c);
    const missing: string[] = [];
    if (!f) missing.push("the firm's legal name");
    if (!reg) missing.push('the JFSC registration number (exir case set --registration JFSC=…)');
    if (!r.detectedAt) missing.push('when the incident was detected');
    if (!r.awareAt) missing.push('when the firm became aware');
    const lines = [
      'Dear Supervisor,',
      `${f?.name ?? '[firm legal name]'}${reg ? ` (JFSC registration ${reg})` : ''} notifies the Commission of a cyber incident affecting its Microsoft Exchange email service, which might be expected to affect its registration or be relevant to the interests of its clients.`,
      `The incident was detected ${r.detectedAt ? t(c, r.detectedAt) : '[not yet recorded]'} and the firm became aware of it ${r.awareAt ? t(c, r.awareAt) : '[not yet recorded]'}.`,
      ...(v.lines.length ? [`The evidence examined so far shows: ${v.lines.join(' ')}`] : []),
      ...(result(c)?.conclusion
        ? [
            `Our assessment of the personal data involved concludes "${result(c)?.conclusion ?? ''}"${joic ? `; the JOIC notification stands at: ${joic.state}` : ''}.`,
          ]
        : []),
      'Our answers to the questions we expect the Commission to ask follow; we will keep the Commission informed as the investigation proceeds.',
    ];
    return {
      lines,
      trace: [f?.trace ?? 'firm name not recorded', 'case: detected, aware', ...v.trace, ...(joic ? [`obligation ${joic.ref}`] : [])],
      ...(missing.length ? { open: `Still needed: ${missing.join('; ')}.` } : {}),
    };
  },
  'jfsc.timing': (c) => {
    const r = c.facts.record;
    if (!r.detectedAt && !r.awareAt && !r.occurredFrom) return undefined;
    const who = answers(c).narrative?.howDiscovered;
    return {
      lines: [
        `Occurred: ${r.occurredFrom ? t(c, r.occurredFrom) : 'start not established'} to ${r.occurredTo ? t(c, r.occurredTo) : 'end not established'}`,
        `Detected: ${t(c, r.detectedAt)}`,
        `Aware: ${t(c, r.awareAt)}${r.awareReason ? ` (${r.awareReason})` : ''}`,
        ...(who ? [`How and by whom: ${who}`] : []),
      ],
      trace: ['case: occurred, detected, aware', ...(who ? [`answers: narrative.howDiscovered (${av(c)})`] : [])],
      ...(who ? {} : { open: 'Who detected it and how (answers: narrative.howDiscovered).' }),
    };
  },
  'jfsc.vector': (c) => {
    const list = cves(c);
    const patch = answers(c).narrative?.patchStatus;
    if (list.length === 0 && !patch) return undefined;
    const rules = [...new Set(c.facts.findings.filter((f) => f.benign === undefined).map((f) => f.title))].slice(0, 8);
    return {
      lines: [
        ...(list.length ? [`Vulnerabilities: ${list.join(', ')} (from the rules that matched: ${rules.join('; ')})`] : []),
        ...(patch ? [`Patch status: ${patch}`] : []),
      ],
      trace: [...(list.length ? ['findings: CVEs and rule titles'] : []), ...(patch ? [`answers: narrative.patchStatus (${av(c)})`] : [])],
      ...(patch ? {} : { open: 'Patch status with dates for each server (answers: narrative.patchStatus).' }),
    };
  },
  'jfsc.depth': (c) => {
    if (!c.facts.story.servers.some((s) => s.verdict !== undefined)) return undefined;
    const v = verdictLines(c);
    const by = Object.entries(c.facts.story.findings.byStage)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const r = result(c);
    return {
      lines: [
        ...v.lines,
        `Findings: ${c.facts.story.findings.total}${by ? ` (${by})` : ''}.`,
        ...(r?.cannotExcludeAccess ? [`Access beyond what the logs show cannot be excluded: ${someReasons(r.cannotExcludeReasons)}.`] : []),
      ],
      trace: [...v.trace, 'case findings by stage', ...(r?.cannotExcludeAccess ? [av(c)] : [])],
    };
  },
  'jfsc.containment': (c) => {
    const done = c.facts.actions.filter((a) => a.status === 'done' && /contain|eradicat|recover/i.test(a.phase));
    const parts = [
      narrative(c, 'containment'),
      narrative(c, 'independentValidation'),
      done.length
        ? {
            lines: done.map((a) => `Done: ${a.title} (${a.last ? `${a.last.by}, ${t(c, a.last.at)}` : ''}${a.last?.note ? `: ${a.last.note}` : ''})`),
            trace: done.map((a) => `case action ${a.key}`),
          }
        : undefined,
    ];
    const joined = joinParts(parts);
    if (!joined) return undefined;
    return answers(c).narrative?.independentValidation
      ? joined
      : { ...joined, open: 'Who validated containment independently, and how (answers: narrative.independentValidation).' };
  },
  'jfsc.board': (c) => {
    const approved = c.facts.decisions.filter((d) => d.approvedBy !== undefined && d.supersededBy === undefined);
    return joinParts([
      narrative(c, 'boardOversight'),
      approved.length
        ? {
            lines: approved.map((d) => `${d.ref}: ${d.decision}, approved by ${d.approvedBy ?? ''} (${t(c, d.decidedAt)})`),
            trace: approved.map((d) => `case decision ${d.ref}`),
          }
        : undefined,
    ]);
  },
  'jfsc.remediation': (c) => {
    const open = c.facts.actions.filter((a) => a.status === 'open' || a.status === 'in-progress' || a.status === 'blocked');
    const joined = joinParts([
      narrative(c, 'remediation'),
      open.length ? { lines: open.map((a) => `Open: ${a.title} [${a.status}]`), trace: open.map((a) => `case action ${a.key}`) } : undefined,
    ]);
    if (!joined) return undefined;
    return answers(c).narrative?.remediation
      ? joined
      : { ...joined, open: 'Owners, deadlines and who verifies each remediation step (answers: narrative.remediation).' };
  },
  'jfsc.aml': (c) => {
    const cdd = (result(c)?.datasets ?? []).filter((d) => d.categories.includes('cdd-aml'));
    const joined = joinParts([
      narrative(c, 'amlEffects'),
      cdd.length
        ? { lines: cdd.map((d) => `CDD/AML records in ${d.description}: ${ACCESS_WORDS[d.access]}`), trace: [`${av(c)}: datasets with cdd-aml`] }
        : undefined,
    ]);
    if (!joined) return undefined;
    return answers(c).narrative?.amlEffects
      ? joined
      : { ...joined, open: 'Whether CDD records were lost or altered, and whether a suspicion report was considered (answers: narrative.amlEffects).' };
  },
  'letter.whatHappened': (c) => {
    const servers = c.facts.story.servers.filter((s) => s.verdict !== undefined && s.verdict !== 'clean');
    if (servers.length === 0) return narrative(c, 'whatHappened');
    const reached = servers.some((s) => FULL_REACH.has(s.verdict ?? ''));
    const r = c.facts.record;
    return {
      lines: [
        `${r.occurredFrom ? `Between ${showTime(r.occurredFrom, c.tz, false)} and ${r.occurredTo ? showTime(r.occurredTo, c.tz, false) : 'the time we found it'}` : 'Recently'}, criminals ${reached ? 'broke into' : 'tried to break into'} our email system through a weakness in the Microsoft Exchange software it runs on. We found this on ${showTime(r.detectedAt ?? r.awareAt, c.tz, false)}.`,
      ],
      trace: servers.map((s) => `scan verdict: ${s.name}`).concat(['case: occurred, detected']),
    };
  },
  'letter.whatItMeans': (c) => {
    const r = result(c);
    const ds = c.audience?.datasets ?? r?.datasets ?? [];
    if (!r || ds.length === 0) return undefined;
    const cats = [...new Set(ds.flatMap((d) => d.categories))].map(catLabel);
    const worst = ds.some((d) => d.access === 'exported')
      ? 'We know that some of it was copied out.'
      : ds.some((d) => d.access === 'read')
        ? 'We know that some of it was read.'
        : ds.some((d) => d.cannotExcludeAccess)
          ? 'We cannot rule out that it was read or copied.'
          : 'We do not yet know whether it was read or copied.';
    // A letter speaks of its own readers' consequences; the case-wide text only where there is one letter.
    const own = ds.flatMap((d) => (d.consequences ? [d.consequences] : []));
    const cons = own.length
      ? [...new Set(own)].join(' ')
      : c.audience === undefined || c.audience.datasets.length === r.datasets.length
        ? answers(c).narrative?.consequences
        : undefined;
    return {
      lines: [`The emails and records we hold about you include: ${cats.join('; ')}. ${worst}`, ...(cons ? [cons] : [])],
      trace: [
        `${av(c)}: ${c.audience ? `datasets ${c.audience.datasets.map((d) => d.id).join(', ')}` : 'datasets[]'}: categories, access`,
        ...(cons ? [own.length ? `answers: datasets[].consequences (${av(c)})` : `answers: narrative.consequences (${av(c)})`] : []),
      ],
      ...(cons
        ? {}
        : {
            open: 'What this could mean for these people, in plain words (answers: datasets[].consequences, or narrative.consequences where one letter goes to everyone).',
          }),
    };
  },
  'letter.whatToDo': (c) => ({
    lines: [
      'Be wary of emails, calls or letters that claim to come from us, especially any that ask you to pay, to change bank details, or to give a password: criminals who took email can write convincing messages. We will never ask for your password, and we will never change our bank details by email.',
      'If a message from us asks for anything unusual, call us on the number you already have for us, not a number in the message.',
      'Watch your bank and card statements, and tell your bank at once about anything you do not recognise.',
      ...((c.audience?.categories ?? (result(c)?.datasets ?? []).flatMap((d) => d.categories)).includes('identity-documents')
        ? [
            'Copies of identity documents were among this data. Watch for accounts, loans or cards opened in your name, and tell the lender and the police at once if you see one.',
          ]
        : []),
      ...whereToReport(c),
      ...(answers(c).narrative?.subjectAdvice ? [answers(c).narrative?.subjectAdvice ?? ''] : []),
    ],
    trace: [
      'JOIC phishing guidance, September 2019 (regulatory.md §2.7)',
      ...(answers(c).narrative?.subjectAdvice ? [`answers: narrative.subjectAdvice (${av(c)})`] : []),
    ],
  }),
  'letter.contact': (c) => {
    const n = narrative(c, 'subjectContact');
    if (n) return n;
    const k = answers(c).firm?.contact;
    return k?.name
      ? {
          lines: [`If you have any questions, please contact ${[k.name, k.role, k.email, k.phone].filter(Boolean).join(', ')}.`],
          trace: [`answers: firm.contact (${av(c)})`],
        }
      : undefined;
  },
  'case.ref': (c) => ({
    lines: [`${c.facts.record.ref}: ${c.facts.record.title} [${c.facts.record.status}], opened ${t(c, c.facts.record.createdAt)}`],
    trace: ['case record'],
  }),
  'register.dates': (c) => {
    const r = c.facts.record;
    if (!r.detectedAt && !r.awareAt && !r.occurredFrom) return undefined;
    return {
      lines: [
        `Occurred ${r.occurredFrom ? t(c, r.occurredFrom) : 'start not established'} to ${r.occurredTo ? t(c, r.occurredTo) : 'end not established'}; detected ${t(c, r.detectedAt)}; aware ${t(c, r.awareAt)}`,
      ],
      trace: ['case: occurred, detected, aware'],
    };
  },
  'register.decision': (c) => {
    const d = [...c.facts.decisions].reverse().find((x) => x.kind === 'notify' && x.supersededBy === undefined);
    return d
      ? {
          lines: [
            `${d.ref}: ${d.decision}. Why: ${d.rationale}. Decided by ${d.decidedBy}${d.approvedBy ? `, approved by ${d.approvedBy}` : ''}, ${t(c, d.decidedAt)}${d.evidence.length ? `; evidence ${d.evidence.join(', ')}` : ''}.`,
          ],
          trace: [`case decision ${d.ref}`],
        }
      : undefined;
  },
};

export function resolve(answer: string, c: DraftContext): Resolved | undefined {
  if (answer.startsWith('narrative.')) return narrative(c, answer.slice('narrative.'.length));
  const r = RESOLVERS[answer];
  if (!r) throw new Error(`no resolver for ${answer}`);
  return r(c);
}
