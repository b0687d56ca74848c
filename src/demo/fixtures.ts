import { ecpCall } from './benign-admin.js';
import { type Scheduled, canary, utc } from './common.js';
import { OAB_NAME } from './backend-rows.js';
import type { Rng } from './prng.js';
import { NETBIOS, type World } from './world.js';

// Benign events at fixed times: the OAB generator's work cycle, the update of EX02, and the near
// misses a careless rule would take for an attack (a legitimate Set-OwaVirtualDirectory in ECP,
// an OAB download that failed in the OAB's own temporary folder).

const OAB_TEMP = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp';

export function planFixtures(rng: Rng, world: World, days: number[]): Scheduled[] {
  const events: Scheduled[] = [];
  for (const server of world.servers) {
    for (const day of days) {
      for (const hour of [2, 10, 18]) {
        const start = day + hour * 3_600_000 + rng.range(60_000, 900_000);
        if (server.downtime && start >= server.downtime[0] - 600_000 && start < server.downtime[1]) continue;
        const thread = rng.range(8, 60);
        const entries = rng.range(150, 175);
        const generated = rng.range(800, 3000);
        const done = generated + rng.range(1100, 6000);
        const lines: [number, 'Information' | 'Warning', string][] = [
          [0, 'Information', `OABGeneratorAssistant: beginning generation of OAB '${OAB_NAME}' (${world.oabGuid}).`],
          [generated, 'Information', `Generated 1 full and 1 differential OAB file(s) for '${OAB_NAME}'; ${entries} address entries.`],
          [done, 'Information', `OAB generation for '${OAB_NAME}' completed in 00:00:0${Math.ceil(done / 1000)}.`],
        ];
        for (const [offset, level, message] of lines) {
          events.push({
            server: server.name,
            time: start + offset,
            apply: (ctx) => ctx.batch.oab({ time: start + offset, level, threadId: thread, message }),
          });
        }
      }
    }
  }

  // The same words as the CVE-2021-26858 line, but in the OAB's own temporary folder.
  for (const [name, time] of [
    ['EX01', utc(2, 23, 10, 14, 2, 417)],
    ['EX02', utc(2, 26, 18, 9, 51, 88)],
  ] as const) {
    const file = `${OAB_TEMP}\\${rng.guid()}\\oab.xml`;
    events.push({
      server: name,
      time,
      apply: (ctx) => ctx.batch.oab({ time, level: 'Warning', threadId: 22, message: `Download failed and temporary file '${file}' needs to be removed.` }),
    });
  }

  // An admin corrects the OWA URLs in the ECP: Set-OwaVirtualDirectory with an ordinary URL.
  const [first, second] = world.admins;
  const fixes = [
    { name: 'EX01', time: utc(2, 24, 10, 42, 17, 305), admin: first },
    { name: 'EX02', time: utc(3, 5, 14, 10, 3, 662), admin: second ?? first },
  ] as const;
  for (const fix of fixes) {
    const admin = fix.admin;
    if (!admin) continue;
    const c = canary(rng);
    events.push({
      server: fix.name,
      time: fix.time,
      apply: (ctx, s) => {
        const who = { user: `${NETBIOS}\\${admin.account}`, sid: admin.sid, ip: admin.workstationIp, ua: admin.person.browser };
        ecpCall(
          ctx,
          s,
          fix.time,
          who,
          '/ecp/DDI/DDIService.svc/SetObject',
          `schema=OWAVirtualDirectory&msExchEcpCanary=${c}`,
          `Set-OwaVirtualDirectory.Identity=''${world.owaVdirGuid[fix.name]}''.ExternalUrl=''https://mail.example.com/owa''` +
            `.InternalUrl=''https://${s.fqdn.toLowerCase()}/owa''`,
        );
      },
    });
  }

  // IIS restarts with the update and starts a new header block in the day's log.
  for (const server of world.servers) {
    const up = server.downtime?.[1];
    if (up === undefined) continue;
    events.push({
      server: server.name,
      time: up,
      apply: (ctx) => {
        ctx.batch.iisRestart('iis', up);
        ctx.batch.iisRestart('iis-backend', up);
      },
    });
  }
  return events;
}
