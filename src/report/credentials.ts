// `exir credentials` as text and CSV: the accounts in reset order, each with why, from when and
// where the evidence is; then the playbook's reset steps and what the evidence cannot show.

import type { AfterBreach } from '../assess/after-breach.js';
import type { CaseCredentials } from '../assess/credentials/of-case.js';
import { KRBTGT_WAIT_HOURS } from '../assess/credentials/credentials.js';
import { csvRow } from '../core/neutralise.js';
import { safeText } from '../core/terminal-text.js';
import { inZone } from '../core/zoned-time.js';

/** The assessment's sentences carry UTC times (ISO 8601) for JSON; the console shows them in the reader's zone. */
function localTimes(text: string, zone: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => inZone(iso, zone));
}

const ACTION_WORDS = { 'reset-twice': 'RESET TWICE', reset: 'RESET', review: 'REVIEW' } as const;

export function renderCredentialsText(c: CaseCredentials, zone: string): string {
  const lines: string[] = [`Credentials to treat as known to the attacker — ${safeText(c.case)}`, ''];
  if (c.accounts.length === 0)
    lines.push("  None: the case's evidence shows no dump, no code run as SYSTEM, no account or right changed in the attack, no mail exported.");
  c.accounts.forEach((a, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${ACTION_WORDS[a.action].padEnd(11)} ${safeText(a.account)}${a.server ? `  (${safeText(a.server)})` : ''}`);
    lines.push(`       exposed from ${inZone(a.exposedFrom, zone)}`);
    lines.push(`       ${localTimes(safeText(a.why), zone)}`);
    for (const e of a.evidence.slice(0, 3)) lines.push(`       evidence: ${safeText(e.path)}:${e.line}`);
    if (a.evidence.length > 3) lines.push(`       … and ${a.evidence.length - 3} more (--json lists them all)`);
  });
  if (c.actions.length > 0) {
    lines.push('', 'Playbook reset steps (exir case action CASE STEP to record them):');
    for (const s of c.actions) {
      const wait = s.step === 'reset-krbtgt-second' ? ` — at least ${KRBTGT_WAIT_HOURS} hours after the first, once it has replicated` : '';
      lines.push(`  ${s.step}${wait}: ${s.accounts.map(safeText).join('; ')}`);
    }
  }
  if (c.limits.length > 0) {
    lines.push('', 'What the evidence cannot show:');
    for (const l of c.limits) lines.push(`  - ${localTimes(safeText(l), zone)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderCredentialsCsv(c: CaseCredentials): string {
  const rows = [csvRow(['order', 'action', 'account', 'server', 'reason', 'exposed_from_utc', 'why', 'playbook_step', 'evidence'])];
  c.accounts.forEach((a, i) =>
    rows.push(
      csvRow([i + 1, a.action, a.account, a.server, a.reason, a.exposedFrom, a.why, a.playbookStep, a.evidence.map((e) => `${e.path}:${e.line}`).join('; ')]),
    ),
  );
  return `${rows.join('\r\n')}\r\n`;
}

/** The two sections `exir case show` adds after what the attacker reached. */
export function renderAfterBreachSections(a: AfterBreach): string[] {
  const c = a.credentials;
  const resets = c.accounts.filter((x) => x.action !== 'review');
  const reviews = c.accounts.length - resets.length;
  const credentials =
    c.accounts.length === 0
      ? ['none found in the evidence (exir credentials CASE says why)']
      : [
          `${resets.length} to reset${reviews ? `, ${reviews} mailbox(es) to review` : ''}, in this order (exir credentials CASE for why and the evidence):`,
          ...c.accounts.slice(0, 8).map((x, i) => `${i + 1}. ${x.action === 'reset-twice' ? 'reset twice' : x.action}: ${safeText(x.account)}`),
          ...(c.accounts.length > 8 ? [`… and ${c.accounts.length - 8} more`] : []),
        ];
  const p = a.phishing;
  const kinds = new Map<string, number>();
  for (const h of p.watch) kinds.set(h.kind, (kinds.get(h.kind) ?? 0) + 1);
  const phishing = [
    p.watch.length === 0 ? 'nothing in the message tracking the scans read' : [...kinds].map(([k, n]) => `${k} ${n}`).join(', '),
    ...(p.lookalikesSeen.length ? [`lookalike domains seen: ${p.lookalikesSeen.map(safeText).join(', ')}`] : []),
    ...p.limits.map(safeText),
    'exir phishing CASE for the messages and the block list',
  ];
  const section = (title: string, lines: string[]): string => `${title}\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
  return [section('Credentials to reset', credentials), section('Phishing since the attack', phishing)];
}
