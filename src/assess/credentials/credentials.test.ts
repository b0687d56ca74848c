import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContextRecord, MailboxTouch } from '../../core/types.js';
import { assessCredentials, resetActions, type CredentialFinding, type CredentialsInput } from './credentials.js';

let line = 0;
function security(time: string, server: string, fields: Record<string, string>, kind: ContextRecord['kind'] = 'logon'): ContextRecord {
  line += 1;
  return { kind, time, server, origin: { path: `${server}/Security.evtx`, line, offset: line * 100 }, fields: { Channel: 'Security', ...fields } };
}
const logon = (time: string, server: string, user: string, type: string, domain = 'CONTOSO'): ContextRecord =>
  security(time, server, { EventID: '4624', TargetUserName: user, TargetDomainName: domain, LogonType: type });

const exploit: CredentialFinding = { ruleId: 'ssrf', time: '2021-03-03T02:00:00Z', server: 'EX01', path: 'EX01/HttpProxy.log', line: 7 };
const dump: CredentialFinding = {
  ruleId: '4f4cc8d7-1dac-483a-8a98-91163d832ed3',
  time: '2021-03-03T04:00:00Z',
  server: 'EX01',
  path: 'EX01/Security.evtx',
  line: 900,
};

function input(over: Partial<CredentialsInput>): CredentialsInput {
  return { findings: [exploit], servers: [{ name: 'EX01', verdict: 'probed' }], context: [], mailboxes: [], ...over };
}

test('an LSASS dump exposes every account that logged on to that server before it, and no other', () => {
  const report = assessCredentials(
    input({
      findings: [exploit, dump],
      context: [
        logon('2021-03-01T08:00:00Z', 'EX01', 'svc-backup', '5'),
        logon('2021-03-02T09:00:00Z', 'EX01', 'alice.admin', '10'),
        security('2021-03-02T09:30:00Z', 'EX01', { EventID: '4648', TargetUserName: 'bob.da', TargetDomainName: 'CONTOSO', LogonType: '' }),
        // Benign twins: a network logon leaves no reusable secret; a logon after the dump was not in it;
        // another server's logons were not in this memory; the system's own sessions are no one to reset.
        logon('2021-03-02T10:00:00Z', 'EX01', 'carol', '3'),
        logon('2021-03-03T05:00:00Z', 'EX01', 'dave', '2'),
        logon('2021-03-02T11:00:00Z', 'EX02', 'erin', '2'),
        logon('2021-03-02T11:00:00Z', 'EX01', 'SYSTEM', '5', 'NT AUTHORITY'),
        logon('2021-03-02T11:00:00Z', 'EX01', 'DWM-1', '2', 'Window Manager'),
      ],
    }),
  );
  const names = report.accounts.map((a) => a.account);
  assert.deepEqual(names.sort(), ['CONTOSO\\alice.admin', 'CONTOSO\\bob.da', 'CONTOSO\\svc-backup', 'EX01$']);
  const alice = report.accounts.find((a) => a.account === 'CONTOSO\\alice.admin');
  assert.equal(alice?.action, 'reset');
  assert.equal(alice?.exposedFrom, dump.time);
  assert.deepEqual(
    alice?.evidence.map((e) => e.path),
    ['EX01/Security.evtx', 'EX01/Security.evtx'],
  );
  assert.match(alice?.why ?? '', /remote desktop/);
  assert.match(report.limits.join('\n'), /EX01's Security log starts at 2021-03-01T08:00:00Z/);
});

test('a dump with no Security log for its server says the accounts cannot be listed', () => {
  const report = assessCredentials(input({ findings: [exploit, dump] }));
  assert.match(report.limits.join('\n'), /No Security log logons from EX01 are in the evidence/);
});

test('code run as SYSTEM on Exchange: krbtgt twice first, then domain admins, service accounts, the computer account', () => {
  const report = assessCredentials(input({ servers: [{ name: 'EX01', verdict: 'post-exploitation' }] }));
  assert.deepEqual(
    report.accounts.map((a) => [a.account, a.action]),
    [
      ['krbtgt', 'reset-twice'],
      ['Domain Admins and Enterprise Admins (every member)', 'reset'],
      ['Service accounts (every one in the domain)', 'reset'],
      ['EX01$', 'reset'],
    ],
  );
  assert.match(report.accounts[0]?.why ?? '', /Exchange Windows Permissions.*at least 10 hours apart/);
  assert.deepEqual(
    resetActions(report).map((a) => [a.step, a.accounts.length]),
    [
      ['reset-krbtgt-first', 1],
      ['reset-krbtgt-second', 1],
      ['reset-credentials', 3],
    ],
  );
  // A server only probed ran nothing as SYSTEM.
  assert.deepEqual(assessCredentials(input({})).accounts, []);
});

test('accounts created or made privileged during the attack are listed; an ordinary group change and earlier changes are not', () => {
  const report = assessCredentials(
    input({
      context: [
        security(
          '2021-03-03T03:00:00Z',
          'DC01',
          { EventID: '4720', TargetUserName: 'support01', TargetDomainName: 'CONTOSO', SubjectUserName: 'EX01$' },
          'account-change',
        ),
        security(
          '2021-03-03T03:01:00Z',
          'DC01',
          {
            EventID: '4756',
            TargetUserName: 'Exchange Windows Permissions',
            TargetSid: 'S-1-5-21-1-2-3-1119',
            MemberName: 'CN=support01,CN=Users,DC=contoso,DC=local',
            SubjectUserName: 'EX01$',
          },
          'account-change',
        ),
        security(
          '2021-03-03T03:02:00Z',
          'DC01',
          { EventID: '4728', TargetUserName: 'Marketing', TargetSid: 'S-1-5-21-1-2-3-2001', MemberName: 'CN=frank', SubjectUserName: 'helpdesk' },
          'account-change',
        ),
        security(
          '2021-02-01T03:00:00Z',
          'DC01',
          { EventID: '4720', TargetUserName: 'newstarter', TargetDomainName: 'CONTOSO', SubjectUserName: 'helpdesk' },
          'account-change',
        ),
        {
          kind: 'permission-cmdlet',
          time: '2021-03-03T03:05:00Z',
          server: 'EX01',
          origin: { path: 'EX01/Rps_Cmdlet.log', line: 4, offset: 0 },
          fields: {
            Cmdlet: 'Add-MailboxPermission',
            Parameters: '-Identity ceo -User support01 -AccessRights FullAccess',
            AuthenticatedUser: 'NT AUTHORITY\\SYSTEM',
          },
        },
      ],
    }),
  );
  assert.deepEqual(
    report.accounts.map((a) => a.account),
    ['CONTOSO\\support01', 'CN=support01,CN=Users,DC=contoso,DC=local', 'rights granted by Add-MailboxPermission'],
  );
  assert.match(report.accounts[1]?.why ?? '', /Added to Exchange Windows Permissions/);
  assert.match(report.accounts[2]?.why ?? '', /-User support01 -AccessRights FullAccess/);
});

test('a permission change on the domain head reaches the domain even with no server exploited', () => {
  const report = assessCredentials(
    input({
      context: [
        security(
          '2021-03-03T03:10:00Z',
          'DC01',
          { EventID: '5136', ObjectDN: 'DC=contoso,DC=local', AttributeLDAPDisplayName: 'nTSecurityDescriptor', SubjectUserName: 'EX01$' },
          'account-change',
        ),
      ],
    }),
  );
  assert.equal(report.accounts[0]?.account, 'krbtgt');
  assert.match(report.accounts[0]?.why ?? '', /domain's own permissions were changed/);
});

test('an exported mailbox is to review, not to reset, and comes last', () => {
  const exported: MailboxTouch = {
    mailbox: 'ceo@contoso.com',
    server: 'EX01',
    level: 'exported',
    firstTime: '2021-03-03T03:20:00Z',
    lastTime: undefined,
    how: ['New-MailboxExportRequest'],
    evidence: [{ path: 'EX01/Rps_Cmdlet.log', line: 9, offset: 0 }],
  };
  const read: MailboxTouch = { ...exported, mailbox: 'cfo@contoso.com', level: 'read' };
  const report = assessCredentials(input({ servers: [{ name: 'EX01', verdict: 'exploited' }], mailboxes: [read, exported] }));
  const last = report.accounts[report.accounts.length - 1];
  assert.deepEqual([last?.account, last?.action, last?.playbookStep], ['ceo@contoso.com', 'review', undefined]);
  assert.ok(!report.accounts.some((a) => a.account === 'cfo@contoso.com'));
});

test('an account exposed two ways is one line, under the reason that resets it first, with both pieces of evidence', () => {
  const report = assessCredentials(input({ findings: [exploit, dump], servers: [{ name: 'EX01', verdict: 'post-exploitation' }] }));
  const ex01 = report.accounts.filter((a) => a.account === 'EX01$');
  assert.equal(ex01.length, 1);
  assert.equal(ex01[0]?.reason, 'in-dumped-memory');
  assert.equal(ex01[0]?.exposedFrom, exploit.time, 'exposed from the earlier of the two');
  assert.deepEqual(ex01[0]?.evidence.map((e) => e.line).sort(), [7, 900]);
});

test("stored IIS credentials read in clear put that server's pool and connection-string accounts on the list", () => {
  const read: CredentialFinding = {
    ruleId: '0b8f5f0e-6a43-4d0f-9c51-2e7a8d1c4b19',
    time: '2021-03-05T23:20:05Z',
    server: 'EX01',
    path: 'EX01/Security.evtx',
    line: 77,
  };
  const report = assessCredentials(input({ findings: [exploit, read] }));
  assert.deepEqual(
    report.accounts.map((a) => [a.account, a.action, a.exposedFrom]),
    [["accounts stored in EX01's IIS configuration (application pool identities, web.config connection strings)", 'reset', read.time]],
  );
  // Any other post-exploitation finding is not a credential read.
  assert.deepEqual(assessCredentials(input({ findings: [exploit, { ...read, ruleId: 'other' }] })).accounts, []);
});

test('a changed OWA sign-in page exposes everyone who signed in after, and says they are not listed by name; another changed file does not', () => {
  const changed = { server: 'EX01', time: '2021-03-04T01:00:00Z', path: 'EX01/listing.csv', line: 12 };
  const report = assessCredentials(
    input({
      modifiedFiles: [
        { ...changed, file: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\logon.aspx' },
        { ...changed, file: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\errorFE.aspx', line: 13 },
      ],
    }),
  );
  assert.deepEqual(
    report.accounts.map((a) => [a.account, a.exposedFrom, a.evidence[0]?.line]),
    [['every user who signed in to OWA on EX01 since 2021-03-04T01:00:00Z', changed.time, 12]],
  );
  assert.match(report.limits.join('\n'), /POST \/owa\/auth\.owa/);
});
