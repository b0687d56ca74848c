import { type Ctx, type Scheduled, utc } from './common.js';
import type { Rng } from './prng.js';
import { type ProxyRequest, newRequest } from './request.js';
import { EXTERNAL_HOST, type Server } from './world.js';

// Internet-wide scanning after the March 2021 disclosure: version fingerprinting (zgrab fetching
// the ECP export tool manifest), Nessus-style ProxyShell probes (@test.com), autodiscover-only
// SSRF probes that never go further, and web-shell hunters asking for known shell names.

export interface ScannerPlan {
  ips: string[];
  events: Scheduled[];
}

const ZGRAB = '192.0.2.15';
const NESSUS = '192.0.2.80';
const SSRF_PROBERS = ['192.0.2.101', '192.0.2.102', '192.0.2.103', '192.0.2.104'];
const SHELL_HUNTER = '192.0.2.140';
const SSRF_UAS = [
  'python-requests/2.25.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36',
  'ExchangeServicesClient/0.0.0.0',
];
/** Names from public HAFNIUM web-shell lists that hunters asked for; none is on our servers. */
const HUNTED = ['/aspnet_client/discover.aspx', '/aspnet_client/supp0rt.aspx', '/aspnet_client/system_web/log.aspx', '/aspnet_client/shell.aspx'];

export function planScanners(rng: Rng, servers: readonly Server[]): ScannerPlan {
  const events: Scheduled[] = [];
  for (const server of servers) {
    const name = server.name;
    const at = (time: number, apply: (ctx: Ctx, s: Server, when: number) => void): void => {
      // A server that is down for its update sees nothing; the scanner finds it a little later.
      const down = server.downtime;
      const when = down && time >= down[0] && time < down[1] ? down[1] + (time - down[0]) : time;
      events.push({
        server: name,
        time: when,
        apply: (ctx, s) => {
          apply(ctx, s, when);
        },
      });
    };
    const sec = (): [number, number] => [rng.range(0, 59), rng.range(0, 999)];

    for (const [d, h] of [
      [3, 6],
      [5, 11],
      [8, 23],
    ] as const) {
      const time = utc(3, d, h, rng.range(0, 59), ...sec());
      at(time, (ctx, s, when) => {
        const r = newRequest(s, when, 'Ecp', ctx.rng.guid());
        Object.assign(r, {
          urlHost: EXTERNAL_HOST,
          urlStem: '/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application',
          authType: 'FBA',
          anchorMailbox: 'ServerVersion~Version 15.0 (Build 0.0)',
          userAgent: 'Mozilla/5.0 zgrab/0.x',
          clientIp: ZGRAB,
          routingHint: 'EDiscoveryExportTool-ServerVersion',
          responseBytes: 10112,
          duration: ctx.rng.range(8, 40),
        });
        ctx.batch.proxy(r);
      });
    }

    for (const [d, h] of [
      [3, 9],
      [9, 15],
    ] as const) {
      const time = utc(3, d, h, rng.range(0, 59), ...sec());
      at(time, (ctx, s, when) => {
        const r = newRequest(s, when, 'Autodiscover', ctx.rng.guid());
        Object.assign(r, {
          urlHost: EXTERNAL_HOST,
          urlStem: '/autodiscover/autodiscover.json',
          query: '@test.com/owa/?&Email=autodiscover/autodiscover.json%3F@test.com',
          userAgent: 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)',
          clientIp: NESSUS,
          status: 302,
          routingHint: 'Url',
          duration: ctx.rng.range(10, 60),
          responseBytes: 216,
        });
        ctx.batch.proxy(r);
      });
    }

    for (const ip of SSRF_PROBERS) {
      const hits = rng.range(1, 3);
      for (let i = 0; i < hits; i++) {
        const time = utc(3, rng.range(3, 9), rng.range(0, 23), rng.range(0, 59), ...sec());
        const stem = `/ecp/${'xyzab'.slice(0, rng.range(1, 3))}.js`;
        const ua = rng.pick(SSRF_UAS);
        const method = rng.chance(0.5) ? 'GET' : 'POST';
        at(time, (ctx, s, when) => ctx.batch.proxy(ssrfProbe(ctx.rng, s, when, ip, stem, ua, method)));
      }
    }

    const hunt = utc(3, rng.range(6, 8), rng.range(0, 23), rng.range(0, 50), ...sec());
    for (const [i, stem] of HUNTED.entries()) {
      at(hunt + i * 700, (ctx, s, when) => {
        ctx.batch.iis({
          time: when,
          serverIp: s.ip,
          method: 'GET',
          stem,
          query: '',
          port: 443,
          user: '',
          clientIp: SHELL_HUNTER,
          userAgent: 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
          referer: '',
          status: 404,
          subStatus: 0,
          win32Status: 2,
          timeTaken: ctx.rng.range(0, 3),
        });
      });
    }
  }
  return { ips: [ZGRAB, NESSUS, ...SSRF_PROBERS, SHELL_HUNTER], events };
}

/** The autodiscover-only SSRF probe: it reaches the back end once and goes no further. */
function ssrfProbe(rng: Rng, s: Server, time: number, ip: string, stem: string, ua: string, method: string): ProxyRequest {
  const r = newRequest(s, time, 'Ecp', rng.guid());
  // After the March update the front end refuses the forged cookie.
  const patched = s.patchedAt !== undefined && time >= s.patchedAt;
  Object.assign(r, {
    method,
    urlHost: EXTERNAL_HOST,
    urlStem: stem,
    anchorMailbox: `ServerInfo~a]@${s.fqdn}:444/autodiscover/autodiscover.xml?#`,
    userAgent: ua,
    clientIp: ip,
    status: patched ? 500 : 200,
    routingHint: 'X-BEResource-Cookie',
    requestBytes: method === 'POST' ? rng.range(300, 600) : 0,
    responseBytes: patched ? 0 : rng.range(1200, 2600),
    duration: rng.range(8, 120),
    genericErrors: patched ? 'ProxyRequestHandler:InvalidBackEndCookie' : '',
  });
  return r;
}
