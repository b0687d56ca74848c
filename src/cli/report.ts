// `exir report CASE --pack … --format …`: the drafts, built from the case as it stands now.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Draft } from '../regulatory/draft-types.js';
import { buildDraft } from '../regulatory/draft.js';
import { refreshObligations } from '../regulatory/refresh.js';
import type { PackName } from '../regulatory/rules.js';
import { PACKS } from '../regulatory/rules.js';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { PackFormat } from '../report/packs/index.js';
import { FORMATS, renderPackDocx, renderPackHtml, renderPackJson, renderPackPdfs } from '../report/packs/index.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import type { SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

interface ReportFlags {
  pack?: PackName | 'all';
  format?: PackFormat;
  out?: string;
}

/** `--json` is `--format json`; without `--pack`, `--out` means every pack and nothing else is a choice made. */
function reportChoice(f: ReportFlags & { json?: boolean }): { pack: PackName | 'all'; format: PackFormat } {
  if (f.json && f.format !== undefined && f.format !== 'json') throw new Error(`--json and --format ${f.format} ask for two formats; give one`);
  const format = f.json ? 'json' : f.format ?? 'html';
  if (f.pack !== undefined) return { pack: f.pack, format };
  if (f.out !== undefined) return { pack: 'all', format };
  throw new Error(`say which draft: --pack ${[...PACKS, 'all'].join('|')}, or --out FOLDER for all of them`);
}

async function render(drafts: Draft[], format: PackFormat): Promise<(string | Buffer)[]> {
  if (format === 'pdf') return renderPackPdfs(drafts);
  if (format === 'docx') return Promise.all(drafts.map(renderPackDocx));
  return drafts.map(format === 'html' ? renderPackHtml : renderPackJson);
}

export function registerReport(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  const cmd = storeOptions(program.command('report').argument('<case>', 'FIRM/CASE, or CASE when the firm is implied')
    .description('Draft the JOIC report, the JFSC letter and answers, the letter to the people affected, the board briefing or the breach-log entry, from the case.')
    .addOption(new Option('--pack <pack>', 'which draft (required, except that --out alone means all)').choices([...PACKS, 'all']))
    .addOption(new Option('--format <format>', 'file format (default: html; json with --json)').choices(FORMATS))
    .option('--out <path>', 'file to write (a folder with --pack all); HTML and JSON of one pack go to stdout without it, DOCX and PDF to ./FIRM-CASE-PACK.EXT'));
  withExamples(cmd, [
    'exir report acme/exch-2021 --pack joic > joic.html',
    'exir report acme/exch-2021 --pack board --format docx --out board.docx',
    'exir report acme/exch-2021 --pack joic --json | jq .open',
    'exir report acme/exch-2021 --format pdf --out drafts/',
  ], '0 drafts written (open questions are listed in them, not an error), 2 error (bad arguments, an unknown case).')
    .action(runWithStore('report', io, setExit, async (store, flags, args) => {
      const f = { ...(flags as typeof flags & ReportFlags), ...reportChoice(flags) };
      const ref = String(args[0]);
      const now = flags.now ?? io.now();
      const standing = await refreshObligations(store, ref, now);
      const c = { facts: standing.facts, assessment: standing.assessment, obligations: standing.obligations, clocks: standing.clocks, now, tz: flags.tz ?? DEFAULT_ZONE };
      const packs: PackName[] = f.pack === 'all' ? [...PACKS] : [f.pack];
      // JSON carries every finding in the appendix; the page formats carry the first few hundred.
      const drafts = packs.map((p) => buildDraft(p, c, f.format === 'json' ? { appendixRows: Infinity } : {}));
      const outputs = await render(drafts, f.format);
      const record = standing.facts.record;
      const single = packs.length === 1;
      if (single && f.out === undefined && (f.format === 'html' || f.format === 'json')) {
        io.out(String(outputs[0]));
        return;
      }
      // Slugs are checked by the store (letters, digits, dot, dash, underscore), so they are safe in a file name.
      const dir = single ? undefined : resolve(f.out ?? '.');
      if (dir) mkdirSync(dir, { recursive: true });
      drafts.forEach((d, i) => {
        const name = `${record.firm.slug}-${record.name}-${d.pack}.${f.format}`;
        const path = single ? resolve(f.out ?? name) : join(dir ?? '.', name);
        writeFileSync(path, outputs[i] ?? '');
        io.out(`${path}  (${d.open.length} open question(s))\n`);
      });
    }));
}
