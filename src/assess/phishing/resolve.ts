// Which lookalike domains exist, asked of DNS only when the user says --resolve, at a bounded rate:
// a few hundred names must not look like an attack on the firm's resolver, nor trip its limits.

import { Resolver as DnsResolver } from 'node:dns/promises';

/** true: registered (the name has name servers); false: not registered; undefined: DNS did not say. */
export type Resolver = (domain: string) => Promise<boolean | undefined>;

const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

/** The system's DNS, asking for each name's NS records (every registered domain has them). */
export function dnsResolver(timeoutMs = 3000): Resolver {
  const dns = new DnsResolver({ timeout: timeoutMs, tries: 2 });
  return async (domain) => {
    try {
      return (await dns.resolveNs(domain)).length > 0;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      return ABSENT.has(code) ? false : undefined;
    }
  };
}

export interface ResolveOptions {
  /** Questions started per second, at most. */
  perSecond: number;
  sleep?: (ms: number) => Promise<void>;
  /** The clock the wait is measured on (tests give their own, so no test depends on the machine's speed). */
  now?: () => number;
}

/** Asks the resolver about each name, one batch of `perSecond` names a second; returns the answers by name. */
export async function resolveAll(names: readonly string[], resolver: Resolver, options: ResolveOptions): Promise<Map<string, boolean | undefined>> {
  const perSecond = Math.max(1, Math.floor(options.perSecond));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const out = new Map<string, boolean | undefined>();
  for (let i = 0; i < names.length; i += perSecond) {
    const started = now();
    const batch = names.slice(i, i + perSecond);
    const answers = await Promise.all(batch.map((n) => resolver(n)));
    batch.forEach((n, j) => out.set(n, answers[j]));
    if (i + perSecond < names.length) await sleep(Math.max(0, 1000 - (now() - started)));
  }
  return out;
}
