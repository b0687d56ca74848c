import { userInfo } from 'node:os';
import { Command } from 'commander';
import { positiveInt } from './whole-numbers.js';
import type { ScanResult } from '../core/types.js';
import type { QueueScanOptions } from '../scan/queue/coordinator.js';
import { tzOption } from './tz-option.js';
import { DEFAULT_ZIP_LIMITS } from '../evidence/zip-limits.js';
import { safeText } from '../core/terminal-text.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { printWarnings } from './warnings.js';
import { withExamples } from './help.js';
import { given } from './given.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface ScanFlags {
  case?: string;
  db?: string;
  workspace?: string;
  firm?: string;
  actor?: string;
  json?: string;
  timeline?: string;
  sigma: string[];
  threads?: number;
  quiet?: boolean;
  verbose?: boolean;
  maxExpandGb: number;
  tz: string;
  allowEmpty?: boolean;
  queue?: string;
  batchSize?: number;
  rangeSize?: number;
}

/** Stores the scan in a case in one transaction: all of it, or (if interrupted) none of it. */
async function recordInCase(ref: string, result: ScanResult, flags: ScanFlags, args: string[]): Promise<void> {
  // Loaded only when asked for: the database drivers are not needed to scan.
  const { openStore, renderScanOutcome } = await import('../case/index.js');
  const store = await openStore(flags.db, {
    ...given({ workspace: flags.workspace, firm: flags.firm, actor: flags.actor }),
  });
  try {
    const outcome = await store.recordScan(ref, result, { actor: flags.actor ?? process.env['EXIR_ACTOR'] ?? userInfo().username, args });
    process.stderr.write(renderScanOutcome(ref, outcome));
  } finally {
    await store.close();
  }
}

const MIB = 1024 * 1024;

/** Where a queued scan's jobs go and how its files are cut into them. */
function queueOptions(redisUrl: string, dbUrl: string, flags: ScanFlags, onRunId: (id: string) => void): QueueScanOptions {
  return {
    onRunId,
    redisUrl,
    dbUrl,
    firm: flags.firm ?? flags.case?.split('/')[0] ?? 'default',
    ...(flags.batchSize ? { batch: { maxBytes: flags.batchSize * MIB } } : {}),
    ...(flags.rangeSize ? { rangeBytes: flags.rangeSize * MIB } : {}),
  };
}

export function registerScan(program: Command, setExit: SetExit): void {
  withExamples(
    program.command('scan'),
    [
      'scan ./EX01-logs ./EX02-triage.zip',
      'scan triage.zip --json result.json --timeline timeline.csv',
      "scan bundle/ --json - | jq '.servers'",
      'scan bundle/ --case acme/exch-2021 --tz UTC',
      'scan /shared/acme/*.zip --case acme/exch-2021 --queue redis://127.0.0.1:6379 --db postgres://127.0.0.1/exir',
    ].map((e) => `exir ${e}`),
    '0 nothing found at exploit-attempt or above, 1 exploit attempts or worse found, 2 error (bad arguments, unreadable input).',
  )
    .description('Read folders and .zip bundles of Exchange and IIS logs and say whether each server was probed, attacked or compromised.')
    .argument('<paths...>', 'folders and .zip files (read in place)')
    .option('--json <file>', 'write the whole result as JSON to FILE (- for stdout)')
    .option('--timeline <file>', 'write the merged timeline for Timesketch: CSV, or JSON lines when FILE ends in .jsonl')
    .addOption(tzOption())
    .option('--sigma <dir>', 'add a folder of Sigma rules to the shipped ones (repeatable)', collect, [])
    .option(
      '--threads <n>',
      'reading threads, this one included (default: one per core from 256 MiB of evidence, else 1; on 2 cores, 1 above 25,000 files, to bound memory)',
      positiveInt,
    )
    .option('--max-expand-gb <n>', 'refuse a .zip that expands past N GiB', positiveInt, DEFAULT_ZIP_LIMITS.maxExpandedBytes / 1024 ** 3)
    .option('--case <ref>', 'store the result in this case (FIRM/CASE, made with `exir case new`)')
    .option('--db <url>', 'case store: postgres://… (default: SQLite in the workspace, or EXIR_DB)')
    .option('--workspace <dir>', 'folder of the SQLite case store (default ./.exir or EXIR_WORKSPACE)')
    .option('--firm <name>', 'limit the case store to one firm (default EXIR_FIRM)')
    .option('--actor <name>', 'who ran the scan, for the case audit log (default EXIR_ACTOR or the login name)')
    .option('--allow-empty', 'exit 0 (with a warning) when nothing could be read, instead of 2')
    .option('--queue <url>', 'send the reading to `exir worker` processes through this Redis queue (redis://…; default EXIR_QUEUE); needs --db postgres://…')
    .option('--batch-size <MiB>', 'with --queue: small files travel together in jobs of up to this many MiB (default 32)', positiveInt)
    .option('--range-size <MiB>', 'with --queue: a log bigger than this is read as byte ranges of this many MiB, one job each (default 256)', positiveInt)
    .option('-q, --quiet', 'no progress bar')
    .option('-v, --verbose', 'also say on stderr how the logs are read (the native byte search, or the JavaScript one and why)')
    .action(async (paths: string[], flags: ScanFlags) => {
      const queueUrl = flags.queue ?? process.env['EXIR_QUEUE'];
      const dbUrl = flags.db ?? process.env['EXIR_DB'];
      if (queueUrl && !dbUrl?.startsWith('postgres')) {
        process.stderr.write('exir scan: --queue needs --db postgres://… (or EXIR_DB): the workers store what they read there\n');
        setExit(EXIT.ERROR);
        return;
      }
      // Loaded when the command runs, not when the command line starts (`exir --help` needs none of it).
      const [{ scan }, { progressReporter }, { consoleReport }, { writeJson }, { isAttack }, { mergedTimeline }, { writeTimeline }, { nothingRead }] =
        await Promise.all([
          import('../scan/run.js'),
          import('./progress.js'),
          import('../report/console.js'),
          import('../report/json.js'),
          import('../correlate/verdict.js'),
          import('../correlate/timeline.js'),
          import('./timeline-file.js'),
          import('../scan/nothing-read.js'),
        ]);
      if (flags.verbose) {
        const { byteSearchEngine } = await import('../sources/bytes/native.js');
        process.stderr.write(`exir: literal pre-filter: ${byteSearchEngine()}\n`);
      }
      const progress = progressReporter(!flags.quiet);
      let result;
      let runId: string | undefined;
      try {
        result = await scan({
          ...(queueUrl && dbUrl ? { queue: queueOptions(queueUrl, dbUrl, flags, (id) => (runId = id)) } : {}),
          inputs: paths,
          sigmaDirs: flags.sigma,
          ...(flags.threads ? { threads: flags.threads } : {}),
          zipLimits: { ...DEFAULT_ZIP_LIMITS, maxExpandedBytes: flags.maxExpandGb * 1024 ** 3 },
          onProgress: (p) => progress.update(p),
        });
      } finally {
        progress.stop();
      }
      printWarnings(result.warnings, flags.json ? 'json' : 'none');
      const summary = consoleReport(result, flags.tz);
      if (flags.json === '-') {
        await writeJson(result, '-');
        process.stderr.write(summary);
      } else {
        if (flags.json) await writeJson(result, flags.json);
        process.stdout.write(summary);
      }
      if (flags.timeline) await writeTimeline(flags.timeline, mergedTimeline(result), flags.tz);
      if (flags.case) await recordInCase(flags.case, result, flags, process.argv.slice(2));
      // Stored (or written out): the workers' results for the run are not needed again.
      if (runId && dbUrl) await (await import('../scan/queue/results.js')).forgetRun(dbUrl, runId);
      const empty = nothingRead(result);
      if (empty) {
        process.stderr.write(
          flags.allowEmpty
            ? `exir: WARNING: ${safeText(empty)}; nothing here says a server is clean (exit 0 as --allow-empty asked)\n`
            : `exir: ${safeText(empty)}; nothing here says a server is clean. Exit 2 (give --allow-empty to exit 0).\n`,
        );
        if (!flags.allowEmpty) setExit(EXIT.ERROR);
      }
      setExit(result.findings.some(isAttack) ? EXIT.FINDINGS : EXIT.CLEAN);
    });
}
