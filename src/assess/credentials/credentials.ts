// Which accounts must be treated as known to the attacker, why, from when, and in what order they
// are reset: from the case's findings, its servers' verdicts, the logons and account changes the
// scans kept as context, and the mailboxes exported. Reads only; the facts it rests on (rule ids,
// logon types, privileged groups, the krbtgt wait) are data in data/credentials/exposures.json.

import { readFileSync } from 'node:fs';
import type { ContextRecord, MailboxTouch, Verdict } from '../../core/types.js';

interface ExposureData {
  lsassDumpRules: string[];
  credentialsReadRules: string[];
  systemVerdicts: Verdict[];
  logonTypesLeavingSecrets: Record<string, string>;
  notPeople: string[];
  notPeoplePrefixes: string[];
  privilegedGroupSids: Record<string, string>;
  exchangeGroups: string[];
  accountChangeEvents: Record<string, string>;
  krbtgtWaitHours: number;
}
const DATA = JSON.parse(readFileSync(new URL('../../../data/credentials/exposures.json', import.meta.url), 'utf8')) as ExposureData;
export const KRBTGT_WAIT_HOURS = DATA.krbtgtWaitHours;

/** Reset first what opens most: the domain's own key, its administrators, what the attacker made, then the rest. */
const REASONS = [
  'domain-reached',
  'domain-admins',
  'changed-by-attacker',
  'permission-granted',
  'credentials-read',
  'in-dumped-memory',
  'service-accounts',
  'computer-account',
  'mail-exported',
] as const;
type Reason = (typeof REASONS)[number];

type CredentialAction = 'reset-twice' | 'reset' | 'review';

interface Place {
  path: string;
  line: number;
}

interface ExposedAccount {
  account: string;
  reason: Reason;
  action: CredentialAction;
  /** Why, in one plain sentence. */
  why: string;
  /** From when the secret must be presumed known (ISO 8601 UTC), where the evidence says. */
  exposedFrom: string | undefined;
  server: string | undefined;
  evidence: Place[];
  /** The playbook step whose action this account belongs to; none for a mailbox to review. */
  playbookStep: 'reset-krbtgt-first' | 'reset-credentials' | undefined;
}

export interface CredentialsReport {
  accounts: ExposedAccount[];
  /** What the evidence cannot show, said as plainly as what it can. */
  limits: string[];
}

export interface CredentialFinding {
  ruleId: string;
  time: string | undefined;
  server: string;
  path: string;
  line: number;
  benign?: string | undefined;
}

export interface CredentialsInput {
  findings: CredentialFinding[];
  servers: { name: string; verdict: Verdict | undefined }[];
  context: ContextRecord[];
  mailboxes: MailboxTouch[];
  /** Exchange web files changed from Microsoft's, with the changed file's own path. */
  modifiedFiles?: { server: string; file: string; time: string | undefined; path: string; line: number }[];
}

/** The OWA sign-in page: changed, it can send every password typed into it to the attacker. */
const OWA_LOGON_PAGE = /[\\/]owa[\\/]auth[\\/]logon\.aspx$/i;

const place = (p: { path: string; line: number }): Place => ({ path: p.path, line: p.line });
const lower = (s: string): string => s.toLowerCase();

function person(name: string | undefined): boolean {
  if (!name || name.endsWith('$')) return false;
  if (DATA.notPeople.some((n) => lower(n) === lower(name))) return false;
  return !DATA.notPeoplePrefixes.some((p) => lower(name).startsWith(lower(p)));
}

function qualified(domain: string | undefined, name: string): string {
  return domain && domain !== '-' ? `${domain}\\${name}` : name;
}

function privilegedGroup(r: ContextRecord): string | undefined {
  const sid = r.fields.TargetSid ?? '';
  for (const [suffix, name] of Object.entries(DATA.privilegedGroupSids)) if (sid === suffix || (suffix.startsWith('-') && sid.endsWith(suffix))) return name;
  const group = r.fields.TargetUserName ?? '';
  return DATA.exchangeGroups.find((g) => lower(g) === lower(group));
}

/** When the attack began and ended on the evidence: the attack findings' first and last times. */
function attackWindow(findings: CredentialFinding[]): { from: string; to: string } | undefined {
  const times = findings
    .filter((f) => !f.benign && f.time)
    .map((f) => f.time as string)
    .sort();
  const from = times[0];
  const to = times[times.length - 1];
  return from && to ? { from, to } : undefined;
}

export function assessCredentials(input: CredentialsInput): CredentialsReport {
  const out: ExposedAccount[] = [];
  const limits: string[] = [];
  const add = (a: ExposedAccount): void => {
    // One account is one line: the reason that puts it earliest in the order, every piece of evidence, the earliest time.
    const same = out.find((o) => lower(o.account) === lower(a.account) && o.server === a.server);
    if (!same) {
      out.push(a);
      return;
    }
    const evidence = [...same.evidence, ...a.evidence.filter((e) => !same.evidence.some((s) => s.path === e.path && s.line === e.line))];
    const from = [same.exposedFrom, a.exposedFrom].filter((t): t is string => Boolean(t)).sort()[0];
    const whys = REASONS.indexOf(a.reason) < REASONS.indexOf(same.reason) ? [a.why, same.why] : [same.why, a.why];
    if (REASONS.indexOf(a.reason) < REASONS.indexOf(same.reason)) Object.assign(same, a);
    same.why = [...new Set(whys)].join(' ');
    same.evidence = evidence;
    same.exposedFrom = from;
  };
  const window = attackWindow(input.findings);
  const inWindow = (t: string | undefined): boolean => Boolean(window && t && t >= window.from);

  // Code run as SYSTEM on an Exchange server: its computer account, and through Exchange's groups the domain.
  const systemServers = input.servers.filter((s) => s.verdict && DATA.systemVerdicts.includes(s.verdict));
  const domainEvidence: Place[] = [];
  let domainFrom: string | undefined;
  for (const s of systemServers) {
    const first = input.findings.filter((f) => f.server === s.name && !f.benign).sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))[0];
    if (first) domainEvidence.push(place(first));
    if (first?.time && (!domainFrom || first.time < domainFrom)) domainFrom = first.time;
    add({
      account: `${s.name}$`,
      reason: 'computer-account',
      action: 'reset',
      server: s.name,
      exposedFrom: first?.time,
      evidence: first ? [place(first)] : [],
      why: `The attacker ran code as SYSTEM on ${s.name}, which acts on the network as this computer account.`,
      playbookStep: 'reset-credentials',
    });
  }
  // A change to the domain head's permissions (DCSync rights) says the same from the other side.
  for (const r of input.context) {
    if (r.kind === 'account-change' && r.fields.EventID === '5136' && /^dc=/i.test(r.fields.ObjectDN ?? '') && inWindow(r.time)) {
      domainEvidence.push(place(r.origin));
      if (r.time && (!domainFrom || r.time < domainFrom)) domainFrom = r.time;
    }
  }
  if (domainEvidence.length > 0) {
    const via =
      systemServers.length > 0
        ? `Code ran as SYSTEM on ${systemServers.map((s) => s.name).join(', ')}; on a default install Exchange's groups (Exchange Trusted Subsystem, Exchange Windows Permissions) can grant themselves replication rights on the domain, so the domain must be presumed reached.`
        : "The domain's own permissions were changed during the attack, so the domain must be presumed reached.";
    add({
      account: 'krbtgt',
      reason: 'domain-reached',
      action: 'reset-twice',
      server: undefined,
      exposedFrom: domainFrom,
      evidence: [...domainEvidence],
      why: `${via} Reset krbtgt twice, at least ${KRBTGT_WAIT_HOURS} hours apart, so that forged tickets stop working.`,
      playbookStep: 'reset-krbtgt-first',
    });
    add({
      account: 'Domain Admins and Enterprise Admins (every member)',
      reason: 'domain-admins',
      action: 'reset',
      server: undefined,
      exposedFrom: domainFrom,
      evidence: [...domainEvidence],
      why: "With the domain reached, every administrator's password could have been read or replaced.",
      playbookStep: 'reset-credentials',
    });
    add({
      account: 'Service accounts (every one in the domain)',
      reason: 'service-accounts',
      action: 'reset',
      server: undefined,
      exposedFrom: domainFrom,
      evidence: [...domainEvidence],
      why: "With the domain reached, service accounts' passwords and Kerberos keys could have been read.",
      playbookStep: 'reset-credentials',
    });
  }

  // Memory dumps of LSASS: every account that logged on to that server before the dump.
  const dumpRules = new Set(DATA.lsassDumpRules);
  const dumps = input.findings.filter((f) => dumpRules.has(f.ruleId));
  for (const dump of dumps) {
    add({
      account: `${dump.server}$`,
      reason: 'in-dumped-memory',
      action: 'reset',
      server: dump.server,
      exposedFrom: dump.time,
      evidence: [place(dump)],
      why: `LSASS on ${dump.server} was dumped; the dump holds this computer account's secret.`,
      playbookStep: 'reset-credentials',
    });
    const logons = input.context.filter((r) => r.kind === 'logon' && lower(r.server) === lower(dump.server));
    const seen = logons
      .map((r) => r.time)
      .filter((t): t is string => Boolean(t))
      .sort();
    if (seen.length === 0) {
      limits.push(
        `No Security log logons from ${dump.server} are in the evidence: the accounts whose secrets were in the dumped memory cannot be listed. Collect ${dump.server}'s Security log.`,
      );
    } else if (dump.time && (seen[0] as string) > dump.time) {
      limits.push(`${dump.server}'s Security log starts at ${seen[0]}, after the dump at ${dump.time}: accounts that logged on before it are not seen.`);
    } else {
      limits.push(
        `${dump.server}'s Security log starts at ${seen[0]}: an account logged on before then and still logged on at the dump (a service since the last restart) is not seen.`,
      );
    }
    for (const r of logons) {
      if (dump.time && r.time && r.time > dump.time) continue;
      const type = r.fields.LogonType ?? '';
      const explicit = r.fields.EventID === '4648';
      const kind = explicit ? 'explicit credentials (runas)' : DATA.logonTypesLeavingSecrets[type];
      const name = r.fields.TargetUserName;
      if (!kind || !person(name)) continue;
      add({
        account: qualified(r.fields.TargetDomainName, name as string),
        reason: type === '5' ? 'service-accounts' : 'in-dumped-memory',
        action: 'reset',
        server: dump.server,
        exposedFrom: dump.time,
        evidence: [place(dump), place(r.origin)],
        playbookStep: 'reset-credentials',
        why: `Logged on to ${dump.server} (${kind}) at ${r.time ?? 'an unknown time'}, before LSASS was dumped${dump.time ? ` at ${dump.time}` : ''}: its secret was in the dumped memory.`,
      });
    }
  }

  // Stored credentials read in clear: the accounts are not named in the command, so they are named by where they are kept.
  const readRules = new Set(DATA.credentialsReadRules);
  for (const f of input.findings.filter((x) => readRules.has(x.ruleId))) {
    add({
      account: `accounts stored in ${f.server}'s IIS configuration (application pool identities, web.config connection strings)`,
      reason: 'credentials-read',
      action: 'reset',
      server: f.server,
      exposedFrom: f.time,
      evidence: [place(f)],
      playbookStep: 'reset-credentials',
      why: `Stored IIS credentials were read in clear on ${f.server}${f.time ? ` at ${f.time}` : ''}: change each application pool account's and each connection string's password.`,
    });
  }

  for (const m of input.modifiedFiles ?? []) {
    if (!OWA_LOGON_PAGE.test(m.file)) continue;
    add({
      account: `every user who signed in to OWA on ${m.server} since ${m.time ?? 'the change'}`,
      reason: 'credentials-read',
      action: 'reset',
      server: m.server,
      exposedFrom: m.time,
      evidence: [place(m)],
      playbookStep: 'reset-credentials',
      why: `The OWA sign-in page (${m.file}) differs from Microsoft's: a changed page can pass every password typed into it to the attacker.`,
    });
    limits.push(
      `exir does not list who signed in to OWA on ${m.server} after its sign-in page changed: take the users from the IIS logs (POST /owa/auth.owa) from ${m.time ?? 'the change'} on.`,
    );
  }

  // Accounts created, enabled, given passwords or made privileged during the attack; rights granted by cmdlet.
  for (const r of input.context) {
    if (!inWindow(r.time)) continue;
    if (r.kind === 'account-change') {
      const what = DATA.accountChangeEvents[r.fields.EventID ?? ''];
      if (!what || r.fields.EventID === '5136') continue;
      const group = ['4728', '4732', '4756'].includes(r.fields.EventID ?? '') ? privilegedGroup(r) : undefined;
      if (['4728', '4732', '4756'].includes(r.fields.EventID ?? '') && !group) continue;
      const account = group
        ? r.fields.MemberName && r.fields.MemberName !== '-'
          ? r.fields.MemberName
          : (r.fields.MemberSid ?? 'unknown member')
        : qualified(r.fields.TargetDomainName, r.fields.TargetUserName ?? 'unknown account');
      add({
        account,
        reason: 'changed-by-attacker',
        action: 'reset',
        server: r.server,
        exposedFrom: r.time,
        evidence: [place(r.origin)],
        playbookStep: 'reset-credentials',
        why: `${group ? `Added to ${group}` : `Account ${what}`} at ${r.time} by ${r.fields.SubjectUserName ?? 'an unnamed account'}, during the attack: disable it or reset it, and check the change was the firm's own.`,
      });
    }
    if (r.kind === 'permission-cmdlet') {
      const who = r.fields.AuthenticatedUser ?? 'an unnamed account';
      const what = r.fields.Cmdlet ?? (r.fields.Data ?? '').slice(0, 80);
      add({
        account: `rights granted by ${what}`,
        reason: 'permission-granted',
        action: 'reset',
        server: r.server,
        exposedFrom: r.time,
        evidence: [place(r.origin)],
        playbookStep: 'reset-credentials',
        why: `${what} ${r.fields.Parameters ?? ''} run as ${who} at ${r.time}, during the attack: remove the right and reset the account it was granted to.`.replace(
          /\s+/g,
          ' ',
        ),
      });
    }
  }

  // Exported mail may hold passwords (reset mails, shared credentials): review, not reset.
  for (const m of input.mailboxes) {
    if (m.level !== 'exported') continue;
    add({
      account: m.mailbox === '*' ? `every mailbox on ${m.server}` : m.mailbox,
      reason: 'mail-exported',
      action: 'review',
      server: m.server,
      exposedFrom: m.firstTime,
      evidence: m.evidence.map(place),
      playbookStep: undefined,
      why: 'The mailbox was exported: search it for passwords sent by mail (reset mails, shared credentials) and reset those.',
    });
  }

  const order = (a: ExposedAccount): number => REASONS.indexOf(a.reason);
  out.sort((a, b) => order(a) - order(b) || (a.exposedFrom ?? '').localeCompare(b.exposedFrom ?? '') || a.account.localeCompare(b.account));
  return { accounts: out, limits };
}

/** The playbook's reset actions (step ids of data/playbook), each with the accounts it covers, in reset order. */
export function resetActions(report: CredentialsReport): { step: string; accounts: string[] }[] {
  const of = (step: ExposedAccount['playbookStep']): string[] => [...new Set(report.accounts.filter((a) => a.playbookStep === step).map((a) => a.account))];
  const krbtgt = of('reset-krbtgt-first');
  return [
    { step: 'reset-krbtgt-first', accounts: krbtgt },
    // The second reset is the same account, after the wait: forged tickets die only with both.
    { step: 'reset-krbtgt-second', accounts: krbtgt },
    { step: 'reset-credentials', accounts: of('reset-credentials') },
  ].filter((s) => s.accounts.length > 0);
}
