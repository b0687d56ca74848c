import type { Scheduled } from './common.js';
import { Rng } from './prng.js';
import { type Protocol, newRequest } from './request.js';
import { EXTERNAL_HOST, type Server } from './world.js';

// The bench's second bundle (issue #17: "a bundle where the attacker appears in many files"): the
// attackers' addresses come back hour after hour on both servers, knocking at every protocol's
// front door without credentials. No rule is about these requests; they matter because the follow
// pass must then read nearly every HttpProxy log record by record for them.

/** Where each protocol's clients knock; an unauthenticated request gets CAFE's 401. */
const DOORS: Record<Protocol, string> = {
  Autodiscover: '/autodiscover/autodiscover.xml',
  Eas: '/Microsoft-Server-ActiveSync/default.eas',
  Ecp: '/ecp/',
  Ews: '/EWS/Exchange.asmx',
  Mapi: '/mapi/emsmdb/',
  Oab: '/OAB/',
  Owa: '/owa/',
  OwaCalendar: '/owa/calendar/',
  PowerShell: '/powershell',
  RpcHttp: '/rpc/rpcproxy.dll',
};

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Firefox/78.0';

/** Share of server-hours in which the attackers knock at a given protocol. */
const KNOCK_SHARE = 0.9;

/**
 * The knocks, one scheduled request each. They draw on their own generator (from the seed), not on
 * the bundle's: the rest of the bundle's traffic is made as it would be without them.
 */
export function planSpread(seed: number, servers: readonly Server[], hours: readonly number[], attackerIps: readonly string[]): Scheduled[] {
  const rng = new Rng(seed ^ 0x5a5a5a5);
  const events: Scheduled[] = [];
  for (const server of servers) {
    const name = server.name;
    const down = server.downtime;
    for (const hour of hours) {
      for (const protocol of Object.keys(DOORS) as Protocol[]) {
        if (!rng.chance(KNOCK_SHARE)) continue;
        const time = hour + rng.int(3_600_000);
        if (down && time >= down[0] && time < down[1]) continue;
        const ip = rng.pick(attackerIps);
        const id = rng.guid();
        const duration = rng.range(0, 3);
        events.push({
          server: name,
          time,
          apply: (ctx, s) => {
            const r = newRequest(s, time, protocol, id);
            Object.assign(r, {
              urlHost: EXTERNAL_HOST,
              urlStem: DOORS[protocol],
              userAgent: BROWSER,
              clientIp: ip,
              status: 401,
              proxied: false,
              duration,
              iisSubStatus: 1,
              iisWin32Status: 2148074254,
              targetServer: '',
              routingType: '',
            });
            ctx.batch.proxy(r);
          },
        });
      }
    }
  }
  return events;
}
