// `exir case …`: the incident record. Parses arguments, calls the case store, prints.

import { Command, Option } from 'commander';
import type { AddedEvidence, CaseFields, CaseStore, DecisionOutcome, Registration } from '../case/index.js';
// The store (and its database drivers) is loaded when a command runs; these small parts at start-up.
import { ACTION_STATUSES, CASE_STATUSES, CUSTODY_ACTIONS, DECISION_KINDS, DECISION_OUTCOMES } from '../case/types.js';
import {
  renderAction,
  renderActions,
  renderAdded,
  renderAudit,
  renderCase,
  renderDecisions,
  renderEvidence,
  renderList,
  renderStory,
  renderVerification,
} from '../case/render-text.js';
import { safeJson, safeText } from '../core/terminal-text.js';
import { tzOption } from './tz-option.js';
import { EXIT, type SetExit } from './exit-codes.js';
import { EXIT_DONE_OR_ERROR, withExamples } from './help.js';
import { given } from './given.js';

export interface CaseIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CaseIo = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
};

interface StoreFlags {
  db?: string;
  workspace?: string;
  firm?: string;
  actor?: string;
  json?: boolean;
  tz?: string;
}

interface CaseFlags extends StoreFlags {
  title?: string;
  status?: string;
  firmName?: string;
  registration: string[];
  dpo?: string;
  occurredFrom?: string;
  occurredTo?: string;
  detected?: string;
  aware?: string;
  awareReason?: string;
  reported?: string;
  server: string[];
}

/** The positional arguments commander hands an action: strings, or a list for a variadic one. */
class Positional {
  constructor(private readonly values: unknown[]) {}

  one(i: number): string {
    const v = this.values[i];
    if (typeof v !== 'string') throw new Error(`argument ${i + 1} is missing`);
    return v;
  }

  maybe(i: number): string | undefined {
    const v = this.values[i];
    return typeof v === 'string' ? v : undefined;
  }

  many(i: number): string[] {
    const v = this.values[i];
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function registration(text: string): Registration {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new Error(`--registration "${text}": write SCHEME=NUMBER, e.g. JFSC=12345`);
  return { scheme: text.slice(0, at), number: text.slice(at + 1) };
}

function caseFields(f: CaseFlags): CaseFields {
  const fields: CaseFields = {};
  if (f.title !== undefined) fields.title = f.title;
  if (f.status !== undefined) fields.status = f.status as CaseFields['status'];
  if (f.occurredFrom !== undefined) fields.occurredFrom = f.occurredFrom;
  if (f.occurredTo !== undefined) fields.occurredTo = f.occurredTo;
  if (f.detected !== undefined) fields.detectedAt = f.detected;
  if (f.aware !== undefined) fields.awareAt = f.aware;
  if (f.awareReason !== undefined) fields.awareReason = f.awareReason;
  if (f.reported !== undefined) fields.firstReportedAt = f.reported;
  if (f.server.length > 0) fields.servers = f.server;
  if (f.firmName !== undefined || f.dpo !== undefined || f.registration.length > 0) {
    fields.firm = {
      ...given({ name: f.firmName, dpo: f.dpo }),
      registrations: f.registration.map(registration),
    };
  }
  return fields;
}

function caseOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--status <status>', 'incident status').choices(CASE_STATUSES))
    .option('--firm-name <name>', "the firm's legal name")
    .option('--registration <scheme=number>', 'a registration, e.g. JFSC=12345 or JOIC=67890 (repeatable)', collect, [])
    .option('--dpo <text>', 'the data protection officer or contact point')
    .option('--occurred-from <time>', 'start of the window in which the incident occurred')
    .option('--occurred-to <time>', 'end of that window')
    .option('--detected <time>', 'when the incident was detected')
    .option('--aware <time>', "when the firm became aware (the regulators' clock)")
    .option('--aware-reason <text>', 'why aware differs from detected (required when it does)')
    .option('--reported <time>', 'when the incident was first reported')
    .option('--server <name>', 'an affected server (repeatable)', collect, [])
    .option('--json', 'print JSON');
}

const CASE_ARG = 'FIRM/CASE, or CASE when the firm is implied';
const TIMES_HELP = '\nTimes are ISO 8601 with a zone: 2021-03-05T14:00Z or 2021-03-05T15:00+01:00 (a bare date is midnight UTC).\n';

export function registerCase(program: Command, setExit: SetExit, io: CaseIo = processIo): void {
  const group = program
    .command('case')
    .description('The incident record: firm, clocks, evidence and custody, scans, response actions, decisions, audit log.')
    .option('--db <url>', "postgres://… for a shared store, or sqlite:FILE (default: env EXIR_DB, else the workspace's SQLite file)")
    .option('--workspace <dir>', 'where the SQLite store lives (default: env EXIR_WORKSPACE, else ./.exir)')
    .option('--firm <slug>', "limit this session to one firm's cases (default: env EXIR_FIRM)")
    .option('--actor <name>', 'who is acting, for the audit log (default: env EXIR_ACTOR, else the login name)')
    .addOption(tzOption())
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', '\nCases are named FIRM/CASE, or CASE when there is only one firm or --firm is given.\n');
  withExamples(
    group,
    [
      'exir case new acme/proxylogon --title "Exchange compromise" --firm-name "Acme Trust Ltd" --registration JFSC=12345',
      'exir case add-evidence acme/proxylogon ./EXCH01-triage.zip --source "EXCH01, KAPE" --collected-by "IT provider"',
      'exir case action acme/proxylogon isolate --status done --note "firewall rule 42"',
      'exir case show acme/proxylogon',
    ],
    `${EXIT_DONE_OR_ERROR} \`case verify\` and \`case log\` exit 1 when evidence or the audit chain has changed.`,
  );

  /**
   * Opens the store, runs the command, closes; a failure is one line on stderr and exit code 2.
   * Commander calls an action with the positional arguments, then the options, then the command.
   */
  const run =
    (fn: (store: CaseStore, flags: StoreFlags, args: Positional) => Promise<void>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const flags = cmd.optsWithGlobals<StoreFlags>();
      const positional = new Positional(args.slice(0, -2));
      let store: CaseStore | undefined;
      try {
        const { openStore } = await import('../case/index.js');
        store = await openStore(flags.db, {
          ...given({ workspace: flags.workspace, firm: flags.firm, actor: flags.actor }),
        });
        await fn(store, flags, positional);
      } catch (err) {
        io.err(`exir case: ${safeText(err instanceof Error ? err.message : String(err))}\n`);
        if (process.env.EXIR_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
        setExit(EXIT.ERROR);
      } finally {
        await store?.close();
      }
    };
  const print = (flags: StoreFlags, value: unknown, text: () => string) => io.out(flags.json ? `${safeJson(value)}\n` : text());

  withExamples(
    caseOptions(
      group
        .command('new')
        .argument('<case>', CASE_ARG)
        .description('Open a case (the firm is created on first use); it starts with the response playbook.')
        .requiredOption('--title <text>', 'what happened, in a line'),
    ).addHelpText('after', TIMES_HELP),
    [
      'exir case new acme/proxylogon --title "Exchange compromise" --detected 2021-03-05T09:00Z --aware 2021-03-05T09:00Z',
      'exir case new proxylogon --title "Exchange compromise" --firm-name "Acme Trust Ltd" --registration JFSC=12345 --server EXCH01',
    ],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const given = args.one(0).trim();
      const c = await store.createCase({ ...caseFields(flags as CaseFlags), ref: given, title: (flags as CaseFlags).title ?? '' });
      // Said once, when the name is made: later commands find it however it is written.
      if (given !== given.toLowerCase()) {
        io.err(`exir case: names are kept in lower case: "${safeText(given)}" is ${safeText(c.ref)} (any mix of cases finds it)\n`);
      }
      print(flags, c, () => renderCase(c, flags.tz));
    }),
  );

  withExamples(
    caseOptions(
      group
        .command('set')
        .argument('<case>', CASE_ARG)
        .description("Change a case's status, clocks, servers or firm details (each change is audited).")
        .option('--title <text>', 'a new title'),
    ).addHelpText('after', TIMES_HELP),
    ['exir case set acme/proxylogon --status contained', 'exir case set acme/proxylogon --aware 2021-03-08T09:00Z --aware-reason "forensic report received"'],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const c = await store.updateCase(args.one(0), caseFields(flags as CaseFlags));
      print(flags, c, () => renderCase(c, flags.tz));
    }),
  );

  withExamples(
    group
      .command('list')
      .description("List the cases (one firm's; every firm's with --all-firms).")
      .option('--all-firms', "every firm's cases (a provider's view)")
      .option('--json', 'print JSON'),
    ['exir case list', 'exir case list --all-firms --json'],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags) => {
      const all = (flags as { allFirms?: boolean }).allFirms === true;
      const items = await store.listCases(all ? { allFirms: true } : {});
      print(flags, items, () => renderList(items, flags.tz));
    }),
  );

  withExamples(
    group
      .command('show')
      .argument('<case>', CASE_ARG)
      .description('The story so far: status, verdicts, what was done, what is open.')
      .option('--json', 'print JSON'),
    ['exir case show acme/proxylogon', 'exir case show acme/proxylogon --json | jq .servers'],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const story = await store.story(args.one(0));
      const { afterBreach } = await import('../assess/after-breach.js');
      const { renderAfterBreachSections } = await import('../report/credentials.js');
      const after = await afterBreach(store, args.one(0));
      print(flags, { ...story, ...after }, () => renderStory(story, flags.tz, renderAfterBreachSections(after)));
    }),
  );

  withExamples(
    group
      .command('add-evidence')
      .argument('<case>', CASE_ARG)
      .argument('<paths...>', 'files, .zip bundles or folders')
      .description('Register evidence: each file streamed through SHA-256 (folders file by file), custody starts as "received".')
      .option('--source <text>', 'where it came from (server, tool)')
      .option('--collected-by <name>', 'who collected it')
      .option('--collected-at <time>', 'when it was collected')
      .option('--note <text>', 'anything else')
      .option('--json', 'print JSON'),
    [
      'exir case add-evidence acme/proxylogon ./EXCH01-triage.zip --source "EXCH01, KAPE" --collected-by "IT provider"',
      'exir case add-evidence acme/proxylogon ./logs/ ./evtx/ --collected-at 2021-03-06T10:00Z',
    ],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const f = flags as { source?: string; collectedBy?: string; collectedAt?: string; note?: string };
      const added: AddedEvidence[] = [];
      for (const path of args.many(1)) {
        added.push(
          await store.addEvidence(args.one(0), {
            path,
            ...given({ source: f.source, collectedBy: f.collectedBy, collectedAt: f.collectedAt, note: f.note }),
          }),
        );
      }
      print(flags, added, () => added.map(renderAdded).join(''));
    }),
  );

  withExamples(
    group
      .command('custody')
      .argument('<case>', CASE_ARG)
      .argument('<evidence>', 'E1, E2, …')
      .description("Add to an item's custody log (append-only): copied, handed over, received.")
      .addOption(new Option('--action <action>', 'what happened').choices(CUSTODY_ACTIONS.filter((a) => a !== 'verified')).makeOptionMandatory())
      .option('--from <party>', 'from whom')
      .option('--to <party>', 'to whom')
      .option('--by <name>', 'who did it (default: the actor)')
      .option('--at <time>', 'when (default: now)')
      .option('--note <text>', 'seal numbers, media, anything else')
      .option('--json', 'print JSON'),
    ['exir case custody acme/proxylogon E1 --action handed-over --from "IT provider" --to "Forensic Ltd" --note "seal 0042"'],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const ref = args.one(0);
      const ev = args.one(1);
      const f = flags as { action: 'received' | 'copied' | 'handed-over'; from?: string; to?: string; by?: string; at?: string; note?: string };
      const event = await store.recordCustody(ref, ev, {
        action: f.action,
        ...given({ from: f.from, to: f.to, by: f.by, at: f.at, note: f.note }),
      });
      const items = await store.listEvidence(ref);
      print(flags, event, () =>
        renderEvidence(
          items.filter((i) => i.ref === ev.toUpperCase()),
          flags.tz,
        ),
      );
    }),
  );

  withExamples(
    group
      .command('verify')
      .argument('<case>', CASE_ARG)
      .argument('[evidence...]', 'E1, E2, … (default: all)')
      .description('Re-hash the registered evidence, report any change, and check the audit chain. Exit 1 when anything changed.')
      .option('--path <path>', 'check a copy at another place (one evidence item)')
      .option('--anchor <hash>', 'a head hash printed by `exir case anchor` and kept outside the store: the chain must still contain it')
      .option('--json', 'print JSON'),
    [
      'exir case verify acme/proxylogon',
      'exir case verify acme/proxylogon E1 --path /mnt/copy/EXCH01-triage.zip',
      'exir case verify acme/proxylogon --anchor 3f9c…',
    ],
    '0 every item, the audit chain and the scan seals are intact, 1 an item changed, the chain or a seal is broken, or the anchor is not in the chain, 2 error.',
  ).action(
    run(async (store, flags, args) => {
      const ref = args.one(0);
      const f = flags as { path?: string; anchor?: string };
      const results = await store.verifyEvidence(ref, { evidence: args.many(1), ...given({ path: f.path }) });
      const audit = await store.checkAudit(ref);
      if (f.anchor !== undefined) {
        const anchor = f.anchor.trim().toLowerCase();
        if (!/^[0-9a-f]{64}$/.test(anchor)) throw new Error('--anchor takes the 64-hex-digit hash `exir case anchor` printed');
        // A chain rewritten and re-hashed from some entry on no longer holds the hashes it had from there.
        const at = (await store.auditLog(ref)).find((e) => e.hash === anchor);
        if (at === undefined) {
          audit.intact = false;
          audit.problems.push({
            seq: undefined,
            reason: `the anchor ${anchor.slice(0, 16)}… is not in the chain: the log was rewritten after the anchor was taken, or the anchor is another case's`,
          });
        }
      }
      print(flags, { evidence: results, audit }, () => renderVerification(results, audit));
      if (results.some((r) => !r.intact) || !audit.intact) setExit(EXIT.FINDINGS);
    }),
  );

  withExamples(
    group
      .command('anchor')
      .argument('<case>', CASE_ARG)
      .description('Print the head hash of the audit chain, to keep outside the store (a ticket, an email, paper); `case verify --anchor` checks it later.')
      .option('--json', 'print JSON'),
    ['exir case anchor acme/proxylogon', 'exir case anchor acme/proxylogon --json'],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const ref = args.one(0);
      const entries = await store.auditLog(ref);
      const head = entries.at(-1);
      if (!head) throw new Error(`case ${ref} has no audit entries`);
      const anchor = { case: ref, seq: head.seq, at: head.at, hash: head.hash };
      print(
        flags,
        anchor,
        () => `${head.hash}
`,
      );
    }),
  );

  withExamples(
    group
      .command('action')
      .argument('<case>', CASE_ARG)
      .argument('[key]', 'the action (see the list)')
      .description('List the response actions, show one, tick one off (--status), or add one (--add).')
      .addOption(new Option('--status <status>', 'new status').choices(ACTION_STATUSES))
      .option('--note <text>', 'what was done, or why it does not apply')
      .option('--by <name>', 'who did it (default: the actor)')
      .option('--at <time>', 'when it was done (default: now)')
      .option('--add <title>', 'add an action the playbook does not have')
      .option('--phase <phase>', 'phase of an added action')
      .option('--detail <text>', 'detail of an added action')
      .option('--json', 'print JSON'),
    [
      'exir case action acme/proxylogon',
      'exir case action acme/proxylogon isolate --status done --note "firewall rule 42"',
      'exir case action acme/proxylogon --add "Reset the service accounts" --phase eradicate',
    ],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const ref = args.one(0);
      const key = args.maybe(1);
      const f = flags as { status?: string; note?: string; by?: string; at?: string; add?: string; phase?: string; detail?: string };
      if (f.add !== undefined) {
        const added = await store.addAction(ref, { title: f.add, ...given({ phase: f.phase, detail: f.detail }) });
        print(flags, added, () => renderAction(added, flags.tz));
      } else if (key !== undefined && f.status !== undefined) {
        const updated = await store.updateAction(ref, key, {
          status: f.status as (typeof ACTION_STATUSES)[number],
          ...given({ note: f.note, by: f.by, at: f.at }),
        });
        print(flags, updated, () => renderAction(updated, flags.tz));
      } else {
        const actions = await store.listActions(ref);
        if (key === undefined) {
          print(flags, actions, () => renderActions(actions, flags.tz));
        } else {
          const one = actions.find((a) => a.key === key);
          if (!one) throw new Error(`case ${ref} has no action "${key}"`);
          print(flags, one, () => renderAction(one, flags.tz));
        }
      }
    }),
  );

  withExamples(
    group
      .command('decide')
      .argument('<case>', CASE_ARG)
      .description('Record a decision (never edited; --supersedes replaces an earlier one), or list them without --decision.')
      .addOption(new Option('--kind <kind>', 'what about').choices(DECISION_KINDS))
      .option('--decision <text>', 'what was decided')
      .option('--rationale <text>', 'why, in writing')
      .option('--evidence <refs>', 'evidence relied on: E1,E2 (repeatable)', collect, [])
      .option('--by <name>', 'who decided (default: the actor)')
      .option('--at <time>', 'when (default: now)')
      .option('--approved-by <name>', 'who approved (DPO, board)')
      .option('--approved-at <time>', 'when it was approved')
      .option('--obligation <name>', 'the one obligation this notify decision settles (JOIC-1, O3; see exir obligations)')
      .addOption(new Option('--outcome <outcome>', 'for --obligation: owed, not owed, or excused by an exception its law has').choices(DECISION_OUTCOMES))
      .option('--ground <ground>', 'for --outcome exception: unintelligible, later-measures or disproportionate-effort, where the law has it')
      .option('--supersedes <ref>', 'the earlier decision this replaces (D1, …)')
      .option('--json', 'print JSON'),
    [
      'exir case decide acme/proxylogon',
      'exir case decide acme/proxylogon --kind notify --decision "Notify the JOIC" --rationale "mailboxes exported" --evidence E1',
    ],
    EXIT_DONE_OR_ERROR,
  ).action(
    run(async (store, flags, args) => {
      const ref = args.one(0);
      const f = flags as {
        kind?: string;
        decision?: string;
        rationale?: string;
        evidence: string[];
        by?: string;
        at?: string;
        approvedBy?: string;
        approvedAt?: string;
        obligation?: string;
        outcome?: DecisionOutcome;
        ground?: string;
        supersedes?: string;
      };
      if (f.decision === undefined) {
        const all = await store.listDecisions(ref);
        print(flags, all, () => renderDecisions(all, flags.tz));
        return;
      }
      if (f.kind === undefined || f.rationale === undefined) throw new Error('a decision needs --kind and --rationale');
      // JOIC-1 as `exir obligations` names it, or the store's O1.
      let obligation = f.obligation;
      if (obligation !== undefined) {
        const { findObligation } = await import('../regulatory/obligation-names.js');
        obligation = findObligation(await store.listObligations(ref), obligation)?.ref ?? obligation;
      }
      const d = await store.decide(ref, {
        kind: f.kind as (typeof DECISION_KINDS)[number],
        decision: f.decision,
        rationale: f.rationale,
        evidence: f.evidence.flatMap((e) => e.split(',')),
        ...given({
          decidedBy: f.by,
          decidedAt: f.at,
          approvedBy: f.approvedBy,
          approvedAt: f.approvedAt,
          obligation,
          outcome: f.outcome,
          ground: f.ground,
          supersedes: f.supersedes,
        }),
      });
      print(flags, d, () => renderDecisions([d], flags.tz));
    }),
  );

  withExamples(
    group
      .command('log')
      .argument('<case>', CASE_ARG)
      .description('The audit log of every change, and whether its hash chain is intact. Exit 1 when broken.')
      .option('--json', 'print JSON'),
    ['exir case log acme/proxylogon', "exir case log acme/proxylogon --json | jq '.entries[-1]'"],
    '0 the audit chain is intact, 1 it is broken (an entry was edited or removed), 2 error.',
  ).action(
    run(async (store, flags, args) => {
      const ref = args.one(0);
      const entries = await store.auditLog(ref);
      const check = await store.checkAudit(ref);
      print(flags, { entries, check }, () => renderAudit(entries, check, flags.tz));
      if (!check.intact) setExit(EXIT.FINDINGS);
    }),
  );
}
