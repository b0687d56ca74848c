import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, TimelineEntry } from '../core/types.js';
import { buildSessions, findingEntry, nearestWithClient } from './sessions.js';
import { aFinding, anEventFinding as event } from './test-helpers/findings.js';

void test('event-log findings on one host minutes apart are one session; an hour later, or another host, is another', () => {
  const sessions = buildSessions(
    [
      event('2021-03-03T03:00:00Z', 'EX01', 1),
      event('2021-03-03T03:04:00Z', 'EX01', 2),
      event('2021-03-03T03:12:00Z', 'EX01', 3),
      event('2021-03-03T04:30:00Z', 'EX01', 4),
      event('2021-03-03T03:01:00Z', 'EX02', 5),
    ],
    [],
  );
  assert.deepEqual(sessions.map((s) => [s.servers.join(), s.findings, s.firstTime]).sort(), [
    ['EX01', 1, '2021-03-03T04:30:00Z'],
    ['EX01', 3, '2021-03-03T03:00:00Z'],
    ['EX02', 1, '2021-03-03T03:01:00Z'],
  ]);
});

function hit(time: string, over: Partial<Finding> = {}): Finding {
  return aFinding({
    time,
    origin: { path: 'EX01/HttpProxy/Ecp/HttpProxy_1.LOG', line: Number(time.slice(14, 16)) + 1, offset: 0 },
    fields: { UrlStem: '/ecp/y.js' },
    ...over,
  });
}

function activity(time: string, over: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    time,
    server: 'EX01',
    source: 'iis',
    origin: { path: 'EX01/W3SVC1/u_ex210303.log', line: Number(time.slice(11, 13)) * 60 + Number(time.slice(14, 16)), offset: 0 },
    kind: 'activity',
    summary: 'request',
    fields: {},
    ...over,
  };
}

void test('one request seen by HttpProxy from the client and by IIS from the front end is one session with both addresses', () => {
  const sessions = buildSessions(
    [hit('2021-03-03T02:00:00Z', { requestId: 'a1b2c3d4-1111-2222-3333-444455556666' })],
    [activity('2021-03-03T05:00:00Z', { clientIp: '10.0.0.5', requestId: 'a1b2c3d4-1111-2222-3333-444455556666' })],
  );
  assert.deepEqual(
    sessions.map((s) => [s.id, s.attackerIps, s.entries.length, s.firstTime, s.lastTime]),
    [['S1', ['10.0.0.5', '203.0.113.9'], 2, '2021-03-03T02:00:00Z', '2021-03-03T05:00:00Z']],
  );
  assert.deepEqual(
    sessions[0]?.entries.map((e) => e.session),
    ['S1', 'S1'],
  );
});

void test('a request id that two clients carry in one log joins nothing: two attackers stay two sessions', () => {
  const sessions = buildSessions(
    [
      hit('2021-03-03T02:00:00Z', { requestId: 'a1b2c3d4-1111-2222-3333-444455556666', fields: { AnchorMailbox: 'x' } }),
      hit('2021-03-03T09:00:00Z', { requestId: 'a1b2c3d4-1111-2222-3333-444455556666', clientIp: '198.51.100.4', fields: { AnchorMailbox: 'y' } }),
    ],
    [],
  );
  assert.deepEqual(
    sessions.map((s) => [s.id, s.attackerIps]),
    [
      ['S1', ['203.0.113.9']],
      ['S2', ['198.51.100.4']],
    ],
  );
});

void test('a web shell page used from a second address joins that address to the session, whatever the case of its path', () => {
  const sessions = buildSessions(
    [hit('2021-03-03T02:00:00Z', { stage: 'post-exploitation', url: '/aspnet_client/Shell.aspx', fields: { 'cs-uri-stem': '/aspnet_client/Shell.aspx' } })],
    [
      activity('2021-03-04T02:00:00Z', { clientIp: '198.51.100.4', fields: { 'cs-uri-stem': '/ASPNET_CLIENT/shell.aspx' } }),
      activity('2021-03-04T03:00:00Z', { clientIp: '192.0.2.77', fields: { 'cs-uri-stem': '/owa/auth/logon.aspx' } }),
    ],
  );
  assert.deepEqual(
    sessions.map((s) => [s.attackerIps, s.webShells, s.stages]),
    [[['198.51.100.4', '203.0.113.9'], ['/aspnet_client/shell.aspx'], ['post-exploitation']]],
  );
});

void test('a record with no client joins the nearest attack on its server within 30 minutes, not one further or elsewhere', () => {
  const cmdlet = (time: string, server = 'EX01'): TimelineEntry =>
    activity(time, {
      server,
      source: 'rps-cmdlet',
      origin: { path: `${server}/Cmdlet.LOG`, line: Number(time.slice(11, 13)) * 60 + Number(time.slice(14, 16)), offset: 0 },
      fields: { Cmdlet: 'Set-OabVirtualDirectory' },
    });
  const sessions = buildSessions(
    [hit('2021-03-03T02:00:00Z'), hit('2021-03-03T03:00:00Z', { clientIp: '198.51.100.4' })],
    [cmdlet('2021-03-03T02:30:00Z'), cmdlet('2021-03-03T02:40:00Z'), cmdlet('2021-03-03T03:31:00Z'), cmdlet('2021-03-03T02:05:00Z', 'EX02')],
  );
  assert.deepEqual(
    sessions.map((s) => [s.attackerIps.join(), s.entries.map((e) => e.time?.slice(11, 16))]),
    [
      ['203.0.113.9', ['02:00', '02:30']],
      ['198.51.100.4', ['02:40', '03:00']],
    ],
  );
});

void test('event-log findings exactly ten minutes apart are one session; a minute more splits them', () => {
  const sessions = buildSessions(
    [event('2021-03-03T03:00:00Z', 'EX01', 1), event('2021-03-03T03:10:00Z', 'EX01', 2), event('2021-03-03T03:21:00Z', 'EX01', 3)],
    [],
  );
  assert.deepEqual(
    sessions.map((s) => [s.id, s.findings]),
    [
      ['S1', 2],
      ['S2', 1],
    ],
  );
});

void test('scanners, capped requests and probes seed no session; a record already a finding is not counted twice', () => {
  assert.deepEqual(
    buildSessions(
      [
        hit('2021-03-03T02:00:00Z', { benign: 'a known scanner' }),
        hit('2021-03-03T02:01:00Z', { cappedBy: 'went no further' }),
        hit('2021-03-03T02:02:00Z', { stage: 'probe' }),
      ],
      [],
    ),
    [],
  );
  const seed = hit('2021-03-03T02:00:00Z', { userAgent: 'python-requests/2.25', cves: ['CVE-2021-26855'], requestId: 'a1b2c3d4-1111', user: 'admin' });
  const [session] = buildSessions([seed], [activity('2021-03-03T02:00:00Z', { origin: seed.origin, clientIp: '203.0.113.9' })]);
  assert.equal(session?.entries.length, 1);
  assert.deepEqual(session?.userAgents, ['python-requests/2.25']);
  const [entry] = session?.entries ?? [];
  assert.deepEqual(
    { ...entry, fields: undefined },
    {
      time: '2021-03-03T02:00:00Z',
      server: 'EX01',
      source: 'httpproxy',
      origin: seed.origin,
      kind: 'finding',
      summary: 'hit',
      ruleId: 'rule',
      stage: 'exploit-attempt',
      clientIp: '203.0.113.9',
      userAgent: 'python-requests/2.25',
      user: 'admin',
      requestId: 'a1b2c3d4-1111',
      cves: ['CVE-2021-26855'],
      session: 'S1',
      fields: undefined,
    },
  );
});

void test("a finding's log is told by the fields it matched, and a scanner's or a capped request's reason is its note", () => {
  const fieldSets: Record<string, string>[] = [
    { 'cs-uri-stem': '/' },
    { 'sc-status': '200' },
    { 'c-ip': '192.0.2.1' },
    { Cmdlet: 'Get-Mailbox' },
    { Parameters: '-Identity x' },
    { CMD: 'Set-OabVirtualDirectory' },
    { EventData: 'x' },
    { AnchorMailbox: 'a' },
    { UrlStem: '/ecp/' },
    { BackEndCookie: 'c' },
    { CommandLine: 'whoami' },
  ];
  const sources = fieldSets.map((fields) => findingEntry(hit('2021-03-03T02:00:00Z', { fields })).source);
  assert.deepEqual(sources, ['iis', 'iis', 'iis', 'rps-cmdlet', 'rps-cmdlet', 'ecp-server', 'ecp-server', 'httpproxy', 'httpproxy', 'httpproxy', 'unknown']);
  assert.equal(findingEntry(hit('2021-03-03T02:00:00Z', { benign: 'a known scanner' })).note, 'a known scanner');
  assert.equal(findingEntry(hit('2021-03-03T02:00:00Z', { cappedBy: 'went no further' })).note, 'went no further');
  assert.deepEqual(Object.keys(findingEntry(hit('2021-03-03T02:00:00Z', { clientIp: undefined }))).sort(), [
    'fields',
    'kind',
    'origin',
    'ruleId',
    'server',
    'source',
    'stage',
    'summary',
    'time',
  ]);
});

void test('a session lists its stages in attack order and its entries by time, then file, then line', () => {
  const at = '2021-03-03T02:00:00Z';
  const [session] = buildSessions(
    [
      hit(at, { stage: 'post-exploitation', origin: { path: 'EX01/b.log', line: 2, offset: 0 } }),
      hit(at, { stage: 'exploit-attempt', origin: { path: 'EX01/b.log', line: 1, offset: 0 } }),
      hit(at, { stage: 'exploited', origin: { path: 'EX01/a.log', line: 9, offset: 0 } }),
    ],
    [],
  );
  assert.deepEqual(session?.stages, ['exploit-attempt', 'exploited', 'post-exploitation']);
  assert.deepEqual(
    session?.entries.map((e) => `${e.origin.path}:${e.origin.line}`),
    ['EX01/a.log:9', 'EX01/b.log:1', 'EX01/b.log:2'],
  );
});

void test('an event with no time neither joins nor breaks the chain of events around it', () => {
  const sessions = buildSessions(
    [event('2021-03-03T03:00:00Z', 'EX01', 1), { ...event('2021-03-03T03:02:00Z', 'EX01', 2), time: undefined }, event('2021-03-03T03:05:00Z', 'EX01', 3)],
    [],
  );
  assert.deepEqual(
    sessions.map((s) => s.entries.map((e) => e.origin.line)),
    [[2], [1, 3]],
  );
});

void test('the nearest entry with a client is the one a scan of them all finds: nearest, within 30 minutes, on the server, the first of equals', () => {
  // The scan it replaced, as the model: every entry with a client on the server, the first strictly nearer one kept.
  const model = (entries: TimelineEntry[], server: string, t: number): number | undefined => {
    let best: number | undefined;
    let bestGap = Infinity;
    entries.forEach((c, i) => {
      if (!c.clientIp || !c.time || c.server !== server) return;
      const gap = Math.abs(Date.parse(c.time) - t);
      if (gap <= 30 * 60_000 && gap < bestGap) {
        best = i;
        bestGap = gap;
      }
    });
    return best;
  };
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const base = Date.parse('2021-03-03T02:00:00Z');
  for (let round = 0; round < 200; round++) {
    // Few distinct times, so that equal times and equal gaps on both sides are common; some times unreadable.
    const entries = Array.from({ length: 1 + next(40) }, (_, k) =>
      activity('2021-03-03T02:00:00Z', {
        time: next(15) === 0 ? 'not a time' : new Date(base + next(12) * 10 * 60_000).toISOString(),
        server: next(3) === 0 ? 'EX02' : 'EX01',
        origin: { path: 'x.log', line: k + 1, offset: 0 },
        ...(next(3) > 0 ? { clientIp: '203.0.113.9' } : {}),
      }),
    );
    const nearest = nearestWithClient(entries);
    for (let q = 0; q < 30; q++) {
      const t = q === 0 ? Number.NaN : base + next(26) * 5 * 60_000 - 10 * 60_000;
      for (const server of ['EX01', 'EX02', 'EX03']) assert.equal(nearest(server, t), model(entries, server, t), `round ${round}, t ${t}, ${server}`);
    }
  }
});
