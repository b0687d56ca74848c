// The case's own references, which the send copy takes out, and the firm's own words, which it never
// touches. The send copy used to remove anything shaped like a reference (a letter and a number, an
// acronym and a number), which mangled the firm's words: its registration "JOIC-55", a phone model
// "O2". It now removes exactly the references this case has, and leaves the answers as written.

import type { InternalRef } from './draft-types.js';
import { obligationNames } from './obligation-names.js';
import type { DraftContext } from './resolvers.js';
import { rulePack, rulesAsOf } from './rules.js';

/** What each kind of reference reads as in the send copy, where the sentence needs a phrase. */
const BECOMES: Record<InternalRef['kind'], string> = {
  obligation: 'the notification concerned',
  decision: 'a recorded decision',
  evidence: 'an evidence item held on file',
  rule: '',
  detection: '',
  scan: 'a scan of the evidence',
  finding: 'a finding',
};

/** Every reference of the case a reader outside the firm would not know: ids of its records and of our rules. */
export function internalRefs(c: DraftContext): InternalRef[] {
  const refs: InternalRef[] = [];
  const add = (text: string, kind: InternalRef['kind'], becomes = BECOMES[kind]): void => {
    if (text !== '' && !refs.some((r) => r.text === text)) refs.push({ text, kind, becomes });
  };
  const names = obligationNames(c.obligations);
  for (const o of c.obligations) {
    add(o.ref, 'obligation');
    const name = names.get(o.ref);
    // `JOIC-1` reads as its recipient; a name made from a rule id (no acronym) as the notification.
    const short = name?.replace(/-\d+$/, '');
    if (name) add(name, 'obligation', short && short !== o.ruleId ? short : BECOMES.obligation);
  }
  for (const d of c.facts.decisions) add(d.ref, 'decision');
  for (const e of c.facts.evidence) add(e.ref, 'evidence');
  // The rules of the law as it stood for this case: a later law is neither cited nor named here.
  const asOf = rulesAsOf(rulePack(), c.facts.record.awareAt ?? c.facts.record.detectedAt ?? c.now);
  for (const r of asOf.inEffect) add(r.id, 'rule');
  for (const o of c.obligations) add(o.ruleId, 'rule');
  for (const f of c.facts.findings) add(f.ruleId, 'detection');
  for (let n = 1; n <= c.facts.story.scans.count; n++) {
    add(`scan #${n}`, 'scan');
    add(`scan ${n}`, 'scan');
  }
  for (let n = 1; n <= c.facts.findings.length; n++) add(`finding #${n}`, 'finding');
  return refs;
}

/** The firm's own words, from its answers and the case's firm details: the send copy keeps them verbatim. */
export function ownWords(c: DraftContext): string[] {
  const a = c.assessment?.answers;
  const f = a?.firm;
  const firm = c.facts.record.firm;
  const words = [
    f?.legalName,
    f?.contact?.name,
    f?.contact?.role,
    f?.contact?.email,
    f?.contact?.phone,
    f?.dpo,
    f?.joicRegistration,
    f?.euRepresentative?.name,
    f?.euRepresentative?.email,
    f?.euRepresentative?.address,
    ...(f?.processorFor ?? []).flatMap((p) => [p.client, p.contractRef]),
    ...(f?.letterhead?.address ?? []),
    f?.letterhead?.phone,
    f?.letterhead?.email,
    f?.letterhead?.website,
    f?.signer?.name,
    f?.signer?.role,
    f?.letterReference,
    ...Object.values(a?.narrative ?? {}),
    ...(a?.datasets ?? []).flatMap((d) => [d.description, d.consequences]),
    a?.override?.reason,
    a?.enisa?.unlikelyRiskReason,
    firm.name,
    firm.dpo,
    ...firm.registrations.map((r) => r.number),
  ];
  return [...new Set(words.filter((w): w is string => typeof w === 'string' && w.trim() !== ''))];
}
