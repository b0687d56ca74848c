// The clocks as a person reads them: for each obligation, where it stands now, soonest first.

import type { BreachAssessment } from '../assess/breach/types.js';
import type { Decision } from '../case/index.js';
import type { StoredObligation } from '../case/regulatory-types.js';
import type { ObligationTemplate } from './obligations.js';
import { showDuration } from './time.js';

const CLOCK_STATES = [
  'overdue',
  'open',
  'past-target',
  'no-deadline',
  'pending',
  'to-confirm',
  'decision-needed',
  'voluntary',
  'filed',
  'not-required',
  'exception',
  'withdrawn',
] as const;
type ClockState = (typeof CLOCK_STATES)[number];

/** The obligation's own clock fields, as the store keeps them (declared once, in case/regulatory-types.ts). */
type StoredClockFields = Pick<
  StoredObligation,
  | 'ref'
  | 'ruleId'
  | 'recipient'
  | 'stage'
  | 'anchorKind'
  | 'anchorAt'
  | 'hours'
  | 'dueAt'
  | 'targetHours'
  | 'targetAt'
  | 'firstFiledAt'
  | 'lateByMs'
  | 'delayReasons'
>;

export interface Clock extends StoredClockFields {
  /** What people call it: `JOIC-1` (see obligation-names.ts). */
  name: string;
  title: string;
  law: string;
  confirmation: string;
  state: ClockState;
  /** One plain sentence: what is due when, or why there is no clock yet. */
  says: string;
  /** Milliseconds left to the deadline (negative when past), or to the firm's target where there is no deadline. */
  leftMs: number | undefined;
  references: string[];
  decision: string | undefined;
  /** In which role the firm owes it and the datasets it concerns, where the answers give datasets roles. */
  role?: 'controller' | 'processor';
  datasets?: string[];
}

const ANCHOR_WORDS: Record<string, string> = {
  aware: 'when the firm became aware (record it: exir case set --aware)',
  detected: 'when the incident was detected (record it: exir case set --detected)',
  'high-risk-determined': 'when the assessment concludes high risk',
  'previous-filing': 'when the previous stage is first filed',
  'significance-determined': 'when the incident is established to be significant',
};

/** The notify decisions in force: per obligation, and the one about the case as a whole. */
export interface Decided {
  notify: Decision | undefined;
  byObligation: Map<string, Decision>;
}

/** What the assessment says that bears on an obligation's exceptions. */
export interface ClockHints {
  allUnintelligible?: boolean;
}

/** The hints an assessment result gives: every dataset unintelligible to the attacker feeds that exception. */
export function hintsFrom(result: Pick<BreachAssessment, 'flags'> | undefined): ClockHints {
  return { allUnintelligible: result?.flags?.allUnintelligible === true };
}

const EXCEPTION_WORDS: Record<string, string> = {
  unintelligible: 'data unintelligible to anyone not authorised',
  'later-measures': 'later measures mean the high risk is no longer likely',
  'disproportionate-effort': 'telling each person would involve disproportionate effort',
};

function decisionBy(d: Decision): string {
  const approval = d.approvedBy === undefined ? 'not yet approved' : `approved by ${d.approvedBy}${d.approvedAt ? ` at ${d.approvedAt}` : ''}`;
  return `decision ${d.ref} by ${d.decidedBy}, ${approval}`;
}

export function clockFor(o: StoredObligation, now: string, decided: Decided | undefined, name = o.ref, hints: ClockHints = {}): Clock {
  const t = o.template as Partial<ObligationTemplate>;
  const nowMs = Date.parse(now);
  const base = {
    ref: o.ref,
    name,
    ruleId: o.ruleId,
    title: t.title ?? o.ruleId,
    recipient: o.recipient,
    stage: o.stage,
    law: o.legalReference,
    confirmation: t.confirmation ?? '?',
    anchorKind: o.anchorKind,
    anchorAt: o.anchorAt,
    hours: o.hours,
    dueAt: o.dueAt,
    targetHours: o.targetHours,
    targetAt: o.targetAt,
    firstFiledAt: o.firstFiledAt,
    lateByMs: o.lateByMs,
    delayReasons: o.delayReasons,
    references: [...new Set(o.filings.map((f) => f.reference).filter((r): r is string => r !== undefined))],
    decision: undefined as string | undefined,
    ...(t.role !== undefined ? { role: t.role } : {}),
    ...(t.datasets !== undefined ? { datasets: t.datasets } : {}),
  };
  const target = o.targetHours !== undefined ? `; firm target ${o.targetHours} h` : '';
  const noHours = `no statutory hours ("${t.wording ?? 'see the rule'}")${target}`;
  const make = (state: ClockState, says: string, leftMs?: number): Clock => ({ ...base, state, says, leftMs });

  if (!o.active) return make('withdrawn', 'the rules no longer generate this obligation on the latest assessment; kept for the record');
  if (o.firstFiledAt !== undefined) {
    const late =
      o.lateByMs !== undefined
        ? `, ${showDuration(o.lateByMs)} after the deadline; reasons given: ${o.delayReasons ?? '(none recorded)'}`
        : o.dueAt
          ? ', on time'
          : '';
    return make(
      'filed',
      `filed ${o.firstFiledAt}${base.references.length ? ` (reference ${base.references.join(', ')})` : ''}${late}; ${o.filings.length} filing(s)`,
    );
  }
  if (t.requiredWhen?.includes('never')) return make('voluntary', `voluntary: ${noHours}`);
  const own = decided?.byObligation.get(o.ref);
  if (own?.outcome === 'not-required') {
    const against = o.required === 'yes' ? '; the assessment makes it a duty, so the rationale must show why it is not' : '';
    return { ...make('not-required', `decided not required (${decisionBy(own)}): ${own.decision} (${own.rationale})${against}`), decision: own.ref };
  }
  if (own?.outcome === 'exception') {
    const ex = (t.exceptions ?? []).find((e) => e.ground === own.ground);
    const words = EXCEPTION_WORDS[own.ground ?? ''] ?? own.ground ?? '';
    return {
      ...make(
        'exception',
        `not owed under an exception, ${words}${ex ? ` (${ex.law})` : ''} (${decisionBy(own)}): ${own.rationale}${ex?.then ? `; instead: ${ex.then}` : ''}`,
      ),
      decision: own.ref,
    };
  }
  const decidedRequired = own?.outcome === 'required';
  // Every dataset unintelligible to the attacker: where this law has that exception, the decision is the firm's to record.
  const unintelligible = hints.allUnintelligible ? (t.exceptions ?? []).find((e) => e.ground === 'unintelligible') : undefined;
  const offer =
    unintelligible === undefined
      ? ''
      : `every dataset is marked unintelligible to the attacker (encrypted, key not compromised), and ${unintelligible.law} ` +
        `excuses telling the people affected then: record it (exir case decide --kind notify --obligation ${name} --outcome exception --ground unintelligible)`;
  if (o.required === 'no' && !decidedRequired) {
    const notify = decided?.notify;
    if (notify) {
      return {
        ...make('not-required', `not required on the assessment; decision ${notify.ref} by ${notify.decidedBy}: ${notify.decision} (${notify.rationale})`),
        decision: notify.ref,
      };
    }
    return make(
      'decision-needed',
      offer
        ? `the assessment does not make this a duty; ${offer}, or record a decision not to notify (--outcome not-required)`
        : `the assessment does not make this a duty; a decision not to notify must be recorded with its evidence and rationale (exir case decide --kind notify --obligation ${name} --outcome not-required)`,
    );
  }
  if (!decidedRequired && o.required === 'yes' && offer) return make('decision-needed', `${offer}, or decide it is owed (--outcome required)`);
  if (!decidedRequired && (o.required === 'unknown' || o.applicability === 'unknown')) {
    const needs = (t.unknown ?? []).map((u) => u.needed);
    return make('to-confirm', `whether this applies is not yet known: ${needs.join('; ') || 'answer the open questions'}`);
  }
  if (o.anchorAt === undefined) return make('pending', `the clock starts ${ANCHOR_WORDS[o.anchorKind] ?? o.anchorKind}`);
  if (o.dueAt !== undefined) {
    const left = Date.parse(o.dueAt) - nowMs;
    if (left < 0)
      return make(
        'overdue',
        `deadline passed ${showDuration(left)} ago (${o.hours ?? '?'} h from ${o.anchorKind}); the filing must give the reasons for the delay`,
        left,
      );
    return make('open', `${showDuration(left)} left of ${o.hours ?? '?'} h from ${o.anchorKind}${target}`, left);
  }
  if (o.targetAt !== undefined) {
    const left = Date.parse(o.targetAt) - nowMs;
    if (left < 0) return make('past-target', `${noHours}; the firm's target passed ${showDuration(left)} ago`, left);
    return make('no-deadline', `${noHours}; ${showDuration(left)} left of the firm's target`, left);
  }
  return make('no-deadline', noHours);
}

const RANK: Record<ClockState, number> = Object.fromEntries(CLOCK_STATES.map((s, i) => [s, i])) as Record<ClockState, number>;

/** Soonest first: running clocks by time left, then those without one, then the settled. */
export function sortClocks(clocks: Clock[]): Clock[] {
  const settled = new Set<ClockState>(['filed', 'not-required', 'exception', 'withdrawn', 'voluntary']);
  return [...clocks].sort((a, b) => {
    const sa = settled.has(a.state) ? 1 : 0;
    const sb = settled.has(b.state) ? 1 : 0;
    if (sa !== sb) return sa - sb;
    const la = a.leftMs ?? Number.POSITIVE_INFINITY;
    const lb = b.leftMs ?? Number.POSITIVE_INFINITY;
    if (la !== lb) return la - lb;
    return RANK[a.state] - RANK[b.state] || a.ref.localeCompare(b.ref, undefined, { numeric: true });
  });
}

/** The firm's standing decision on notification: the latest notify decision not superseded and not about one obligation. */
function notifyDecision(decisions: Decision[]): Decision | undefined {
  return [...decisions].reverse().find((d) => d.kind === 'notify' && d.supersededBy === undefined && d.obligation === undefined);
}

/** The notify decisions in force: the latest per obligation, and the standing one about the case. */
export function decidedFrom(decisions: Decision[]): Decided {
  const byObligation = new Map<string, Decision>();
  for (const d of decisions) {
    if (d.kind === 'notify' && d.supersededBy === undefined && d.obligation !== undefined) byObligation.set(d.obligation, d);
  }
  return { notify: notifyDecision(decisions), byObligation };
}
