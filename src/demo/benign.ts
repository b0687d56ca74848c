import { archiverPass, healthProbe } from './benign-probes.js';
import { ecpAdminSession, ecpUserSession, powershellAdminSession } from './benign-admin.js';
import { autodiscover, easSession, ewsSession, mapiSession, oabDownload, owaSession, publishedCalendar, rpcHttpSession, siteRoot } from './benign-users.js';
import { type Ctx, inOffice } from './common.js';
import type { Server } from './world.js';

type Activity = (ctx: Ctx, server: Server, t: number) => number;

/** What people do during office hours, by share of activities. */
const OFFICE_MIX: readonly (readonly [Activity, number])[] = [
  [mapiSession, 26],
  [owaSession, 12],
  [easSession, 20],
  [ewsSession, 9],
  [autodiscover, 9],
  [oabDownload, 3],
  [rpcHttpSession, 1.5],
  [publishedCalendar, 2],
  [ecpUserSession, 1.5],
  [ecpAdminSession, 1],
  [powershellAdminSession, 0.8],
  [siteRoot, 1.5],
];
/** Evenings and weekends: phones, a little OWA and Outlook from home. */
const QUIET_MIX: readonly (readonly [Activity, number])[] = [
  [easSession, 40],
  [mapiSession, 8],
  [owaSession, 10],
  [ewsSession, 5],
  [autodiscover, 7],
  [oabDownload, 1],
  [publishedCalendar, 3],
  [siteRoot, 2],
  [rpcHttpSession, 0.5],
];
/** What runs whether anyone is at work or not. */
const MACHINE_MIX: readonly (readonly [Activity, number])[] = [
  [healthProbe, 85],
  [archiverPass, 15],
];

/** How busy an hour is for people, 0..1 (Jersey office: weekdays 08-18, UTC+0 in Feb/March). */
export function peopleLoad(t: number): number {
  const d = new Date(t);
  const h = d.getUTCHours();
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
  if (weekend) return h >= 9 && h < 21 ? 0.1 : 0.04;
  const curve = [0.04, 0.03, 0.03, 0.03, 0.03, 0.04, 0.1, 0.35, 0.85, 1, 1, 1, 0.8, 0.9, 1, 1, 0.95, 0.7, 0.35, 0.2, 0.15, 0.12, 0.08, 0.05];
  return curve[h] ?? 0.05;
}

/** Exchange's own traffic, as a share of a busy office hour: it does not sleep. */
export const MACHINE_LOAD = 0.12;

/**
 * Fills the batch with about `requests` benign requests spread over the hour starting at `hour`.
 * Returns how many it made (fewer when the server was down for part of the hour).
 */
export function benignHour(ctx: Ctx, server: Server, hour: number, requests: number): number {
  const { rng } = ctx;
  const people = peopleLoad(hour);
  const machineShare = MACHINE_LOAD / (MACHINE_LOAD + people);
  let made = 0;
  let attempts = 0;
  while (made < requests && attempts < requests * 3 + 10) {
    attempts++;
    const t = hour + rng.int(3_600_000);
    if (ctx.down && t >= ctx.down[0] && t < ctx.down[1]) continue;
    let activity: Activity;
    if (rng.chance(machineShare)) activity = rng.weighted(MACHINE_MIX);
    else activity = rng.weighted(inOffice(t) ? OFFICE_MIX : QUIET_MIX);
    made += activity(ctx, server, t);
  }
  return made;
}
