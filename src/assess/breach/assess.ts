// The personal-data breach assessment: which data sat in the mailboxes and systems the attack
// reached, how far the evidence shows it was touched, and how severe that is by ENISA's method.
// Where the evidence cannot exclude access it says so; it never concludes "not accessed".

import { vocabulary } from './categories.js';
import { conclusionFor, EI_LABELS, scoreEnisa } from './enisa.js';
import type {
  AccessLevel,
  BreachAnswers,
  BreachAssessment,
  CoverageEntry,
  DatasetAnswer,
  DatasetAssessment,
  EnisaInput,
  EnisaResult,
  MailboxReach,
  OpenQuestion,
  ServerFacts,
} from './types.js';

export interface AssessInput {
  answers: BreachAnswers;
  servers: ServerFacts[];
  /** The case's exploitation window, when recorded. */
  window: { from: string | undefined; to: string | undefined };
  /** From the scan; undefined when the case does not hold it yet (said as an open question). */
  mailboxes: MailboxReach[] | undefined;
  coverage: CoverageEntry[] | undefined;
  now: string;
}

/** Verdicts that give the attacker every mailbox on the server (SSRF as any user, or code execution as SYSTEM). */
const FULL_REACH = new Set(['exploited', 'post-exploitation']);
const LEVEL_ORDER: AccessLevel[] = ['exported', 'read', 'reachable'];

const key = (s: string): string => s.trim().toLowerCase();

function strongest(levels: AccessLevel[]): AccessLevel | undefined {
  for (const l of LEVEL_ORDER) if (levels.includes(l)) return l;
  return undefined;
}

/** Gaps in the logs that overlap the exploitation window (or the whole log life when no window is known). */
function gapsFor(server: string, coverage: CoverageEntry[], window: AssessInput['window']): string[] {
  const out: string[] = [];
  for (const c of coverage) {
    if (key(c.server) !== key(server)) continue;
    for (const g of c.gaps) {
      // A gap the scan placed in an exploitation window counts whatever the case's own window says.
      const overlaps = g.wave !== undefined || ((window.to === undefined || g.from <= window.to) && (window.from === undefined || g.to >= window.from));
      // The scan's own statement already names the logs and the times; say it once.
      if (overlaps) out.push(g.reason ? `${c.server} ${c.source}: ${g.reason}` : `${c.source} logs on ${c.server} are missing from ${g.from} to ${g.to}`);
    }
  }
  return out;
}

function assessDataset(d: DatasetAnswer, input: AssessInput, caseServers: string[]): DatasetAssessment {
  const vocab = vocabulary();
  const servers = (d.servers?.length ? d.servers : caseServers).map(key);
  const wanted = new Set((d.mailboxes ?? []).map(key));
  const everyMailbox = wanted.has('*') || wanted.size === 0;
  const levels: AccessLevel[] = [];
  const basis: string[] = [];
  const evidence: { path: string; line: number }[] = [];
  let cannotExclude = false;

  for (const m of input.mailboxes ?? []) {
    if (!servers.includes(key(m.server))) continue;
    const serverWide = m.mailbox === '*';
    if (!serverWide && !everyMailbox && !wanted.has(key(m.mailbox))) continue;
    levels.push(m.level);
    evidence.push(...m.evidence);
    basis.push(
      serverWide
        ? `scan: every mailbox on ${m.server} is ${m.level} (${m.how})`
        : `scan: mailbox ${m.mailbox} on ${m.server} ${m.level}${m.first ? ` from ${m.first}` : ''}${m.last ? ` to ${m.last}` : ''} (${m.how})`,
    );
    if (serverWide) cannotExclude = true;
  }
  for (const s of input.servers) {
    if (!servers.includes(key(s.name)) || s.verdict === undefined || !FULL_REACH.has(s.verdict)) continue;
    levels.push('reachable');
    cannotExclude = true;
    basis.push(`scan verdict for ${s.name} is ${s.verdict}: the attacker could reach every mailbox on it, so access cannot be excluded`);
  }
  for (const server of servers) {
    const gaps = gapsFor(server, input.coverage ?? [], input.window);
    if (gaps.length > 0) {
      cannotExclude = true;
      basis.push(...gaps.map((g) => `coverage: ${g}; access in that time cannot be excluded`));
    }
  }

  let access = strongest(levels);
  if (access === undefined) {
    const covered =
      input.coverage !== undefined && input.mailboxes !== undefined && !cannotExclude && servers.every((s) => input.coverage?.some((c) => key(c.server) === s));
    if (covered) {
      access = 'no-evidence-found';
      basis.push('the logs held for these servers show no access to this data; this is not proof that the data was left untouched');
    } else {
      access = 'not-established';
      basis.push(
        input.mailboxes === undefined
          ? 'which mailboxes were touched is not yet established: the case holds no mailbox analysis'
          : 'the mailbox analysis does not cover this data and the log coverage is not established',
      );
    }
  }
  const special = d.categories.filter((c) => vocab.categories.get(c)?.special === true);
  const unintelligible = d.encrypted === true && d.keyCompromised !== true;
  return {
    id: d.id,
    description: d.description,
    subjects: d.subjects,
    categories: d.categories,
    special,
    records: d.records,
    people: d.people,
    jurisdictions: d.jurisdictions ?? {},
    encrypted: d.encrypted,
    unintelligible,
    ...(d.consequences !== undefined ? { consequences: d.consequences } : {}),
    ...(d.subsetOf !== undefined ? { subsetOf: d.subsetOf } : {}),
    ...(d.overlaps !== undefined ? { overlaps: d.overlaps } : {}),
    ...(d.role !== undefined ? { role: d.role } : {}),
    ...(d.controller !== undefined ? { controller: d.controller } : {}),
    access,
    accessBasis: basis,
    evidence,
    cannotExcludeAccess: cannotExclude,
  };
}

function enisaFor(a: BreachAnswers, datasets: DatasetAssessment[], servers: AssessInput['servers']): EnisaResult | undefined {
  const vocab = vocabulary();
  const scored = datasets.filter((d) => !d.unintelligible);
  const pool = scored.length > 0 ? scored : datasets;
  let base: EnisaInput | undefined;
  for (const d of pool) {
    for (const c of d.categories) {
      const cat = vocab.categories.get(c);
      if (cat && (base === undefined || cat.enisaBase > base.value)) {
        base = {
          value: cat.enisaBase,
          from: 'categories',
          why: `highest category: ${cat.label} (${cat.enisaClass}, ENISA base ${cat.enisaBase}) in ${d.description}`,
        };
      }
    }
  }
  if (base === undefined) return undefined;
  const e = a.enisa ?? {};
  const ei: EnisaInput =
    e.ei !== undefined
      ? { value: e.ei, from: 'answer', why: `the firm's assessment: ${EI_LABELS[e.ei] ?? e.ei}` }
      : { value: 1, from: 'default', why: 'maximum: mail and client records name the people directly (answer enisa.ei to change)' };
  const worst = strongest(datasets.map((d) => d.access));
  const anyFullReach = servers.some((s) => s.verdict !== undefined && FULL_REACH.has(s.verdict));
  const confidentiality: EnisaInput =
    e.confidentiality !== undefined
      ? { value: e.confidentiality, from: 'answer', why: "the firm's assessment" }
      : worst === 'exported' || worst === 'read'
        ? { value: 0.5, from: 'evidence', why: `the evidence shows data ${worst} by the attacker: disclosed to unknown recipients` }
        : // ENISA's own definitions: exposure without evidence of unlawful processing scores 0; "disclosed to a
          // known number of recipients" is a disclosure, which reach alone is not (regulatory.md corrections).
          worst === 'reachable' || anyFullReach
          ? {
              value: 0,
              from: 'evidence',
              why: "data within the attacker's reach, without evidence that it was read or copied: exposure, which ENISA scores 0 (answer enisa.confidentiality when it was disclosed)",
            }
          : {
              value: 0,
              from: 'default',
              why: 'access to the data is not established: exposure without evidence of unlawful processing, which ENISA scores 0 (answer enisa.confidentiality otherwise)',
            };
  const integrity: EnisaInput =
    e.integrity !== undefined
      ? { value: e.integrity, from: 'answer', why: "the firm's assessment" }
      : { value: 0, from: 'default', why: 'no alteration recorded (answer enisa.integrity if mail, rules or records were changed)' };
  const availability: EnisaInput =
    e.availability !== undefined
      ? { value: e.availability, from: 'answer', why: "the firm's assessment" }
      : { value: 0, from: 'default', why: 'no loss of availability recorded (answer enisa.availability if data was lost or encrypted)' };
  const malicious: EnisaInput =
    e.malicious !== undefined
      ? { value: e.malicious, from: 'answer', why: "the firm's assessment" }
      : anyFullReach
        ? { value: 0.5, from: 'evidence', why: 'deliberate exploitation of the server (scan verdict)' }
        : { value: 0, from: 'default', why: 'no scan verdict shows exploitation (answer enisa.malicious otherwise)' };
  return scoreEnisa({ dpcBase: base, dpcAdjustments: e.dpcAdjustments ?? [], ei, confidentiality, integrity, availability, malicious });
}

function sumKnown(values: (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((s, v) => s + (v ?? 0), 0);
}

/** People counted once: a subset adds no one, and people two datasets share are taken out once per pair. */
export function distinctPeople(datasets: DatasetAssessment[]): { people: number | undefined; peopleBasis: string } {
  // A subset of a dataset not counted here (one held in another role) is counted in its own right.
  const within = (d: DatasetAssessment): boolean => d.subsetOf !== undefined && datasets.some((x) => x.id === d.subsetOf);
  const counted = datasets.filter((d) => !within(d));
  const sum = sumKnown(counted.map((d) => d.people));
  const pairs = new Map<string, number>();
  for (const d of counted) {
    for (const [other, n] of Object.entries(d.overlaps ?? {})) {
      const o = datasets.find((x) => x.id === other);
      if (o === undefined || within(o)) continue;
      const key = [d.id, other].sort().join('|');
      pairs.set(key, Math.max(pairs.get(key) ?? 0, n));
    }
  }
  const shared = [...pairs.values()].reduce((a, b) => a + b, 0);
  const subsets = datasets.filter(within);
  const parts = [`the sum of ${counted.length} dataset(s)`];
  if (subsets.length) parts.push(`not counting ${subsets.map((d) => `${d.id} (within ${d.subsetOf ?? ''})`).join(', ')}`);
  if (shared) parts.push(`less ${shared} people held in two datasets`);
  if (datasets.length > 1 && !subsets.length && !shared)
    parts.push('assuming no one is in two datasets (say so with datasets[].subsetOf or datasets[].overlaps)');
  return { people: sum === undefined ? undefined : Math.max(0, sum - shared), peopleBasis: parts.join(', ') };
}

export function assessBreach(input: AssessInput): BreachAssessment {
  const a = input.answers;
  const caseServers = input.servers.map((s) => s.name);
  const datasets = (a.datasets ?? []).map((d) => assessDataset(d, input, caseServers));
  const servers = input.servers.map((s) => ({ ...s, fullReach: s.verdict !== undefined && FULL_REACH.has(s.verdict) }));
  const reasons = [...new Set(datasets.flatMap((d) => (d.cannotExcludeAccess ? d.accessBasis.filter((b) => /cannot be excluded|every mailbox/.test(b)) : [])))];
  for (const s of servers) {
    if (s.fullReach && !reasons.some((r) => r.includes(s.name))) {
      reasons.push(`scan verdict for ${s.name} is ${s.verdict}: the attacker could reach every mailbox on it, so access cannot be excluded`);
    }
  }
  for (const c of input.coverage ?? []) {
    for (const g of gapsFor(c.server, [c], input.window)) {
      const line = `coverage: ${g}; access in that time cannot be excluded`;
      if (!reasons.includes(line)) reasons.push(line);
    }
  }
  const cannotExclude = reasons.length > 0;

  // The firm assesses the risk of the data it controls; data it holds as processor is its clients' to
  // assess (it owes them a notice instead), so it is listed but neither scored nor counted here.
  const own = datasets.filter((d) => d.role !== 'processor');
  const enisa = enisaFor(a, own, servers);
  const computedLevel = enisa?.level;
  const level = a.override?.level ?? computedLevel;
  const conclusionBasis: string[] = [];
  let conclusion = level === undefined ? undefined : conclusionFor(level);
  if (enisa) conclusionBasis.push(`ENISA: SE = DPC ${enisa.dpc} × EI ${enisa.ei.value} + CB ${enisa.cbTotal} = ${enisa.se} (${enisa.level})`);
  // Said without the clients' names or the datasets' ids: this basis is quoted in reports to authorities.
  if (own.length < datasets.length)
    conclusionBasis.push(
      `${own.length === 0 ? 'all the data is' : `${datasets.length - own.length} dataset(s) are`} held as processor for clients: left to each controller's own assessment and not counted here`,
    );
  if (a.override) conclusionBasis.push(`the firm overrode the ENISA result to ${a.override.level}: ${a.override.reason}`);
  const lowNeedsReason = conclusion === 'no-risk' && a.enisa?.unlikelyRiskReason === undefined;
  if (conclusion === 'no-risk') {
    // ENISA's bands say nothing of the law's threshold: reading "low" as "unlikely to result in a risk"
    // is our inference, so a firm relies on it only with its own reason in writing.
    if (lowNeedsReason) {
      conclusion = 'risk';
      conclusionBasis.push(
        'ENISA "low" is read as "unlikely to result in a risk" only by inference [I]; no reason to rely on it is recorded (answers: enisa.unlikelyRiskReason), so the breach is treated as a risk',
      );
    } else
      conclusionBasis.push(`ENISA "low" read as "unlikely to result in a risk" (an inference [I]); the firm's reason: ${a.enisa?.unlikelyRiskReason ?? ''}`);
  }
  const special = [...new Set(own.flatMap((d) => d.special))];
  if (special.length > 0 && conclusion === 'no-risk') {
    // EDPB 9/2022 ¶102: for special-category or criminal data damage should be considered likely.
    conclusion = 'risk';
    conclusionBasis.push(
      `special category data (${special.join(', ')}) is involved: damage is to be considered likely, so the breach is not "unlikely to result in a risk"`,
    );
  }
  if (cannotExclude && conclusion === 'no-risk' && own.some((d) => !d.unintelligible)) {
    conclusion = 'risk';
    conclusionBasis.push('access cannot be excluded on this evidence, so the breach cannot be concluded "unlikely to result in a risk"');
  }
  if (conclusion !== undefined) conclusionBasis.push(`conclusion: ${conclusion}`);

  const jurisdictions: Record<string, number | null> = {};
  for (const d of own) {
    for (const [code, n] of Object.entries(d.jurisdictions)) {
      const prev = jurisdictions[code];
      jurisdictions[code] = prev === null || n === null ? null : (prev ?? 0) + n;
    }
  }
  const { people, peopleBasis } = distinctPeople(own);
  const records = sumKnown(own.map((d) => d.records));

  const open: OpenQuestion[] = [];
  if (lowNeedsReason)
    open.push({
      id: 'enisa-low',
      question: 'Does the firm rely on the ENISA "low" result to conclude the breach is unlikely to result in a risk?',
      needed: "The reason, in writing (answers: enisa.unlikelyRiskReason); ENISA's bands are not the law's threshold.",
    });
  if (datasets.length === 0)
    open.push({
      id: 'datasets',
      question: 'What data did the reached mailboxes and systems hold?',
      needed: 'Describe each dataset once: subjects, categories, numbers, jurisdictions, encryption (answers: datasets).',
    });
  if (input.mailboxes === undefined)
    open.push({
      id: 'mailboxes-touched',
      question: 'Which mailboxes did the attacker read or export?',
      needed: 'A scan with mailbox analysis (mailboxes[]) stored in the case; until then the data touched is not established.',
    });
  if (input.coverage === undefined)
    open.push({
      id: 'log-coverage',
      question: 'Do the logs cover the whole exploitation window?',
      needed: "A scan with log coverage (coverage[]) stored in the case, or the firm's account of which logs exist.",
    });
  for (const d of datasets) {
    if (d.people === undefined)
      open.push({
        id: `people:${d.id}`,
        question: `How many people are in "${d.description}"?`,
        needed: `An approximate number (answers: datasets[id=${d.id}].people).`,
      });
    if (d.records === undefined)
      open.push({
        id: `records:${d.id}`,
        question: `How many records are in "${d.description}"?`,
        needed: `An approximate number (answers: datasets[id=${d.id}].records).`,
      });
    if (Object.keys(d.jurisdictions).length === 0)
      open.push({
        id: `jurisdictions:${d.id}`,
        question: `Where do the people in "${d.description}" live?`,
        needed: `Jurisdictions with approximate numbers (answers: datasets[id=${d.id}].jurisdictions).`,
      });
    if (d.encrypted === undefined)
      open.push({
        id: `encrypted:${d.id}`,
        question: `Was "${d.description}" encrypted at rest with a key the attacker did not reach?`,
        needed: `answers: datasets[id=${d.id}].encrypted`,
      });
  }
  return {
    assessedAt: input.now,
    servers,
    mailboxesKnown: input.mailboxes !== undefined,
    coverageKnown: input.coverage !== undefined,
    datasets,
    cannotExcludeAccess: cannotExclude,
    cannotExcludeReasons: reasons,
    enisa,
    computedLevel,
    level,
    override: a.override,
    conclusion,
    conclusionBasis,
    flags: {
      moreThan100People: people === undefined ? undefined : people > 100,
      allUnintelligible: own.length > 0 && own.every((d) => d.unintelligible),
      specialCategories: special,
    },
    jurisdictions,
    totals: { people, records, peopleBasis },
    open,
  };
}
