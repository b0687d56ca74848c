// Reads an Exchange server's build from outside, the way a scanner would, and runs the harmless
// CVE-2021-26855 check Microsoft's own nmap script used. Two GETs (plus same-host redirects of the
// first), nothing else: no exploit, no other path, no other host.

import http from 'node:http';
import https from 'node:https';
import { TOOL } from '../../core/tool.js';
import type { Warning } from '../../core/types.js';
import { parseDotted, type ExchangeBuild } from './version.js';

export interface ProbeOptions {
  timeoutMs?: number;
  /** Accept a certificate that does not verify (internal CA, self-signed). Off by default. */
  insecure?: boolean;
  maxBodyBytes?: number;
  maxRedirects?: number;
}

type ShowsUpdates = 'yes' | 'usually' | 'no';

export interface ProbeReading {
  source: 'x-owa-version' | 'owa-path';
  value: string;
  build: ExchangeBuild;
  showsSecurityUpdates: ShowsUpdates;
  note: string;
}

interface ProbeRequest {
  url: string;
  status: number | undefined;
  error: string | undefined;
}

export interface ProbeResult {
  target: string;
  readings: ProbeReading[];
  /** The reading that shows the most: X-OWA-Version before a three-part path. */
  best: ProbeReading | undefined;
  cve202126855: { status: 'vulnerable' | 'not-vulnerable' | 'inconclusive'; evidence: string };
  requests: ProbeRequest[];
  redirectsNotFollowed: string[];
  /** Why the probe failed when no request got any HTTP answer (closed port, timeout, TLS refused); else undefined. */
  failed: string | undefined;
  warnings: Warning[];
}

/** The cookie of Microsoft's http-vuln-cve2021-26855.nse: it asks the front end to route to itself. */
export const CVE_2021_26855_COOKIE = 'X-AnonResource=true; X-AnonResource-Backend=localhost/ecp/default.flt?~3; X-BEResource=localhost/owa/auth/logon.aspx?~3;';

const X_OWA_NOTE =
  'X-OWA-Version carries four parts and normally moves with Security Updates, but it is the OWA build, which can differ from ExSetup (a CU9 server reports 15.2.858.2 where ExSetup reads 15.2.858.5).';
const PATH3_NOTE = 'The /owa/auth/<build>/ path has three parts: it shows the CU, never the Security Update.';
const PATH4_NOTE = 'A four-part /owa/ resource path shows the build of the OWA files, which normally moves with Security Updates.';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: URL, headers: Record<string, string>, opts: Required<ProbeOptions>): Promise<Answer> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'GET',
        headers: { 'User-Agent': `${TOOL.name}/${TOOL.version} (exposure probe)`, Accept: '*/*', ...headers },
        timeout: opts.timeoutMs,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !opts.insecure } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= opts.maxBodyBytes) return;
          const room = opts.maxBodyBytes - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += Math.min(chunk.length, room);
          if (size >= opts.maxBodyBytes) res.destroy();
        });
        const done = (): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        res.on('close', done);
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function header(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The builds in a logon page: /owa/auth/15.1.2176/... and /owa/15.1.2176.9/... resource paths. */
export function buildsInPage(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/\/owa\/(?:auth\/)?(\d{1,2}\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?)\//g)) if (m[1]) found.add(m[1]);
  return [...found];
}

/** The origin to probe; anything but http(s) is refused. */
export function probeTarget(input: string): URL {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`only http and https can be probed, not ${url.protocol}`);
  if (url.username || url.password) throw new Error('the URL must not carry credentials');
  return new URL(url.origin);
}

export async function probe(input: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const opts: Required<ProbeOptions> = { timeoutMs: 10_000, insecure: false, maxBodyBytes: 1 << 20, maxRedirects: 3, ...options };
  const origin = probeTarget(input);
  const requests: ProbeRequest[] = [];
  const redirectsNotFollowed: string[] = [];
  const warnings: Warning[] = [];
  const readings: ProbeReading[] = [];
  const seen = new Set<string>();
  const addReading = (r: Omit<ProbeReading, 'build'>): void => {
    const build = parseDotted(r.value);
    if (!build || seen.has(`${r.source}:${r.value}`)) return;
    seen.add(`${r.source}:${r.value}`);
    readings.push({ ...r, build });
  };

  // 1. The logon page, following redirects only while they stay on the same scheme, host and port.
  let url = new URL('/owa/auth/logon.aspx', origin);
  for (let hop = 0; hop <= opts.maxRedirects; hop++) {
    let answer: Answer;
    try {
      answer = await get(url, {}, opts);
    } catch (err) {
      requests.push({ url: url.href, status: undefined, error: (err as Error).message });
      warnings.push({ where: url.href, message: (err as Error).message });
      break;
    }
    requests.push({ url: url.href, status: answer.status, error: undefined });
    const owa = header(answer.headers, 'x-owa-version')?.trim();
    if (owa)
      addReading({ source: 'x-owa-version', value: owa, showsSecurityUpdates: parseDotted(owa)?.precision === 'full' ? 'usually' : 'no', note: X_OWA_NOTE });
    for (const b of buildsInPage(answer.body)) {
      const full = parseDotted(b)?.precision === 'full';
      addReading({ source: 'owa-path', value: b, showsSecurityUpdates: full ? 'usually' : 'no', note: full ? PATH4_NOTE : PATH3_NOTE });
    }
    const location = header(answer.headers, 'location');
    if (answer.status < 300 || answer.status >= 400 || !location) break;
    const next = new URL(location, url);
    if (next.origin !== origin.origin) {
      redirectsNotFollowed.push(next.href);
      warnings.push({ where: url.href, message: `redirect to another origin not followed: ${next.origin}` });
      break;
    }
    if (hop === opts.maxRedirects) warnings.push({ where: url.href, message: `more than ${opts.maxRedirects} redirects; stopped` });
    url = next;
  }

  // 2. CVE-2021-26855: a vulnerable front end answers with X-CalculatedBETarget naming localhost.
  const checkUrl = new URL('/owa/auth/x.js', origin);
  let cve: ProbeResult['cve202126855'];
  try {
    const answer = await get(checkUrl, { Cookie: CVE_2021_26855_COOKIE }, opts);
    requests.push({ url: checkUrl.href, status: answer.status, error: undefined });
    const target = header(answer.headers, 'x-calculatedbetarget');
    cve =
      target && /localhost/i.test(target)
        ? { status: 'vulnerable', evidence: `X-CalculatedBETarget: ${target}` }
        : { status: 'not-vulnerable', evidence: target ? `X-CalculatedBETarget: ${target}` : `HTTP ${answer.status}, no X-CalculatedBETarget header` };
  } catch (err) {
    requests.push({ url: checkUrl.href, status: undefined, error: (err as Error).message });
    cve = { status: 'inconclusive', evidence: (err as Error).message };
  }

  const rank = (r: ProbeReading): number => (r.showsSecurityUpdates === 'no' ? 1 : 0) + (r.source === 'x-owa-version' ? 0 : 0.5);
  const best = [...readings].sort((a, b) => rank(a) - rank(b))[0];
  if (readings.length === 0) warnings.push({ where: origin.href, message: 'no build found: no X-OWA-Version header and no /owa/auth/<build>/ path' });
  // A host that answered nothing was not probed: its "no build found" and "inconclusive" say nothing about it.
  const failed = requests.every((q) => q.status === undefined)
    ? `no answer from ${origin.host}: ${[...new Set(requests.map((q) => q.error ?? 'no response'))].join('; ')}`
    : undefined;
  return { target: origin.href, readings, best, cve202126855: cve, requests, redirectsNotFollowed, failed, warnings };
}
