// `exir phishing CASE`: lookalike domains of the firm's and its clients' domains (offline unless
// --resolve), and what message tracking shows of phishing after the attack. Exit 1 when the mail
// shows any.

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions, UsageError } from './assess.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];
/** DNS questions per second at most: enough for a few hundred names in a minute, too few to trip a resolver's limits. */
const MAX_RATE = 50;

interface PhishingFlags {
  domain: string[];
  clients?: string;
  resolve?: boolean;
  rate: string;
  csv?: boolean;
}

/** One domain a line; `#` starts a comment; blank lines skipped. */
function parseDomainList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

export function registerPhishing(
  program: Command,
  setExit: SetExit,
  io: RegulatoryIo = processRegulatoryIo,
  resolver?: (domain: string) => Promise<boolean | undefined>,
): void {
  storeOptions(
    withExamples(
      program.command('phishing'),
      [
        'exir phishing acme/exch-2021 --domain acme.je',
        'exir phishing acme/exch-2021 --domain acme.je --clients clients.txt --csv > block-list.csv',
        'exir phishing acme/exch-2021 --domain acme.je --resolve --rate 5',
      ],
      '0 no phishing seen in the mail, 1 phishing seen, 2 error.',
    )
      .argument('<case>', 'FIRM/CASE')
      .description(
        "Lookalike domains to block, and mail from them, to the attacker's forwarding, into hijacked threads or in bulk after the attack. Exit 1 when the mail shows any.",
      )
      .option('--domain <domain>', "the firm's domain (repeat for more; default: the domains the case's mail shows are the firm's)", collect, [])
      .option('--clients <file>', "the clients' domains, one a line")
      .option('--resolve', 'ask DNS which lookalikes exist (off by default: nothing leaves the machine without it)')
      .option('--rate <n>', `DNS questions per second with --resolve (1-${MAX_RATE})`, '10')
      .option('--csv', 'print the block list as CSV'),
  ).action(
    runWithStore('phishing', io, setExit, async (store, flags, args) => {
      const f = flags as typeof flags & PhishingFlags;
      const rate = Number(f.rate);
      if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE) throw new UsageError(`--rate "${f.rate}": a whole number from 1 to ${MAX_RATE}`);
      const { phishingOfCase } = await import('../assess/phishing/of-case.js');
      const { renderPhishingCsv, renderPhishingText } = await import('../report/phishing.js');
      const { safeJson } = await import('../core/terminal-text.js');
      const clientDomains = f.clients !== undefined ? parseDomainList(await readFile(f.clients, 'utf8')) : [];
      const dns = f.resolve ? (resolver ?? (await import('../assess/phishing/resolve.js')).dnsResolver()) : undefined;
      const report = await phishingOfCase(store, String(args[0]), {
        domains: f.domain,
        clientDomains,
        perSecond: rate,
        ...(dns ? { resolver: dns } : {}),
      });
      io.out(flags.json ? `${safeJson(report)}\n` : f.csv ? renderPhishingCsv(report) : renderPhishingText(report, flags.tz ?? DEFAULT_ZONE));
      if (report.watch.length > 0) setExit(EXIT.FINDINGS);
    }),
  );
}
