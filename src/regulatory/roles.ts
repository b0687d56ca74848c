// Controller or processor, per dataset. What the firm holds as a client's processor is the client's to
// assess and notify: the packs the firm writes as controller (its authorities, its letters to the people,
// its breach log) speak only of its own data, and each client gets a notice of its own data instead.

import type { DatasetAssessment } from '../assess/breach/types.js';
import type { DraftContext } from './resolvers.js';

/** The context with only the datasets the firm controls; the assessment's totals already count only those. */
export function controllerView(c: DraftContext): DraftContext {
  const a = c.assessment;
  if (!a || !a.result.datasets.some((d) => d.role === 'processor')) return c;
  return { ...c, assessment: { ...a, result: { ...a.result, datasets: a.result.datasets.filter((d) => d.role !== 'processor') } } };
}

/** The controller clients of the datasets held as processor, each with its own datasets, in the answers' order. */
export function processorClients(datasets: DatasetAssessment[]): { name: string; datasets: DatasetAssessment[] }[] {
  const out = new Map<string, DatasetAssessment[]>();
  for (const d of datasets) {
    if (d.role !== 'processor' || d.controller === undefined) continue;
    out.set(d.controller, [...(out.get(d.controller) ?? []), d]);
  }
  return [...out].map(([name, ds]) => ({ name, datasets: ds }));
}

/** A processor duty's recipient as the client's name: "Blue Fund Ltd (controller)" → "Blue Fund Ltd". */
export function clientOf(recipient: string): string {
  return recipient.replace(/\s*\(controller\)$/, '');
}
