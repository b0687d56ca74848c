import { pc } from '../core/colour.js';
import { safeText } from '../core/terminal-text.js';
import type { Coverage, Finding, MailboxTouch, ScanResult, ServerSummary, Session, Verdict, WebShell, WebShellSource } from '../core/types.js';
import { DEFAULT_ZONE, inZone } from '../core/zoned-time.js';
import { spokenIn, stageRank } from '../correlate/verdict.js';

const COLOUR: Record<Verdict, (s: string) => string> = {
  clean: pc.green,
  probed: pc.cyan,
  'exploit-attempted': pc.yellow,
  exploited: pc.red,
  'post-exploitation': (s) => pc.bold(pc.red(s)),
};

let zone = DEFAULT_ZONE;

function when(iso: string | undefined): string {
  return inZone(iso, zone);
}

function findingLine(f: Finding): string {
  const who = [f.clientIp && `from ${f.clientIp}`, f.user && `as ${f.user}`].filter(Boolean).join(' ');
  const cves = f.cves.length ? ` [${f.cves.join(', ')}]` : '';
  const why = f.benign ?? f.cappedBy;
  const benign = why ? pc.dim(` (${safeText(why)})`) : '';
  const repeats = f.repeats ? pc.dim(` and ${f.repeats.count - 1} more like it, ${when(f.repeats.firstTime)} to ${when(f.repeats.lastTime)}`) : '';
  const urls = f.repeats?.urls;
  const tried = urls ? `      ${pc.dim(`asked for ${urls.length}${urls.length < f.repeats!.count ? '+' : ''} URLs: ${safeText(urls.join(', '))}`)}\n` : '';
  return (
    `    ${pc.dim(when(f.time))}  ${f.stage.padEnd(17)} ${safeText(f.title)}${cves}${who ? ` ${safeText(who)}` : ''}${benign}\n` +
    (f.cveNote ? `      ${pc.yellow(safeText(f.cveNote))}\n` : '') +
    // An address on a published list means only what its publisher said of it: name who.
    (f.indicatorOnly && f.fields['published by'] ? `      ${pc.dim(`address published by ${safeText(f.fields['published by'])}`)}\n` : '') +
    `      ${pc.dim(place(f))}${repeats}\n` +
    tried
  );
}

/** Where to look: a log's file and line; a file on disk's line and byte offset, or the file itself. */
function place(f: Finding): string {
  const path = safeText(f.origin.path);
  if (f.fields['sha256'] === undefined) return `${path}:${f.origin.line}`;
  return f.origin.offset > 0 ? `${path}:${f.origin.line} (byte ${f.origin.offset})` : `${path} (the whole file)`;
}

/** The most telling findings first: highest stage, then earliest; one per rule and client. */
function topFindings(findings: Finding[], limit: number): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  const sorted = [...findings].sort(
    (a, b) => Number(Boolean(a.benign)) - Number(Boolean(b.benign)) || stageRank(b.stage) - stageRank(a.stage) || (a.time ?? '').localeCompare(b.time ?? ''),
  );
  for (const f of sorted) {
    const key = `${f.ruleId}|${f.clientIp ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
    if (out.length === limit) break;
  }
  return out;
}

function sessionLines(sessions: Session[]): string {
  return sessions
    .map((s) => {
      const shells = s.webShells.length ? `; web shell ${safeText(s.webShells.join(', '))}` : '';
      return (
        `    ${s.id}: ${safeText(s.attackerIps.join(', ') || 'no client IP')} from ${when(s.firstTime)} to ${when(s.lastTime)}; ` +
        `reached ${s.stages[s.stages.length - 1] ?? 'nothing'}; ${s.findings} finding(s), ${s.entries.length - s.findings} other record(s)${shells}\n`
      );
    })
    .join('');
}

const SHELL_SOURCE: Record<WebShellSource, string> = { iis: 'IIS log', httpproxy: 'HttpProxy log', file: 'file found' };

function webShellLines(shells: WebShell[]): string {
  return (
    shells
      .slice(0, 12)
      .map(
        (w) =>
          `    ${safeText(w.url)}: ${w.used ? 'used' : 'present'}, first seen ${when(w.firstSeen)}; ` +
          `seen in ${w.sources.map((s) => SHELL_SOURCE[s]).join(', ')}${w.files.length ? ` (${safeText(w.files.join(', '))})` : ''}\n`,
      )
      .join('') + (shells.length > 12 ? `    … and ${shells.length - 12} more (all are in the JSON output)\n` : '')
  );
}

function mailboxLines(mailboxes: MailboxTouch[]): string {
  return (
    mailboxes
      .slice(0, 12)
      .map((m) => {
        const who = m.mailbox === '*' ? pc.bold('every mailbox on the server') : safeText(m.mailbox);
        return `    ${m.level.padEnd(9)} ${who}: ${safeText(spokenIn(m.how[0] ?? '', zone))}${m.how.length > 1 ? ` (+${m.how.length - 1} more)` : ''}\n`;
      })
      .join('') + (mailboxes.length > 12 ? `    … and ${mailboxes.length - 12} more (all are in the JSON output)\n` : '')
  );
}

function gapLines(coverage: Coverage[]): string {
  const gaps = coverage.flatMap((c) => c.gaps);
  return (
    gaps
      .slice(0, 8)
      .map((g) => `    ${pc.yellow('!')} ${safeText(spokenIn(g.statement, zone))}\n`)
      .join('') + (gaps.length > 8 ? `    … and ${gaps.length - 8} more gap(s) (all are in the JSON output)\n` : '')
  );
}

function serverBlock(server: ServerSummary, result: ScanResult): string {
  const own = result.findings.filter((f) => f.server === server.name);
  const partial =
    server.uncovered?.length && (server.verdict === 'clean' || server.verdict === 'probed')
      ? pc.yellow(' in what the logs cover: they miss part of the exploitation windows')
      : '';
  let text = `${pc.bold(safeText(server.name))}: ${COLOUR[server.verdict](server.verdict.toUpperCase())}${partial}\n`;
  text += `  ${safeText(spokenIn(server.summary, zone))}\n`;
  if ((server.namesSeen?.length ?? 0) > 1) text += `  ${pc.dim(`named in the evidence as ${safeText((server.namesSeen ?? []).join(', '))}`)}\n`;
  text += `  ${pc.dim(`What would change it: ${safeText(server.wouldChange)}`)}\n`;
  const counts = Object.entries(server.stageCounts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`);
  if (counts.length) text += `  findings by stage: ${counts.join(', ')}\n`;
  const label = server.verdict === 'probed' || server.verdict === 'clean' ? 'probes seen' : 'attacker activity';
  if (server.firstActivity) text += `  ${label}: ${when(server.firstActivity)} to ${when(server.lastActivity)}\n`;
  if (server.attackerIps.length) text += `  attacker IPs: ${safeText(server.attackerIps.join(', '))}\n`;
  if (server.webShells?.length) text += `  web shells:\n${webShellLines(server.webShells)}`;
  const sessions = result.sessions.filter((s) => s.servers.includes(server.name));
  if (sessions.length) text += `  attacker sessions:\n${sessionLines(sessions)}`;
  const mailboxes = result.mailboxes.filter((m) => m.server === server.name);
  if (mailboxes.length) text += `  mailboxes reached:\n${mailboxLines(mailboxes)}`;
  const coverage = result.coverage.filter((c) => c.server === server.name);
  if (coverage.some((c) => c.gaps.length)) text += `  what the evidence cannot see:\n${gapLines(coverage)}`;
  const top = topFindings(own, 8);
  if (top.length) text += `  top findings:\n${top.map(findingLine).join('')}`;
  return text;
}

/** Collector bundles: whether every file arrived as it was hashed on the server, said first if not. */
function collectionLines(result: ScanResult): string {
  return (result.collections ?? [])
    .map((c) => {
      const by = [c.collectedBy && `by ${c.collectedBy}`, c.finishedAt && `on ${when(c.finishedAt)}`].filter(Boolean).join(' ');
      const head = `Collected on ${safeText(c.server)}${by ? ` ${safeText(by)}` : ''} (${safeText(c.manifest)}): `;
      const problems = [
        c.changed.length && `${c.changed.length} changed since collection`,
        c.missing.length && `${c.missing.length} missing`,
        c.unlisted.length && `${c.unlisted.length} added after collection`,
      ]
        .filter(Boolean)
        .join(', ');
      const against = c.tool === 'KAPE' ? "KAPE's copy log (SHA-1)" : 'the manifest';
      const verdict = problems
        ? pc.red(`${c.verified} of ${c.files} file(s) match ${against}; ${problems} (each is a warning)`)
        : pc.green(`all ${c.files} file(s) match ${against}`);
      const skipped = c.notCollected.length ? `; ${c.notCollected.length} item(s) the collector could not read (in the JSON output)` : '';
      return `${head}${verdict}${skipped}.\n`;
    })
    .join('');
}

/** The console summary: one block per server, then what was read and what could not be. */
export function consoleReport(result: ScanResult, timeZone = DEFAULT_ZONE): string {
  zone = timeZone;
  let text = collectionLines(result);
  if (text) text += '\n';
  for (const server of result.servers) text += `${serverBlock(server, result)}\n`;
  if (result.servers.length === 0) text += 'No Exchange or IIS log was recognised in the evidence.\n\n';
  const logs = result.evidence.filter((e) => e.kind !== 'unknown');
  const records = logs.reduce((n, e) => n + e.records, 0);
  const bad = logs.reduce((n, e) => n + e.badRecords, 0);
  const flaggedPaths = new Set(result.findings.map((f) => f.origin.path));
  const unreadable = result.evidence.filter((e) => e.unreadable).length;
  const others = result.evidence.filter((e) => e.kind === 'unknown' && !e.unreadable);
  const flagged = others.filter((e) => flaggedPaths.has(e.path)).length;
  const listed = others.length - flagged;
  text += `Read ${result.evidence.length} file(s): ${logs.length} log(s) with ${records} record(s)`;
  text += bad ? `, ${pc.yellow(`${bad} unreadable record(s)`)}` : '';
  text += flagged ? `; ${flagged} other file(s) with findings` : '';
  text += listed ? `; ${listed} other file(s) hashed and listed only` : '';
  text += unreadable ? `; ${pc.yellow(`${unreadable} file(s) unreadable`)}` : '';
  text +=
    `. Rules: ${result.rules.loaded} loaded${result.rules.failed ? `, ${pc.yellow(`${result.rules.failed} not loaded`)}` : ''}` +
    `${result.rules.unreachable ? `, ${result.rules.unreachable} for logs exir does not read` : ''}.\n`;
  if (result.warnings.length) text += `${pc.yellow(`${result.warnings.length} warning(s)`)} (on stderr; all are in the JSON output).\n`;
  text += `Times are shown in ${safeText(timeZone)}; the JSON output holds them in UTC.\n`;
  return text;
}
