import type { HourBatch } from './batch.js';
import type { Rng } from './prng.js';
import type { Database, Server, World } from './world.js';
import { AD_DOMAIN } from './world.js';

/** What every traffic maker needs: the seeded generator, the organisation, the batch being filled. */
export interface Ctx {
  rng: Rng;
  world: World;
  batch: HourBatch;
  /** Requests are made in [from, to); a request that would end at or after `to` is not made. */
  to: number;
  /** The server is down in this window (an update): nothing is logged then. */
  down: [number, number] | undefined;
}

/** True when a request ending at `t` may be written in this batch. */
export function fits(ctx: Ctx, t: number): boolean {
  if (t >= ctx.to) return false;
  return !(ctx.down && t >= ctx.down[0] && t < ctx.down[1]);
}

/** CAFE's backend cookie for a mailbox database, valid for 30 days (the form of the samples). */
export function databaseCookie(db: Database, t: number): string {
  return `Database~${db.guid}~~${new Date(t + 30 * 86_400_000).toISOString().slice(0, 19)}`;
}

export function serverFqdn(name: string): string {
  return `${name}.${AD_DOMAIN}`;
}

/** ECP's anti-CSRF canary: 75 URL-safe characters and a dot. */
export function canary(rng: Rng): string {
  return `${rng.token(75)}.`;
}

const MOBILE_PREFIXES = ['82.132', '92.40', '31.94', '176.24'];
export function mobileIp(rng: Rng): string {
  return `${rng.pick(MOBILE_PREFIXES)}.${rng.range(1, 254)}.${rng.range(1, 254)}`;
}

/** Time of the next request of an activity: people click every few seconds. */
export function later(rng: Rng, t: number, medianMs = 4000): number {
  return t + rng.skewed(medianMs);
}

/** Office hours in Jersey (UTC+0 in February and March): weekdays 08:00-18:00. */
export function inOffice(t: number): boolean {
  const d = new Date(t);
  const day = d.getUTCDay();
  const h = d.getUTCHours();
  return day >= 1 && day <= 5 && h >= 8 && h < 18;
}

/** Something that happens at a fixed time on one server, whatever the size of the bundle. */
export interface Scheduled {
  server: 'EX01' | 'EX02';
  time: number;
  apply(ctx: Ctx, server: Server): void;
}

export function utc(month: number, day: number, h: number, m: number, s = 0, ms = 0): number {
  return Date.UTC(2021, month - 1, day, h, m, s, ms);
}
