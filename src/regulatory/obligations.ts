// From the rule pack and the case to obligations: one per regime × recipient × stage, each with its
// clock anchor and deadline. Hours come only from the rule (the law) or the firm's own contract;
// where there are none the obligation has no deadline, and a firm-set target is shown as the firm's.

import type { BreachAnswers, BreachAssessment } from '../assess/breach/types.js';
import type { ObligationSpec, StoredObligation } from '../case/regulatory-types.js';
import type { RuleContext } from './predicates.js';
import { EU_STATES, evaluateAll, PREDICATE_NEEDS } from './predicates.js';
import { authorityName } from './authorities.js';
import type { Rule, RuleException, RulePack, RuleStage } from './rules.js';
import { rulesAsOf } from './rules.js';
import { addElapsedHours } from './time.js';

export interface ObligationInput {
  answers: BreachAnswers;
  assessment: BreachAssessment | undefined;
  registrations: { scheme: string; number: string }[];
  times: { awareAt: string | undefined; detectedAt: string | undefined };
  /** When the assessment first concluded high risk (the data-subject clock's anchor). */
  highRiskDeterminedAt: string | undefined;
  /** The case's obligations so far: a later stage's clock starts at the earlier stage's first filing. */
  existing: StoredObligation[];
  /** The run's time: which law applies is read at awareness, else detection, else this. */
  now?: string | undefined;
}

/** The frozen terms an obligation carries (ObligationSpec.template). */
export interface ObligationTemplate {
  ruleId: string;
  title: string;
  pack: string;
  law: string;
  duty: string;
  confirmation: string;
  confirmationNote: string | undefined;
  sources: string[];
  checked: string;
  stage: string;
  wording: string;
  lateNeedsReasons: boolean;
  requiredWhen: string[];
  /** Predicates still unanswered, with what would answer them. */
  unknown: { predicate: string; needed: string }[];
  /** The exceptions the rule's law has (none for most): what a decision per obligation may rely on. */
  exceptions: RuleException[];
  rulePackVersion: number;
  /** In which role the firm owes it, where it concerns personal data: as controller, or as a client's processor. */
  role?: 'controller' | 'processor';
  /** The datasets it concerns, by id: the firm's own (as controller), or the one client's (as processor). */
  datasets?: string[];
}

interface Target {
  recipient: string;
  vars: Record<string, string>;
  hours?: number;
  /** For a notice to a controller client: that client's datasets. */
  datasets?: string[];
}

/** The controller clients of the datasets held as processor, each with its datasets' ids, in the answers' order. */
function processorClients(answers: BreachAnswers): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of answers.datasets ?? []) {
    if (d.role !== 'processor' || d.controller === undefined) continue;
    out.set(d.controller, [...(out.get(d.controller) ?? []), d.id]);
  }
  return out;
}

function targetsFor(rule: Rule, c: RuleContext): Target[] {
  const fill = (vars: Record<string, string>): string => rule.recipient.replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');
  if (rule.per === undefined) return [{ recipient: rule.recipient, vars: {} }];
  if (rule.per === 'eu-state') {
    const states = Object.keys(c.assessment?.jurisdictions ?? {})
      .filter((k) => EU_STATES.includes(k))
      .sort();
    return states.map((state) => {
      const vars = { state, authority: authorityName(state) };
      return { recipient: fill(vars), vars };
    });
  }
  if (rule.per === 'eu-representative') {
    const rep = c.answers.firm?.euRepresentative;
    const vars = rep
      ? { state: rep.state, authority: authorityName(rep.state) }
      : {
          state: '',
          authority: "the EU supervisory authority where the firm's Art. 27 representative is established (not yet recorded: firm.euRepresentative)",
        };
    return [{ recipient: fill(vars), vars }];
  }
  // Where the datasets say whose data the firm holds as processor, those clients are told, each of its own data;
  // a client in firm.processorFor with no dataset in this breach is owed nothing by it.
  const byDataset = processorClients(c.answers);
  const listed = c.answers.firm?.processorFor ?? [];
  const clients = byDataset.size > 0 ? [...byDataset.keys()].map((client) => listed.find((p) => p.client === client) ?? { client }) : listed;
  const list = rule.per === 'contract-client' ? clients.filter((p) => p.noticeHours !== undefined) : clients;
  if (list.length === 0) return [{ recipient: 'each controller client (not yet listed)', vars: { client: 'each controller client', contractRef: '' } }];
  return list.map((p) => {
    const vars = { client: p.client, contractRef: p.contractRef ? ` (${p.contractRef})` : '' };
    const datasets = byDataset.get(p.client);
    return {
      recipient: fill(vars),
      vars,
      ...(p.noticeHours !== undefined ? { hours: p.noticeHours } : {}),
      ...(datasets ? { datasets } : {}),
    };
  });
}

function anchorFor(stage: RuleStage, index: number, rule: Rule, recipient: string, input: ObligationInput): string | undefined {
  switch (stage.anchor) {
    case 'aware':
      return input.times.awareAt;
    case 'detected':
      return input.times.detectedAt;
    case 'high-risk-determined':
      return input.highRiskDeterminedAt;
    case 'significance-determined':
      return undefined;
    case 'previous-filing': {
      const prev = rule.stages[index - 1];
      const key = prev && obligationKey(rule.id, recipient, prev.stage);
      return input.existing.find((o) => o.key === key)?.firstFiledAt;
    }
  }
}

function obligationKey(ruleId: string, recipient: string, stage: string): string {
  return `${ruleId}|${recipient}|${stage}`;
}

function target(answers: BreachAnswers, ruleId: string, stage: string): number | undefined {
  const t = answers.firm?.targets;
  return t?.[`${ruleId}/${stage}`] ?? t?.[ruleId];
}

/** Every obligation the case has under the pack, and the rules held back (not in force) or not applying. */
export function generateObligations(pack: RulePack, input: ObligationInput): { specs: ObligationSpec[]; heldBack: Rule[] } {
  const ctx: RuleContext = { answers: input.answers, assessment: input.assessment, registrations: input.registrations };
  const specs: ObligationSpec[] = [];
  const asOf = input.times.awareAt ?? input.times.detectedAt ?? input.now ?? new Date().toISOString();
  const { inEffect, heldBack: adopted } = rulesAsOf(pack, asOf);
  const heldBack = adopted.filter((rule) => evaluateAll(rule.applies, ctx).value !== false);
  const own = (input.answers.datasets ?? []).filter((d) => d.role !== 'processor').map((d) => d.id);
  const rolesGiven = (input.answers.datasets ?? []).some((d) => d.role !== undefined);
  for (const rule of inEffect) {
    const applies = evaluateAll(rule.applies, ctx);
    if (applies.value === false) continue;
    const jfscClass = input.answers.firm?.jfscClass;
    const law = (jfscClass !== undefined ? rule.lawByClass?.[jfscClass] : undefined) ?? rule.law;
    const required = evaluateAll(rule.required, ctx);
    const unknown = [...applies.unknown, ...required.unknown].map((p) => ({ predicate: p, needed: PREDICATE_NEEDS[p] ?? p }));
    for (const t of targetsFor(rule, ctx)) {
      rule.stages.forEach((stage, index) => {
        const anchorAt = anchorFor(stage, index, rule, t.recipient, input);
        const hours = stage.hours ?? (stage.hoursFrom === 'contract' ? t.hours : undefined);
        const targetHours = target(input.answers, rule.id, stage.stage);
        const template: ObligationTemplate = {
          ruleId: rule.id,
          title: rule.title,
          pack: rule.pack,
          law: law.replace(/\{(\w+)\}/g, (_m, k: string) => t.vars[k] ?? ''),
          duty: rule.duty,
          confirmation: rule.confirmation,
          confirmationNote: rule.confirmationNote,
          sources: rule.sources,
          checked: rule.checked,
          stage: stage.stage,
          wording: stage.wording,
          lateNeedsReasons: stage.lateNeedsReasons,
          requiredWhen: rule.required,
          unknown,
          exceptions: rule.exceptions,
          rulePackVersion: pack.version,
          // Said only where the answers give datasets roles, so a case without them reads as before.
          ...(rolesGiven && rule.applies.includes('personal-data')
            ? rule.per === 'processor-client' || rule.per === 'contract-client'
              ? { role: 'processor' as const, ...(t.datasets ? { datasets: t.datasets } : {}) }
              : { role: 'controller' as const, datasets: own }
            : {}),
        };
        specs.push({
          key: obligationKey(rule.id, t.recipient, stage.stage),
          ruleId: rule.id,
          recipient: t.recipient,
          stage: stage.stage,
          legalReference: template.law,
          template,
          anchorKind: stage.anchor,
          anchorAt,
          hours,
          dueAt: anchorAt !== undefined && hours !== undefined ? addElapsedHours(anchorAt, hours) : undefined,
          targetHours,
          targetAt: anchorAt !== undefined && targetHours !== undefined ? addElapsedHours(anchorAt, targetHours) : undefined,
          required: rule.required.includes('never') ? 'no' : required.value === true ? 'yes' : required.value === false ? 'no' : 'unknown',
          applicability: applies.value === true ? 'applies' : 'unknown',
        });
      });
    }
  }
  return { specs, heldBack };
}
