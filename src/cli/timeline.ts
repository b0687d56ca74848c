import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ScanResult } from '../core/types.js';
import { tzOption } from './tz-option.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { printWarnings } from './warnings.js';
import { withExamples } from './help.js';

interface TimelineFlags {
  from?: string;
  out: string;
  format?: 'csv' | 'jsonl';
  tz: string;
  quiet?: boolean;
}

export function registerTimeline(program: Command, setExit: SetExit): void {
  withExamples(
    program.command('timeline'),
    ['exir timeline bundle/ --out timeline.csv', 'exir timeline --from result.json --out timeline.jsonl', 'exir timeline bundle/ --format jsonl | jq .summary'],
    '0 written, 2 error (bad arguments, unreadable input, a --from file that is not a scan result).',
  )
    .description("Write one merged timeline of the attack: every finding and every record of the attackers' sessions, each with its file and line.")
    .argument('[paths...]', 'folders and .zip files to scan (or use --from)')
    .option('--from <scan.json>', 'use the result of an earlier `exir scan --json` instead of scanning')
    .option('--out <file>', 'where to write it (- for stdout)', '-')
    .option('--format <format>', 'csv (Timesketch) or jsonl; default from the file name, else csv')
    .addOption(tzOption('time zone for the local_time column (IANA name); the datetime column stays UTC'))
    .option('-q, --quiet', 'no progress bar')
    .action(async (paths: string[], flags: TimelineFlags) => {
      if (flags.format && flags.format !== 'csv' && flags.format !== 'jsonl') throw new Error('--format must be csv or jsonl');
      if (!flags.from && paths.length === 0) throw new Error('give folders or .zip files to scan, or --from a scan result');
      const [{ mergedTimeline }, { writeTimeline }] = await Promise.all([import('../correlate/timeline.js'), import('./timeline-file.js')]);
      let result: Pick<ScanResult, 'findings' | 'sessions'>;
      if (flags.from) {
        const parsed = JSON.parse(await readFile(flags.from, 'utf8')) as Partial<ScanResult>;
        if (!Array.isArray(parsed.findings)) throw new Error(`${flags.from} is not an exir scan result (no findings[])`);
        result = { findings: parsed.findings, sessions: parsed.sessions ?? [] };
      } else {
        const [{ scan }, { progressReporter }] = await Promise.all([import('../scan/run.js'), import('./progress.js')]);
        const progress = progressReporter(!flags.quiet);
        try {
          const full = await scan({ inputs: paths, onProgress: (p) => progress.update(p) });
          printWarnings(full.warnings, 'none');
          result = full;
        } finally {
          progress.stop();
        }
      }
      const entries = mergedTimeline(result);
      await writeTimeline(flags.out, entries, flags.tz, flags.format);
      if (flags.out !== '-') process.stderr.write(`wrote ${entries.length} timeline entries to ${flags.out}\n`);
      setExit(EXIT.CLEAN);
    });
}
