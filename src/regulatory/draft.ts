// Builds a pack draft from the case: each question of the bank answered from the case, or kept in
// place as an open question with what is needed; the rules' confirmation caveats; a pointer to the
// evidence summary, a document of its own (src/regulatory/evidence-summary.ts).

import type { Audience } from './audiences.js';
import { letterAudiences } from './audiences.js';
import type { Draft, DraftAudience, DraftItem, DraftSection, DraftTable, OpenItem } from './draft-types.js';
import { evidenceReference } from './evidence-summary.js';
import { internalRefs, ownWords } from './internal-refs.js';
import { questionBank } from './questions.js';
import type { DraftContext } from './resolvers.js';
import { resolve, RESOLVERS, someReasons } from './resolvers.js';
import type { PackName } from './rules.js';
import { confirmationCaveat, rulePack, rulesAsOf } from './rules.js';
import { clientOf, controllerView, processorClients } from './roles.js';
import { showTime } from './time.js';
import { createHash } from 'node:crypto';
import { TOOL } from '../core/tool.js';

/** Rows of the full findings list the evidence summary carries: none on the page; every one in the JSON and filing snapshots. */
const APPENDIX_ROWS = 0;

const PACK_RULES: Record<PackName, string[]> = {
  joic: ['JE_DPJL_ART20_AUTHORITY', 'GG_DPL_S42_AUTHORITY', 'UK_GDPR_ART33', 'EU_GDPR_ART33', 'EU_GDPR_ART33_WP29'],
  jfsc: ['JFSC_CODES_P6', 'GFSC_CYBER_RULES'],
  subjects: ['JE_DPJL_DATA_SUBJECTS', 'GG_DPL_DATA_SUBJECTS', 'UK_GDPR_ART34', 'EU_GDPR_ART34'],
  board: ['JCSC_VOLUNTARY', 'JE_CSL_OES_48H'],
  register: ['JE_DPJL_BREACH_LOG'],
  evidence: [],
  processor: ['JE_DPJL_PROCESSOR_TO_CONTROLLER', 'GG_DPL_S42_PROCESSOR', 'UK_GDPR_ART33_PROCESSOR', 'EU_GDPR_ART33_PROCESSOR', 'CONTRACTUAL_CLIENT_NOTICE'],
};

/** The packs the firm writes as controller: they speak only of the data it controls (src/regulatory/roles.ts). */
const AS_CONTROLLER = new Set<PackName>(['joic', 'subjects', 'register']);

/** The packs that rest on the evidence: each refers to the evidence summary rather than carrying the findings. */
const REFERS_TO_EVIDENCE = new Set<PackName>(['joic', 'jfsc', 'board', 'register']);

function evidenceAppendix(c: DraftContext, limit: number): DraftTable {
  const rows = c.facts.findings.map((f) => [
    f.time ? showTime(f.time, c.tz, false) : 'no time',
    f.server,
    `${f.title} [${f.ruleId}]`,
    f.benign ? `${f.stage} (benign: ${f.benign})` : f.stage,
    f.path,
    String(f.line),
    f.sha256 || "(file not in the scan's list)",
  ]);
  const shown = limit === Infinity ? rows : rows.slice(0, limit);
  return {
    kind: 'table',
    id: 'appendix.findings',
    label: 'All findings, with file, line and SHA-256',
    columns: ['Time', 'Server', 'Rule', 'Stage', 'File', 'Line', 'SHA-256 of the file'],
    rows: shown,
    note:
      rows.length > shown.length
        ? `${rows.length - shown.length} more finding(s) are in the JSON draft (${rows.length} in all).`
        : `${rows.length} finding(s).`,
    open: rows.length === 0 ? 'No findings in the case yet: scan the evidence into the case (exir scan … --case).' : undefined,
    trace: ['case findings (scans)'],
    source: 'exir evidence register',
  };
}

function draftAudience(a: Audience, all: Audience[]): DraftAudience {
  return {
    id: a.id,
    people: a.people,
    datasets: a.datasets.map((d) => ({ id: d.id, description: d.description, people: d.people })),
    letters: all.map((x) => ({ id: x.id, datasets: x.datasets.map((d) => d.id) })),
  };
}

/**
 * The pack's documents: one for most packs; for the letter to the people affected, one per audience
 * (datasets with the same categories), so no one is told of data that was not theirs.
 */
export function buildDrafts(pack: PackName, c: DraftContext, opts: { appendixRows?: number } = {}): Draft[] {
  if (pack === 'processor') return processorNotices(c, opts);
  const datasets = controllerView(c).assessment?.result.datasets ?? [];
  // Every dataset held as a client's processor: telling the people is each client's duty, not the firm's.
  if (pack === 'subjects' && datasets.length === 0 && (c.assessment?.result.datasets.length ?? 0) > 0) return [];
  if (pack !== 'subjects' || datasets.length < 2) return [buildDraft(pack, c, opts)];
  const all = letterAudiences(datasets);
  if (all.length < 2) return [buildDraft(pack, c, opts)];
  return all.map((a) => {
    const d = buildDraft(pack, { ...c, audience: a }, opts);
    const others = all.filter((x) => x !== a).map((x) => x.datasets.map((y) => y.description).join(' + '));
    return {
      ...d,
      audience: draftAudience(a, all),
      caveats: [
        ...d.caveats,
        `This letter is for the people in: ${a.datasets.map((x) => `${x.description} (${x.people !== undefined ? `about ${x.people}` : 'number not given'})`).join('; ')}. Other letters go to the people in: ${others.join('; ')}.`,
      ],
    };
  });
}

/**
 * One notice per controller client, each of the data the firm holds for it; none where the firm holds
 * no one's data as processor. A client named only in firm.processorFor gets a notice that asks which
 * of the data is its.
 */
function processorNotices(c: DraftContext, opts: { appendixRows?: number }): Draft[] {
  const clients = processorClients(c.assessment?.result.datasets ?? []);
  if (clients.length) return clients.map((client) => buildDraft('processor', { ...c, client }, opts));
  const owed = c.obligations.filter((o) => o.active && o.stage === 'initial' && PACK_RULES.processor.includes(o.ruleId) && !o.recipient.startsWith('each '));
  return [...new Set(owed.map((o) => clientOf(o.recipient)))].map((name) => buildDraft('processor', { ...c, client: { name, datasets: [] } }, opts));
}

/** The processor's notice an obligation to a controller client is filed with: that client's. */
export function buildProcessorNotice(c: DraftContext, recipient: string, opts: { appendixRows?: number } = {}): Draft[] {
  return processorNotices(c, opts).filter((d) => d.recipient === clientOf(recipient));
}

/** How a report names its authority in running text: its acronym where it has one. */
export function shortName(recipient: string): string {
  if (/Information Commissioner's Office/.test(recipient)) return 'ICO';
  const lead = /^([A-Z]{2,})\b/.exec(recipient)?.[1];
  const tail = /\(([^()]+)\)\s*$/.exec(recipient)?.[1];
  if (lead) return lead;
  if (tail && !tail.includes(' ')) return tail;
  return recipient;
}

/** Questions of the JOIC's own form that another authority's report does not carry. */
const JOIC_ONLY = new Set(['joic.registration', 'joic.declarations']);

/** The reports to the authorities other than the JOIC, one each, drafted from its own obligation. */
export function buildOtherAuthorityDrafts(c: DraftContext, opts: { appendixRows?: number } = {}): Draft[] {
  return otherAuthorities(c).map((t) => buildAuthorityDraft(c, t, opts));
}

/** The authorities other than the JOIC that the case must report to, each with its own report. */
function otherAuthorities(c: DraftContext): { ruleId: string; recipient: string; short: string }[] {
  const seen = new Set<string>();
  return c.obligations
    .filter((o) => o.active && o.stage === 'initial' && o.ruleId !== 'JE_DPJL_ART20_AUTHORITY' && PACK_RULES.joic.includes(o.ruleId))
    .filter((o) => !seen.has(o.key) && (seen.add(o.key), true))
    .map((o) => ({ ruleId: o.ruleId, recipient: o.recipient, short: shortName(o.recipient) }));
}

/** The report to one authority, drafted from its own obligation: its name, its references, its delay. */
export function buildAuthorityDraft(c: DraftContext, target: { ruleId: string; recipient: string }, opts: { appendixRows?: number } = {}): Draft {
  if (target.ruleId === 'JE_DPJL_ART20_AUTHORITY') return buildDraft('joic', c, opts);
  return buildDraft('joic', { ...c, authority: { ...target, short: shortName(target.recipient) } }, opts);
}

/** The stamp as one line, printed on every pack and kept in the DOCX properties. */
export function stampLine(d: Pick<Draft, 'stamp'>): string {
  const st = d.stamp;
  return (
    `Prepared with ${st.tool}; regulatory rule pack v${st.rulePack.version}, checked ${st.rulePack.checked}` +
    `${st.caseRef ? `; case ${st.caseRef}` : ''}${st.assessmentVersion !== undefined ? `; assessment version ${st.assessmentVersion}` : '; no assessment yet'}; content SHA-256 ${st.contentHash}`
  );
}

/** The draft with sections added at its end (from a later stage, e.g. the phishing watch), its content hash made anew. */
export function appendSections(d: Draft, sections: DraftSection[]): Draft {
  if (sections.length === 0) return d;
  const next = { ...d, sections: [...d.sections, ...sections] };
  return { ...next, stamp: { ...d.stamp, contentHash: contentHash(next) } };
}

/** The hash of what the document says: its title and sections, so any change of wording changes it. */
export function contentHash(d: Pick<Draft, 'title' | 'sections'>): string {
  return createHash('sha256')
    .update(JSON.stringify([d.title, d.sections]))
    .digest('hex');
}

export function buildDraft(pack: PackName, whole: DraftContext, opts: { appendixRows?: number } = {}): Draft {
  const c = AS_CONTROLLER.has(pack) ? controllerView(whole) : whole;
  const joicBank = questionBank(new Set(Object.keys(RESOLVERS)))[pack];
  const a = pack === 'joic' ? c.authority : undefined;
  const law = a ? c.obligations.find((o) => o.ruleId === a.ruleId && o.recipient === a.recipient)?.legalReference : undefined;
  const client = pack === 'processor' ? c.client : undefined;
  const bank =
    client !== undefined
      ? { ...joicBank, title: `Notice of a personal data breach to ${client.name}, as controller` }
      : a === undefined
        ? joicBank
        : {
            title: `Personal data breach report to the ${a.recipient}`,
            basis: `${law ?? a.ruleId}; the fields of the JOIC's form where the law asks for the same facts`,
            sections: joicBank.sections.map((sec) => ({
              ...sec,
              questions: sec.questions.filter((q) => !JOIC_ONLY.has(q.id)).map((q) => ({ ...q, label: q.label.replace(/\bJOIC\b/g, a.short) })),
            })),
          };
  const open: OpenItem[] = [];
  const sections: DraftSection[] = bank.sections.map((s) => ({
    title: s.title,
    style: s.style,
    items: s.questions.map((q): DraftItem => {
      const r = resolve(q.answer, c);
      if (r === undefined) {
        const needed = q.needed || 'Not yet answerable from the case.';
        open.push({ id: q.id, label: q.label, needed, ...(q.atSigning ? { atSigning: true } : {}) });
        return { kind: 'field', id: q.id, label: q.label, lines: [], open: needed, trace: [], source: q.source, ...(q.bare ? { bare: true } : {}) };
      }
      if (r.open) open.push({ id: q.id, label: q.label, needed: r.open, ...(q.atSigning ? { atSigning: true } : {}) });
      if ('table' in r) {
        return {
          kind: 'table',
          id: q.id,
          label: q.label,
          columns: r.table.columns,
          rows: r.table.rows,
          note: undefined,
          open: r.open,
          trace: r.trace,
          source: q.source,
        };
      }
      return { kind: 'field', id: q.id, label: q.label, lines: r.lines, open: r.open, trace: r.trace, source: q.source, ...(q.bare ? { bare: true } : {}) };
    }),
  }));
  if (REFERS_TO_EVIDENCE.has(pack)) {
    const r = evidenceReference(c, questionBank().evidence.title);
    const item: DraftItem = {
      kind: 'field',
      id: 'evidence.reference',
      label: 'The evidence',
      lines: r.lines,
      open: undefined,
      trace: r.trace,
      source: 'exir evidence summary',
    };
    // The board briefing keeps to two pages: the pointer closes its last section rather than opening one.
    const last = sections.at(-1);
    if (pack === 'board' && last) last.items.push(item);
    else sections.push({ title: 'Evidence', style: 'form', items: [item] });
  }
  // The full list of findings only where a machine reads it (the JSON, filing snapshots); the page keeps to the summary.
  const rows = opts.appendixRows ?? APPENDIX_ROWS;
  if (pack === 'evidence' && rows > 0) sections.push({ title: 'All findings', style: 'form', items: [evidenceAppendix(c, rows)] });

  const caveats: string[] = [
    'Draft prepared by exir from the case record. Every statement names where it came from; check each before sending. Open questions are highlighted.',
  ];
  const used = new Set(c.obligations.filter((o) => o.active).map((o) => o.ruleId));
  // The law as it stood when the firm became aware: a later law is not mentioned, a replaced one is.
  const asOf = rulesAsOf(rulePack(), c.facts.record.awareAt ?? c.facts.record.detectedAt ?? c.now);
  const packRules = a ? [a.ruleId] : PACK_RULES[pack];
  for (const rule of [...asOf.inEffect, ...asOf.heldBack]) {
    if (!packRules.includes(rule.id) || (!used.has(rule.id) && rule.inForce)) continue;
    const note = confirmationCaveat(rule);
    if (note) caveats.push(note);
    if (!rule.inForce) caveats.push(`${rule.title} (${rule.id}) is not in force yet; it is held back until commencement.`);
  }
  const result = c.assessment?.result;
  if (result?.cannotExcludeAccess) caveats.push(`The evidence cannot exclude access to personal data: ${someReasons(result.cannotExcludeReasons, 3)}.`);
  if (result && !result.mailboxesKnown)
    caveats.push('Which mailboxes were read or exported is not yet established; this draft does not conclude that the data was left untouched.');

  const firmName = c.assessment?.answers.firm?.legalName ?? c.facts.record.firm.name;
  const pk = rulePack();
  const stamp = {
    tool: `${TOOL.name} ${TOOL.version}`,
    rulePack: { version: pk.version, checked: pk.checked },
    caseRef: c.facts.record.ref,
    assessmentVersion: c.assessment?.version,
    contentHash: contentHash({ title: bank.title, sections }),
  };
  return {
    pack,
    stamp,
    copy: 'working',
    title: bank.title,
    basis: bank.basis,
    caseRef: c.facts.record.ref,
    firmName,
    generatedAt: c.now,
    generatedAtShown: showTime(c.now, c.tz),
    timeZone: c.tz,
    assessmentVersion: c.assessment?.version,
    ...(a ? { recipient: a.recipient } : client ? { recipient: client.name } : {}),
    sections,
    open,
    caveats,
    references: internalRefs(c),
    ownWords: ownWords(c),
  };
}
