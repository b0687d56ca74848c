// The two things the commands do with a case: assess it (a new assessment version) and bring its
// obligations up to date (then read the clocks). Both go through the case store.

import { checkAnswers, mergeAnswers } from '../assess/breach/answers.js';
import { assessBreach } from '../assess/breach/assess.js';
import type { BreachAnswers, BreachAssessment } from '../assess/breach/types.js';
import type { CaseStore } from '../case/index.js';
import { pendingObligationChanges } from '../case/index.js';
import type { StoredAssessment, StoredObligation } from '../case/regulatory-types.js';
import type { Clock } from './clocks.js';
import { clockFor, decidedFrom, hintsFrom, sortClocks } from './clocks.js';
import type { CaseFacts } from './facts.js';
import { obligationNames } from './obligation-names.js';
import { gatherFacts } from './facts.js';
import { generateObligations } from './obligations.js';
import type { Rule } from './rules.js';
import { rulePack } from './rules.js';

/** The latest assessment's answers and result, checked again as they are read back. */
export function latestAssessment(assessments: StoredAssessment[]): { version: number; answers: BreachAnswers; result: BreachAssessment } | undefined {
  const last = assessments[assessments.length - 1];
  if (!last) return undefined;
  return { version: last.version, answers: checkAnswers(last.answers), result: last.result as BreachAssessment };
}

/** The first version's time at which the assessment concluded high risk: the data-subject clock's start. */
function highRiskDeterminedAt(assessments: StoredAssessment[]): string | undefined {
  return assessments.find((a) => a.conclusion === 'high-risk')?.assessedAt;
}

export function assessFacts(facts: CaseFacts, answers: BreachAnswers, now: string): BreachAssessment {
  return assessBreach({
    answers,
    servers: facts.story.servers.map((s) => ({ name: s.name, verdict: s.verdict, summary: s.summary })),
    window: { from: facts.record.occurredFrom, to: facts.record.occurredTo },
    mailboxes: facts.mailboxes,
    coverage: facts.coverage,
    now,
  });
}

/** Assesses the case on the earlier answers with the new ones laid over them, and stores the new version. */
export async function assessCase(
  store: CaseStore,
  ref: string,
  newAnswers: BreachAnswers,
  now: string,
): Promise<{ stored: StoredAssessment; result: BreachAssessment; answers: BreachAnswers }> {
  const facts = await gatherFacts(store, ref);
  const answers = mergeAnswers(latestAssessment(facts.assessments)?.answers ?? {}, newAnswers);
  const result = assessFacts(facts, answers, now);
  const stored = await store.recordAssessment(ref, {
    answers,
    result,
    ...(result.conclusion ? { conclusion: result.conclusion } : {}),
    ...(result.level ? { level: result.level } : {}),
    assessedAt: now,
  });
  return { stored, result: { ...result, assessedAt: stored.assessedAt }, answers };
}

export interface Standing {
  facts: CaseFacts;
  assessment: { version: number; answers: BreachAnswers; result: BreachAssessment } | undefined;
  obligations: StoredObligation[];
  clocks: Clock[];
  heldBack: Rule[];
}

async function generate(store: CaseStore, ref: string, now: string) {
  const facts = await gatherFacts(store, ref);
  const assessment = latestAssessment(facts.assessments);
  const existing = await store.listObligations(ref);
  const { specs, heldBack } = generateObligations(rulePack(), {
    answers: assessment?.answers ?? {},
    assessment: assessment?.result,
    registrations: facts.record.firm.registrations,
    times: { awareAt: facts.record.awareAt, detectedAt: facts.record.detectedAt },
    highRiskDeterminedAt: highRiskDeterminedAt(facts.assessments),
    existing,
    now,
  });
  return { facts, assessment, existing, specs, heldBack };
}

function stand(facts: CaseFacts, assessment: Standing['assessment'], obligations: StoredObligation[], now: string, heldBack: Rule[]): Standing {
  const decided = decidedFrom(facts.decisions);
  const hints = hintsFrom(assessment?.result);
  const names = obligationNames(obligations);
  return { facts, assessment, obligations, clocks: sortClocks(obligations.map((o) => clockFor(o, now, decided, names.get(o.ref), hints))), heldBack };
}

/** Syncs the obligations with the rule pack on the latest assessment, then reads the clocks at `now`. */
export async function refreshObligations(store: CaseStore, ref: string, now: string): Promise<Standing> {
  const g = await generate(store, ref, now);
  const obligations = await store.syncObligations(ref, g.specs);
  return stand({ ...g.facts, decisions: await store.listDecisions(ref) }, g.assessment, obligations, now, g.heldBack);
}

/**
 * The obligations as stored, read without writing (for viewers, and for every page a browser merely
 * opens), with how many changes a refresh would make: `pending` 0 means they are current.
 */
export async function readStanding(store: CaseStore, ref: string, now: string): Promise<Standing & { pending: number }> {
  const g = await generate(store, ref, now);
  return { ...stand(g.facts, g.assessment, g.existing, now, g.heldBack), pending: pendingObligationChanges(g.existing, g.specs) };
}
