import pc from 'picocolors';
import { safeText } from '../core/terminal-text.js';
import type { Finding, ScanResult, ServerSummary, Verdict } from '../core/types.js';
import { stageRank } from '../correlate/verdict.js';

const COLOUR: Record<Verdict, (s: string) => string> = {
  clean: pc.green,
  probed: pc.cyan,
  'exploit-attempted': pc.yellow,
  exploited: pc.red,
  'post-exploitation': (s) => pc.bold(pc.red(s)),
};

function when(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : 'time unknown';
}

function findingLine(f: Finding): string {
  const who = [f.clientIp && `from ${f.clientIp}`, f.user && `as ${f.user}`].filter(Boolean).join(' ');
  const cves = f.cves.length ? ` [${f.cves.join(', ')}]` : '';
  const why = f.benign ?? f.cappedBy;
  const benign = why ? pc.dim(` (${safeText(why)})`) : '';
  return `    ${pc.dim(when(f.time))}  ${f.stage.padEnd(17)} ${safeText(f.title)}${cves}${who ? ` ${safeText(who)}` : ''}${benign}\n`
    + `      ${pc.dim(`${safeText(f.origin.path)}:${f.origin.line}`)}\n`;
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

function serverBlock(server: ServerSummary, findings: Finding[]): string {
  const own = findings.filter((f) => f.server === server.name);
  let text = `${pc.bold(safeText(server.name))}: ${COLOUR[server.verdict](server.verdict.toUpperCase())}\n`;
  text += `  ${safeText(server.summary)}\n`;
  const counts = Object.entries(server.stageCounts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`);
  if (counts.length) text += `  findings by stage: ${counts.join(', ')}\n`;
  if (server.firstActivity) text += `  attacker activity: ${when(server.firstActivity)} to ${when(server.lastActivity)}\n`;
  if (server.attackerIps.length) text += `  attacker IPs: ${safeText(server.attackerIps.join(', '))}\n`;
  const top = topFindings(own, 8);
  if (top.length) text += `  top findings:\n${top.map(findingLine).join('')}`;
  return text;
}

/** The console summary: one block per server, then what was read and what could not be. */
export function consoleReport(result: ScanResult): string {
  let text = '';
  for (const server of result.servers) text += `${serverBlock(server, result.findings)}\n`;
  if (result.servers.length === 0) text += 'No Exchange or IIS log was recognised in the evidence.\n\n';
  const logs = result.evidence.filter((e) => e.kind !== 'unknown');
  const records = logs.reduce((n, e) => n + e.records, 0);
  const bad = logs.reduce((n, e) => n + e.badRecords, 0);
  const other = result.evidence.length - logs.length;
  text += `Read ${result.evidence.length} file(s): ${logs.length} log(s) with ${records} record(s)`;
  text += bad ? `, ${pc.yellow(`${bad} unreadable record(s)`)}` : '';
  text += other ? `; ${other} other file(s) hashed and listed only` : '';
  text += `. Rules: ${result.rules.loaded} loaded${result.rules.failed ? `, ${pc.yellow(`${result.rules.failed} not loaded`)}` : ''}.\n`;
  if (result.warnings.length) text += `${pc.yellow(`${result.warnings.length} warning(s)`)} (on stderr; all are in the JSON output).\n`;
  text += 'Times are UTC.\n';
  return text;
}
