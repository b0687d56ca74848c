// `exir report CASE --pack … --format …`: the drafts, built from the case as it stands now.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Draft } from '../regulatory/draft-types.js';
import type { PackName } from '../regulatory/pack-names.js';
import { PACKS } from '../regulatory/pack-names.js';
import { DEFAULT_ZONE } from '../core/zoned-time.js';
import type { PackFormat } from '../report/packs/formats.js';
import { FORMATS } from '../report/packs/formats.js';
import type { RegulatoryIo } from './assess.js';
import { processRegulatoryIo, runWithStore, storeOptions } from './assess.js';
import type { SetExit } from './exit-codes.js';
import { withExamples } from './help.js';

interface ReportFlags {
  pack?: PackName | 'authorities' | 'all';
  format?: PackFormat;
  copy: 'working' | 'send';
  out?: string;
}

/** `--json` is `--format json`; without `--pack`, `--out` means every pack and nothing else is a choice made. */
function reportChoice(f: Omit<ReportFlags, 'copy'> & { json?: boolean }): { pack: PackName | 'authorities' | 'all'; format: PackFormat } {
  if (f.json && f.format !== undefined && f.format !== 'json') throw new Error(`--json and --format ${f.format} ask for two formats; give one`);
  const format = f.json ? 'json' : (f.format ?? 'html');
  if (f.pack !== undefined) return { pack: f.pack, format };
  if (f.out !== undefined) return { pack: 'all', format };
  throw new Error(`say which draft: --pack ${[...PACKS, 'authorities', 'all'].join('|')}, or --out FOLDER for all of them`);
}

/** Each format's renderer is loaded only when asked for: DOCX and PDF bring large libraries. */
async function render(drafts: Draft[], format: PackFormat): Promise<(string | Buffer)[]> {
  if (format === 'pdf') return (await import('../report/packs/pdf.js')).renderPackPdfs(drafts);
  if (format === 'docx') {
    const { renderPackDocx } = await import('../report/packs/docx.js');
    return Promise.all(drafts.map(renderPackDocx));
  }
  if (format === 'html') return drafts.map((await import('../report/packs/html.js')).renderPackHtml);
  return drafts.map((await import('../report/packs/json.js')).renderPackJson);
}

export function registerReport(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  const cmd = storeOptions(
    program
      .command('report')
      .argument('<case>', 'FIRM/CASE, or CASE when the firm is implied')
      .description(
        'Draft the JOIC report, the JFSC letter and answers, the letter to the people affected, the board briefing, the breach-log entry or the evidence summary the others refer to, from the case.',
      )
      .addOption(
        new Option(
          '--pack <pack>',
          'which draft (authorities: the JOIC report and one to each other authority the case must tell: ODPA, ICO, EU authorities; required, except that --out alone means all)',
        ).choices([...PACKS, 'authorities', 'all']),
      )
      .addOption(new Option('--format <format>', 'file format (default: html; json with --json)').choices(FORMATS))
      .addOption(
        new Option(
          '--copy <copy>',
          'working: with sources, open questions and internal references; send: the clean copy to send, refused while a question is open',
        )
          .choices(['working', 'send'])
          .default('working'),
      )
      .option(
        '--out <path>',
        'file to write (a folder with --pack all, or when the letter to the people affected is several letters, one per audience); HTML and JSON of one document go to stdout without it, DOCX and PDF to ./FIRM-CASE-PACK.EXT',
      ),
  );
  withExamples(
    cmd,
    [
      'exir report acme/exch-2021 --pack joic > joic.html',
      'exir report acme/exch-2021 --pack board --format docx --out board.docx',
      'exir report acme/exch-2021 --pack joic --json | jq .open',
      'exir report acme/exch-2021 --format pdf --out drafts/',
      'exir report acme/exch-2021 --pack joic --copy send --format docx --out joic-send.docx',
    ],
    '0 drafts written (open questions are listed in them, not an error), 2 error (bad arguments, an unknown case, a send copy asked for while a question is open, a case whose audit chain or scan seals do not hold).',
  ).action(
    runWithStore('report', io, setExit, async (store, flags, args) => {
      const f = { ...(flags as typeof flags & ReportFlags), ...reportChoice(flags) };
      const [
        { buildDrafts, buildOtherAuthorityDrafts, shortName },
        { refreshObligations },
        { blockingQuestions, SendCopyRefused, sendCopy },
        { withPhishingSections },
      ] = await Promise.all([
        import('../regulatory/draft.js'),
        import('../regulatory/refresh.js'),
        import('../regulatory/send-copy.js'),
        import('./pack-phishing.js'),
      ]);
      const ref = String(args[0]);
      // A draft built from edited findings or verdicts would carry the edit to a regulator.
      const audit = await store.checkAudit(ref);
      if (!audit.intact) {
        throw new Error(
          `case ${ref} does not hold together: ${audit.problems.length} problem(s) in its audit chain or scan seals ` +
            `(first: ${audit.problems[0]?.reason ?? 'unknown'}). No draft is written; see exir case verify ${ref}`,
        );
      }
      const now = flags.now ?? io.now();
      const standing = await refreshObligations(store, ref, now);
      const c = {
        facts: standing.facts,
        assessment: standing.assessment,
        obligations: standing.obligations,
        clocks: standing.clocks,
        now,
        tz: flags.tz ?? DEFAULT_ZONE,
      };
      const packs: PackName[] = f.pack === 'all' ? [...PACKS] : f.pack === 'authorities' ? ['joic'] : [f.pack];
      // The evidence summary's JSON carries every finding; its page formats carry the summary only.
      const opts = f.format === 'json' ? { appendixRows: Infinity } : {};
      // The letter to the people affected is one document per audience, so a pack may give several;
      // each authority other than the JOIC gets its own report, drafted from its own obligation.
      const drafts = await withPhishingSections(
        store,
        ref,
        packs.flatMap((p) => [...buildDrafts(p, c, opts), ...(p === 'joic' && f.pack !== 'joic' ? buildOtherAuthorityDrafts(c, opts) : [])]),
      );
      // A pack may have no document: a processor's notice where the firm holds no client's data, a letter where it controls none.
      if (drafts.length === 0)
        throw new Error(
          f.pack === 'processor'
            ? `case ${ref} has no dataset held as processor for a client: no processor's notice is due (answers: datasets[].role: processor, datasets[].controller)`
            : `case ${ref} has no ${f.pack} document to write: every dataset is held as processor for a client, whose duty it is`,
        );
      // A send copy is refused (exit 2) while any document still has an open question, each named.
      const refused =
        f.copy === 'send' ? drafts.flatMap((d) => (blockingQuestions(d).length ? [new SendCopyRefused(d, blockingQuestions(d)).message] : [])) : [];
      if (refused.length) throw new Error(refused.join('\n'));
      const outputs = await render(f.copy === 'send' ? drafts.map(sendCopy) : drafts, f.format);
      const record = standing.facts.record;
      const single = drafts.length === 1;
      if (single && f.out === undefined && (f.format === 'html' || f.format === 'json')) {
        io.out(String(outputs[0]));
        return;
      }
      // Slugs are checked by the store (letters, digits, dot, dash, underscore), so they are safe in a file name.
      const dir = single ? undefined : resolve(f.out ?? '.');
      if (dir) mkdirSync(dir, { recursive: true });
      drafts.forEach((d, i) => {
        // Audience ids are made of letters, digits, dot, dash, underscore and plus (src/regulatory/audiences.ts).
        const to = d.recipient
          ? `-${shortName(d.recipient)
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, '-')
              .replace(/^-|-$/g, '')}`
          : '';
        const name = `${record.firm.slug}-${record.name}-${d.pack}${to}${d.audience ? `-${d.audience.id}` : ''}${f.copy === 'send' ? '-send' : ''}.${f.format}`;
        const path = single ? resolve(f.out ?? name) : join(dir ?? '.', name);
        writeFileSync(path, outputs[i] ?? '');
        io.out(`${path}  (${d.open.length} open question(s))\n`);
      });
    }),
  );
}
