import {
  STAGES,
  type Coverage,
  type CoverageGap,
  type EvidenceFile,
  type Finding,
  type MailboxTouch,
  type ServerSummary,
  type Session,
  type Stage,
  type Verdict,
  type WebShell,
} from '../core/types.js';
import { WAVES } from './coverage.js';
import { exchangeShown } from './exchange-host.js';
import { inZone, zoneAbbreviation } from '../core/zoned-time.js';

const VERDICT_OF_STAGE: Record<Stage, Verdict> = {
  probe: 'probed',
  'exploit-attempt': 'exploit-attempted',
  exploited: 'exploited',
  'post-exploitation': 'post-exploitation',
};

const STAGE_RANK = new Map<Stage, number>(STAGES.map((s, i) => [s, i]));
const VERDICT_ORDER: Verdict[] = ['clean', 'probed', 'exploit-attempted', 'exploited', 'post-exploitation'];

export function stageRank(stage: Stage): number {
  return STAGE_RANK.get(stage) ?? 0;
}

/** Findings at or above an exploit attempt are what the exit code and "attacker" mean. */
export function isAttack(finding: Finding): boolean {
  return !finding.benign && !finding.indicatorOnly && stageRank(finding.stage) >= stageRank('exploit-attempt');
}

const PLAIN: Record<Verdict, string> = {
  clean: 'clean: no sign of these attacks was found in the logs read',
  probed: 'probed: scanned or tested from the internet, with no sign that an attack got further',
  'exploit-attempted': 'attacked: exploit attempts were seen, with no sign that they succeeded',
  exploited: 'exploited: the evidence shows an attack succeeded',
  'post-exploitation': 'compromised and used: the attacker acted on the server after getting in',
};

function minTime(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

function maxTime(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * "at 02:14 UTC on 3 March 2021": how a person says a time in a sentence. The sentences the JSON
 * output keeps are in UTC; people read them in their own zone (see spokenIn).
 */
export function spokenTime(iso: string | undefined, zone = 'UTC'): string {
  if (!iso) return 'at an unknown time';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 'at an unknown time';
  if (zone !== 'UTC') {
    const [date, time] = inZone(iso, zone).split(' ');
    const [y, m, day] = (date ?? '').split('-').map(Number);
    return `at ${(time ?? '').slice(0, 5)} ${zoneAbbreviation(iso, zone)} on ${day} ${MONTHS[(m ?? 1) - 1]} ${y}`;
  }
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `at ${hh}:${mm} UTC on ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const SPOKEN_UTC = new RegExp(`\\b(\\d{2}):(\\d{2}) UTC on (\\d{1,2}) (${MONTHS.join('|')}) (\\d{4})\\b`, 'g');

/** A sentence made with spokenTime, its times said in `zone` ("at 03:14 BST on 3 July 2021"). */
export function spokenIn(sentence: string, zone: string): string {
  if (zone === 'UTC') return sentence;
  return sentence.replace(SPOKEN_UTC, (whole, hh: string, mm: string, day: string, month: string, year: string) => {
    const ms = Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hh), Number(mm));
    return Number.isNaN(ms) ? whole : spokenTime(new Date(ms).toISOString(), zone).slice('at '.length);
  });
}

export interface VerdictContext {
  sessions?: Session[];
  coverage?: Coverage[];
  mailboxes?: MailboxTouch[];
  /** Per server, its web shells (correlate/web-shells.ts). */
  webShells?: Map<string, WebShell[]>;
}

/** One summary per server named in the evidence or the findings, worst verdict first. */
export function summariseServers(evidence: EvidenceFile[], findings: Finding[], context: VerdictContext = {}): ServerSummary[] {
  const names = new Set<string>();
  for (const file of evidence) if (file.kind !== 'unknown' && file.server) names.add(file.server);
  for (const finding of findings) names.add(finding.server);
  const out: ServerSummary[] = [];
  const onExchange = exchangeShown(evidence, () => [...findings, ...(context.sessions ?? []).flatMap((x) => x.entries)]);
  for (const name of names) {
    const own = findings.filter((f) => f.server === name);
    const stageCounts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    let top: Stage | undefined;
    let first: string | undefined;
    let last: string | undefined;
    const ips = new Set<string>();
    for (const f of own) {
      // Exchange's own health probes are the server talking to itself: no one probed it.
      if (f.ownTraffic) continue;
      stageCounts[f.stage] += f.repeats?.count ?? 1;
      // An address on a published list is context: alone it shows no more than a probe.
      const counts = f.indicatorOnly && stageRank(f.stage) > stageRank('probe') ? 'probe' : f.stage;
      if (!top || stageRank(counts) > stageRank(top)) top = counts;
      if (f.benign) continue;
      first = minTime(first, f.time);
      last = maxTime(last, f.time);
      if (isAttack(f) && !f.cappedBy && f.clientIp) ips.add(f.clientIp);
    }
    // The attackers' IPs include those that used the same web shell, found by following the session.
    for (const s of context.sessions ?? []) {
      if (s.servers.includes(name)) for (const ip of s.attackerIps) ips.add(ip);
    }
    const verdict: Verdict = top ? VERDICT_OF_STAGE[top] : 'clean';
    const gaps = (context.coverage ?? []).filter((c) => c.server === name).flatMap((c) => c.gaps);
    const uncovered = uncoveredWindows(gaps);
    const summary = describe(verdict, own, ips.size);
    const shells = context.webShells?.get(name) ?? [];
    const namesSeen = [...new Set(evidence.filter((e) => e.server === name).flatMap((e) => e.serverNames ?? []))].sort();
    out.push({
      name,
      verdict,
      firstActivity: first,
      lastActivity: last,
      attackerIps: [...ips].sort(),
      stageCounts,
      // "Clean" over days no log reaches is not clean: the sentence itself says what it is true of.
      summary:
        (uncovered.length && (verdict === 'clean' || verdict === 'probed')
          ? `${summary.replace(/^(clean|probed)/, '$1 in what the logs cover')}; they do not cover ${uncovered.join(', ')}`
          : summary) +
        (stageRank(top ?? 'probe') >= stageRank('exploited') && !onExchange(name)
          ? '. Nothing in the evidence shows Exchange on this machine, so no mailbox is said to be in reach through it'
          : ''),
      wouldChange: wouldChange(verdict, gaps.length),
      ...(namesSeen.length ? { namesSeen } : {}),
      ...(shells.length ? { webShells: shells } : {}),
      ...(uncovered.length ? { uncovered } : {}),
    });
  }
  return out.sort((a, b) => VERDICT_ORDER.indexOf(b.verdict) - VERDICT_ORDER.indexOf(a.verdict) || a.name.localeCompare(b.name));
}

/** The parts of exploitation windows that one log or another of the server does not reach, each said once. */
function uncoveredWindows(gaps: CoverageGap[]): string[] {
  const names = new Map(WAVES.map((w) => [w.id, w.name]));
  const out = new Set<string>();
  for (const g of gaps) if (g.wave) out.add(`${g.from.slice(0, 10)}..${g.to.slice(0, 10)} of the ${names.get(g.wave) ?? g.wave} window`);
  return [...out].sort();
}

/** The finding that decides the verdict: the first one at the highest stage. */
function decisiveFinding(findings: Finding[]): Finding | undefined {
  return [...findings]
    .filter((f) => !f.benign && !f.cappedBy && !f.indicatorOnly)
    .sort((a, b) => stageRank(b.stage) - stageRank(a.stage) || (a.time ?? '').localeCompare(b.time ?? ''))[0];
}

/** The verdict in one sentence a compliance officer understands, naming the decisive evidence. */
function describe(verdict: Verdict, findings: Finding[], attackerCount: number): string {
  const sentence = PLAIN[verdict];
  if (verdict === 'clean' || verdict === 'probed') {
    const benign = findings.filter((f) => f.benign).length;
    const capped = findings.filter((f) => f.cappedBy).length;
    const listed = findings.filter((f) => f.indicatorOnly).length;
    const notes = [
      benign ? `${benign} hit(s) were recognised as scanners or Exchange's own health probes` : '',
      listed ? `${listed} request(s) came from addresses published as attacking Exchange servers, which alone shows no more than a probe` : '',
      capped ? `${capped} hit(s) belong to requests that went no further than a probe` : '',
    ].filter(Boolean);
    return notes.length ? `${sentence} (${notes.join('; ')})` : sentence;
  }
  const decisive = decisiveFinding(findings);
  if (!decisive) return sentence;
  const what = decisive.story ?? `the evidence shows: ${decisive.title}`;
  const from = attackerCount > 0 ? ` and used from ${attackerCount} IP address${attackerCount === 1 ? '' : 'es'}` : '';
  const head = verdict === 'exploit-attempted' ? 'attacked' : verdict === 'exploited' ? 'exploited' : 'compromised and used';
  if (verdict === 'exploit-attempted') {
    return `${head}: ${decisive.title} ${spokenTime(decisive.time)}${attackerCount ? ` from ${attackerCount} IP address${attackerCount === 1 ? '' : 'es'}` : ''}; no sign that it succeeded`;
  }
  // The step a regulator asks about is how the attacker got in: of the successes that opened the
  // attack (within an hour of the first), the last one, e.g. the web shell written after the logon.
  const successes = [...findings]
    .filter((f) => !f.benign && !f.cappedBy && f.stage === 'exploited' && f.time)
    .sort((a, b) => (a.time as string).localeCompare(b.time as string));
  const firstMs = successes[0]?.time ? Date.parse(successes[0].time) : undefined;
  const last = firstMs === undefined ? undefined : successes.filter((f) => Date.parse(f.time as string) - firstMs <= 3600_000).pop();
  // Of several of the same step (the same virtual directory written twice), the first is how they got in.
  const entry = last && successes.find((f) => (f.story ?? f.title) === (last.story ?? last.title));
  if (verdict === 'exploited' || !entry) {
    const step = entry ?? decisive;
    return `${head}: ${step.story ?? `the evidence shows: ${step.title}`} ${spokenTime(step.time)}${from}`;
  }
  return `${head}: ${inTimeOrder(`${entry.story ?? entry.title} ${spokenTime(entry.time)}`, entry.time, `${what} ${spokenTime(decisive.time)}`, decisive.time)}${from}`;
}

/**
 * The way in and the later act joined as the times say: "then" only when the act came after the way
 * in. An act before the success the logs show means the first way in is not among the logs read, and
 * without both times the order is not claimed at all.
 */
function inTimeOrder(wayIn: string, wayInTime: string | undefined, act: string, actTime: string | undefined): string {
  const a = wayInTime ? Date.parse(wayInTime) : Number.NaN;
  const b = actTime ? Date.parse(actTime) : Number.NaN;
  if (Number.isNaN(a) || Number.isNaN(b)) return `${wayIn}, and ${act}; the evidence does not give the order of the two`;
  if (a <= b) return `${wayIn}, then ${act}`;
  return `${act}, before ${wayIn}: the attacker acted before the success the logs show, so the first way in is not among the logs read`;
}

function wouldChange(verdict: Verdict, gapCount: number): string {
  const gaps = gapCount > 0 ? ` The logs do not cover everything (${gapCount} gap(s) listed under coverage); logs from those periods could change this.` : '';
  switch (verdict) {
    case 'clean':
      return `Any sign of these attacks in logs not read here (event logs, the files in the web folders) would change this.${gaps}`;
    case 'probed':
      return `It would rise if a request from these sources had succeeded: an HttpProxy ServerInfo~ row naming a mailbox or back-end path, a 241 answer from /ecp/proxyLogon.ecp, a virtual directory changed in the ECP Server log, or a page in a web folder answering the attacker.${gaps}`;
    case 'exploit-attempted':
      return `It would become exploited with evidence that an attempt worked: a 241 answer from /ecp/proxyLogon.ecp, an OAB virtual directory changed in the ECP Server log, a file written by OABGenerator outside its folder, a mailbox exported to a web folder, or a web shell file. Nothing in the logs read shows any of these.${gaps}`;
    case 'exploited':
      return `It would become post-exploitation with evidence that the foothold was used: web shell requests answered, commands run, credentials dumped, accounts created. Only evidence that these records were forged or belong to another server would lower it.${gaps}`;
    case 'post-exploitation':
      return 'This is the highest stage: only evidence that these records were forged or belong to another server would lower it. What remains to establish is how far the attacker went: the sessions, the mailboxes reached and the files left behind.';
  }
}
