// The board briefing's answers: two pages a board can act on. What happened and what was exposed in a
// few lines; the decisions it must take now (each authority, the people affected, the police, the
// insurer) with where each stands and by when; the deadlines still running; costs and risks; and every
// response action with its real status. The detail is in the other packs and the evidence summary.

import type { AccessLevel } from '../assess/breach/types.js';
import type { ObligationTemplate } from './obligations.js';
import type { Clock } from './clocks.js';
import type { DraftContext, Resolved } from './resolvers.js';
import { clientOf } from './roles.js';
import { showDuration, showTime } from './time.js';

const EXPOSURE: Record<AccessLevel, string> = {
  exported: 'copied out by the attacker',
  read: 'read by the attacker',
  reachable: "within the attacker's reach; access cannot be excluded",
  'no-evidence-found': 'no sign of access in the logs held',
  'not-established': 'not yet established',
};

const RISK: Record<string, string> = {
  'high-risk': 'high risk to the people affected: they must be told',
  risk: 'a risk to the people affected: the authorities must be told',
  'no-risk': 'unlikely to result in a risk to the people affected',
};

const STATUS_WORDS = { done: 'Done', 'in-progress': 'In progress', blocked: 'BLOCKED', open: 'Not started' } as const;

const SETTLED = new Set(['filed', 'not-required', 'exception', 'withdrawn']);

const t = (c: DraftContext, iso: string | undefined): string => showTime(iso, c.tz, false);

function packOf(c: DraftContext, k: Clock): string | undefined {
  return (c.obligations.find((o) => o.ref === k.ref)?.template as Partial<ObligationTemplate> | undefined)?.pack;
}

/** Where one obligation stands, in the words a board acts on, with its deadline where one runs. */
function standing(c: DraftContext, k: Clock): string {
  const due = k.dueAt ? `due ${t(c, k.dueAt)}` : k.targetAt ? `our target ${t(c, k.targetAt)}` : 'the law gives no hours';
  switch (k.state) {
    case 'filed':
      return `Done: told ${t(c, k.firstFiledAt)}${k.lateByMs !== undefined ? `, ${showDuration(k.lateByMs)} late, with reasons` : ''}`;
    case 'not-required':
      return 'Decided: not required';
    case 'exception':
      return 'Decided: not owed under an exception in the law';
    case 'voluntary':
      return 'Optional: a voluntary report, for help or to help others';
    case 'decision-needed':
    case 'to-confirm':
      return `DECIDE: whether it is owed (${due})`;
    case 'overdue':
      return `OVERDUE since ${t(c, k.dueAt)}: tell them now, with the reasons for the delay`;
    case 'past-target':
      return `Not yet told; our own target passed ${t(c, k.targetAt)}`;
    case 'pending':
      return 'After the first notice';
    default:
      return `Not yet told (${due})`;
  }
}

/** The firm's own statement on a matter the law gives no clock for, or the decision to take. */
function ownMatter(c: DraftContext, key: string, matter: string, ask: string): string[] {
  const said = c.assessment?.answers.narrative?.[key];
  return [matter, said ? `Done or decided: ${said}` : `DECIDE NOW: ${ask}`];
}

export const BOARD_RESOLVERS: Record<string, (c: DraftContext) => Resolved | undefined> = {
  'board.happened': (c) => {
    const servers = c.facts.story.servers;
    if (servers.length === 0) return undefined;
    const hit = servers.filter((s) => s.verdict === 'exploited' || s.verdict === 'post-exploitation');
    const r = c.facts.record;
    return {
      lines: [
        `Our Exchange email server${servers.length > 1 ? 's were' : ' was'} attacked through flaws published by Microsoft in March 2021. ` +
          (hit.length
            ? `The attacker got into ${hit.map((s) => s.name).join(', ')}${hit.some((s) => s.verdict === 'post-exploitation') ? ' and acted on it afterwards' : ''}.`
            : 'The evidence shows attempts, not a successful break-in.'),
        `Detected ${t(c, r.detectedAt)}; the firm was aware ${t(c, r.awareAt)}.`,
      ],
      trace: ['case scans: verdict per server', 'case: detected, aware'],
    };
  },
  'board.exposure': (c) => {
    const res = c.assessment?.result;
    if (!res || res.datasets.length === 0) return undefined;
    return {
      lines: [
        ...res.datasets.map(
          (d) => `${d.description}: ${d.people !== undefined ? `about ${d.people} people` : 'number of people not known'}; ${EXPOSURE[d.access]}.`,
        ),
        ...(res.totals.people !== undefined ? [`In all about ${res.totals.people} people (${res.totals.peopleBasis}).`] : []),
      ],
      trace: [`assessment v${c.assessment?.version ?? ''}: datasets, access, totals`],
    };
  },
  'board.decisionsNow': (c) => {
    const initial = c.clocks.filter((k) => k.stage === 'initial' && k.state !== 'withdrawn');
    const rows = initial.filter((k) => ['joic', 'jfsc', 'board'].includes(packOf(c, k) ?? '')).map((k) => [`Notify: ${k.recipient}`, standing(c, k)]);
    // The people affected under each law, one row for those that stand the same way.
    const tell = new Map<string, string[]>();
    for (const k of initial.filter((x) => packOf(c, x) === 'subjects')) tell.set(standing(c, k), [...(tell.get(standing(c, k)) ?? []), k.recipient]);
    for (const [status, who] of tell) rows.push([`Tell: ${who.join('; ')}`, status]);
    // Each controller client whose data the firm holds as processor: one row per client, under whichever law.
    const clients = new Map<string, string>();
    for (const k of initial.filter((x) => packOf(c, x) === 'processor'))
      if (!clients.has(clientOf(k.recipient))) clients.set(clientOf(k.recipient), standing(c, k));
    for (const [client, status] of clients) rows.push([`Tell our client ${client}, as its processor`, status]);
    rows.push(
      ownMatter(
        c,
        'clientCommunications',
        'Other client communications (calls, notices, the website)',
        'what clients hear from us, and who speaks for the firm',
      ),
      ownMatter(c, 'lawEnforcement', 'Report to the police (States of Jersey Police; Action Fraud in the UK)', 'whether to report the crime'),
      ownMatter(c, 'insurer', 'Tell the cyber insurer', 'whether the policy must be told, and by when'),
    );
    return {
      table: { columns: ['Matter', 'Where it stands'], rows },
      trace: ['obligations and their clocks', 'answers: narrative.clientCommunications, lawEnforcement, insurer'],
    };
  },
  'board.deadlines': (c) => {
    const running = c.clocks.filter((k) => !SETTLED.has(k.state) && (k.dueAt !== undefined || k.targetAt !== undefined));
    return {
      lines: running.length
        ? running.map(
            (k) =>
              `${k.recipient} (${k.stage}): ${k.state === 'overdue' || k.state === 'past-target' ? 'passed' : 'due'} ${t(c, k.dueAt ?? k.targetAt)}${k.dueAt ? '' : ' (our own target)'}`,
          )
        : ['No deadline is running.'],
      trace: ['obligations: clocks not yet settled'],
    };
  },
  'board.costsRisks': (c) => {
    const res = c.assessment?.result;
    const late = c.clocks.filter((k) => k.state === 'filed' && k.lateByMs !== undefined).length;
    const overdue = c.clocks.filter((k) => k.state === 'overdue').length;
    const costs = c.assessment?.answers.narrative?.costs;
    return {
      lines: [
        res?.conclusion ? `Risk: ${RISK[res.conclusion] ?? res.conclusion} (severity ${res.level ?? 'not reached'}).` : 'Risk: not yet assessed.',
        ...(late || overdue
          ? [
              `Regulatory: ${late ? `${late} notification(s) were late` : ''}${late && overdue ? '; ' : ''}${overdue ? `${overdue} are overdue` : ''}; the authorities may ask why.`,
            ]
          : []),
        ...(costs ? [`Costs: ${costs}`] : []),
      ],
      trace: ['assessment: conclusion, level', 'obligations: late and overdue', ...(costs ? ['answers: narrative.costs'] : [])],
      ...(costs ? {} : { open: 'The costs so far and expected: forensics, legal, letters, credit monitoring, lost time (answers: narrative.costs).' }),
    };
  },
  'board.actions': (c) => {
    const actions = c.facts.actions.filter((a) => a.status !== 'not-applicable');
    if (actions.length === 0) return undefined;
    const update = (a: (typeof actions)[number]): string => (a.last ? ` (${a.last.by}, ${t(c, a.last.at)}${a.last.note ? `: ${a.last.note}` : ''})` : '');
    // One line per status, the actions in it named with their last update, so the briefing keeps to two pages.
    const lines = (['done', 'in-progress', 'blocked', 'open'] as const).flatMap((status) => {
      const these = actions.filter((a) => a.status === status);
      return these.length ? [`${STATUS_WORDS[status]}: ${these.map((a) => `${a.title}${update(a)}`).join('; ')}.`] : [];
    });
    return { lines, trace: ['case actions and their history'] };
  },
};
