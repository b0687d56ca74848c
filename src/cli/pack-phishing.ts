import type { CaseStore } from '../case/index.js';
import type { Draft } from '../regulatory/draft-types.js';
import { appendSections } from '../regulatory/draft.js';

/**
 * The letter to the people affected and the JFSC pack end with the phishing that may follow the
 * attack: the lookalike domains seen in the case's mail, what to expect and what to do.
 */
export async function withPhishingSections(store: CaseStore, ref: string, drafts: Draft[]): Promise<Draft[]> {
  if (!drafts.some((d) => d.pack === 'subjects' || d.pack === 'jfsc')) return drafts;
  const { phishingOfCase } = await import('../assess/phishing/of-case.js');
  const { phishingDraftSection } = await import('../assess/phishing/client-section.js');
  const phishing = await phishingOfCase(store, ref);
  return drafts.map((d) =>
    d.pack === 'subjects'
      ? appendSections(d, [phishingDraftSection(phishing, 'clients')])
      : d.pack === 'jfsc'
        ? appendSections(d, [phishingDraftSection(phishing, 'regulator')])
        : d,
  );
}
