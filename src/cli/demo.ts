import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { generateDemo } from '../demo/generate.js';
import { consoleReport } from '../report/console.js';
import { toJson } from '../report/json.js';
import { scan } from '../scan/run.js';
import { writeFile } from 'node:fs/promises';
import { EXIT, type SetExit } from './exit-codes.js';
import { progressReporter } from './progress.js';
import { printWarnings } from './warnings.js';

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function registerDemo(program: Command, setExit: SetExit): void {
  program
    .command('demo')
    .description('Write a realistic sample bundle of two Exchange 2016 servers (one attacked through ProxyLogon), then scan it.')
    .option('--out <dir>', 'where to write the sample evidence', 'exir-demo')
    .option('--seed <n>', 'generator seed (the same seed writes the same bytes)', wholeNumber, 20210302)
    .option('--size-mb <n>', 'approximate size of the sample evidence in MB', wholeNumber, 40)
    .option('--json <file>', 'also write the scan result as JSON')
    .option('-q, --quiet', 'no progress bar')
    .action(async (flags: { out: string; seed: number; sizeMb: number; json?: string; quiet?: boolean }) => {
      const outDir = resolve(flags.out);
      process.stderr.write(`writing sample evidence to ${outDir} …\n`);
      const generated = await generateDemo({ outDir, seed: flags.seed, targetBytes: flags.sizeMb * 1024 * 1024 });
      process.stderr.write(`wrote ${generated.files.length} files, ${(generated.bytes / 1024 / 1024).toFixed(1)} MB; scanning: exir scan ${flags.out}\n\n`);
      const progress = progressReporter(!flags.quiet);
      let result;
      try {
        result = await scan({ inputs: [outDir], onProgress: (p) => progress.update(p) });
      } finally {
        progress.stop();
      }
      printWarnings(result.warnings, flags.json ? 'json' : 'none');
      process.stdout.write(consoleReport(result));
      if (flags.json) await writeFile(flags.json, toJson(result));
      process.stdout.write(`\nThe sample was generated with an attack on ${generated.truth.servers.filter((s) => s.expectedVerdict !== 'probed').map((s) => s.name).join(', ')}; `
        + `on real evidence \`exir scan\` exits 1 when it finds exploit attempts or worse.\n`);
      setExit(EXIT.CLEAN);
    });
}
