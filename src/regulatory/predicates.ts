// The named triggers the rule pack uses. Each answers true, false, or undefined when the case does
// not yet hold what it needs; undefined is shown as a question, never taken as no.

import type { BreachAnswers, BreachAssessment } from '../assess/breach/types.js';

export interface RuleContext {
  answers: BreachAnswers;
  assessment: BreachAssessment | undefined;
  /** Registrations recorded on the firm in the case (scheme → number). */
  registrations: { scheme: string; number: string }[];
}

export type Tri = boolean | undefined;
export type Predicate = (c: RuleContext) => Tri;

const has = (list: string[] | undefined, x: string): Tri => (list === undefined ? undefined : list.includes(x));
const and = (...v: Tri[]): Tri => (v.includes(false) ? false : v.includes(undefined) ? undefined : true);
const or = (...v: Tri[]): Tri => (v.includes(true) ? true : v.includes(undefined) ? undefined : false);

export const EU_STATES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];

function subjectsIn(c: RuleContext, codes: string[]): Tri {
  const j = c.assessment?.jurisdictions;
  if (!j || Object.keys(j).length === 0) return undefined;
  return Object.keys(j).some((k) => codes.includes(k));
}

/** Datasets whose role the answers give; a dataset without one is the firm's as controller. */
const roles = (c: RuleContext): string[] => (c.answers.datasets ?? []).map((d) => d.role ?? 'controller');
const anyRoleGiven = (c: RuleContext): boolean => (c.answers.datasets ?? []).some((d) => d.role !== undefined);

// Where every dataset is held as processor, no controller's duty falls on the firm for this breach.
const controller = (c: RuleContext): Tri => (anyRoleGiven(c) && !roles(c).includes('controller') ? false : has(c.answers.firm?.role, 'controller'));
const established = (c: RuleContext, code: string): Tri => or(has(c.answers.firm?.establishments, code), has(c.answers.firm?.gdprScope, code));

export const PREDICATES: Record<string, Predicate> = {
  always: () => true,
  never: () => false,
  'personal-data': (c) => ((c.answers.datasets?.length ?? 0) > 0 ? true : undefined),
  'controller-je': (c) => and(controller(c), has(c.answers.firm?.establishments, 'JE')),
  'controller-gg': (c) => and(controller(c), or(has(c.answers.firm?.establishments, 'GG'), has(c.answers.firm?.gdprScope, 'GG'))),
  'uk-gdpr': (c) => and(controller(c), or(has(c.answers.firm?.establishments, 'UK'), has(c.answers.firm?.gdprScope, 'UK')), subjectsIn(c, ['GB'])),
  'eu-gdpr': (c) =>
    and(
      controller(c),
      or(
        c.answers.firm?.establishments?.some((e) => EU_STATES.includes(e)),
        has(c.answers.firm?.gdprScope, 'EU'),
      ),
      subjectsIn(c, EU_STATES),
    ),
  // Per dataset where the answers say so (datasets[].role), else the firm's role as a whole.
  processor: (c) => (anyRoleGiven(c) ? roles(c).includes('processor') : has(c.answers.firm?.role, 'processor')),
  'jersey-law': (c) => has(c.answers.firm?.establishments, 'JE'),
  'uk-law': (c) => established(c, 'UK'),
  'eu-law': (c) =>
    or(
      c.answers.firm?.establishments?.some((e) => EU_STATES.includes(e)),
      has(c.answers.firm?.gdprScope, 'EU'),
    ),
  'guernsey-law': (c) => established(c, 'GG'),
  'contract-notice': (c) => (c.answers.firm?.processorFor === undefined ? undefined : c.answers.firm.processorFor.some((p) => p.noticeHours !== undefined)),
  risk: (c) => (c.assessment?.conclusion === undefined ? undefined : c.assessment.conclusion !== 'no-risk'),
  'high-risk': (c) => (c.assessment?.conclusion === undefined ? undefined : c.assessment.conclusion === 'high-risk'),
  'jfsc-registered-person': (c) => {
    const j = c.answers.firm?.jfsc;
    if (j !== undefined) return j === 'registered-person';
    return c.registrations.some((r) => r.scheme.toUpperCase() === 'JFSC') ? true : undefined;
  },
  'jfsc-impact': (c) => {
    if (c.answers.firm?.jfscImpact !== undefined) return c.answers.firm.jfscImpact;
    const clientData = c.assessment?.datasets.some(
      (d) =>
        d.subjects.some((s) => s === 'clients' || s === 'beneficial-owners') && (d.access === 'exported' || d.access === 'read' || d.access === 'reachable'),
    );
    return clientData ? true : undefined;
  },
  'gfsc-licensee': (c) => {
    if (c.answers.firm?.gfscLicensee !== undefined) return c.answers.firm.gfscLicensee;
    return c.answers.firm?.establishments?.includes('GG') ? undefined : false;
  },
  'gfsc-significant': (c) => c.answers.firm?.gfscSignificant,
  'cyber-incident': () => true,
  oes: (c) => c.answers.firm?.operatorOfEssentialService ?? false,
};

/** What a person must answer for a predicate that is still undefined. */
export const PREDICATE_NEEDS: Record<string, string> = {
  'personal-data': 'describe the data the reached systems held (answers: datasets)',
  'controller-je': 'say whether the firm is a controller (firm.role) and where it is established (firm.establishments)',
  'controller-gg': 'say whether the firm is a controller and whether Guernsey law reaches it (firm.establishments or firm.gdprScope: [GG])',
  'uk-gdpr': 'say whether UK GDPR reaches the firm (firm.gdprScope) and where the people live (datasets[].jurisdictions)',
  'eu-gdpr': 'say whether EU GDPR reaches the firm (firm.gdprScope) and where the people live (datasets[].jurisdictions)',
  processor: 'say whether the firm is processor for any of this data (firm.role, datasets[].role)',
  'jersey-law': 'say where the firm is established (firm.establishments)',
  'uk-law': 'say whether UK GDPR reaches the firm (firm.establishments or firm.gdprScope: [UK])',
  'eu-law': 'say whether EU GDPR reaches the firm (firm.establishments or firm.gdprScope: [EU])',
  'guernsey-law': 'say whether Guernsey law reaches the firm (firm.establishments or firm.gdprScope: [GG])',
  'contract-notice': 'list the clients for whom the firm is processor, with any contractual notice period (firm.processorFor)',
  risk: 'make the breach assessment (exir assess)',
  'high-risk': 'make the breach assessment (exir assess)',
  'jfsc-registered-person': 'say whether the firm is a JFSC registered person (firm.jfsc)',
  'jfsc-impact': "say whether the incident might affect the registration or the clients' interests (firm.jfscImpact)",
  'gfsc-licensee': 'say whether the firm holds a GFSC licence (firm.gfscLicensee)',
  'gfsc-significant': 'say whether the event caused significant data loss, service disruption or financial impact (firm.gfscSignificant)',
};

export function evaluateAll(names: string[], c: RuleContext): { value: Tri; unknown: string[] } {
  const values = names.map((n) => {
    const p = PREDICATES[n];
    if (!p) throw new Error(`unknown predicate ${n}`);
    return p(c);
  });
  return { value: and(...values), unknown: names.filter((_, i) => values[i] === undefined) };
}
