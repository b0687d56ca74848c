import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Coverage, Finding, Session, Stage } from '../core/types.js';
import { isAttack, summariseServers } from './verdict.js';
import { aFinding, aLogFile } from './test-helpers/findings.js';

function hit(stage: Stage, over: Partial<Finding> = {}): Finding {
  return aFinding({ title: 'the rule', stage, origin: { path: 'EX01/x.log', line: 1, offset: 0 }, ...over });
}

const log = aLogFile;

const gap = (server: string, wave: string | undefined, from: string, to: string): Coverage => ({
  server,
  source: 'httpproxy',
  files: 1,
  records: 1,
  firstTime: undefined,
  lastTime: undefined,
  gaps: [{ ...(wave ? { wave } : {}), from, to, statement: 'not covered' }],
});

void test('a server with logs and no findings is clean, said of what was read; an unrecognised file names no server', () => {
  const servers = summariseServers([log('EX01'), log('EX02', { kind: 'unknown' }), log('', { server: undefined })], []);
  assert.deepEqual(servers, [
    {
      name: 'EX01',
      verdict: 'clean',
      firstActivity: undefined,
      lastActivity: undefined,
      attackerIps: [],
      stageCounts: { probe: 0, 'exploit-attempt': 0, exploited: 0, 'post-exploitation': 0 },
      summary: 'clean: no sign of these attacks was found in the logs read',
      wouldChange: 'Any sign of these attacks in logs not read here (event logs, the files in the web folders) would change this.',
    },
  ]);
});

void test('clean over days no log reaches is said to be clean only in what the logs cover, each window once', () => {
  const [server] = summariseServers([log('EX01')], [], {
    coverage: [
      gap('EX01', 'proxylogon', '2021-01-06T00:00:00Z', '2021-02-20T00:00:00Z'),
      gap('EX01', 'proxylogon', '2021-01-06T00:00:00Z', '2021-02-20T00:00:00Z'),
      gap('EX01', 'no-such-wave', '2022-01-01T00:00:00Z', '2022-01-02T00:00:00Z'),
      gap('EX01', undefined, '2023-01-01T00:00:00Z', '2023-01-02T00:00:00Z'),
      gap('EX02', 'proxyshell', '2021-08-01T00:00:00Z', '2021-08-09T00:00:00Z'),
    ],
  });
  assert.deepEqual(server?.uncovered, ['2021-01-06..2021-02-20 of the ProxyLogon window', '2022-01-01..2022-01-02 of the no-such-wave window']);
  assert.equal(
    server?.summary,
    'clean in what the logs cover: no sign of these attacks was found in the logs read; they do not cover 2021-01-06..2021-02-20 of the ProxyLogon window, 2022-01-01..2022-01-02 of the no-such-wave window',
  );
  assert.equal(
    server?.wouldChange,
    'Any sign of these attacks in logs not read here (event logs, the files in the web folders) would change this. The logs do not cover everything (4 gap(s) listed under coverage); logs from those periods could change this.',
  );
});

void test('probed: scanners, listed addresses and held-down requests are counted in the sentence, and none is an attacker', () => {
  const [server] = summariseServers(
    [log('EX01')],
    [
      hit('probe', { benign: 'a known scanner', clientIp: '192.0.2.1', time: '2021-03-01T00:00:00Z' }),
      hit('exploit-attempt', { indicatorOnly: true, clientIp: '192.0.2.2', time: '2021-03-02T00:00:00Z' }),
      hit('exploit-attempt', { indicatorOnly: true, clientIp: '192.0.2.2', time: '2021-03-02T01:00:00Z' }),
      hit('probe', {
        cappedBy: 'went no further',
        clientIp: '192.0.2.3',
        time: '2021-03-04T00:00:00Z',
        repeats: { count: 5, firstTime: undefined, lastTime: undefined, samples: [] },
      }),
      hit('exploit-attempt', { benign: "Exchange's own probe", ownTraffic: true, time: '2021-03-09T00:00:00Z' }),
      hit('probe', { time: undefined, clientIp: '192.0.2.4' }),
    ],
    { coverage: [gap('EX01', 'proxylogon', '2021-01-06T00:00:00Z', '2021-02-20T00:00:00Z')] },
  );
  assert.equal(server?.verdict, 'probed');
  assert.deepEqual(server?.attackerIps, []);
  assert.deepEqual(server?.stageCounts, { probe: 7, 'exploit-attempt': 2, exploited: 0, 'post-exploitation': 0 });
  assert.equal(server?.firstActivity, '2021-03-02T00:00:00Z');
  assert.equal(server?.lastActivity, '2021-03-04T00:00:00Z');
  assert.equal(
    server?.summary,
    'probed in what the logs cover: scanned or tested from the internet, with no sign that an attack got further (2 hit(s) were recognised as scanners or ' +
      "Exchange's own health probes; 2 request(s) came from addresses published as attacking Exchange servers, which alone shows no more than a probe; " +
      '1 hit(s) belong to requests that went no further than a probe); they do not cover 2021-01-06..2021-02-20 of the ProxyLogon window',
  );
  assert.match(
    server?.wouldChange ?? '',
    /^It would rise if a request from these sources had succeeded: .*answering the attacker\. The logs do not cover everything \(1 gap\(s\)/,
  );
});

void test('an attempt names its decisive finding, its time and its addresses, and says it did not succeed', () => {
  const [one] = summariseServers(
    [log('EX01')],
    [hit('exploit-attempt', { title: 'ProxyLogon SSRF', time: '2021-03-03T02:14:00Z' }), hit('probe', { title: 'a probe', time: '2021-03-03T01:00:00Z' })],
  );
  assert.equal(one?.verdict, 'exploit-attempted');
  assert.deepEqual(one?.attackerIps, ['203.0.113.9']);
  assert.equal(one?.summary, 'attacked: ProxyLogon SSRF at 02:14 UTC on 3 March 2021 from 1 IP address; no sign that it succeeded');
  assert.match(one?.wouldChange ?? '', /^It would become exploited with evidence that an attempt worked: .* Nothing in the logs read shows any of these\.$/);
  const [two] = summariseServers(
    [log('EX01')],
    [
      hit('exploit-attempt', { title: 'later', time: '2021-03-03T03:00:00Z', clientIp: '198.51.100.4' }),
      hit('exploit-attempt', { title: 'first', time: '2021-03-03T02:00:00Z' }),
      hit('exploit-attempt', { title: 'capped', time: '2021-03-03T01:00:00Z', cappedBy: 'x', clientIp: '192.0.2.9' }),
      hit('exploit-attempt', { title: 'no address', time: '2021-03-03T04:00:00Z', clientIp: undefined }),
    ],
  );
  assert.deepEqual(two?.attackerIps, ['198.51.100.4', '203.0.113.9']);
  assert.equal(two?.summary, 'attacked: first at 02:00 UTC on 3 March 2021 from 2 IP addresses; no sign that it succeeded');
  const [none] = summariseServers([log('EX01')], [hit('exploit-attempt', { title: 'anonymous', clientIp: undefined })]);
  assert.equal(none?.summary, 'attacked: anonymous at 02:00 UTC on 3 March 2021; no sign that it succeeded');
});

void test('exploited: the step that got in is named with its story, and the addresses include those a session followed', () => {
  const session = { servers: ['EX01'], attackerIps: ['198.51.100.4'], entries: [] } as unknown as Session;
  const elsewhere = { servers: ['EX02'], attackerIps: ['192.0.2.200'], entries: [] } as unknown as Session;
  const [server] = summariseServers(
    [log('EX01', { serverNames: ['ex01.corp.local', 'EX01'] }), log('EX01', { serverNames: ['EX01'] }), log('EX02', { serverNames: ['ex02'] })],
    [
      hit('exploit-attempt', { time: '2021-03-03T01:00:00Z' }),
      hit('exploited', { title: 'ProxyLogon 241', story: 'the request forgery logged on to the ECP', time: '2021-03-03T02:00:00Z' }),
    ],
    { sessions: [session, elsewhere] },
  );
  assert.equal(server?.verdict, 'exploited');
  assert.deepEqual(server?.attackerIps, ['198.51.100.4', '203.0.113.9']);
  assert.deepEqual(server?.namesSeen, ['EX01', 'ex01.corp.local']);
  assert.equal(server?.summary, 'exploited: the request forgery logged on to the ECP at 02:00 UTC on 3 March 2021 and used from 2 IP addresses');
  assert.match(server?.wouldChange ?? '', /^It would become post-exploitation with evidence that the foothold was used: .* would lower it\.$/);
  const [untold] = summariseServers([log('EX01')], [hit('exploited', { title: 'ProxyLogon 241', time: undefined, clientIp: undefined })]);
  assert.equal(untold?.summary, 'exploited: the evidence shows: ProxyLogon 241 at an unknown time');
});

void test('post-exploitation: how they got in (the last success within the first hour, to the second), then what they did', () => {
  const [server] = summariseServers(
    [log('EX01')],
    [
      hit('exploited', { story: 'the request forgery logged on', time: '2021-03-03T02:00:00Z' }),
      hit('exploited', { story: 'a held-down success', time: '2021-03-03T02:50:00Z', cappedBy: 'x' }),
      hit('exploited', { story: 'a web shell was written', time: '2021-03-03T03:00:00Z' }),
      hit('exploited', { story: 'a mailbox was exported', time: '2021-03-03T03:00:01Z' }),
      hit('exploited', { story: 'a web shell file was found on disk', time: undefined }),
      hit('post-exploitation', { title: 'China Chopper answered', time: '2021-03-04T05:00:00Z' }),
      hit('post-exploitation', { title: 'a later command', time: '2021-03-05T05:00:00Z' }),
    ],
  );
  assert.equal(server?.verdict, 'post-exploitation');
  assert.equal(
    server?.summary,
    'compromised and used: a web shell was written at 03:00 UTC on 3 March 2021, then the evidence shows: China Chopper answered at 05:00 UTC on 4 March 2021 and used from 1 IP address',
  );
  assert.equal(
    server?.wouldChange,
    'This is the highest stage: only evidence that these records were forged or belong to another server would lower it. What remains to establish is how far the attacker went: the sessions, the mailboxes reached and the files left behind.',
  );
  const [direct] = summariseServers(
    [log('EX01')],
    [hit('post-exploitation', { title: 'a shell answered', story: 'a web shell answered', clientIp: undefined })],
  );
  assert.equal(direct?.summary, 'compromised and used: a web shell answered at 02:00 UTC on 3 March 2021');
});

void test('the decisive finding is the earliest at the top stage that is neither a scanner, a listed address nor held down', () => {
  const [server] = summariseServers(
    [log('EX01')],
    [
      hit('exploit-attempt', { title: 'a scanner', benign: 'x', time: '2021-03-03T01:00:00Z' }),
      hit('exploit-attempt', { title: 'a listed address', indicatorOnly: true, time: '2021-03-03T01:10:00Z' }),
      hit('exploit-attempt', { title: 'the attempt', time: '2021-03-03T01:20:00Z' }),
    ],
  );
  assert.equal(server?.summary, 'attacked: the attempt at 01:20 UTC on 3 March 2021 from 1 IP address; no sign that it succeeded');
  // Findings given straight to the summary with nothing able to decide: the verdict's plain sentence.
  const plain = (['exploit-attempt', 'exploited', 'post-exploitation'] as const).map(
    (stage) => summariseServers([log('EX01')], [hit(stage, { benign: 'a scanner' })])[0]?.summary,
  );
  assert.deepEqual(plain, [
    'attacked: exploit attempts were seen, with no sign that they succeeded',
    'exploited: the evidence shows an attack succeeded',
    'compromised and used: the attacker acted on the server after getting in',
  ]);
});

void test('an attack seen is said as it is however little the logs cover; the gaps are still listed and counted', () => {
  const [server] = summariseServers([log('EX01')], [hit('exploit-attempt', { title: 'the attempt' })], {
    coverage: [gap('EX01', 'proxyshell', '2021-08-01T00:00:00Z', '2021-08-09T00:00:00Z')],
  });
  assert.equal(server?.summary, 'attacked: the attempt at 02:00 UTC on 3 March 2021 from 1 IP address; no sign that it succeeded');
  assert.deepEqual(server?.uncovered, ['2021-08-01..2021-08-09 of the ProxyShell window']);
  assert.match(
    server?.wouldChange ?? '',
    / Nothing in the logs read shows any of these\. The logs do not cover everything \(1 gap\(s\) listed under coverage\); logs from those periods could change this\.$/,
  );
  const [exploited] = summariseServers([log('EX01')], [hit('exploited', { title: 'x' })], {
    coverage: [gap('EX01', 'proxyshell', '2021-08-01T00:00:00Z', '2021-08-09T00:00:00Z')],
  });
  assert.match(exploited?.wouldChange ?? '', / would lower it\. The logs do not cover everything \(1 gap\(s\)/);
});

void test('a success on a machine with no trace of Exchange says no mailbox is in reach through it', () => {
  const dc = log('DC01', { kind: 'winevent', path: 'DC01/Security.evtx' });
  const [server] = summariseServers(
    [dc],
    [hit('exploited', { server: 'DC01', title: 'a dump', time: '2021-03-03T02:00:00Z', origin: { path: 'DC01/Security.evtx', line: 1, offset: 0 } })],
  );
  assert.equal(
    server?.summary,
    'exploited: the evidence shows: a dump at 02:00 UTC on 3 March 2021 and used from 1 IP address. Nothing in the evidence shows Exchange on this machine, so no mailbox is said to be in reach through it',
  );
  const [attempt] = summariseServers([dc], [hit('exploit-attempt', { server: 'DC01', title: 'a try' })]);
  assert.doesNotMatch(attempt?.summary ?? '', /Nothing in the evidence shows Exchange/);
  const followed = {
    servers: ['DC01'],
    attackerIps: [],
    entries: [hit('probe', { server: 'DC01', fields: { Image: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin\\x.exe' } })],
  } as unknown as Session;
  const [seen] = summariseServers([dc], [hit('exploited', { server: 'DC01', title: 'a dump' })], { sessions: [followed] });
  assert.doesNotMatch(seen?.summary ?? '', /Nothing in the evidence shows Exchange/);
});

void test('servers come worst first, then by name, with their web shells', () => {
  const shells = new Map([['EX03', [{ url: '/aspnet_client/x.aspx', sources: ['file' as const], used: false, firstSeen: undefined, files: ['x.aspx'] }]]]);
  const servers = summariseServers(
    [log('EX04'), log('EX02'), log('EX03')],
    [hit('probe', { server: 'EX05' }), hit('exploit-attempt', { server: 'EX02' }), hit('exploited', { server: 'EX01' }), hit('probe', { server: 'EX03' })],
    { webShells: shells },
  );
  assert.deepEqual(
    servers.map((s) => [s.name, s.verdict, s.webShells?.length]),
    [
      ['EX01', 'exploited', undefined],
      ['EX02', 'exploit-attempted', undefined],
      ['EX03', 'probed', 1],
      ['EX05', 'probed', undefined],
      ['EX04', 'clean', undefined],
    ],
  );
});

void test('an attack is an attempt or more that is neither a scanner nor only a listed address', () => {
  assert.deepEqual(
    [hit('probe'), hit('exploit-attempt'), hit('post-exploitation'), hit('exploited', { benign: 'scanner' }), hit('exploited', { indicatorOnly: true })].map(
      isAttack,
    ),
    [false, true, true, false, false],
  );
});
