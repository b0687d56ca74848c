// The obligation rule pack (data/regulatory/rules.yml), read and checked; a defect names the rule.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PREDICATES } from './predicates.js';
import { PACKS, type PackName } from './pack-names.js';

const CONFIRMATION = { C: 'confirmed', P: 'partly confirmed', G: 'general knowledge, not confirmed', I: 'our inference' } as const;
type Confirmation = keyof typeof CONFIRMATION;

const ANCHORS = ['aware', 'detected', 'high-risk-determined', 'previous-filing', 'significance-determined'] as const;
type AnchorKind = (typeof ANCHORS)[number];

const STAGES = ['initial', 'follow-up', 'final'] as const;
type ObligationStage = (typeof STAGES)[number];

const PER = ['eu-state', 'eu-representative', 'processor-client', 'contract-client'] as const;
type Per = (typeof PER)[number];

/** Grounds on which a law excuses telling the people affected (GDPR Art. 34(3) and its mirrors). */
const EXCEPTION_GROUNDS = ['unintelligible', 'later-measures', 'disproportionate-effort'] as const;
type ExceptionGround = (typeof EXCEPTION_GROUNDS)[number];

/** An exception the rule's law has: its ground, where the law says so, and how well that is confirmed. */
export interface RuleException {
  ground: ExceptionGround;
  law: string;
  confirmation: Confirmation;
  /** What relying on it still requires (a public notice instead, for disproportionate effort). */
  then: string | undefined;
}

export { PACKS, type PackName };

export interface RuleStage {
  stage: ObligationStage;
  anchor: AnchorKind;
  hours: number | undefined;
  hoursFrom: 'contract' | undefined;
  wording: string;
  lateNeedsReasons: boolean;
}

export interface Rule {
  id: string;
  title: string;
  recipient: string;
  pack: PackName;
  law: string;
  duty: string;
  confirmation: Confirmation;
  confirmationNote: string | undefined;
  sources: string[];
  reference: string;
  checked: string;
  inForce: boolean;
  /** The first day the rule (law or guidance) applies; a case aware before it does not use it. */
  from: string | undefined;
  /** The day it stopped applying (replaced or repealed), when it has; a case aware on or after it does not use it. */
  to: string | undefined;
  /** For a law not yet in force: the day it was adopted (a case aware before then never hears of it). */
  adopted: string | undefined;
  /** The law to cite by the firm's JFSC registration class (firm.jfscClass), where it differs by class. */
  lawByClass: Record<string, string> | undefined;
  per: Per | undefined;
  applies: string[];
  required: string[];
  stages: RuleStage[];
  /** The exceptions this rule's law has; a decision may rely only on one of these. */
  exceptions: RuleException[];
}

export interface RulePack {
  version: number;
  checked: string;
  rules: Rule[];
}

const RULES_FILE = new URL('../../data/regulatory/rules.yml', import.meta.url);

type Obj = Record<string, unknown>;

function text(v: unknown, at: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${at}: expected text`);
  return v.trim();
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], at: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new Error(`${at}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

function day(v: unknown, at: string): string {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new Error(`${at}: expected a date (YYYY-MM-DD)`);
  return s;
}

function names(v: unknown, at: string): string[] {
  if (!Array.isArray(v) || v.length === 0) throw new Error(`${at}: expected a list of predicates`);
  return v.map((p, i) => {
    const name = text(p, `${at}[${i}]`);
    if (!(name in PREDICATES)) throw new Error(`${at}[${i}]: unknown predicate "${name}" (known: ${Object.keys(PREDICATES).join(', ')})`);
    return name;
  });
}

function exceptions(v: unknown, at: string): RuleException[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${at}: expected a list`);
  return v.map((raw, i): RuleException => {
    const e = (raw ?? {}) as Obj;
    return {
      ground: oneOf(e.ground, EXCEPTION_GROUNDS, `${at}[${i}].ground`),
      law: text(e.law, `${at}[${i}].law`),
      confirmation: oneOf(e.confirmation, ['C', 'P', 'G', 'I'] as const, `${at}[${i}].confirmation`),
      then: e.then === undefined ? undefined : text(e.then, `${at}[${i}].then`),
    };
  });
}

function parseRulePack(source: string, where: string): RulePack {
  const doc = parse(source) as Obj;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.rules)) throw new Error(`${where}: needs a rules list`);
  const seen = new Set<string>();
  const rules = (doc.rules as unknown[]).map((raw, i): Rule => {
    const at = `${where}: rules[${i}]`;
    if (!raw || typeof raw !== 'object') throw new Error(`${at}: expected a mapping`);
    const r = raw as Obj;
    const id = text(r.id, `${at}.id`);
    if (!/^[A-Z][A-Z0-9_]+$/.test(id)) throw new Error(`${at}.id: "${id}" must be UPPER_SNAKE`);
    if (seen.has(id)) throw new Error(`${at}.id: "${id}" appears twice`);
    seen.add(id);
    if (!Array.isArray(r.stages) || r.stages.length === 0) throw new Error(`${at}.stages: expected a list`);
    const stages = (r.stages as Obj[]).map((s, j): RuleStage => {
      const sat = `${at}.stages[${j}]`;
      const hours = s.hours;
      if (hours !== undefined && (typeof hours !== 'number' || hours <= 0)) throw new Error(`${sat}.hours: expected a positive number`);
      const anchor = oneOf(s.anchor, ANCHORS, `${sat}.anchor`);
      if (j === 0 && anchor === 'previous-filing') throw new Error(`${sat}.anchor: the first stage has no previous filing`);
      return {
        stage: oneOf(s.stage, STAGES, `${sat}.stage`),
        anchor,
        hours: hours,
        hoursFrom: s.hoursFrom === undefined ? undefined : oneOf(s.hoursFrom, ['contract'] as const, `${sat}.hoursFrom`),
        wording: text(s.wording, `${sat}.wording`),
        lateNeedsReasons: s.lateNeedsReasons === true,
      };
    });
    const lawByClass =
      r.lawByClass === undefined ? undefined : Object.fromEntries(Object.entries(r.lawByClass as Obj).map(([k, v]) => [k, text(v, `${at}.lawByClass.${k}`)]));
    const checked = text(
      typeof r.checked === 'string' ? r.checked : String(r.checked instanceof Date ? r.checked.toISOString().slice(0, 10) : ''),
      `${at}.checked`,
    );
    return {
      id,
      title: text(r.title, `${at}.title`),
      recipient: text(r.recipient, `${at}.recipient`),
      pack: oneOf(r.pack, PACKS, `${at}.pack`),
      law: text(r.law, `${at}.law`),
      duty: text(r.duty, `${at}.duty`),
      confirmation: oneOf(r.confirmation, ['C', 'P', 'G', 'I'] as const, `${at}.confirmation`),
      confirmationNote: r.confirmationNote === undefined ? undefined : text(r.confirmationNote, `${at}.confirmationNote`),
      sources: Array.isArray(r.sources)
        ? r.sources.map((s, k) => text(s, `${at}.sources[${k}]`))
        : (() => {
            throw new Error(`${at}.sources: name at least one source`);
          })(),
      reference: text(r.reference, `${at}.reference`),
      checked,
      inForce: r.inForce !== false,
      from: r.from === undefined ? undefined : day(r.from, `${at}.from`),
      to: r.to === undefined ? undefined : day(r.to, `${at}.to`),
      adopted: r.adopted === undefined ? undefined : day(r.adopted, `${at}.adopted`),
      lawByClass,
      per: r.per === undefined ? undefined : oneOf(r.per, PER, `${at}.per`),
      applies: names(r.applies, `${at}.applies`),
      required: names(r.required, `${at}.required`),
      stages,
      exceptions: exceptions(r.exceptions, `${at}.exceptions`),
    };
  });
  const version = doc.version;
  if (typeof version !== 'number') throw new Error(`${where}: version must be a number`);
  return { version, checked: String(doc.checked instanceof Date ? doc.checked.toISOString().slice(0, 10) : doc.checked), rules };
}

/** Which rules a case uses, by the day it became aware (or detected, or today): the law as it stood then. */
export function rulesAsOf(pack: RulePack, at: string): { inEffect: Rule[]; heldBack: Rule[] } {
  const d = at.slice(0, 10);
  const inEffect: Rule[] = [];
  const heldBack: Rule[] = [];
  for (const r of pack.rules) {
    if (!r.inForce) {
      if (r.adopted !== undefined && r.adopted <= d) heldBack.push(r);
    } else if ((r.from === undefined || r.from <= d) && (r.to === undefined || d < r.to)) inEffect.push(r);
  }
  return { inEffect, heldBack };
}

let cached: RulePack | undefined;

export function rulePack(): RulePack {
  cached ??= parseRulePack(readFileSync(RULES_FILE, 'utf8'), RULES_FILE.pathname);
  return cached;
}

/** What a draft says about a rule whose facts are not fully confirmed. */
export function confirmationCaveat(rule: Pick<Rule, 'id' | 'confirmation' | 'confirmationNote' | 'title'>): string | undefined {
  if (rule.confirmation === 'C' && rule.confirmationNote === undefined) return undefined;
  const level = `${rule.confirmation}: ${CONFIRMATION[rule.confirmation]}`;
  return `${rule.title} (${rule.id}) rests on facts marked ${level}${rule.confirmationNote ? `. ${rule.confirmationNote}` : ''}`;
}
