// `exir file CASE --obligation O1 --reference REF`: records a filing with a frozen snapshot of the
// draft as it stands; the first filing fixes lateness, and a late one needs the reasons for the delay.

import type { Command } from 'commander';
import { safeJson, safeText } from '../case/index.js';
import { clockFor, notifyDecision } from '../regulatory/clocks.js';
import { buildDraft } from '../regulatory/draft.js';
import type { ObligationTemplate } from '../regulatory/obligations.js';
import { refreshObligations } from '../regulatory/refresh.js';
import type { PackName } from '../regulatory/rules.js';
import { PACKS } from '../regulatory/rules.js';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import { showDuration, showTime } from '../regulatory/time.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import type { SetExit } from './exit-codes.js';
import { given } from './given.js';

interface FileFlags {
  obligation: string;
  reference: string;
  at?: string;
  by?: string;
  channel?: string;
  delayReasons?: string;
}

export function registerFile(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  storeOptions(program.command('file').argument('<case>', 'FIRM/CASE, or CASE when the firm is implied')
    .description('Record a filing: what was sent (a frozen snapshot of the draft), when, and the regulator\'s case reference.')
    .requiredOption('--obligation <ref>', 'the obligation filed (O1, O2, … from exir obligations)')
    .requiredOption('--reference <ref>', "the regulator's case reference (or the letter's reference)")
    .option('--at <time>', 'when it was sent (default: now)')
    .option('--by <name>', 'who sent it (default: the actor)')
    .option('--channel <channel>', 'joic_portal, odpa_portal, ico_online, sa_portal, email, letter, phone, register, other', 'other')
    .option('--delay-reasons <text>', 'the reasons for the delay, required when the first filing is after the deadline'))
    .action(runWithStore('file', io, setExit, async (store, flags, args) => {
      const f = flags as typeof flags & FileFlags;
      const ref = String(args[0]);
      const now = io.now();
      const tz = flags.tz ?? DEFAULT_ZONE;
      const standing = await refreshObligations(store, ref, now);
      const ob = standing.obligations.find((o) => o.ref === f.obligation.trim().toUpperCase());
      if (!ob) throw new Error(`case ${ref} has no obligation ${f.obligation} (see: exir obligations ${ref})`);
      const pack = (ob.template as Partial<ObligationTemplate>).pack;
      const c = { facts: standing.facts, assessment: standing.assessment, obligations: standing.obligations, clocks: standing.clocks, now, tz };
      const snapshot = pack !== undefined && (PACKS as readonly string[]).includes(pack)
        ? buildDraft(pack as PackName, c, { appendixRows: Infinity }) : { note: 'this obligation has no pack draft' };
      const { filing, obligation } = await store.recordFiling(ref, {
        obligation: ob.ref, reference: f.reference, channel: f.channel ?? 'other', content: { pack, assessmentVersion: standing.assessment?.version, draft: snapshot },
        ...given({ sentAt: f.at, sentBy: f.by, delayReasons: f.delayReasons }),
      });
      const clock = clockFor(obligation, now, notifyDecision(standing.facts.decisions));
      if (flags.json) {
        io.out(`${safeJson({ filing: { ...filing, content: undefined }, clock })}\n`);
        return;
      }
      io.out(`Filed ${obligation.ref} (${safeText(obligation.recipient)}, ${obligation.stage}) #${filing.seq} at ${showTime(filing.sentAt, tz)}, reference ${safeText(filing.reference ?? '')}, via ${filing.channel}.\n`);
      if (filing.lateByMs !== undefined) io.out(`Late by ${showDuration(filing.lateByMs)}; reasons recorded: ${safeText(filing.delayReasons ?? '')}\n`);
      io.out(`Snapshot kept: ${pack ?? 'none'} draft with ${'open' in snapshot ? snapshot.open.length : 0} open question(s).\n`);
    }));
}
