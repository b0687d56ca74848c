// `exir credentials CASE`: which accounts to treat as known to the attacker, why, and in what
// order to reset them. Exit 1 when there is any.

import type { Command } from 'commander';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

export function registerCredentials(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  storeOptions(
    withExamples(
      program.command('credentials'),
      ['exir credentials acme/exch-2021', 'exir credentials acme/exch-2021 --csv > reset-order.csv', 'exir credentials acme/exch-2021 --json'],
      '0 no account to reset, 1 accounts to treat as known to the attacker, 2 error.',
    )
      .argument('<case>', 'FIRM/CASE')
      .description(
        'Accounts whose secrets must be presumed known to the attacker, in reset order, each with why, from when and the evidence. Exit 1 when there is any.',
      )
      .option('--csv', 'print CSV'),
  ).action(
    runWithStore('credentials', io, setExit, async (store, flags, args) => {
      const { credentialsOfCase } = await import('../assess/credentials/of-case.js');
      const { renderCredentialsCsv, renderCredentialsText } = await import('../report/credentials.js');
      const { safeJson } = await import('../core/terminal-text.js');
      const report = await credentialsOfCase(store, String(args[0]));
      const csv = (flags as { csv?: boolean }).csv === true;
      io.out(flags.json ? `${safeJson(report)}\n` : csv ? renderCredentialsCsv(report) : renderCredentialsText(report, flags.tz ?? DEFAULT_ZONE));
      if (report.accounts.length > 0) setExit(EXIT.FINDINGS);
    }),
  );
}
