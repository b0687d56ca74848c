import { exchangeShown } from './exchange-host.js';
import {
  MAILBOX_LEVELS,
  type EvidenceFile,
  type Finding,
  type MailboxLevel,
  type MailboxTouch,
  type MailMovement,
  type Origin,
  type Session,
  type TimelineEntry,
} from '../core/types.js';
import { spokenTime, stageRank } from './verdict.js';

const LEVEL_RANK = new Map<MailboxLevel, number>(MAILBOX_LEVELS.map((l, i) => [l, i]));

/** EWS operations that read items, and the one that copies a mailbox out. */
const EWS_READ = /^(GetItem|FindItem|GetAttachment|SyncFolderItems|FindConversation|GetConversationItems|ExpandDL|ResolveNames|FindPeople)$/i;
const EWS_EXPORT = /^ExportItems$/i;
/** OWA actions (in the HttpProxy UrlQuery) that read items. */
const OWA_READ = /[?&]action=(GetItem|FindItem|GetAttachment|GetFileAttachment|GetConversationItems|FindConversation|GetMailFolderItems)\b/i;

/** Identities that are Exchange itself, not a person's mailbox. */
function isMailboxName(name: string): boolean {
  const n = name.toLowerCase();
  return !(
    n === '' ||
    n === '-' ||
    n.startsWith('serverinfo~') ||
    n.startsWith('server~') ||
    n.includes('healthmailbox') ||
    n.endsWith('$') ||
    n === 'system' ||
    n.includes('nt authority') ||
    n.startsWith('s-1-5-18') ||
    n.startsWith('sm_') ||
    n.startsWith('systemmailbox') ||
    n.startsWith('federatedemail') ||
    n.startsWith('migration.')
  );
}

/** `Smtp~a@b`, `SMTP:a@b`, `DOMAIN\user`, `a@b` → one lower-case name. */
function mailboxName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let name = raw.trim().replace(/^(smtp[~:]|sip:)/i, '');
  name = name.replace(/^"|"$/g, '');
  if (!name || name.includes('~') || name.startsWith('PUID')) return undefined;
  name = name.toLowerCase();
  return isMailboxName(name) ? name : undefined;
}

/** The value of `-Name value` or `-Name:value` (quoted or not) in a cmdlet's parameters. */
function parameter(params: string, name: string): string | undefined {
  // PowerShell's own form is `-Name:value`, with no space after the colon.
  const re = new RegExp(`-${name}(?:\\s*:\\s*|\\s+)(?:"([^"]*)"|'([^']*)'|(\\S+))`, 'i');
  const m = re.exec(params);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

class Touches {
  private readonly map = new Map<string, MailboxTouch>();

  add(mailbox: string, server: string, level: MailboxLevel, time: string | undefined, how: string, origin: Origin | undefined, forwardTo?: string): void {
    const key = `${server}\u0000${mailbox}`;
    let t = this.map.get(key);
    if (!t) {
      t = { mailbox, server, level, firstTime: time, lastTime: time, how: [], evidence: [] };
      this.map.set(key, t);
    }
    if ((LEVEL_RANK.get(level) ?? 0) > (LEVEL_RANK.get(t.level) ?? 0)) t.level = level;
    if (time) {
      if (!t.firstTime || time < t.firstTime) t.firstTime = time;
      if (!t.lastTime || time > t.lastTime) t.lastTime = time;
    }
    if (!t.how.includes(how)) t.how.push(how);
    if (forwardTo) {
      const address = forwardTo.toLowerCase().replace(/^smtp:/, '');
      t.forwardedTo = [...new Set([...(t.forwardedTo ?? []), address])];
    }
    if (origin && t.evidence.length < 50 && !t.evidence.some((o) => o.path === origin.path && o.line === origin.line)) t.evidence.push(origin);
  }

  list(): MailboxTouch[] {
    return [...this.map.values()].sort(
      (a, b) => (LEVEL_RANK.get(b.level) ?? 0) - (LEVEL_RANK.get(a.level) ?? 0) || a.server.localeCompare(b.server) || a.mailbox.localeCompare(b.mailbox),
    );
  }
}

function fromCmdlet(entry: TimelineEntry, touches: Touches): void {
  const cmdlet = entry.fields['Cmdlet'] ?? '';
  const params = entry.fields['Parameters'] ?? '';
  const cmd = entry.fields['CMD'] ?? '';
  const text = cmdlet ? `${cmdlet} ${params}` : cmd;
  const name = (cmdlet || /^[A-Za-z]+-[A-Za-z]+/.exec(cmd)?.[0] || '').toLowerCase();
  const at = (n: string): string | undefined => parameter(text, n);
  if (name === 'new-mailboxexportrequest') {
    const mb = mailboxName(at('Mailbox'));
    if (mb) touches.add(mb, entry.server, 'exported', entry.time, `exported by New-MailboxExportRequest to ${at('FilePath') ?? 'a file'}`, entry.origin);
  } else if (name === 'search-mailbox') {
    const mb = mailboxName(at('Identity'));
    if (mb)
      touches.add(
        mb,
        entry.server,
        at('TargetMailbox') ? 'exported' : 'read',
        entry.time,
        `searched by Search-Mailbox${at('TargetMailbox') ? `, results copied to ${at('TargetMailbox')}` : ''}`,
        entry.origin,
      );
  } else if (name === 'new-inboxrule' || name === 'set-inboxrule') {
    const mb = mailboxName(at('Mailbox'));
    const to = at('ForwardTo') ?? at('RedirectTo') ?? at('ForwardAsAttachmentTo');
    if (mb)
      touches.add(
        mb,
        entry.server,
        to ? 'exported' : 'reachable',
        entry.time,
        to ? `inbox rule forwards its mail to ${to}` : 'inbox rule set on it',
        entry.origin,
        to,
      );
  } else if (name === 'set-mailbox') {
    const mb = mailboxName(at('Identity'));
    const to = at('ForwardingSmtpAddress') ?? at('ForwardingAddress');
    if (mb && to && to !== '$null') touches.add(mb, entry.server, 'exported', entry.time, `mail forwarded to ${to} (Set-Mailbox)`, entry.origin, to);
  } else if (name === 'add-mailboxpermission') {
    const mb = mailboxName(at('Identity'));
    if (mb)
      touches.add(mb, entry.server, 'reachable', entry.time, `permission granted to ${at('User') ?? 'another account'} (Add-MailboxPermission)`, entry.origin);
  }
}

function fromRequest(entry: TimelineEntry, touches: Touches): void {
  const f = entry.fields;
  if (entry.source === 'ews') {
    const action = f['SoapAction'] ?? '';
    const mb = mailboxName(f['ImpersonatedUser']) ?? mailboxName(f['AuthenticatedUser']);
    if (!mb) return;
    if (EWS_EXPORT.test(action)) touches.add(mb, entry.server, 'exported', entry.time, `items exported through EWS ${action}`, entry.origin);
    else if (EWS_READ.test(action)) touches.add(mb, entry.server, 'read', entry.time, `items read through EWS ${action}`, entry.origin);
    else touches.add(mb, entry.server, 'reachable', entry.time, `EWS ${action || 'request'} as the mailbox`, entry.origin);
    return;
  }
  if (entry.source !== 'httpproxy') return;
  const mb = mailboxName(f['AnchorMailbox']) ?? mailboxName(f['AuthenticatedUser']);
  if (!mb) return;
  const protocol = (f['Protocol'] ?? '').toLowerCase();
  const stem = (f['UrlStem'] ?? '').toLowerCase();
  const query = f['UrlQuery'] ?? '';
  if (protocol === 'owa' && OWA_READ.test(`?${query}`)) touches.add(mb, entry.server, 'read', entry.time, 'items read through OWA', entry.origin);
  else if (protocol === 'mapi' || stem.startsWith('/mapi/'))
    touches.add(mb, entry.server, 'read', entry.time, 'mailbox opened over MAPI (Outlook protocol)', entry.origin);
  else touches.add(mb, entry.server, 'reachable', entry.time, `${f['Protocol'] || 'HTTP'} requests routed to the mailbox`, entry.origin);
}

/**
 * The mailboxes the attackers reached or could have reached, and how. A server where the attack
 * succeeded (an SSRF running as SYSTEM, a web shell) puts every mailbox on it in reach: that is
 * said as one entry, `*`, rather than pretending to a short list.
 */
export function findMailboxes(findings: Finding[], sessions: Session[], evidence: EvidenceFile[]): MailboxTouch[] {
  const touches = new Touches();
  for (const session of sessions) {
    for (const entry of session.entries) {
      if (entry.fields['Cmdlet'] || entry.fields['CMD']) fromCmdlet(entry, touches);
      else fromRequest(entry, touches);
    }
  }
  // A file that is itself a mailbox export (a PST saved as a web page) shows some mailbox was
  // copied out even when no log names it: said as a mailbox not named in the evidence.
  for (const f of findings) {
    const level = f.fields['mailbox'];
    if (f.benign || !level || !(MAILBOX_LEVELS as readonly string[]).includes(level)) continue;
    touches.add('(a mailbox not named in the evidence)', f.server, level as MailboxLevel, f.time, `${f.title}: ${f.fields['path'] ?? f.origin.path}`, f.origin);
  }
  const successes = new Map<string, Finding>();
  for (const f of findings) {
    if (f.benign || f.cappedBy || stageRank(f.stage) < stageRank('exploited')) continue;
    const earlier = successes.get(f.server);
    // The earliest success with a time; a file found on disk (no time) only when nothing says when.
    if (!earlier || (f.time !== undefined && (earlier.time === undefined || f.time < earlier.time))) successes.set(f.server, f);
  }
  const onExchange = exchangeShown(evidence, () => [...findings, ...sessions.flatMap((x) => x.entries)]);
  for (const [server, f] of successes) {
    // A machine with no trace of Exchange (a domain controller in the same export) holds no mailboxes.
    if (!onExchange(server)) continue;
    touches.add('*', server, 'reachable', f.time, inReach(server, f), f.origin);
  }
  return touches.list();
}

/** Why every mailbox on a server was in reach, as a sentence: a story is a clause, a title a name. */
function inReach(server: string, f: Finding): string {
  const head = `every mailbox on ${server} was within the attacker's reach`;
  if (f.story) return `${head} ${spokenTime(f.time)}, when ${f.story}`;
  const since = f.time ? ` from ${spokenTime(f.time).slice('at '.length)}` : '';
  const where = f.time ? '' : ` (${f.origin.path}; the file does not say when it was put there)`;
  return `${head}${since}, shown by ${f.title}${where}`;
}

/** The addresses the attackers had mail forwarded to, lower-cased. */
export function forwardingAddresses(mailboxes: MailboxTouch[]): string[] {
  return [...new Set(mailboxes.flatMap((m) => m.forwardedTo ?? []))].sort();
}

/**
 * Mail the attacker sent (message tracking rows from its addresses, in its sessions) or had
 * forwarded (rows to the addresses its rules and mailbox settings forward to, found by a pass of
 * their own over message tracking).
 */
export function findMailMovements(sessions: Session[], mailboxes: MailboxTouch[], forwarded: TimelineEntry[] = []): MailMovement[] {
  const targets = forwardingAddresses(mailboxes);
  const seen = new Set<string>();
  const out: MailMovement[] = [];
  const add = (e: TimelineEntry): void => {
    const key = `${e.origin.path}\u0000${e.origin.line}`;
    if (e.source !== 'msgtrk' || seen.has(key)) return;
    seen.add(key);
    const recipients = e.fields['recipient-address'] ?? '';
    const to = targets.find((t) => recipients.toLowerCase().includes(t));
    out.push({
      time: e.time,
      server: e.server,
      event: e.fields['event-id'] ?? '',
      sender: e.fields['sender-address'] ?? '',
      recipients,
      subject: e.fields['message-subject'] ?? '',
      why: to ? `sent to ${to}, where the attacker had mail forwarded` : `sent from the attacker's address ${e.clientIp ?? ''}`.trim(),
      origin: e.origin,
    });
  };
  for (const session of sessions) for (const e of session.entries) add(e);
  for (const e of forwarded) add(e);
  return out.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
}
