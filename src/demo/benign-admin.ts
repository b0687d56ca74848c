import { type Ctx, canary, databaseCookie, fits, later, serverFqdn } from './common.js';
import { type ProxyRequest, newRequest } from './request.js';
import { AD_DOMAIN, type Admin, EXTERNAL_HOST, NETBIOS, type Server, buildAt, encodedVersion, pickPerson, versionDotted } from './world.js';

// Administration: admins in the ECP and in remote PowerShell, people in ECP's own options pages.

interface EcpAction {
  stem: string;
  schema: string;
  cmd: (ctx: Ctx, server: Server) => string;
}

function who(ctx: Ctx): string {
  return pickPerson(ctx.rng, ctx.world).sam;
}

const ADMIN_ECP: readonly EcpAction[] = [
  { stem: '/ecp/DDI/DDIService.svc/GetList', schema: 'Mailboxes', cmd: () => "Get-Recipient.ResultSize=''500''.RecipientTypeDetails=''UserMailbox''" },
  { stem: '/ecp/DDI/DDIService.svc/GetObject', schema: 'MailboxPropertiesMaster', cmd: (ctx) => `Get-Mailbox.Identity=''${who(ctx)}''` },
  {
    stem: '/ecp/DDI/DDIService.svc/SetObject',
    schema: 'MailboxPropertiesMaster',
    cmd: (ctx) => `Set-Mailbox.Identity=''${who(ctx)}''.ProhibitSendQuota=''4.5 GB (4,831,838,208 bytes)''`,
  },
  { stem: '/ecp/DDI/DDIService.svc/GetList', schema: 'VirtualDirectory', cmd: (_ctx, s) => `Get-OwaVirtualDirectory.Server=''${s.name}''` },
  { stem: '/ecp/DDI/DDIService.svc/GetList', schema: 'DatabaseCopies', cmd: () => 'Get-MailboxDatabaseCopyStatus' },
  { stem: '/ecp/DDI/DDIService.svc/GetList', schema: 'ReceiveConnectors', cmd: () => 'Get-ReceiveConnector' },
  { stem: '/ecp/DDI/DDIService.svc/GetList', schema: 'ManagementRoleGroup', cmd: () => 'Get-RoleGroup' },
  { stem: '/ecp/DDI/DDIService.svc/GetList', schema: 'MessageTrace', cmd: (ctx) => `Get-MessageTrackingLog.Sender=''${who(ctx)}@example.com''` },
];

function ecpRequest(ctx: Ctx, server: Server, t: number, user: string, sid: string, ip: string, ua: string): ProxyRequest {
  const r = newRequest(server, t, 'Ecp', ctx.rng.guid());
  Object.assign(r, {
    urlHost: EXTERNAL_HOST,
    authType: 'FBA',
    user,
    anchorMailbox: `Sid~${sid}`,
    userAgent: ua,
    clientIp: ip,
    routingHint: 'WindowsIdentity',
    referer: `https://${EXTERNAL_HOST}/ecp/`,
    duration: ctx.rng.skewed(120),
    responseBytes: ctx.rng.skewed(3000),
  });
  return r;
}

/** One ECP call that runs a cmdlet: a HttpProxy row, an IIS line and an ECP Server row. */
export function ecpCall(
  ctx: Ctx,
  server: Server,
  t: number,
  admin: { user: string; sid: string; ip: string; ua: string },
  stem: string,
  query: string,
  cmd: string,
): void {
  const r = ecpRequest(ctx, server, t, admin.user, admin.sid, admin.ip, admin.ua);
  r.method = 'POST';
  r.urlStem = stem;
  r.query = query;
  r.requestBytes = ctx.rng.skewed(500);
  ctx.batch.ecp({
    time: t - 1,
    cmd,
    url: `${stem}?${query}`,
    durationMs: Math.max(1, r.duration - 4),
    sessionId: ctx.rng.guid(),
    activityId: ctx.rng.guid(),
    userSessionId: ctx.rng.guid(),
  });
  ctx.batch.proxy(r);
}

function adminAt(ctx: Ctx): { admin: Admin; user: string; sid: string; ip: string; ua: string } {
  const admin = ctx.rng.pick(ctx.world.admins);
  return { admin, user: `${NETBIOS}\\${admin.account}`, sid: admin.sid, ip: admin.workstationIp, ua: admin.person.browser };
}

export function ecpAdminSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const a = adminAt(ctx);
  const c = canary(rng);
  let t = t0;
  const home = ecpRequest(ctx, server, t, a.user, a.sid, a.ip, a.ua);
  home.urlStem = '/ecp/';
  ctx.batch.proxy(home);
  let made = 1;
  const count = rng.range(2, 7);
  for (let i = 0; i < count; i++) {
    t = later(rng, t, 8000);
    if (!fits(ctx, t)) break;
    const action = rng.pick(ADMIN_ECP);
    ecpCall(ctx, server, t, a, action.stem, `schema=${action.schema}&msExchEcpCanary=${c}`, action.cmd(ctx, server));
    made++;
  }
  return made;
}

/** People open their own options: inbox rules, automatic replies. */
export function ecpUserSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const p = pickPerson(rng, ctx.world);
  const c = canary(rng);
  const page = newRequest(server, t0, 'Ecp', rng.guid());
  Object.assign(page, {
    urlHost: EXTERNAL_HOST,
    urlStem: '/ecp/PersonalSettings/HomePage.aspx',
    query: 'showhelp=false&',
    authType: 'FBA',
    user: `${NETBIOS}\\${p.sam}`,
    anchorMailbox: `Sid~${p.sid}`,
    userAgent: p.browser,
    clientIp: p.workstationIp,
    routingHint: 'WindowsIdentity',
    targetServer: serverFqdn(p.database.server),
    backEndCookie: databaseCookie(p.database, t0),
    referer: `https://${EXTERNAL_HOST}/owa/`,
    duration: rng.skewed(200),
    responseBytes: rng.skewed(20_000),
  });
  ctx.batch.proxy(page);
  const t = later(rng, t0, 5000);
  if (!fits(ctx, t)) return 1;
  const rules = rng.chance(0.6);
  ecpCall(
    ctx,
    server,
    t,
    { user: page.user, sid: p.sid, ip: p.workstationIp, ua: p.browser },
    rules ? '/ecp/RulesEditor/InboxRules.svc/GetList' : '/ecp/DDI/DDIService.svc/GetObject',
    rules ? `msExchEcpCanary=${c}` : `schema=AutomaticReplies&msExchEcpCanary=${c}`,
    rules ? 'Get-InboxRule' : `Get-MailboxAutoReplyConfiguration.Identity=''${p.sam}''`,
  );
  return 2;
}

const ADMIN_CMDLETS: readonly (readonly [string, (ctx: Ctx) => string, number])[] = [
  ['Get-Mailbox', () => '-ResultSize "Unlimited"', 4],
  ['Get-Mailbox', (ctx) => `-Identity "${who(ctx)}"`, 4],
  ['Get-MailboxStatistics', (ctx) => `-Identity "${who(ctx)}"`, 3],
  ['Get-MailboxDatabaseCopyStatus', () => '-Server "EX01"', 2],
  ['Get-Queue', () => '', 2],
  ['Get-ExchangeServer', () => '', 1],
  ['Set-Mailbox', (ctx) => `-Identity "${who(ctx)}" -EmailAddressPolicyEnabled $true`, 1],
  ['Add-MailboxPermission', (ctx) => `-Identity "${who(ctx)}" -User "${who(ctx)}" -AccessRights "FullAccess"`, 0.6],
  ['Get-MessageTrackingLog', (ctx) => `-Sender "${who(ctx)}@example.com" -Start "02/25/2021 09:00:00"`, 1],
  ['Get-OabVirtualDirectory', () => '-Server "EX01"', 0.4],
  // A leaver's mailbox exported to the file server: an export request that is not an attack.
  [
    'New-MailboxExportRequest',
    (ctx) => {
      const w = who(ctx);
      return `-Mailbox "${w}" -FilePath "\\\\FS01\\PST$\\leavers\\${w}.pst"`;
    },
    0.15,
  ],
];

/** Remote PowerShell by an admin: every POST is in HttpProxy, IIS and Rps_Http; commands also in Rps_Cmdlet. */
export function powershellAdminSession(ctx: Ctx, server: Server, t0: number): number {
  const { rng } = ctx;
  const a = adminAt(ctx);
  const sessionId = rng.guid().toUpperCase();
  const shellId = rng.guid().toUpperCase();
  const b = buildAt(server, t0);
  const query = `serializationLevel=Full;ExchClientVer=${versionDotted(b)};clientApplication=ManagementShell;TargetServer=;PSVersion=5.1.17763.1490`;
  const cookie = (t: number): string => `Server~${server.fqdn}~${encodedVersion(b)}~${new Date(t + 600_000).toISOString().slice(0, 19)}`;
  let t = t0;
  let made = 0;
  const post = (action: string, command: { name: string; params: string } | undefined): void => {
    const r = newRequest(server, t, 'PowerShell', rng.guid());
    const commandId = command ? rng.guid().toUpperCase() : undefined;
    Object.assign(r, {
      method: 'POST',
      urlHost: server.fqdn.toLowerCase(),
      urlStem: '/powershell',
      query,
      protocolAction: action,
      authType: 'Kerberos',
      user: a.user,
      anchorMailbox: `ServerVersion~Version 15.1 (Build ${b.build}.0)`,
      userAgent: 'Microsoft WinRM Client',
      clientIp: a.ip,
      routingHint: 'ExchClientVer-ServerCookie',
      backEndCookie: cookie(t),
      requestBytes: rng.skewed(3000),
      responseBytes: rng.skewed(1500),
      duration: rng.skewed(command ? 400 : 30),
      genericInfoExtra: `${commandId ? `CommandId=${commandId};` : ''}SessionId=${sessionId};ShellId=${shellId};`,
    });
    ctx.batch.proxy(r);
    ctx.batch.rpsHttp({
      time: t - 1,
      durationMs: Math.max(1, r.duration - 3),
      requestId: r.requestId,
      user: `${a.admin.account}@${AD_DOMAIN}`,
      clientIp: a.ip,
      clientInfo: 'Microsoft WinRM Client',
      urlQuery: query,
      requestBytes: r.requestBytes,
      command: command && commandId ? { name: command.name, id: commandId, sessionId, shellId } : undefined,
    });
    if (command) {
      ctx.batch.rpsCmdlet(
        {
          time: t - 2,
          durationMs: Math.max(1, r.duration - 6),
          requestId: r.requestId,
          user: a.admin.account,
          userSid: a.sid,
          isAdmin: true,
          clientApplication: 'EMS',
          cmdlet: command.name,
          parameters: command.params,
          threadId: rng.range(20, 120),
          outputCount: rng.range(0, 40),
        },
        rng.guid(),
      );
    }
    made++;
  };
  post('New-PSSession:Create', undefined);
  t = later(rng, t, 1500);
  if (fits(ctx, t)) post('New-PSSession:Receive', undefined);
  const count = rng.range(1, 6);
  for (let i = 0; i < count; i++) {
    t = later(rng, t, 20_000);
    if (!fits(ctx, t)) break;
    const [name, params] = rng.weighted(ADMIN_CMDLETS.map(([n, f, w]) => [[n, f] as const, w] as const));
    post(`${name}:Command`, { name, params: params(ctx) });
    t = later(rng, t, 400);
    if (!fits(ctx, t)) break;
    post(`${name}:Receive`, undefined);
  }
  return made;
}
