// `exir assess CASE`: the breach assessment, from an answers file or from prompts for what only the
// firm knows; a new version each time, then the obligations brought up to date. Also the store
// plumbing the regulatory commands (obligations, report, file) share.

import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { BreachAnswers } from '../assess/breach/types.js';
import type { CaseStore } from '../case/index.js';
import { safeJson, safeText } from '../core/terminal-text.js';
import { checkZone, DEFAULT_ZONE } from '../core/zoned-time.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { tzOption } from './tz-option.js';
import { withExamples } from './help.js';
import { given } from './given.js';

export interface RegulatoryIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person is there to answer prompts. */
  interactive(): boolean;
  ask(question: string): Promise<string>;
  now(): string;
}

export const processRegulatoryIo: RegulatoryIo = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  interactive: () => process.stdin.isTTY === true && process.stdout.isTTY === true,
  ask: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
  now: () => new Date().toISOString(),
};

export interface RegulatoryFlags {
  db?: string;
  workspace?: string;
  firm?: string;
  actor?: string;
  json?: boolean;
  tz?: string;
  now?: string;
}

/** The options every regulatory command takes, as `exir case` spells them. */
export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <url>', "postgres://… for a shared store, or sqlite:FILE (default: env EXIR_DB, else the workspace's SQLite file)")
    .option('--workspace <dir>', 'where the SQLite store lives (default: env EXIR_WORKSPACE, else ./.exir)')
    .option('--firm <slug>', "limit this session to one firm's cases (default: env EXIR_FIRM)")
    .option('--actor <name>', 'who is acting, for the audit log (default: env EXIR_ACTOR, else the login name)')
    .addOption(tzOption())
    .option('--now <time>', 'read the clocks as at this time (default: now)')
    .option('--json', 'print JSON');
}

export class UsageError extends Error {}

/** Opens the store, runs the command, closes; a failure is one line on stderr and exit code 2. */
export function runWithStore(
  name: string,
  io: RegulatoryIo,
  setExit: SetExit,
  fn: (store: CaseStore, flags: RegulatoryFlags, args: unknown[]) => Promise<void>,
) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const flags = cmd.opts<RegulatoryFlags>();
    let store: CaseStore | undefined;
    try {
      checkZone(flags.tz ?? DEFAULT_ZONE);
      // The store and its database drivers are loaded when a command runs, not at start-up.
      const [{ parseInstant }, { openStore }] = await Promise.all([import('../case/times.js'), import('../case/index.js')]);
      if (flags.now !== undefined) flags.now = parseInstant(flags.now, '--now');
      store = await openStore(flags.db, {
        ...given({ workspace: flags.workspace, firm: flags.firm, actor: flags.actor }),
      });
      await fn(store, flags, args.slice(0, -2));
    } catch (err) {
      // Multi-line messages (what is missing, an example file) keep their lines; each is made safe.
      const lines = (err instanceof Error ? err.message : String(err)).split('\n').map(safeText);
      io.err(`exir ${name}: ${lines.join('\n')}\n`);
      if (process.env.EXIR_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
      setExit(EXIT.ERROR);
    } finally {
      await store?.close();
    }
  };
}

const ANSWERS_EXAMPLE = `firm:
  legalName: Acme Trust Company Limited
  role: [controller]            # controller, processor, or both
  establishments: [JE]          # JE, GG, UK, EU member states
  gdprScope: []                 # UK, EU, GG where those laws reach the firm
  jfsc: registered-person       # registered-person, schedule-2, none
  contact: { name: Jo Bloggs, role: Compliance Officer, email: jo@example.je, phone: "+44 1534 000000" }
datasets:
  - id: client-mail
    description: client mailboxes of the trust team
    mailboxes: ["*"]            # or addresses; "*" = every mailbox on the servers
    subjects: [clients, beneficial-owners]
    categories: [identity, identity-documents, financial, cdd-aml]
    people: 1500
    records: 40000
    jurisdictions: { JE: 900, GB: 450 }
    encrypted: false
narrative:
  howDiscovered: …
  containment: …
  preventive: … (with timeframe)
  consequences: …
`;

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Asks for what the assessment cannot be made without; answers are checked like a file's. */
async function promptAnswers(io: RegulatoryIo, have: BreachAnswers): Promise<BreachAnswers> {
  const [{ checkAnswers, missingAnswers }, { vocabulary }] = await Promise.all([
    import('../assess/breach/answers.js'),
    import('../assess/breach/categories.js'),
  ]);
  const missing = new Set(missingAnswers(have).map((m) => m.path));
  const firm: Record<string, unknown> = {};
  const ask = async (q: string): Promise<string> => (await io.ask(`${q}: `)).trim();
  io.out('Answer what only the firm knows (Enter leaves a question open).\n');
  if (missing.has('firm.legalName')) firm.legalName = (await ask("The firm's legal name")) || undefined;
  if (missing.has('firm.role')) {
    const r = (await ask('For this data the firm is: controller, processor, or both')).toLowerCase();
    firm.role = r === 'both' ? ['controller', 'processor'] : r ? [r] : undefined;
  }
  if (missing.has('firm.establishments')) firm.establishments = list(await ask('Where is the firm established (e.g. JE, GG, UK)')).map((s) => s.toUpperCase());
  if (missing.has('firm.jfsc')) firm.jfsc = (await ask('JFSC status: registered-person, schedule-2 or none')) || undefined;
  if (missing.has('firm.contact.name')) {
    firm.contact = {
      name: await ask('Contact for the regulators: name'),
      role: await ask('  role'),
      email: await ask('  email'),
      phone: await ask('  telephone'),
    };
  }
  let datasets: unknown[] | undefined;
  if (missing.has('datasets')) {
    datasets = [];
    io.out(`Data categories: ${[...vocabulary().categories.keys()].join(', ')}\nSubjects: ${[...vocabulary().subjects.keys()].join(', ')}\n`);
    for (let i = 1; ; i += 1) {
      const description = await ask(`Dataset ${i}: what is it (e.g. "trust team mailboxes"; Enter to stop)`);
      if (!description) break;
      const jurisdictions: Record<string, number> = {};
      for (const part of list(await ask('  where the people live, CODE=number (e.g. JE=900, GB=450)'))) {
        const [code, n] = part.split('=');
        if (code && n && Number.isFinite(Number(n))) jurisdictions[code.trim().toUpperCase()] = Number(n);
      }
      const people = await ask('  approximate number of people');
      const records = await ask('  approximate number of records');
      const encrypted = (await ask('  encrypted at rest with a key the attacker did not reach? (y/n)')).toLowerCase();
      datasets.push({
        id: `dataset-${i}`,
        description,
        mailboxes: list(await ask('  mailboxes (addresses, or * for all)')),
        subjects: list(await ask('  subjects (from the list above)')),
        categories: list(await ask('  categories (from the list above)')),
        ...(people ? { people: Number(people) } : {}),
        ...(records ? { records: Number(records) } : {}),
        ...(Object.keys(jurisdictions).length ? { jurisdictions } : {}),
        ...(encrypted === 'y' || encrypted === 'n' ? { encrypted: encrypted === 'y' } : {}),
      });
    }
  }
  const defined = Object.fromEntries(Object.entries(firm).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  return checkAnswers({ ...(Object.keys(defined).length ? { firm: defined } : {}), ...(datasets?.length ? { datasets } : {}) });
}

export function registerAssess(program: Command, setExit: SetExit, io: RegulatoryIo = processRegulatoryIo): void {
  const cmd = storeOptions(
    program
      .command('assess')
      .argument('<case>', 'FIRM/CASE, or CASE when the firm is implied')
      .description(
        'Assess the personal-data breach (ENISA severity, access the evidence cannot exclude); each run adds a version. Then brings the obligations up to date.',
      )
      .option(
        '--answers <file.yaml>',
        "the firm's answers (firm, datasets, enisa, override, narrative); without it, prompts on a terminal, or (with no terminal) assesses again on the answers already given",
      )
      .addHelpText('after', `\nAnswers file (every part optional; later answers are laid over earlier ones):\n${ANSWERS_EXAMPLE}`),
  );
  withExamples(
    cmd,
    [
      'exir assess acme/exch-2021 --answers firm.yaml',
      'exir assess acme/exch-2021                      # prompts for what is missing',
      'exir assess acme/exch-2021 --answers more.yaml --json | jq .assessment.conclusion',
    ],
    '0 assessed (a new version), 2 error (bad or missing answers, an unknown case).',
  ).action(
    runWithStore('assess', io, setExit, async (store, flags, args) => {
      const [
        { AnswersError, mergeAnswers, missingAnswers, parseAnswersYaml },
        { assessCase, latestAssessment, refreshObligations },
        { renderAssessment, renderClocks },
      ] = await Promise.all([import('../assess/breach/answers.js'), import('../regulatory/refresh.js'), import('../regulatory/render-text.js')]);
      const ref = String(args[0]);
      const file = (flags as RegulatoryFlags & { answers?: string }).answers;
      const tz = flags.tz ?? DEFAULT_ZONE;
      const earlier = latestAssessment(await store.listAssessments(ref))?.answers ?? {};
      let given: BreachAnswers = {};
      try {
        if (file !== undefined) {
          given = parseAnswersYaml(await readFile(file, 'utf8'));
        } else if (io.interactive()) {
          given = await promptAnswers(io, earlier);
        } else {
          const missing = missingAnswers(earlier);
          if (missing.length === 0) {
            // A new version on the same answers: worth doing after a new scan, but it must not look like new answers.
            io.err(
              `exir assess: no --answers file and no terminal: assessing ${ref} again on the answers already given (version ${latestAssessment(await store.listAssessments(ref))?.version ?? 0})\n`,
            );
          } else {
            throw new UsageError(
              `no --answers file and no terminal to ask on; still missing:\n${missing.map((m) => `  ${m.path}: ${m.question}`).join('\n')}\n` +
                `Give them in a YAML file (exir assess ${ref} --answers answers.yaml), e.g.:\n${ANSWERS_EXAMPLE}`,
            );
          }
        }
      } catch (err) {
        if (err instanceof AnswersError) throw new UsageError(err.message);
        throw err;
      }
      // --now dates the assessment too: the data-subject clock starts at the first high-risk assessment.
      const made = await assessCase(store, ref, given, flags.now ?? io.now());
      const standing = await refreshObligations(store, ref, flags.now ?? io.now());
      const still = missingAnswers(mergeAnswers(earlier, given));
      if (flags.json) {
        io.out(`${safeJson({ version: made.stored.version, assessment: made.result, missing: still, clocks: standing.clocks })}\n`);
        return;
      }
      io.out(renderAssessment(made.stored.version, made.result, tz));
      if (still.length) io.out(`still to answer: ${still.map((m) => m.path).join(', ')}\n`);
      io.out(
        `\nObligations, soonest first:\n${renderClocks(
          standing.clocks.map((clock) => ({ caseRef: ref, clock })),
          tz,
          false,
        )}`,
      );
    }),
  );
}
