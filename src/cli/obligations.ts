// `exir obligations [CASE]`: the clocks, soonest first, after bringing each case's obligations in
// line with the rule pack. Exit 1 when a statutory deadline has passed unfiled.

import type { Command } from 'commander';
import type { Clock } from '../regulatory/clocks.js';
import { safeJson } from '../core/terminal-text.js';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

export function registerObligations(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  withExamples(
    storeOptions(
      program
        .command('obligations')
        .argument('[case]', 'FIRM/CASE (default: every case of the firm)')
        .description(
          'The notification clocks, soonest first: one per regime, recipient and stage, with the law behind each. Exit 1 when a deadline has passed unfiled.',
        ),
    ),
    [
      'exir obligations acme/exch-2021',
      'exir obligations                                 # every case of the firm',
      'exir obligations acme/exch-2021 --now 2021-03-12T09:00Z --tz UTC',
      "exir obligations acme/exch-2021 --json | jq '.clocks[].clock.name'",
    ],
    '0 no statutory deadline passed unfiled, 1 a deadline has passed unfiled, 2 error.',
  ).action(
    runWithStore('obligations', io, setExit, async (store, flags, args) => {
      const [{ sortClocks }, { refreshObligations }, { renderClocks }] = await Promise.all([
        import('../regulatory/clocks.js'),
        import('../regulatory/refresh.js'),
        import('../regulatory/render-text.js'),
      ]);
      const now = flags.now ?? io.now();
      const named = typeof args[0] === 'string' ? args[0] : undefined;
      const refs = named !== undefined ? [named] : (await store.listCases()).map((c) => c.ref);
      const items: { caseRef: string; clock: Clock }[] = [];
      const heldBack = new Set<string>();
      for (const ref of refs) {
        const standing = await refreshObligations(store, ref, now);
        for (const clock of standing.clocks) items.push({ caseRef: standing.facts.record.ref, clock });
        for (const r of standing.heldBack) heldBack.add(`${r.id} (${r.title}): ${r.law}; held back until in force`);
      }
      const order = new Map(sortClocks(items.map((i) => i.clock)).map((c, i) => [c, i]));
      items.sort((a, b) => (order.get(a.clock) ?? 0) - (order.get(b.clock) ?? 0));
      if (flags.json) io.out(`${safeJson({ at: now, clocks: items, heldBack: [...heldBack] })}\n`);
      else io.out(renderClocks(items, flags.tz ?? DEFAULT_ZONE, named === undefined) + [...heldBack].map((h) => `  not in force: ${h}\n`).join(''));
      if (items.some((i) => i.clock.state === 'overdue')) setExit(EXIT.FINDINGS);
    }),
  );
}
