import type { Finding, FindingRepeats } from '../core/types.js';

/** Lines kept as samples of a repeated probe: enough to check by hand, not a copy of the flood. */
export const MAX_REPEAT_SAMPLES = 5;
/** Distinct URLs listed for a folded finding: a scanner's whole name list stays readable. */
export const MAX_REPEAT_URLS = 100;

/**
 * Collects findings, folding identical probes into one with a count. A scanner's flood is hundreds
 * of thousands of the same probe; kept one by one it fills memory and buries the few lines that
 * matter. Only probes are folded, and the hits of rules that ask for it (`foldPerClient`: a list of
 * web-shell names tried is one act, however many names): anything else is kept whole, each line its
 * own finding. A probe that caps its request is kept whole too, so the capping still sees every
 * request it holds. A fold of different URLs lists them.
 */
export class FindingCollector {
  private readonly kept: Finding[] = [];
  private readonly probes = new Map<string, Finding>();

  constructor(private readonly foldPerClient: ReadonlySet<string> = new Set()) {}

  add(finding: Finding): void {
    if ((finding.stage !== 'probe' && !this.foldPerClient.has(finding.ruleId)) || finding.capsRequest) {
      this.kept.push(finding);
      return;
    }
    const key = JSON.stringify([finding.ruleId, finding.server, finding.clientIp ?? '', finding.benign ?? '', finding.user ?? '']);
    const seen = this.probes.get(key);
    if (!seen) {
      this.probes.set(key, finding);
      this.kept.push(finding);
      return;
    }
    const into = (seen.repeats ??= { count: 1, firstTime: seen.time, lastTime: seen.time, samples: [seen.origin] });
    const from = finding.repeats ?? { count: 1, firstTime: finding.time, lastTime: finding.time, samples: [finding.origin] };
    into.count += from.count;
    into.firstTime = earlier(into.firstTime, from.firstTime);
    into.lastTime = later(into.lastTime, from.lastTime);
    for (const origin of from.samples) if (into.samples.length < MAX_REPEAT_SAMPLES) into.samples.push(origin);
    addUrls(into, seen.url, from.urls ?? (finding.url !== undefined ? [finding.url] : []));
  }

  /** Every finding added, folded; in the order each was first seen. */
  findings(): Finding[] {
    return this.kept;
  }
}

/** Keeps the distinct URLs of a fold, once more than one was seen; the first found stays first. */
function addUrls(into: FindingRepeats, first: string | undefined, more: readonly string[]): void {
  const urls = into.urls ?? (first !== undefined ? [first] : []);
  for (const url of more) if (urls.length < MAX_REPEAT_URLS && !urls.includes(url)) urls.push(url);
  if (urls.length > 1) into.urls = urls;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  return b !== undefined && b < a ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  return b !== undefined && b > a ? b : a;
}
