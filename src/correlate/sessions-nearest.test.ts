// buildSessions joins each record with no client to the nearest entry with a client on its server:
// the same choice as asking every such entry, and without asking every one for every record.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TimelineEntry } from '../core/types.js';
import { buildSessions } from './sessions.js';
import { anEventFinding as event } from './test-helpers/findings.js';

/** A web request the follow pass found, on EX01 unless told. */
function activity(time: string, over: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    time,
    server: 'EX01',
    source: 'iis',
    origin: { path: 'EX01/W3SVC1/u_ex210303.log', line: 0, offset: 0 },
    kind: 'activity',
    summary: 'request',
    fields: {},
    ...over,
  };
}

/** Minute `m` of 3 March 2021 as the logs write it. */
function minute(m: number): string {
  return new Date(Date.UTC(2021, 2, 3) + m * 60_000).toISOString().replace('.000Z', 'Z');
}

void test('a record with no client joins the nearest entry with a client on its server, the first of those as near, among thousands', () => {
  // Each entry with a client has its own address, so a session's address tells which one a client-less event joined.
  let seed = 7;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n) >>> 0;
  const servers = ['EX01', 'EX02'];
  const clients = Array.from({ length: 1500 }, (_, k) =>
    activity(minute(rnd(600)), { server: servers[rnd(2)]!, clientIp: `10.0.${k >> 8}.${k & 255}`, origin: { path: 'w3svc/u.log', line: k, offset: 0 } }),
  );
  const events = Array.from({ length: 1500 }, (_, k) => event(minute(rnd(700) - 50), servers[rnd(2)]!, k));
  const sessions = buildSessions(events, clients);
  // The rule, asked of every entry with a client for every event: the first in time, file, line order of the nearest.
  const order = (a: TimelineEntry, b: TimelineEntry): number =>
    (a.time ?? '').localeCompare(b.time ?? '') || a.origin.path.localeCompare(b.origin.path) || a.origin.line - b.origin.line;
  const sorted = [...clients].sort(order);
  let joined = 0;
  for (const e of events) {
    let best: TimelineEntry | undefined;
    let bestGap = Infinity;
    for (const c of sorted) {
      const gap = Math.abs(Date.parse(c.time!) - Date.parse(e.time!));
      if (c.server === e.server && gap <= 30 * 60_000 && gap < bestGap) [best, bestGap] = [c, gap];
    }
    const session = sessions.find((s) => s.entries.some((x) => x.origin.path === e.origin.path && x.origin.line === e.origin.line))!;
    assert.deepEqual(session.attackerIps, best ? [best.clientIp] : [], `event ${e.origin.line} at ${e.time} on ${e.server}`);
    if (best) joined++;
  }
  // Both kinds are there: events that joined a client, and events alone.
  assert.ok(joined > 1000 && joined < 1500, `${joined} events joined a client`);
});

void test('finding the nearest client for each client-less record asks each entry a few times, not once per pair', () => {
  // Entries whose server is counted as it is read: a search of every pair reads it events x clients times.
  let reads = 0;
  const counted = (e: TimelineEntry): TimelineEntry => {
    const { server, ...rest } = e;
    return Object.defineProperty(rest, 'server', {
      enumerable: true,
      get: () => {
        reads++;
        return server;
      },
    }) as TimelineEntry;
  };
  const n = 3000;
  const clients = Array.from({ length: n }, (_, k) => counted(activity(minute(k % 600), { clientIp: `10.1.${k >> 8}.${k & 255}` })));
  const events = Array.from({ length: n }, (_, k) => event(minute(k % 600), 'EX01', k));
  const sessions = buildSessions(events, clients);
  assert.equal(
    sessions.reduce((s, x) => s + x.findings, 0),
    n,
  );
  assert.ok(reads <= 5 * n, `${reads} reads of the ${n} client entries' server`);
});
