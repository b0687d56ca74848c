// `exir file CASE --obligation JOIC-1 --reference REF`: records a filing with a frozen snapshot of the
// draft as it stands; the first filing fixes lateness, and a late one needs the reasons for the delay.

import { basename } from 'node:path';
import type { Command } from 'commander';
import { safeJson, safeText } from '../core/terminal-text.js';
import type { ObligationTemplate } from '../regulatory/obligations.js';
import type { PackName } from '../regulatory/pack-names.js';
import { PACKS } from '../regulatory/pack-names.js';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import type { SetExit } from './exit-codes.js';
import { withExamples } from './help.js';
import { given } from './given.js';

interface FileFlags {
  attach?: string[];
  obligation: string;
  reference: string;
  at?: string;
  by?: string;
  channel?: string;
  delayReasons?: string;
}

export function registerFile(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  const cmd = storeOptions(
    program
      .command('file')
      .argument('<case>', 'FIRM/CASE, or CASE when the firm is implied')
      .description("Record a filing: what was sent (a frozen snapshot of the draft), when, and the regulator's case reference.")
      .requiredOption('--obligation <ref>', 'the obligation filed, as exir obligations names it (JOIC-1, JFSC-1, …; O1, O2, … also work)')
      .requiredOption('--reference <ref>', "the regulator's case reference (or the letter's reference)")
      .option('--at <time>', 'when it was sent (default: now)')
      .option('--by <name>', 'who sent it (default: the actor)')
      .option('--channel <channel>', 'joic_portal, odpa_portal, ico_online, sa_portal, email, letter, phone, register, other', 'other')
      .option('--delay-reasons <text>', 'the reasons for the delay, required when the first filing is after the deadline')
      .option(
        '--attach <file>',
        "the document actually sent, or the regulator's acknowledgement: hashed into the evidence register and custody log (repeatable)",
        (v: string, prev: string[] = []) => [...prev, v],
      ),
  );
  withExamples(
    cmd,
    [
      'exir file acme/exch-2021 --obligation JOIC-1 --reference JOIC/2021/123 --channel joic_portal',
      'exir file acme/exch-2021 --obligation JOIC-1 --reference JOIC/2021/123 --at 2021-03-11T10:00Z --delay-reasons "scope confirmed late"',
      'exir file acme/exch-2021 --obligation ODPA-1 --reference ODPA/2021/9 --attach sent-letter.pdf',
    ],
    '0 filing recorded, 2 error (an unknown case or obligation, a late first filing without --delay-reasons).',
  ).action(
    runWithStore('file', io, setExit, async (store, flags, args) => {
      const f = flags as typeof flags & FileFlags;
      const [
        { parseInstant },
        { clockFor, decidedFrom, hintsFrom },
        { buildAuthorityDraft, buildDraft, buildDrafts, buildProcessorNotice },
        { findObligation },
        { latestAssessment, refreshObligations },
        { showDuration, showTime },
        { withPhishingSections },
      ] = await Promise.all([
        import('../case/times.js'),
        import('../regulatory/clocks.js'),
        import('../regulatory/draft.js'),
        import('../regulatory/obligation-names.js'),
        import('../regulatory/refresh.js'),
        import('../regulatory/time.js'),
        import('./pack-phishing.js'),
      ]);
      const ref = String(args[0]);
      const now = io.now();
      const tz = flags.tz ?? DEFAULT_ZONE;
      const standing = await refreshObligations(store, ref, now);
      const ob = findObligation(standing.obligations, f.obligation);
      if (!ob) throw new Error(`case ${ref} has no obligation ${f.obligation} (see: exir obligations ${ref})`);
      const name = standing.clocks.find((k) => k.ref === ob.ref)?.name ?? ob.ref;
      const pack = (ob.template as Partial<ObligationTemplate>).pack;
      // The snapshot is the draft as it stood when it was sent (--at, else --now): the assessment and the
      // decisions of that time, the clocks read then, not what the case holds today.
      const asOf = f.at !== undefined ? parseInstant(f.at, '--at') : (flags.now ?? now);
      const then = standing.facts.assessments.filter((a) => a.assessedAt <= asOf);
      const facts = { ...standing.facts, assessments: then, decisions: standing.facts.decisions.filter((d) => d.decidedAt <= asOf) };
      const c = {
        facts,
        assessment: latestAssessment(then),
        obligations: standing.obligations,
        clocks: standing.clocks.map((k) =>
          clockFor(
            standing.obligations.find((o) => o.ref === k.ref) ?? ob,
            asOf,
            decidedFrom(facts.decisions),
            k.name,
            hintsFrom(latestAssessment(then)?.result),
          ),
        ),
        now: asOf,
        tz,
      };
      // The snapshot is the draft for this obligation's recipient: an ODPA filing keeps the ODPA's report, not the JOIC's.
      const full = { appendixRows: Infinity };
      const drafts = await withPhishingSections(
        store,
        ref,
        pack === 'joic'
          ? [buildAuthorityDraft(c, { ruleId: ob.ruleId, recipient: ob.recipient }, full)]
          : pack === 'subjects'
            ? buildDrafts('subjects', c, full)
            : pack === 'processor'
              ? buildProcessorNotice(c, ob.recipient, full)
              : pack !== undefined && (PACKS as readonly string[]).includes(pack)
                ? [buildDraft(pack as PackName, c, full)]
                : [],
      );
      const snapshot = drafts[0] ?? { note: 'this obligation has no pack draft' };
      // What was actually sent, and any acknowledgement: hashed into the evidence register (and its custody log).
      const attachments = [];
      for (const path of f.attach ?? []) {
        const added = await store.addEvidence(ref, {
          path,
          source: `filing of ${ob.ref} (${ob.recipient}), reference ${f.reference}`,
          note: 'document sent or acknowledgement received',
        });
        attachments.push({ evidence: added.item.ref, sha256: added.item.sha256, name: basename(path) });
      }
      const { filing, obligation } = await store.recordFiling(ref, {
        obligation: ob.ref,
        reference: f.reference,
        channel: f.channel ?? 'other',
        content: {
          pack,
          assessmentVersion: c.assessment?.version,
          asOf,
          draft: snapshot,
          ...(drafts.length > 1 ? { letters: drafts } : {}),
          ...(attachments.length ? { attachments } : {}),
        },
        ...given({ sentAt: f.at, sentBy: f.by, delayReasons: f.delayReasons }),
      });
      const clock = clockFor(obligation, now, decidedFrom(standing.facts.decisions), name, hintsFrom(standing.assessment?.result));
      if (flags.json) {
        io.out(`${safeJson({ filing: { ...filing, content: undefined }, clock })}\n`);
        return;
      }
      io.out(
        `Filed ${safeText(name)} (${safeText(obligation.recipient)}, ${obligation.stage}) #${filing.seq} at ${showTime(filing.sentAt, tz)}, reference ${safeText(filing.reference ?? '')}, via ${filing.channel}.\n`,
      );
      if (filing.lateByMs !== undefined) io.out(`Late by ${showDuration(filing.lateByMs)}; reasons recorded: ${safeText(filing.delayReasons ?? '')}\n`);
      io.out(`Snapshot kept: ${pack ?? 'none'} draft as of ${showTime(asOf, tz)} with ${'open' in snapshot ? snapshot.open.length : 0} open question(s).\n`);
      for (const a of attachments) io.out(`Attached ${safeText(a.name)} as ${a.evidence} (SHA-256 ${a.sha256}).\n`);
    }),
  );
}
