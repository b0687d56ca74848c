import { STAGES, type EvidenceFile, type Finding, type ServerSummary, type Stage, type Verdict } from '../core/types.js';

const VERDICT_OF_STAGE: Record<Stage, Verdict> = {
  probe: 'probed',
  'exploit-attempt': 'exploit-attempted',
  exploited: 'exploited',
  'post-exploitation': 'post-exploitation',
};

const STAGE_RANK = new Map<Stage, number>(STAGES.map((s, i) => [s, i]));

export function stageRank(stage: Stage): number {
  return STAGE_RANK.get(stage) ?? 0;
}

/** Findings at or above an exploit attempt are what the exit code and "attacker" mean. */
export function isAttack(finding: Finding): boolean {
  return !finding.benign && stageRank(finding.stage) >= stageRank('exploit-attempt');
}

const PLAIN: Record<Verdict, string> = {
  clean: 'no sign of these attacks was found in the logs read',
  probed: 'probed: scanned or tested from the internet, with no sign that an attack got further',
  'exploit-attempted': 'attacked: exploit attempts were seen, with no sign yet that they succeeded',
  exploited: 'compromised: the evidence shows an exploit succeeded',
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

/** One summary per server named in the evidence or the findings, worst verdict first. */
export function summariseServers(evidence: EvidenceFile[], findings: Finding[]): ServerSummary[] {
  const names = new Set<string>();
  for (const file of evidence) if (file.kind !== 'unknown' && file.server) names.add(file.server);
  for (const finding of findings) names.add(finding.server);
  const out: ServerSummary[] = [];
  for (const name of names) {
    const own = findings.filter((f) => f.server === name);
    const stageCounts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    let top: Stage | undefined;
    let first: string | undefined;
    let last: string | undefined;
    const ips = new Set<string>();
    for (const f of own) {
      stageCounts[f.stage] += 1;
      if (!top || stageRank(f.stage) > stageRank(top)) top = f.stage;
      if (f.benign) continue;
      first = minTime(first, f.time);
      last = maxTime(last, f.time);
      if (isAttack(f) && f.clientIp) ips.add(f.clientIp);
    }
    const verdict: Verdict = top ? VERDICT_OF_STAGE[top] : 'clean';
    out.push({
      name,
      verdict,
      firstActivity: first,
      lastActivity: last,
      attackerIps: [...ips].sort(),
      stageCounts,
      summary: describe(verdict, own),
    });
  }
  const rank = (v: Verdict): number => ['clean', 'probed', 'exploit-attempted', 'exploited', 'post-exploitation'].indexOf(v);
  return out.sort((a, b) => rank(b.verdict) - rank(a.verdict) || a.name.localeCompare(b.name));
}

function describe(verdict: Verdict, findings: Finding[]): string {
  const sentence = PLAIN[verdict];
  if (verdict === 'clean' || verdict === 'probed') {
    const benign = findings.filter((f) => f.benign).length;
    const capped = findings.filter((f) => f.cappedBy).length;
    const notes = [
      benign ? `${benign} hit(s) were recognised as scanners or Exchange's own health probes` : '',
      capped ? `${capped} hit(s) belong to requests that went no further than a probe` : '',
    ].filter(Boolean);
    return notes.length ? `${sentence} (${notes.join('; ')})` : sentence;
  }
  const decisive = [...findings]
    .filter((f) => !f.benign)
    .sort((a, b) => stageRank(b.stage) - stageRank(a.stage) || (a.time ?? '').localeCompare(b.time ?? ''))[0];
  if (!decisive) return sentence;
  const when = decisive.time ? ` at ${decisive.time.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}` : '';
  const from = decisive.clientIp ? ` from ${decisive.clientIp}` : '';
  return `${sentence}; decisive evidence: ${decisive.title}${when}${from}`;
}
