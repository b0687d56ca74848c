// The firm's answers (YAML or prompts), checked field by field; a defect names its path.

import { parse } from 'yaml';
import { vocabulary } from './categories.js';
import type { BreachAnswers, DatasetAnswer, FirmAnswers } from './types.js';
import { DATASET_ROLES, JFSC_CLASSES, SEVERITY_LEVELS } from './types.js';

export class AnswersError extends Error {
  constructor(readonly problems: string[]) {
    super(`the answers have ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

class Checker {
  problems: string[] = [];

  text(v: unknown, at: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.problems.push(`${at}: expected text`);
      return undefined;
    }
    const s = String(v).trim();
    return s === '' ? undefined : s;
  }

  num(v: unknown, at: string, min = 0): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
      this.problems.push(`${at}: expected a number ≥ ${min}`);
      return undefined;
    }
    return v;
  }

  bool(v: unknown, at: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.problems.push(`${at}: expected true or false`);
      return undefined;
    }
    return v;
  }

  list(v: unknown, at: string): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    items.forEach((x, i) => {
      const s = this.text(x, `${at}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  choice<T extends string>(v: unknown, at: string, allowed: readonly T[]): T | undefined {
    const s = this.text(v, at);
    if (s === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(s)) {
      this.problems.push(`${at}: "${s}" is not one of ${allowed.join(', ')}`);
      return undefined;
    }
    return s as T;
  }
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function firmAnswers(c: Checker, raw: unknown): FirmAnswers | undefined {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) {
    c.problems.push('firm: expected a mapping');
    return undefined;
  }
  const contact =
    raw.contact === undefined
      ? undefined
      : isObj(raw.contact)
        ? definedOnly({
            name: c.text(raw.contact.name, 'firm.contact.name'),
            role: c.text(raw.contact.role, 'firm.contact.role'),
            email: c.text(raw.contact.email, 'firm.contact.email'),
            phone: c.text(raw.contact.phone, 'firm.contact.phone'),
          })
        : (c.problems.push('firm.contact: expected a mapping'), undefined);
  const role = c.list(raw.role, 'firm.role')?.filter((r) => {
    if (r === 'controller' || r === 'processor') return true;
    c.problems.push(`firm.role: "${r}" is not controller or processor`);
    return false;
  }) as FirmAnswers['role'];
  const gdprScope = c
    .list(raw.gdprScope, 'firm.gdprScope')
    ?.map((s) => s.toUpperCase())
    .filter((s) => {
      if (s === 'UK' || s === 'EU' || s === 'GG') return true;
      c.problems.push(`firm.gdprScope: "${s}" is not UK, EU or GG`);
      return false;
    }) as FirmAnswers['gdprScope'];
  let processorFor: FirmAnswers['processorFor'];
  if (raw.processorFor !== undefined) {
    if (!Array.isArray(raw.processorFor)) c.problems.push('firm.processorFor: expected a list');
    else {
      processorFor = raw.processorFor.flatMap((p: unknown, i) => {
        const at = `firm.processorFor[${i}]`;
        if (!isObj(p)) {
          c.problems.push(`${at}: expected a mapping`);
          return [];
        }
        const client = c.text(p.client, `${at}.client`);
        if (client === undefined) {
          c.problems.push(`${at}.client: name the client`);
          return [];
        }
        return [definedOnly({ client, noticeHours: c.num(p.noticeHours, `${at}.noticeHours`), contractRef: c.text(p.contractRef, `${at}.contractRef`) })];
      });
    }
  }
  let euRepresentative: FirmAnswers['euRepresentative'];
  if (raw.euRepresentative !== undefined) {
    const r = raw.euRepresentative;
    if (!isObj(r)) c.problems.push('firm.euRepresentative: expected name and state');
    else {
      const name = c.text(r.name, 'firm.euRepresentative.name');
      const state = c.text(r.state, 'firm.euRepresentative.state')?.toUpperCase();
      if (name === undefined) c.problems.push('firm.euRepresentative.name: name the representative');
      if (state === undefined || !/^[A-Z]{2}$/.test(state))
        c.problems.push('firm.euRepresentative.state: the two-letter code of the EU member state it is established in (FR, IE, …)');
      else if (name !== undefined)
        euRepresentative = definedOnly({
          name,
          state,
          email: c.text(r.email, 'firm.euRepresentative.email'),
          address: c.text(r.address, 'firm.euRepresentative.address'),
        });
    }
  }
  let letterhead: FirmAnswers['letterhead'];
  if (raw.letterhead !== undefined) {
    const l = raw.letterhead;
    if (!isObj(l)) c.problems.push('firm.letterhead: expected address, phone, email, website');
    else
      letterhead = definedOnly({
        address: c.list(l.address, 'firm.letterhead.address'),
        phone: c.text(l.phone, 'firm.letterhead.phone'),
        email: c.text(l.email, 'firm.letterhead.email'),
        website: c.text(l.website, 'firm.letterhead.website'),
      });
  }
  let signer: FirmAnswers['signer'];
  if (raw.signer !== undefined) {
    const r = raw.signer;
    const name = isObj(r) ? c.text(r.name, 'firm.signer.name') : undefined;
    if (name === undefined) c.problems.push('firm.signer.name: name the person who signs the letters');
    else signer = definedOnly({ name, role: isObj(r) ? c.text(r.role, 'firm.signer.role') : undefined });
  }
  let targets: Record<string, number> | undefined;
  if (raw.targets !== undefined) {
    if (!isObj(raw.targets)) c.problems.push('firm.targets: expected RULE_ID: hours');
    else {
      targets = {};
      for (const [k, v] of Object.entries(raw.targets)) {
        const n = c.num(v, `firm.targets.${k}`);
        if (n !== undefined) targets[k] = n;
      }
    }
  }
  return definedOnly({
    legalName: c.text(raw.legalName, 'firm.legalName'),
    contact,
    dpo: c.text(raw.dpo, 'firm.dpo'),
    joicRegistration: c.text(raw.joicRegistration, 'firm.joicRegistration'),
    establishments: c.list(raw.establishments, 'firm.establishments')?.map((s) => s.toUpperCase()),
    role,
    gdprScope,
    jfsc: c.choice(raw.jfsc, 'firm.jfsc', ['registered-person', 'schedule-2', 'none'] as const),
    jfscClass: c.choice(raw.jfscClass, 'firm.jfscClass', JFSC_CLASSES),
    euRepresentative,
    jfscImpact: c.bool(raw.jfscImpact, 'firm.jfscImpact'),
    gfscLicensee: c.bool(raw.gfscLicensee, 'firm.gfscLicensee'),
    gfscSignificant: c.bool(raw.gfscSignificant, 'firm.gfscSignificant'),
    operatorOfEssentialService: c.bool(raw.operatorOfEssentialService, 'firm.operatorOfEssentialService'),
    processorFor,
    letterhead,
    signer,
    letterReference: c.text(raw.letterReference, 'firm.letterReference'),
    targets,
  });
}

function dataset(c: Checker, raw: unknown, i: number): DatasetAnswer | undefined {
  const at = `datasets[${i}]`;
  if (!isObj(raw)) {
    c.problems.push(`${at}: expected a mapping`);
    return undefined;
  }
  const vocab = vocabulary();
  const id = c.text(raw.id, `${at}.id`) ?? `dataset-${i + 1}`;
  const description = c.text(raw.description, `${at}.description`);
  if (description === undefined) c.problems.push(`${at}.description: say what the data is (e.g. "client mailboxes of the trust team")`);
  const categories = c.list(raw.categories, `${at}.categories`) ?? [];
  for (const cat of categories) {
    if (!vocab.categories.has(cat)) c.problems.push(`${at}.categories: "${cat}" is not one of ${[...vocab.categories.keys()].join(', ')}`);
  }
  const subjects = c.list(raw.subjects, `${at}.subjects`) ?? [];
  for (const s of subjects) {
    if (!vocab.subjects.has(s)) c.problems.push(`${at}.subjects: "${s}" is not one of ${[...vocab.subjects.keys()].join(', ')}`);
  }
  let jurisdictions: Record<string, number | null> | undefined;
  if (raw.jurisdictions !== undefined) {
    if (!isObj(raw.jurisdictions)) c.problems.push(`${at}.jurisdictions: expected CODE: number`);
    else {
      jurisdictions = {};
      for (const [k, v] of Object.entries(raw.jurisdictions)) {
        const code = k.toUpperCase();
        if (!/^[A-Z]{2}$/.test(code)) {
          c.problems.push(`${at}.jurisdictions: "${k}" is not a two-letter code (JE, GG, GB, FR…)`);
          continue;
        }
        jurisdictions[code] = v === null ? null : (c.num(v, `${at}.jurisdictions.${k}`) ?? null);
      }
    }
  }
  let overlaps: Record<string, number> | undefined;
  if (raw.overlaps !== undefined) {
    if (!isObj(raw.overlaps)) c.problems.push(`${at}.overlaps: expected OTHER-DATASET-ID: number of people in both`);
    else {
      overlaps = {};
      for (const [k, v] of Object.entries(raw.overlaps)) {
        const n = c.num(v, `${at}.overlaps.${k}`);
        if (n !== undefined) overlaps[k] = n;
      }
    }
  }
  const role = c.choice(raw.role, `${at}.role`, DATASET_ROLES);
  const controller = c.text(raw.controller, `${at}.controller`);
  if (role === 'processor' && controller === undefined)
    c.problems.push(`${at}.controller: name the client who is controller of this data (the processor's notice goes to it)`);
  if (controller !== undefined && role !== 'processor')
    c.problems.push(`${at}.controller: only a dataset held as processor (role: processor) has a controller client`);
  return definedOnly({
    id,
    description: description ?? '',
    mailboxes: c.list(raw.mailboxes, `${at}.mailboxes`),
    servers: c.list(raw.servers, `${at}.servers`),
    subjects,
    categories,
    records: c.num(raw.records, `${at}.records`),
    people: c.num(raw.people, `${at}.people`),
    jurisdictions,
    encrypted: c.bool(raw.encrypted, `${at}.encrypted`),
    keyCompromised: c.bool(raw.keyCompromised, `${at}.keyCompromised`),
    consequences: c.text(raw.consequences, `${at}.consequences`),
    subsetOf: c.text(raw.subsetOf, `${at}.subsetOf`),
    overlaps,
    role,
    controller,
  });
}

/** Checks answers from any source (parsed YAML, prompts); throws AnswersError listing every defect. */
export function checkAnswers(raw: unknown): BreachAnswers {
  if (raw === undefined || raw === null) return {};
  if (!isObj(raw)) throw new AnswersError(['the answers must be a mapping (firm:, datasets:, narrative:, …)']);
  const c = new Checker();
  const known = new Set(['firm', 'datasets', 'enisa', 'override', 'narrative']);
  for (const k of Object.keys(raw)) if (!known.has(k)) c.problems.push(`${k}: not a known section (${[...known].join(', ')})`);
  const firm = firmAnswers(c, raw.firm);
  let datasets: DatasetAnswer[] | undefined;
  if (raw.datasets !== undefined) {
    if (!Array.isArray(raw.datasets)) c.problems.push('datasets: expected a list');
    else datasets = raw.datasets.map((d, i) => dataset(c, d, i)).filter((d): d is DatasetAnswer => d !== undefined);
  }
  for (const [i, d] of (datasets ?? []).entries()) {
    const ids = new Set((datasets ?? []).filter((x) => x !== d).map((x) => x.id));
    if (d.subsetOf !== undefined && !ids.has(d.subsetOf)) c.problems.push(`datasets[${i}].subsetOf: "${d.subsetOf}" is not the id of another dataset`);
    for (const k of Object.keys(d.overlaps ?? {})) if (!ids.has(k)) c.problems.push(`datasets[${i}].overlaps: "${k}" is not the id of another dataset`);
    // A dataset's role is one the firm says it has: firm.role lists every role its datasets take.
    if (d.role !== undefined && firm?.role !== undefined && !firm.role.includes(d.role))
      c.problems.push(`datasets[${i}].role: "${d.role}" is not among the firm's roles (firm.role: ${firm.role.join(', ')})`);
  }
  let enisa: BreachAnswers['enisa'];
  if (raw.enisa !== undefined) {
    if (!isObj(raw.enisa)) c.problems.push('enisa: expected a mapping');
    else {
      const e = raw.enisa;
      const adjustments =
        e.dpcAdjustments === undefined
          ? undefined
          : Array.isArray(e.dpcAdjustments)
            ? e.dpcAdjustments.flatMap((a: unknown, i) => {
                if (!isObj(a)) {
                  c.problems.push(`enisa.dpcAdjustments[${i}]: expected factor and delta`);
                  return [];
                }
                const factor = c.text(a.factor, `enisa.dpcAdjustments[${i}].factor`);
                const delta = typeof a.delta === 'number' ? a.delta : (c.problems.push(`enisa.dpcAdjustments[${i}].delta: expected a number`), undefined);
                return factor !== undefined && delta !== undefined ? [{ factor, delta }] : [];
              })
            : (c.problems.push('enisa.dpcAdjustments: expected a list'), undefined);
      enisa = definedOnly({
        dpcAdjustments: adjustments,
        ei: c.num(e.ei, 'enisa.ei'),
        confidentiality: c.num(e.confidentiality, 'enisa.confidentiality'),
        integrity: c.num(e.integrity, 'enisa.integrity'),
        availability: c.num(e.availability, 'enisa.availability'),
        malicious: c.num(e.malicious, 'enisa.malicious'),
        unlikelyRiskReason: c.text(e.unlikelyRiskReason, 'enisa.unlikelyRiskReason'),
      });
    }
  }
  let override: BreachAnswers['override'];
  if (raw.override !== undefined) {
    if (!isObj(raw.override)) c.problems.push('override: expected level and reason');
    else {
      const level = c.choice(raw.override.level, 'override.level', SEVERITY_LEVELS);
      const reason = c.text(raw.override.reason, 'override.reason');
      if (reason === undefined) c.problems.push('override.reason: an override of the ENISA result needs its reason in writing');
      if (level !== undefined && reason !== undefined) override = { level, reason };
    }
  }
  let narrative: Record<string, string> | undefined;
  if (raw.narrative !== undefined) {
    if (!isObj(raw.narrative)) c.problems.push('narrative: expected question-id: text');
    else {
      narrative = {};
      for (const [k, v] of Object.entries(raw.narrative)) {
        const s = c.text(v, `narrative.${k}`);
        if (s !== undefined) narrative[k] = s;
      }
    }
  }
  if (c.problems.length > 0) throw new AnswersError(c.problems);
  return definedOnly({ firm, datasets, enisa, override, narrative });
}

export function parseAnswersYaml(text: string): BreachAnswers {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new AnswersError([`not readable YAML: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return checkAnswers(doc);
}

/** Later answers win field by field; a dataset list given again replaces the earlier one whole. */
export function mergeAnswers(earlier: BreachAnswers, later: BreachAnswers): BreachAnswers {
  return definedOnly({
    firm: earlier.firm || later.firm ? { ...earlier.firm, ...later.firm } : undefined,
    datasets: later.datasets ?? earlier.datasets,
    enisa: earlier.enisa || later.enisa ? { ...earlier.enisa, ...later.enisa } : undefined,
    override: later.override ?? earlier.override,
    narrative: earlier.narrative || later.narrative ? { ...earlier.narrative, ...later.narrative } : undefined,
  });
}

/** What the assessment cannot be made without: asked for by the prompts, listed when there is no TTY. */
export function missingAnswers(a: BreachAnswers): { path: string; question: string }[] {
  const out: { path: string; question: string }[] = [];
  if (!a.firm?.legalName) out.push({ path: 'firm.legalName', question: "The firm's legal name (the controller)" });
  if (!a.firm?.role?.length) out.push({ path: 'firm.role', question: 'For this data, is the firm controller, processor, or both?' });
  if (!a.firm?.establishments?.length) out.push({ path: 'firm.establishments', question: 'Where is the firm established (JE, GG, UK, EU states)?' });
  if (!a.firm?.jfsc) out.push({ path: 'firm.jfsc', question: 'Is the firm a JFSC registered person, a Schedule 2 business, or neither?' });
  if (!a.firm?.contact?.name) out.push({ path: 'firm.contact.name', question: 'Who should the regulators contact (name, role, email, phone)?' });
  if (!a.datasets?.length)
    out.push({ path: 'datasets', question: 'What data the reached mailboxes and systems hold: subjects, categories, numbers, jurisdictions' });
  return out;
}
