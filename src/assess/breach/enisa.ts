// ENISA's severity arithmetic (Recommendations for a methodology of the assessment of severity of
// personal data breaches, WD v1.0, December 2013): SE = DPC × EI + CB, every input kept and shown.

import type { EnisaInput, EnisaResult, SeverityLevel, Conclusion } from './types.js';

const EI_VALUES = [0.25, 0.5, 0.75, 1] as const;
export const EI_LABELS: Record<number, string> = { 0.25: 'negligible', 0.5: 'limited', 0.75: 'significant', 1: 'maximum' };
const CONF_INTEG_VALUES = [0, 0.25, 0.5];
const AVAIL_VALUES = [0, 0.25, 0.5];
const MALICIOUS_VALUES = [0, 0.5];

/** The method's bands: low < 2 ≤ medium < 3 ≤ high < 4 ≤ very high. */
export function severityLevel(se: number): SeverityLevel {
  if (se < 2) return 'low';
  if (se < 3) return 'medium';
  if (se < 4) return 'high';
  return 'very-high';
}

/**
 * Our reading of the bands against the notification thresholds [I]: low is "unlikely to result in a
 * risk", medium a risk (notify the authority), high and very high a high risk (tell the people too).
 */
export function conclusionFor(level: SeverityLevel): Conclusion {
  if (level === 'low') return 'no-risk';
  if (level === 'medium') return 'risk';
  return 'high-risk';
}

function oneOf(value: number, allowed: readonly number[], what: string): number {
  if (!allowed.includes(value)) throw new Error(`ENISA ${what} must be one of ${allowed.join(', ')}; got ${value}`);
  return value;
}

export interface EnisaInputs {
  dpcBase: EnisaInput;
  dpcAdjustments: { factor: string; delta: number }[];
  ei: EnisaInput;
  confidentiality: EnisaInput;
  integrity: EnisaInput;
  availability: EnisaInput;
  malicious: EnisaInput;
}

/** Scores a breach; DPC after adjustments is held to the method's 1–4 range. */
export function scoreEnisa(i: EnisaInputs): EnisaResult {
  oneOf(i.dpcBase.value, [1, 2, 3, 4], 'DPC base');
  for (const a of i.dpcAdjustments) {
    if (!Number.isFinite(a.delta) || a.factor.trim() === '') throw new Error('each DPC adjustment needs a factor and a number');
  }
  oneOf(i.ei.value, EI_VALUES, 'ease of identification');
  oneOf(i.confidentiality.value, CONF_INTEG_VALUES, 'loss of confidentiality');
  oneOf(i.integrity.value, CONF_INTEG_VALUES, 'loss of integrity');
  oneOf(i.availability.value, AVAIL_VALUES, 'loss of availability');
  oneOf(i.malicious.value, MALICIOUS_VALUES, 'malicious intent');
  const raw = i.dpcBase.value + i.dpcAdjustments.reduce((s, a) => s + a.delta, 0);
  const dpc = Math.min(4, Math.max(1, raw));
  const cbTotal = i.confidentiality.value + i.integrity.value + i.availability.value + i.malicious.value;
  // Quarter steps times whole or quarter numbers: round away binary noise only.
  const se = Math.round((dpc * i.ei.value + cbTotal) * 10_000) / 10_000;
  return {
    dpcBase: i.dpcBase,
    dpcAdjustments: i.dpcAdjustments,
    dpc,
    ei: i.ei,
    cb: { confidentiality: i.confidentiality, integrity: i.integrity, availability: i.availability, malicious: i.malicious },
    cbTotal,
    se,
    level: severityLevel(se),
  };
}
