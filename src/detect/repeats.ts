import type { Finding } from '../core/types.js';

/** Lines kept as samples of a repeated probe: enough to check by hand, not a copy of the flood. */
export const MAX_REPEAT_SAMPLES = 5;

/**
 * Collects findings, folding identical probes into one with a count. A scanner's flood is hundreds
 * of thousands of the same probe; kept one by one it fills memory and buries the few lines that
 * matter. Only probes are folded: anything higher is kept whole, each line its own finding. A probe
 * that caps its request is kept whole too, so the capping still sees every request it holds.
 */
export class FindingCollector {
  private readonly kept: Finding[] = [];
  private readonly probes = new Map<string, Finding>();

  add(finding: Finding): void {
    if (finding.stage !== 'probe' || finding.capsRequest) {
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
  }

  /** Every finding added, folded; in the order each was first seen. */
  findings(): Finding[] {
    return this.kept;
  }
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  return b !== undefined && b < a ? b : a;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  return b !== undefined && b > a ? b : a;
}
