import { type Ctx, databaseCookie } from './common.js';
import { type Protocol, newRequest } from './request.js';
import { AD_DOMAIN, NETBIOS, type Server, SMTP_DOMAIN, buildAt, pickPerson } from './world.js';

// Exchange watching itself (Managed Availability): probes from the server to its own front end
// and back end, and the archiving service that reads mailboxes around the clock.

const AM_PROBE = 'AMProbe/Local/ClientAccess';

interface ProbeSpec {
  protocol: Protocol;
  method: string;
  stem: string;
  query: (mbx: string, server: Server) => string;
  ua: string;
  action: string;
}

const PROBES: readonly ProbeSpec[] = [
  { protocol: 'Owa', method: 'GET', stem: '/owa/', query: () => '', ua: AM_PROBE, action: '' },
  { protocol: 'Ecp', method: 'GET', stem: '/ecp/', query: () => '', ua: AM_PROBE, action: '' },
  { protocol: 'Ews', method: 'GET', stem: '/ews/', query: () => '', ua: AM_PROBE, action: '' },
  { protocol: 'Ews', method: 'POST', stem: '/ews/exchange.asmx', query: () => '', ua: AM_PROBE, action: 'GetFolder' },
  {
    protocol: 'Eas',
    method: 'POST',
    stem: '/Microsoft-Server-ActiveSync/default.eas',
    ua: AM_PROBE,
    action: 'FolderSync',
    query: (mbx) => `Cmd=FolderSync&User=${mbx}&DeviceId=EASProbeDeviceId1&DeviceType=EASProbeDeviceType`,
  },
  { protocol: 'Autodiscover', method: 'POST', stem: '/autodiscover/autodiscover.xml', query: () => '', ua: AM_PROBE, action: '' },
  { protocol: 'Oab', method: 'GET', stem: '/oab/', query: () => '', ua: AM_PROBE, action: '' },
  {
    protocol: 'Mapi',
    method: 'POST',
    stem: '/mapi/emsmdb/',
    ua: 'MapiHttpClient',
    action: '',
    query: (mbx) => `mailboxId=${mbx}@${SMTP_DOMAIN}`,
  },
  { protocol: 'RpcHttp', method: 'RPC_IN_DATA', stem: '/rpc/rpcproxy.dll', query: (_m, s) => `${s.fqdn}:6001`, ua: 'MSRPC', action: '' },
];

/** Where a probe comes from: the loopback addresses or the server's own. */
function probeSource(ctx: Ctx, server: Server): { ip: string; host: string } {
  return ctx.rng.weighted([
    [{ ip: '127.0.0.1', host: 'localhost' }, 4],
    [{ ip: '::1', host: 'localhost' }, 2],
    [{ ip: server.linkLocal, host: server.fqdn }, 2],
    [{ ip: server.ip, host: server.fqdn }, 1],
  ] as const);
}

export function healthProbe(ctx: Ctx, server: Server, t: number): number {
  const { rng } = ctx;
  const mailbox = rng.pick(server.healthMailboxes);
  if (rng.chance(0.12)) return powershellProbe(ctx, server, t, mailbox);
  if (rng.chance(0.15)) return backEndProbe(ctx, server, t, mailbox);
  const spec = rng.pick(PROBES);
  const src = probeSource(ctx, server);
  const r = newRequest(server, t, spec.protocol, rng.guid());
  Object.assign(r, {
    method: spec.method,
    urlHost: src.host,
    urlStem: spec.stem,
    query: spec.query(mailbox, server),
    protocolAction: spec.action,
    authType: 'Negotiate',
    user: `${NETBIOS}\\${mailbox}`,
    anchorMailbox: spec.protocol === 'Mapi' ? `MailboxGuid~${mailbox.slice(13, 21)}-0000-4000-8000-${mailbox.slice(21, 33)}` : `Smtp~${mailbox}@${SMTP_DOMAIN}`,
    userAgent: spec.ua,
    clientIp: src.ip,
    serverIp: src.ip,
    routingHint: spec.protocol === 'Mapi' ? 'MailboxGuidWithDomain' : 'WindowsIdentity',
    backEndCookie: databaseCookie(server.database, t),
    duration: rng.skewed(12),
    responseBytes: rng.skewed(800),
    requestBytes: spec.method === 'GET' ? 0 : rng.skewed(300),
    organization: spec.protocol === 'Mapi' ? AD_DOMAIN : '',
    routingDb: spec.protocol === 'Mapi' ? `|RoutingDB:${server.database.guid}` : '',
  });
  if (spec.protocol === 'Mapi') {
    r.clientRequestId = `R:${rng.guid()}:1;RT:Connect;CI:${rng.guid()}:1;CID:${rng.guid()}`;
  }
  ctx.batch.proxy(r);
  return 1;
}

/** ActiveMonitor runs Get-Mailbox through remote PowerShell, as in the Qazeer Rps_Cmdlet sample. */
function powershellProbe(ctx: Ctx, server: Server, t: number, mailbox: string): number {
  const { rng } = ctx;
  const b = buildAt(server, t);
  const query = `clientApplication=ActiveMonitor;PSVersion=5.1.14393.4169&sessionID=Version_15.1_(Build_${b.build - 1}.0)=${rng.token(86)}=`;
  const r = newRequest(server, t, 'PowerShell', rng.guid());
  const sessionId = rng.guid().toUpperCase();
  const shellId = rng.guid().toUpperCase();
  const commandId = rng.guid().toUpperCase();
  Object.assign(r, {
    method: 'POST',
    urlHost: server.fqdn.toLowerCase(),
    urlStem: '/powershell',
    query,
    protocolAction: 'Get-Mailbox:Command',
    authType: 'Kerberos',
    user: `${NETBIOS}\\${mailbox}`,
    anchorMailbox: `ServerVersion~Version 15.1 (Build ${b.build - 1}.0)`,
    userAgent: 'Microsoft WinRM Client',
    clientIp: server.ip,
    routingHint: 'ExchClientVer-ServerCookie',
    requestBytes: rng.skewed(5000),
    responseBytes: rng.skewed(850),
    duration: rng.skewed(24),
    genericInfoExtra: `CommandId=${commandId};SessionId=${sessionId};ShellId=${shellId};`,
  });
  ctx.batch.proxy(r);
  ctx.batch.rpsHttp({
    time: t - 1,
    durationMs: Math.max(1, r.duration - 2),
    requestId: r.requestId,
    user: `${mailbox}@${AD_DOMAIN}`,
    clientIp: server.ip,
    clientInfo: 'Microsoft WinRM Client',
    urlQuery: query,
    requestBytes: r.requestBytes,
    command: { name: 'Get-Mailbox', id: commandId, sessionId, shellId },
  });
  ctx.batch.rpsCmdlet(
    {
      time: t - 2,
      durationMs: Math.max(1, r.duration - 4),
      requestId: r.requestId,
      user: mailbox,
      userSid: `S-1-5-21-1844237615-456351123-2037193416-${1130 + (mailbox.charCodeAt(14) % 40)}`,
      isAdmin: false,
      clientApplication: 'ActiveMonitor',
      cmdlet: 'Get-Mailbox',
      parameters: '-ResultSize "1"',
      threadId: rng.range(20, 120),
      outputCount: 1,
    },
    rng.guid(),
  );
  return 1;
}

const BACKEND_PATHS = [
  '/owa/',
  '/ecp/',
  '/ews/exchange.asmx',
  '/mapi/emsmdb/',
  '/Microsoft-Server-ActiveSync/Proxy/default.eas',
  '/autodiscover/autodiscover.xml',
  '/oab/',
  '/powershell',
];

/** Back-end probes go straight to "Exchange Back End" (W3SVC2, port 444): IIS logs them, CAFE does not. */
function backEndProbe(ctx: Ctx, server: Server, t: number, mailbox: string): number {
  const { rng } = ctx;
  const loop = rng.chance(0.7) ? '127.0.0.1' : '::1';
  ctx.batch.iisBackend({
    time: t,
    serverIp: loop,
    method: rng.chance(0.7) ? 'GET' : 'POST',
    stem: rng.pick(BACKEND_PATHS),
    query: '',
    port: 444,
    user: `${NETBIOS}\\${mailbox}`,
    clientIp: loop,
    userAgent: 'Exchange BackEnd Probes',
    referer: '',
    status: 200,
    subStatus: 0,
    win32Status: 0,
    timeTaken: rng.skewed(9),
  });
  return 1;
}

/** The mail archiving service reads every mailbox through EWS, day and night. */
export function archiverPass(ctx: Ctx, server: Server, t: number): number {
  const { rng, world } = ctx;
  const target = pickPerson(rng, world);
  const a = world.archiver;
  const r = newRequest(server, t, 'Ews', rng.guid());
  Object.assign(r, {
    method: 'POST',
    urlHost: server.fqdn.toLowerCase(),
    urlStem: '/EWS/Exchange.asmx',
    protocolAction: rng.pick(['FindItem', 'GetItem', 'SyncFolderItems']),
    authType: 'NTLM',
    user: `${NETBIOS}\\${a.account}`,
    organization: AD_DOMAIN,
    anchorMailbox: `Smtp~${target.smtp}`,
    userAgent: a.ua,
    clientIp: a.ip,
    routingHint: 'AnchorMailboxHeader-SMTP',
    targetServer: `${target.database.server}.${AD_DOMAIN}`,
    backEndCookie: databaseCookie(target.database, t),
    requestBytes: rng.skewed(900),
    responseBytes: rng.skewed(9000),
    duration: rng.skewed(90),
  });
  ctx.batch.proxy(r);
  return 1;
}
