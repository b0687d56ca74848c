// `exir file CASE --obligation JOIC-1 --reference REF`: records a filing with a frozen snapshot of the
// draft as it stands; the first filing fixes lateness, and a late one needs the reasons for the delay.

import type { Command } from 'commander';
import { safeJson, safeText } from '../case/index.js';
import { clockFor, notifyDecision } from '../regulatory/clocks.js';
import { buildDraft } from '../regulatory/draft.js';
import type { ObligationTemplate } from '../regulatory/obligations.js';
import { findObligation } from '../regulatory/obligation-names.js';
import { refreshObligations } from '../regulatory/refresh.js';
import type { PackName } from '../regulatory/rules.js';
import { PACKS } from '../regulatory/rules.js';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import { showDuration, showTime } from '../regulatory/time.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import type { SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

interface FileFlags {
  obligation: string;
  reference: string;
  at?: string;
  by?: string;
  channel?: string;
  delayReasons?: string;
}

export function registerFile(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  const cmd = storeOptions(program.command('file').argument('<case>', 'FIRM/CASE, or CASE when the firm is implied')
    .description('Record a filing: what was sent (a frozen snapshot of the draft), when, and the regulator\'s case reference.')
    .requiredOption('--obligation <ref>', 'the obligation filed, as exir obligations names it (JOIC-1, JFSC-1, …; O1, O2, … also work)')
    .requiredOption('--reference <ref>', "the regulator's case reference (or the letter's reference)")
    .option('--at <time>', 'when it was sent (default: now)')
    .option('--by <name>', 'who sent it (default: the actor)')
    .option('--channel <channel>', 'joic_portal, odpa_portal, ico_online, sa_portal, email, letter, phone, register, other', 'other')
    .option('--delay-reasons <text>', 'the reasons for the delay, required when the first filing is after the deadline'));
  withExamples(cmd, [
    'exir file acme/exch-2021 --obligation JOIC-1 --reference JOIC/2021/123 --channel joic_portal',
    'exir file acme/exch-2021 --obligation JOIC-1 --reference JOIC/2021/123 --at 2021-03-11T10:00Z --delay-reasons "scope confirmed late"',
  ], '0 filing recorded, 2 error (an unknown case or obligation, a late first filing without --delay-reasons).')
    .action(runWithStore('file', io, setExit, async (store, flags, args) => {
      const f = flags as typeof flags & FileFlags;
      const ref = String(args[0]);
      const now = io.now();
      const tz = flags.tz ?? DEFAULT_ZONE;
      const standing = await refreshObligations(store, ref, now);
      const ob = findObligation(standing.obligations, f.obligation);
      if (!ob) throw new Error(`case ${ref} has no obligation ${f.obligation} (see: exir obligations ${ref})`);
      const name = standing.clocks.find((k) => k.ref === ob.ref)?.name ?? ob.ref;
      const pack = (ob.template as Partial<ObligationTemplate>).pack;
      const c = { facts: standing.facts, assessment: standing.assessment, obligations: standing.obligations, clocks: standing.clocks, now, tz };
      const snapshot = pack !== undefined && (PACKS as readonly string[]).includes(pack)
        ? buildDraft(pack as PackName, c, { appendixRows: Infinity }) : { note: 'this obligation has no pack draft' };
      const { filing, obligation } = await store.recordFiling(ref, {
        obligation: ob.ref, reference: f.reference, channel: f.channel ?? 'other', content: { pack, assessmentVersion: standing.assessment?.version, draft: snapshot },
        ...(f.at !== undefined ? { sentAt: f.at } : {}), ...(f.by !== undefined ? { sentBy: f.by } : {}),
        ...(f.delayReasons !== undefined ? { delayReasons: f.delayReasons } : {}),
      });
      const clock = clockFor(obligation, now, notifyDecision(standing.facts.decisions), name);
      if (flags.json) {
        io.out(`${safeJson({ filing: { ...filing, content: undefined }, clock })}\n`);
        return;
      }
      io.out(`Filed ${safeText(name)} (${safeText(obligation.recipient)}, ${obligation.stage}) #${filing.seq} at ${showTime(filing.sentAt, tz)}, reference ${safeText(filing.reference ?? '')}, via ${filing.channel}.\n`);
      if (filing.lateByMs !== undefined) io.out(`Late by ${showDuration(filing.lateByMs)}; reasons recorded: ${safeText(filing.delayReasons ?? '')}\n`);
      io.out(`Snapshot kept: ${pack ?? 'none'} draft with ${'open' in snapshot ? snapshot.open.length : 0} open question(s).\n`);
    }));
}
