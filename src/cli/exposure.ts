import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { ExposureFlags, ExposureIO, UpdateFlags } from './exposure-run.js';
import { withExamples } from './help.js';
import type { SetExit } from './exit-codes.js';

export type { ExposureIO } from './exposure-run.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

const PROCESS_IO: ExposureIO = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  stdin: () => readFileSync(0, 'utf8'),
};

export function registerExposure(program: Command, setExit: SetExit, io: ExposureIO = PROCESS_IO): void {
  const exposure = program
    .command('exposure')
    .description('Which Exchange servers are or were vulnerable, to what, and which update fixes it.')
    .argument('[inputs...]', 'builds (15.1.2176.9, "Version 15.1 (Build 2176.9)"), or files: CliXml, Format-List text, CSV inventory; - for stdin')
    .option('--probe <url>', "read the build of an OWA server and run Microsoft's CVE-2021-26855 check (repeatable)", collect, [])
    .option('--insecure', 'with --probe: accept a TLS certificate that does not verify')
    .option('--json', 'write the report as JSON')
    .option('--csv', 'write one CSV row per server')
    .option('--out <file>', 'write the report to FILE instead of stdout')
    .option('--as-of <date>', 'judge support status on this date (YYYY-MM-DD)', isoDate)
    .option('--builds <file>', 'use this build table instead of the shipped one')
    .option('--security <file>', 'use this update-to-CVE map instead of the shipped one')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  exir exposure 15.2.792.10',
        '  exir exposure servers.csv --csv --out exposure.csv',
        '  exir exposure exsetup.xml "Version 15.1 (Build 2176.2)"',
        '  exir exposure --probe https://mail.example.je',
        '  exir exposure update --from build-numbers-and-release-dates.md',
        '',
        "Exit codes: 0 no known-exploited exposure, 1 a server exposed to a CVE in CISA's known-exploited catalogue, 2 error.",
      ].join('\n'),
    )
    .action(async (inputs: string[], flags: ExposureFlags) => (await import('./exposure-run.js')).runExposure(inputs, flags, setExit, io));

  withExamples(
    exposure.command('update'),
    [
      'exir exposure update --from build-numbers-and-release-dates.md --dry-run',
      'exir exposure update --from exchange-builds.html --write my-builds.json   # then: exir exposure --builds my-builds.json …',
      'exir exposure update --from cve-records.json   # compare saved CVE records with the CVE map; writes nothing',
      "exir exposure update --from Get-ExchangeBuildVersionInformation.ps1   # compare CSS-Exchange's build dictionary with the build table; writes nothing",
      "exir exposure update --from known_exploited_vulnerabilities.json   # compare CISA's catalogue with the CVE map; writes nothing",
    ],
    "0 table written (or, with --dry-run, checked; or CVE records, a build dictionary or CISA's catalogue compared), 2 error (a page it cannot read, a table it cannot write).",
  )
    .description(
      "Refresh the build table from a newer copy of Microsoft's \"Exchange Server build numbers and release dates\" page, or compare saved CVE records or CISA's known-exploited catalogue with the CVE map, or CSS-Exchange's build dictionary with the build table.",
    )
    .requiredOption(
      '--from <file>',
      "the page (its Markdown source, the saved HTML, or its text), CVE JSON 5 records (one, an array, or one per line), or CSS-Exchange's Shared/Get-ExchangeBuildVersionInformation.ps1",
    )
    .option('--table <file>', 'the build table to start from (default: the shipped one)')
    .option('--write <file>', 'where to write the table (default: over the one it started from)')
    .option('--dry-run', 'show what would change, write nothing')
    .action(async (flags: UpdateFlags, cmd: Command) =>
      (await import('./exposure-run.js')).runUpdate(flags, (cmd.parent?.opts() ?? {}) as ExposureFlags, setExit, io),
    );
}
