import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { ScanResult } from '../core/types.js';
import { tzOption } from './tz-option.js';
import { readdir, writeFile } from 'node:fs/promises';
import type { ServerSummary } from '../core/types.js';
import { safeText } from '../core/terminal-text.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { printWarnings } from './warnings.js';
import { withExamples } from './help.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

const DEMO_CASE = 'demo/proxylogon';

/** The demo's scan as a case, so `exir serve` opens on data; a rerun adds nothing it already holds. */
async function recordDemoCase(result: ScanResult): Promise<string> {
  const { openStore } = await import('../case/index.js');
  const store = await openStore();
  try {
    if (!(await store.listCases({ firm: 'demo' })).some((c) => c.ref === DEMO_CASE)) {
      await store.createCase({ ref: DEMO_CASE, title: 'Demo: two Exchange 2016 servers, one attacked through ProxyLogon', firm: { name: 'Demo firm' } });
    }
    const outcome = await store.recordScan(DEMO_CASE, result, { actor: 'exir demo', args: process.argv.slice(2) });
    return `recorded in case ${DEMO_CASE} in ${store.location} (${outcome.added.findings} new finding(s)); open it in a browser with: exir serve`;
  } finally {
    await store.close();
  }
}

/** The demo's last words: what the scan above found, said of what was actually scanned. */
export function demoClosing(servers: Pick<ServerSummary, 'name' | 'verdict'>[], wroteSample: boolean, dir: string): string {
  const found = servers.length === 0 ? 'no Exchange or IIS server' : servers.map((s) => `${safeText(s.name)} ${s.verdict}`).join(', ');
  const what = wroteSample ? 'the sample evidence the demo wrote' : `what ${safeText(dir)} already held (not necessarily the demo's sample)`;
  return `\nScanned ${what}: ${found}. The demo exits 0 whatever it finds; on real evidence \`exir scan\` exits 1 when it finds exploit attempts or worse.\n`;
}

export function registerDemo(program: Command, setExit: SetExit): void {
  withExamples(
    program.command('demo'),
    ['exir demo', 'exir demo --out ./exir-demo --size-mb 40 --json demo.json', 'exir demo --seed 7 --out other-demo --tz UTC'],
    '0 the demo ran (its sample holds an attack, but a demo is not a finding), 2 error.',
  )
    .description('Write a realistic sample bundle of two Exchange 2016 servers (one attacked through ProxyLogon), then scan it.')
    .option('--out <dir>', 'where to write the sample evidence', 'exir-demo')
    .option('--seed <n>', 'generator seed (the same seed writes the same bytes)', wholeNumber, 20210302)
    .option('--size-mb <n>', 'approximate size of the sample evidence in MB', wholeNumber, 40)
    .option('--json <file>', 'also write the scan result as JSON')
    .addOption(tzOption())
    .option('-q, --quiet', 'no progress bar')
    .option('--no-case', `do not record the scan in the case ${DEMO_CASE} (in the workspace's case store, for exir serve)`)
    .action(async (flags: { out: string; seed: number; sizeMb: number; json?: string; quiet?: boolean; tz: string; case: boolean }) => {
      const [{ generateDemo }, { scan }, { progressReporter }, { consoleReport }, { toJson }] = await Promise.all([
        import('../demo/generate.js'),
        import('../scan/run.js'),
        import('./progress.js'),
        import('../report/console.js'),
        import('../report/json.js'),
      ]);
      const outDir = resolve(flags.out);
      const existing = await readdir(outDir).catch(() => []);
      const wroteSample = existing.length === 0;
      if (!wroteSample) {
        // Never delete a folder the user has: scan what is there, which a rerun of the demo wrote.
        process.stderr.write(`${outDir} is not empty: scanning what it holds (remove it to write the sample afresh)\n\n`);
      } else {
        process.stderr.write(`writing sample evidence to ${outDir} …\n`);
        const generated = await generateDemo({ outDir, seed: flags.seed, targetBytes: flags.sizeMb * 1024 * 1024 });
        process.stderr.write(`wrote ${generated.files.length} files, ${(generated.bytes / 1024 / 1024).toFixed(1)} MB; scanning: exir scan ${flags.out}\n\n`);
      }
      const progress = progressReporter(!flags.quiet);
      let result;
      try {
        result = await scan({ inputs: [outDir], onProgress: (p) => progress.update(p) });
      } finally {
        progress.stop();
      }
      printWarnings(result.warnings, flags.json ? 'json' : 'none');
      process.stdout.write(consoleReport(result, flags.tz));
      if (flags.json) await writeFile(flags.json, toJson(result));
      if (flags.case) {
        try {
          process.stderr.write(`\n${await recordDemoCase(result)}\n`);
        } catch (err) {
          process.stderr.write(`\nexir demo: could not record the demo in case ${DEMO_CASE}: ${safeText(err instanceof Error ? err.message : String(err))}\n`);
          setExit(EXIT.ERROR);
          return;
        }
      }
      process.stdout.write(demoClosing(result.servers, wroteSample, flags.out));
      setExit(EXIT.CLEAN);
    });
}
