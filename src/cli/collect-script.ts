import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { positiveInt } from './whole-numbers.js';
import { EXIT, type SetExit } from './exit-codes.js';

/** A date or a time; a bare date is midnight UTC, so the window is the same wherever it is made. */
function instant(value: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new InvalidArgumentError('expected a date (2021-03-01) or an ISO time (2021-03-01T09:00Z)');
  return new Date(ms).toISOString();
}

interface Flags {
  days?: number;
  from?: string;
  to?: string;
  maxMb: number;
  out?: string;
}

export function registerCollectScript(program: Command, setExit: SetExit): void {
  program
    .command('collect-script')
    .description('Write the PowerShell script that collects, on an Exchange server, the logs and files exir reads (one zip with a manifest of hashes).')
    .option('--days <n>', 'collect the last N days, up to the end of today (UTC)', positiveInt)
    .option('--from <date>', 'start of the window (UTC date or time)', instant)
    .option('--to <date>', 'end of the window (default: the end of today, UTC)', instant)
    .option('--max-mb <n>', 'stop adding files past this many MiB; the rest is listed as not collected', positiveInt, 20480)
    .option('--out <file>', 'write the script to FILE (default: standard output)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  exir collect-script --days 30 --out exir-collect.ps1\n' +
        '  exir collect-script --from 2021-02-20 --to 2021-03-31 --out exir-collect.ps1\n' +
        '\nOn the Exchange server, in an elevated Windows PowerShell 5.1 (it installs nothing, needs no network, changes nothing):\n' +
        '  powershell -NoProfile -ExecutionPolicy Bypass -File .\\exir-collect.ps1 -OutDir D:\\exir\n' +
        'then copy the zip off the server and run:  exir scan exir-EX01-<time>.zip\n' +
        '\nExit codes: 0 written, 2 error (bad arguments).',
    )
    .action(async (flags: Flags) => {
      const { collectorScript, windowForDays } = await import('../evidence/collector/script.js');
      const fail = (message: string): void => {
        process.stderr.write(`exir collect-script: ${message}\n`);
        setExit(EXIT.ERROR);
      };
      if (flags.days !== undefined && (flags.from !== undefined || flags.to !== undefined)) return fail('give either --days or --from/--to, not both');
      if (flags.to !== undefined && flags.from === undefined) return fail('--to needs --from');
      const now = new Date();
      const window = flags.from !== undefined ? { from: flags.from, to: flags.to ?? windowForDays(1, now).to } : windowForDays(flags.days ?? 30, now);
      if (window.to <= window.from) return fail(`--to (${window.to}) must be after --from (${window.from})`);
      const script = collectorScript({ window, maxTotalMb: flags.maxMb });
      if (flags.out) {
        await writeFile(flags.out, script);
        process.stderr.write(`wrote ${flags.out}: collects ${window.from} to ${window.to}, at most ${flags.maxMb} MiB\n`);
      } else {
        process.stdout.write(script);
      }
      setExit(EXIT.CLEAN);
    });
}
